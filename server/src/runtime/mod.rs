//! The runtimes services run on, behind the one [`Runtime`] port from `domain`: processes on
//! this host, Kubernetes Deployments and AWS ECS services.

pub mod retry;
