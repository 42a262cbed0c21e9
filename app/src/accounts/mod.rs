//! 用户账户: personal (个人用户) and enterprise (法人用户) accounts, what their owner sees of
//! them, and the per-identifier login guard that locks after repeated failures.

use serde::{Deserialize, Serialize};

/// 个人用户 or 法人用户.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountKind {
    Person,
    Enterprise,
}

impl AccountKind {
    /// The value forms post (`person` / `enterprise`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Enterprise => "enterprise",
        }
    }

    pub fn from_form(value: &str) -> Self {
        if value == "enterprise" {
            Self::Enterprise
        } else {
            Self::Person
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Person => "个人用户",
            Self::Enterprise => "法人用户",
        }
    }

    /// What this kind of user logs in with.
    pub fn login_id_label(self) -> &'static str {
        match self {
            Self::Person => "身份证号",
            Self::Enterprise => "统一社会信用代码",
        }
    }
}

/// Whether an account may be used. Personal accounts are active from registration; an
/// enterprise (法人) account is pending until its legal representative confirms it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountStatus {
    Active,
    /// 待法定代表人确认: it can sign in and see only that it awaits confirmation.
    Pending,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
        }
    }

    /// Anything but `active` is pending: an unknown value never unlocks an account.
    pub fn parse(value: &str) -> Self {
        if value == "active" {
            Self::Active
        } else {
            Self::Pending
        }
    }
}

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub kind: AccountKind,
    /// `王*国`, or the enterprise's name.
    pub display_name: String,
    /// Seconds until the session ends for inactivity (30 minutes after the last request).
    pub idle_seconds_left: i64,
    /// An enterprise account its legal representative has not confirmed yet.
    pub awaiting_confirmation: bool,
}

/// 账户设置: the owner's own account, masked as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    pub kind: AccountKind,
    pub name_masked: String,
    pub id_number_masked: String,
    pub org_name: Option<String>,
    pub credit_code: Option<String>,
    pub phone_masked: String,
}

/// One line of 安全记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityEvent {
    /// `2026-11-28 21:05:09` (北京时间)
    pub at: String,
    pub label: String,
    pub detail: String,
    pub ip: String,
    pub browser: String,
}

/// The audit log's event kinds and their labels in 安全记录.
pub mod api;
pub mod events;
pub mod pages;
pub mod sms;

/// A short, non-identifying description of a browser from its User-Agent: enough for a user
/// to recognise their own devices in 安全记录.
pub fn browser_label(user_agent: &str) -> String {
    let browser = if user_agent.contains("MicroMessenger") {
        "微信"
    } else if user_agent.contains("AlipayClient") {
        "支付宝"
    } else if user_agent.contains("Edg/") {
        "Edge"
    } else if user_agent.contains("Firefox/") {
        "Firefox"
    } else if user_agent.contains("Chrome/") || user_agent.contains("Chromium/") {
        "Chrome"
    } else if user_agent.contains("Safari/") {
        "Safari"
    } else if user_agent.is_empty() {
        "未知"
    } else {
        "其他浏览器"
    };
    let system = if user_agent.contains("Android") {
        "Android"
    } else if user_agent.contains("iPhone") || user_agent.contains("iPad") {
        "iOS"
    } else if user_agent.contains("Windows") {
        "Windows"
    } else if user_agent.contains("Mac OS X") {
        "macOS"
    } else if user_agent.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    if system.is_empty() {
        browser.to_string()
    } else {
        format!("{browser} · {system}")
    }
}

#[cfg(feature = "ssr")]
pub mod repo;
