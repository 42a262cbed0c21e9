//! The outside systems the portal talks to, as traits (the identity source, the enterprise
//! register, the SMS gateway, the face provider, the documents renderer), so that a development
//! stand-in and the real adapter ([`crate::platform::providers`]) are interchangeable.

pub mod documents;
pub mod enterprise;
pub mod face_provider;
pub mod identity;
pub mod sms;

use std::future::Future;
use std::pin::Pin;

/// A boxed future, for the object-safe service traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
