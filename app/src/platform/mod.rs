//! What every feature stands on: who is calling and what they may do (caller, auth), the
//! state, errors, limits and counters, the database, sessions, the clock, the cross-process
//! hub, QR codes, security headers, and the ports to the outside services with their real
//! adapters. Nothing here names a feature.

#[cfg(feature = "ssr")]
pub mod account;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod caller;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod count_cache;
pub mod counters;
#[cfg(feature = "ssr")]
pub mod db;
pub mod deployment;
pub mod error;
#[cfg(feature = "ssr")]
pub mod hub;
pub mod hydration;
#[cfg(feature = "ssr")]
pub mod ids;
pub mod lang;
#[cfg(feature = "ssr")]
pub mod notices;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod ports;
#[cfg(feature = "ssr")]
pub mod providers;
#[cfg(feature = "ssr")]
pub mod qr;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod sd_jwt;
#[cfg(feature = "ssr")]
pub mod security;
pub mod session;
pub mod signing_key;
#[cfg(feature = "ssr")]
pub mod staff_audit;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod status_cache;
#[cfg(feature = "ssr")]
pub mod x509;
