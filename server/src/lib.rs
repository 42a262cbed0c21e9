#![recursion_limit = "256"]
//! The portal's server: configuration, database, the outside services' adapters, HTTP layers,
//! start-up (`serve`) and the operator's commands (`cli`). `main.rs` only chooses between the
//! two, so that the integration tests build the same router and state.

pub mod adapters;
pub mod care_form;
pub mod certificates;
pub mod cli;
pub mod config;
pub mod db;
pub mod documents;
pub mod face_events;
pub mod home_cache;
pub mod http;
pub mod ops;
pub mod search_form;
pub mod serve;
pub mod vc;
