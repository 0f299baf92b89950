//! The actions engine's own tests: its GitHub client against the GitHub double, and webhook
//! deliveries and notifications against a local receiver. No portal and no database, so they
//! run in parallel; the engine's runs through a whole portal are tested in the server's suite.

mod github;
mod webhook;
