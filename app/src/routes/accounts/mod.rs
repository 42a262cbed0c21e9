//! Accounts: 登录, 注册, 找回密码, and 用户中心 — its layout (which guards every page under
//! `/user`), 账户设置, 安全记录 and 确认法人账户.

pub mod enterprise;
pub mod forgot_password;
pub mod login;
pub mod register;
pub mod security;
pub mod settings;
pub mod user_center;
