//! What every feature stands on: who is calling and what they may do, and shared services.

pub mod auth;
#[cfg(feature = "ssr")]
pub mod caller;
#[cfg(feature = "ssr")]
pub mod qr;
