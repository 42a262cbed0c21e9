//! Server-side services behind the server functions: the clock, password hashing, and the
//! outside systems the portal talks to through traits (identity source, SMS gateway), so a
//! development stand-in and the real adapter are interchangeable.

pub mod clock;
pub mod documents;
pub mod enterprise;
pub mod face_hub;
pub mod face_provider;
pub mod identity;
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod providers;
#[cfg(feature = "ssr")]
pub mod sd_jwt;
pub mod sms_gateway;

use std::future::Future;
use std::pin::Pin;

/// A boxed future, for the object-safe service traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
