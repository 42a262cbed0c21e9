//! The kinds of account and their status: what a session, the pages and the SQL share.

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
    /// 注销 asked for: locked until it is deleted when the cooling-off ends; signing in
    /// offers only 撤销注销.
    Closing,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Closing => "closing",
        }
    }

    /// Anything but `active` or `closing` is pending: an unknown value (a deleted account's
    /// tombstone among them) never unlocks an account.
    pub fn parse(value: &str) -> Self {
        match value {
            "active" => Self::Active,
            "closing" => Self::Closing,
            _ => Self::Pending,
        }
    }
}
