//! Server functions, thin: check who is calling and how often, validate with the domain
//! types, call the repository, map errors to [`crate::error::AppError`].

pub mod account;
pub mod auth;
pub mod certificates;
pub mod enterprise;
pub mod face;
pub mod registry;
#[cfg(feature = "ssr")]
pub mod request;
pub mod verify;
