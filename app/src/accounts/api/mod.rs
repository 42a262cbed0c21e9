//! Accounts: registration, login and the session, 获取验证码, 找回密码, the user's own
//! settings, and 确认法人账户. Every function takes the form's fields as plain strings so
//! that the same forms post without JavaScript; the domain types validate them here, on the
//! server, again.

pub mod closing;
pub mod enterprise;
pub mod recovery;
pub mod register;
pub mod session;
pub mod settings;
pub mod sms;
