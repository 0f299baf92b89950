//! The server's integration tests: one binary, the portal started in-process on 127.0.0.1:0,
//! a fresh database per test on SQLite and on PostgreSQL.

mod actions;
mod actions_processes;
mod audit;
mod audit_viewer;
mod auth;
mod catalog_access;
mod catalog_entities;
mod catalog_github;
mod catalog_github_events;
mod catalog_github_locations;
mod catalog_graph;
mod catalog_locations;
mod catalog_search;
mod catalog_trust;
mod cli;
mod delivery;
mod environment_ops;
mod github_identity;
mod github_sign_in;
mod github_sign_in_client;
mod http;
mod logs_http;
mod store;
mod support;
