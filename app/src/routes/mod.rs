//! One page component per module.

pub mod contact;
pub mod faq;
pub mod home;
pub mod login;
pub mod not_found;
pub mod registration;
pub mod search;
