//! Shared data types per domain; each has an `ssr`-only `repo` module holding all of that
//! domain's SQL. The SQL is portable (`$n` placeholders, no backend-specific functions) so one
//! repository serves SQLite and PostgreSQL alike.

pub mod account;
pub mod certificate;
pub mod counters;
pub mod face;
#[cfg(feature = "ssr")]
pub mod ids;
pub mod registry;
pub mod session;
pub mod signing_key;
pub mod sms;
