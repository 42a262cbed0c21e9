//! 用户账户: personal (个人用户) and enterprise (法人用户) accounts, what their owner sees of
//! them, and the per-identifier login guard that locks after repeated failures.

use crate::domain::account::AccountKind;
use serde::{Deserialize, Serialize};

/// A pending enterprise account as its legal representative sees it (待确认的法人账户).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEnterprise {
    /// The account's public id (what 【确认】 sends back).
    pub account_id: String,
    pub org_name: String,
    pub credit_code: String,
    /// 北京时间, to the minute.
    pub registered_at: String,
    pub phone_masked: String,
}

/// The signed-in user as every page may know it: nothing here is more than the header shows.
/// 注销账户's cooling-off: days between the request and the deletion.
pub const COOLING_OFF_DAYS: i64 = 7;

/// When (北京时间) an account asked to be closed at `asked_at` is deleted.
pub fn deletion_time(asked_at: i64) -> String {
    crate::domain::time::format_beijing_minute(asked_at + COOLING_OFF_DAYS * 86_400)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub kind: AccountKind,
    /// `王*国`, or the enterprise's name.
    pub display_name: String,
    /// Seconds until the session ends for inactivity (30 minutes after the last request).
    pub idle_seconds_left: i64,
    /// An enterprise account its legal representative has not confirmed yet.
    pub awaiting_confirmation: bool,
    /// When (北京时间) an account being closed is deleted; `None` for any other account.
    #[serde(default)]
    pub closing_until: Option<String>,
}

/// 账户设置: the owner's own account, masked as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    pub kind: AccountKind,
    pub name_masked: String,
    pub id_number_masked: String,
    pub id_kind: crate::domain::DocumentKind,
    pub org_name: Option<String>,
    pub credit_code: Option<String>,
    pub phone_masked: String,
}

/// One line of 安全记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityEvent {
    /// `2026-11-28 21:05:09` (北京时间)
    pub at: String,
    /// What happened, in Chinese ([`crate::platform::audit::label`]).
    pub label: String,
    /// What happened, in English.
    #[serde(default)]
    pub label_en: String,
    pub detail: String,
    pub ip: String,
    pub browser: String,
}

impl SecurityEvent {
    /// What happened, in `lang`.
    pub fn label_in(&self, lang: crate::platform::lang::Lang) -> &str {
        match lang {
            crate::platform::lang::Lang::Zh => &self.label,
            crate::platform::lang::Lang::En => &self.label_en,
        }
    }
}

/// The audit log's event kinds and their labels in 安全记录.
pub mod api;
pub mod disputes;
pub mod pages;
pub mod sms;
pub mod text;

#[cfg(feature = "ssr")]
pub mod repo;
