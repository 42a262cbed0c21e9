//! Validated domain types and pure rules: no I/O, no framework types.
//!
//! Everything here is shared by the browser and the server, so the same check runs on both
//! sides of a form.

pub mod account;
pub mod browser;
pub mod cookie;
pub mod credit_code;
pub mod hex;
pub mod id_document;
pub mod id_number;
pub mod mask;
pub mod names;
pub mod password;
#[cfg(feature = "ssr")]
pub mod person;
pub mod phone;
pub mod specialty;
pub mod time;
pub mod url;

pub use credit_code::{CreditCode, CreditCodeError};
pub use id_document::{DocumentError, DocumentKind, IdDocument};
pub use id_number::{Gender, IdNumber, IdNumberError};
pub use password::{Password, PasswordError};
pub use phone::{Phone, PhoneError};
