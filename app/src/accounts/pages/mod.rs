//! Accounts: 登录, 注册, 找回密码, and 用户中心 — its layout (which guards every page under
//! `/user`), 账户设置, 安全记录 and 确认法人账户.

pub mod enterprise;
pub mod forgot_password;
pub mod form_fields;
pub mod idle_warning;
pub mod kind_tabs;
pub mod login;
pub mod password_input;
pub mod register;
pub mod security;
pub mod session;
pub mod settings;
pub mod sign_in_again;
pub mod sms_code_button;
pub mod user_center;
