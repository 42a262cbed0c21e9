#![recursion_limit = "256"]
//! The portal's server: configuration, database, HTTP layers and start-up. `main.rs` is a thin
//! wrapper so that the integration tests can build the same router.

pub mod adapters;
pub mod care_form;
pub mod certificates;
pub mod config;
pub mod db;
pub mod demo;
pub mod documents;
pub mod face_events;
pub mod home_cache;
pub mod http;
pub mod ops;
pub mod registry_gen;
pub mod registry_import;
pub mod search_form;
pub mod vc;
