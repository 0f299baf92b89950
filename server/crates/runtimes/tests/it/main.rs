//! The runtimes' tests, against real child processes, a Kubernetes API server double in the
//! real wire format, and moto for AWS: no portal and no database, so they run in parallel.

mod ecs;
mod kube_api;
mod kubernetes;
mod local;
mod logs;
mod moto;
