//! 亮证 (showing a certificate live on the phone), 授权用证 (an organisation allowed to verify a
//! certificate for a while) and 用证记录 (every verification, for the holder to see).
//!
//! A 亮证 QR code is a signed token naming the showing and the moment it was made: the phone
//! asks for a new one every [`CODE_REFRESH_SECONDS`], and a code older than
//! [`CODE_LIFETIME_SECONDS`] opens only "此二维码已过期" — a screenshot is useless a minute later.
//! A grant's code is 128 random bits; only its SHA-256 is kept.

use serde::{Deserialize, Serialize};

/// How long one 亮证 lasts on the phone before the holder shows again.
pub const SHOW_SECONDS: i64 = 300;
/// How often the phone's QR code changes.
pub const CODE_REFRESH_SECONDS: i64 = 30;
/// How long a 亮证 QR code opens the certificate's status.
pub const CODE_LIFETIME_SECONDS: i64 = 60;
/// The longest a grant may run, in days.
pub const MAX_GRANT_DAYS: i64 = 30;

/// What the 亮证 screen shows now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowCode {
    /// The address the QR code holds.
    pub url: String,
    pub qr_svg: String,
    /// When this code was made, `YYYY-MM-DD HH:MM:SS` (北京时间).
    pub shown_at: String,
    /// Seconds this showing has left (0: show again).
    pub showing_left: i64,
}

/// A 亮证 begun.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Showing {
    pub id: String,
    pub title: String,
    pub category: String,
    pub registration_no: String,
    pub licence_id: String,
    pub code: ShowCode,
}

/// A certificate's standing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertStatus {
    /// 有效
    Valid,
    /// 已过期: the registration's 有效期 has passed.
    Expired,
    /// 已注销
    Revoked,
}

impl CertStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Valid => "有效",
            Self::Expired => "已过期",
            Self::Revoked => "已注销",
        }
    }
}

/// What anyone scanning a 亮证 code learns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveCertificate {
    pub title: String,
    pub licence_id: String,
    pub category: String,
    pub registration_no: String,
    /// Masked (`王**`), except for an organisation the holder granted access to.
    pub holder: String,
    pub status: CertStatus,
    /// 注册有效期至.
    pub valid_until: String,
}

/// The answer to a scanned 亮证 code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShowCheck {
    Live {
        certificate: LiveCertificate,
        /// 出示时间: when the code was made on the holder's phone.
        shown_at: String,
    },
    /// Genuine but older than a minute: 此二维码已过期,请持证人重新亮证.
    Expired,
    /// Not a code this portal made.
    Invalid,
}

/// A grant as its holder sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    pub id: String,
    pub title: String,
    pub registration_no: String,
    pub org_code: String,
    pub org_name: String,
    pub purpose: String,
    pub created_at: String,
    pub expires_at: String,
    /// 有效 / 已到期 / 已撤销
    pub state: String,
    pub active: bool,
}

/// A grant just made: its address is shown this once (only its digest is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewGrant {
    pub grant: GrantView,
    pub url: String,
}

/// What an organisation's grant page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GrantCheck {
    Live(Box<GrantPage>),
    /// The grant ran out or was revoked: nothing more is shown.
    Ended {
        org_name: String,
        revoked: bool,
    },
    NotFound,
}

/// The certificate as a grant shows it to its organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantPage {
    pub certificate: LiveCertificate,
    pub employer: String,
    /// `建筑工程(有效期至 2029-06-17)`…
    pub specialties: Vec<String>,
    pub org_name: String,
    pub org_code: String,
    pub purpose: String,
    pub expires_at: String,
}

/// One line of 用证记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseRecord {
    pub at: String,
    /// 副本核验 / 亮证核验 / 授权核验
    pub kind: String,
    pub title: String,
    /// The copy number, or the grant's organisation and purpose.
    pub subject: String,
    /// The verifier's organisation where known, otherwise 未知.
    pub organisation: String,
    pub ip: String,
    pub browser: String,
    /// How many times this address looked within the day (repeats are one line).
    pub repeats: i64,
    /// The latest of them, when more than one.
    pub last_at: String,
}

/// One page of 用证记录, of one kind or of all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsePage {
    pub records: Vec<UseRecord>,
    /// 1-based.
    pub page: i64,
    pub has_next: bool,
}

/// The kinds of verification 用证记录 lists.
pub mod api;
pub mod oid4vci;
pub mod oid4vp;
pub mod pages;
pub mod text;
pub mod vc;

/// A grant's or a credential's standing: (有效 / 已到期 / 已撤销, whether it still holds).
pub fn standing_of(revoked: bool, expires_at: i64, now: i64) -> (&'static str, bool) {
    if revoked {
        ("已撤销", false)
    } else if expires_at <= now {
        ("已到期", false)
    } else {
        ("有效", true)
    }
}

/// A grant's code: 32 hex digits (128 random bits).
pub fn is_grant_code(code: &str) -> bool {
    code.len() == 32 && code.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A 亮证 token: 64 hex digits.
pub fn is_show_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(feature = "ssr")]
pub mod tokens;

#[cfg(feature = "ssr")]
pub mod repo;
