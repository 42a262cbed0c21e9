#![recursion_limit = "256"]
//! The portal's server: configuration, database, the outside services' adapters, HTTP layers,
//! and the commands (`cli`: start-up in `cli::serve`, and the operator's). `main.rs` only chooses between the
//! two, so that the integration tests build the same router and state.

pub mod adapters;
pub mod admin;
pub mod cli;
pub mod config;
pub mod db;
pub mod http;
pub mod ops;
