//! Server functions, one module per domain, thin: check who is calling and how often
//! ([`caller`]), validate with the domain types, call the repository, map errors to
//! [`crate::error::AppError`].

pub mod accounts;
#[cfg(feature = "ssr")]
pub mod caller;
pub mod certificates;
pub mod credentials;
pub mod face_check;
pub mod registry;
