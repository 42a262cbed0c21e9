//! The certificate as a verifiable credential (SD-JWT VC, see `platform::sd_jwt`): what the
//! holder may disclose, issuing, the issuer's ES256 key, and the status lists.

use serde::{Deserialize, Serialize};

/// The claims a holder may disclose, with their names in the credential and on the page.
pub const CLAIMS: [(&str, &str); 7] = [
    ("name", "姓名"),
    ("registration_category", "注册类别"),
    ("registration_number", "注册编号"),
    ("specialties", "注册专业及有效期"),
    ("valid_until", "注册有效期"),
    ("employer", "聘用企业"),
    ("licence_id", "电子证照标识"),
];

/// The label of a claim name.
pub fn claim_label(name: &str) -> &'static str {
    CLAIMS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, label)| *label)
}

/// How long a credential not bound to a wallet's key lasts at most: whoever holds it can
/// present it, so it should not outlive its use by years.
pub const UNBOUND_DAYS: i64 = 30;
/// How long a credential bound to a wallet's key lasts at most.
pub const BOUND_DAYS: i64 = 365;

/// A credential the holder issued, as 授权用证 lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialView {
    pub id: String,
    pub title: String,
    pub registration_no: String,
    /// The labels of the claims disclosed.
    pub disclosed: String,
    pub holder_bound: bool,
    pub issued_at: String,
    pub expires_at: String,
    /// 有效 / 已到期 / 已撤销
    pub state: String,
    pub active: bool,
}

/// A credential as handed to the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCredential {
    /// The SD-JWT with the disclosures the holder chose, ending in `~`.
    pub sd_jwt: String,
    /// The labels of the claims disclosed.
    pub disclosed: Vec<String>,
    /// The credential is bound to the wallet's key (`cnf`).
    pub holder_bound: bool,
    /// `YYYY-MM-DD`: the credential's `exp` (the registration's 有效期).
    pub expires_on: String,
}

#[cfg(feature = "ssr")]
pub mod endpoints;
#[cfg(feature = "ssr")]
pub mod repo;
