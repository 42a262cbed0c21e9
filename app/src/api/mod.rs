//! Server functions, one module per domain, thin: check who is calling and how often
//! ([`crate::platform::caller`]), validate with the domain types, call the repository, map errors to
//! [`crate::error::AppError`].

pub mod accounts;
pub mod certificates;
pub mod credentials;
pub mod face_check;
pub mod registry;
