//! 电子证照: one certificate per registration, and its 加注 (certified copies). What the
//! 电子证照管理 page shows of them, and their SQL.

use crate::domain::specialty::Specialty;
#[cfg(feature = "ssr")]
use crate::platform::ports::documents::CopyMark;
#[cfg(feature = "ssr")]
use crate::platform::ports::documents::DocumentData;
use serde::{Deserialize, Serialize};

/// The 加注 state a card shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnnotationState {
    /// 未加注
    None,
    /// 加注有效期至 YYYY-MM-DD
    Valid { until: String, copy_no: String },
    /// 加注已过期
    Expired { until: String },
}

impl AnnotationState {
    pub fn label(&self) -> String {
        match self {
            Self::None => "未加注".into(),
            Self::Valid { until, .. } => format!("加注有效期至 {until}"),
            Self::Expired { .. } => "加注已过期".into(),
        }
    }
}

/// One card of 电子证照管理.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateCard {
    /// Random id of the certificate (links, 加注).
    pub id: String,
    /// 中华人民共和国一级建造师注册证书 …
    pub title: String,
    /// 电子证照标识 (GB/T 36904) of the certificate as it stands.
    pub licence_id: String,
    pub category: String,
    pub registration_no: String,
    pub employer: String,
    pub valid_until: String,
    pub specialties: Vec<Specialty>,
    pub state: AnnotationState,
    /// What a 加注 made today would give (the dialog's explanation), or why none can be made.
    pub next_validity: Result<crate::platform::error::Message, crate::platform::error::Message>,
}

/// What `/verify/<code>` tells anyone holding a copy: whether it is genuine, what it is, and
/// whether it still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub title: String,
    /// 电子证照标识 of the version the copy certified.
    pub licence_id: String,
    /// 证照类型代码.
    pub type_code: String,
    pub category: String,
    pub registration_no: String,
    /// The holder's name, masked (`王**`).
    pub holder: String,
    /// 持证主体代码 (the document's number, masked).
    pub holder_code: String,
    /// Its document kind (GB/T 36903 持证主体代码类型 by GA/T 517).
    pub holder_kind: crate::domain::DocumentKind,
    /// 颁发日期 and 有效期至 of the certificate, `YYYY-MM-DD`.
    pub issued_on: String,
    pub cert_valid_until: String,
    pub copy_no: String,
    pub purpose: String,
    /// When the 加注 was made, `YYYY-MM-DD HH:MM` Beijing time.
    pub made_at: String,
    pub valid_until: String,
    /// The 加注's 使用有效期 has not passed.
    pub valid: bool,
    /// The certificate has changed since the copy was made (the copy shows the old content).
    pub changed: bool,
    /// The certificate has since been revoked.
    pub revoked: bool,
    /// How: 注销 or 撤销 when the national registry withdrew the registration ("" otherwise).
    pub withdrawn_kind: String,
}

impl Verification {
    /// What a revoked certificate is: 已撤销 after a 撤销, otherwise 已注销.
    pub fn revoked_label(&self) -> &'static str {
        if self.withdrawn_kind == "撤销" {
            "已撤销"
        } else {
            "已注销"
        }
    }
}

/// The 电子证照标识 of a certificate (its serial is its row id) at a version; empty for a
/// category the kind table does not know.
pub fn licence_id(category: &str, serial: i64, version: i64) -> String {
    crate::certificates::licence_id::LicenceId::new(
        category,
        u64::try_from(serial).unwrap_or(0),
        u32::try_from(version).unwrap_or(1),
    )
    .map(|id| id.to_string())
    .unwrap_or_default()
}

/// The certificate's title for a registration category.
pub fn title_for(category: &str) -> String {
    match category {
        "一级注册建造师" => "中华人民共和国一级建造师注册证书".into(),
        "二级注册建造师" => "中华人民共和国二级建造师注册证书".into(),
        "注册监理工程师" => "中华人民共和国注册监理工程师注册执业证书".into(),
        "一级注册造价工程师" => "中华人民共和国一级造价工程师注册证书".into(),
        other => format!("中华人民共和国{other}注册证书"),
    }
}

pub mod annotation;
pub mod api;
#[cfg(feature = "ssr")]
pub mod download;
pub mod licence_id;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod text;
pub mod uses;

/// The demo holder's 一级注册建造师 copy: what the renderer tests and the benchmark draw.
#[cfg(feature = "ssr")]
pub fn sample_document() -> DocumentData {
    DocumentData {
        title: "中华人民共和国一级建造师注册证书".into(),
        licence_id: "1.2.156.3005.2.11100000000013338W001.11100000000013338W.0000000001.001.W"
            .into(),
        category: "一级注册建造师".into(),
        name: "王建国".into(),
        gender: "男".into(),
        id_number_masked: "110105********0039".into(),
        id_kind: crate::domain::DocumentKind::ResidentId,
        employer: "中建示范建设有限公司".into(),
        registration_no: "京1112010000001".into(),
        issued_on: "2024-06-18".into(),
        valid_until: "2029-06-17".into(),
        specialties: vec![
            Specialty {
                name: "建筑工程".into(),
                valid_until: "2029-06-17".into(),
            },
            Specialty {
                name: "市政公用工程".into(),
                valid_until: "2028-12-31".into(),
            },
        ],
        copy: Some(CopyMark {
            copy_no: "JZ20261128ABCDEF0123".into(),
            verify_code: "0123456789abcdef0123456789abcdef".into(),
            purpose: "工程投标".into(),
            valid_until: "2027-05-26".into(),
            created_at: 1_796_000_000,
        }),
    }
}
