//! One page component per module.

pub mod contact;
pub mod faq;
pub mod forgot_password;
pub mod home;
pub mod lazy;
pub mod login;
pub mod mobile;
pub mod not_found;
pub mod privacy;
pub mod register;
pub mod registration;
pub mod search;
pub mod user_center;
pub mod verify;
