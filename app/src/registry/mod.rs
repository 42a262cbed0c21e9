//! 注册人员库: registered professionals, their registrations (注册), the specialties (注册专业)
//! each registration covers, and its change history (变更记录).
//!
//! The full ID number of a registered person exists only on the server while a row is written
//! (as a keyed digest for exact lookups and a masked copy for display); nothing here can carry
//! it to a browser.

use crate::domain::specialty::Specialty;
use serde::{Deserialize, Serialize};

/// Rows per page of search results.
pub const PAGE_SIZE: u32 = 10;
/// Counts stop here: a query that matches more says "1000 条以上" instead of scanning on.
pub const COUNT_CAP: i64 = 1000;

/// One row of the search results as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RegistrationSummary {
    /// Random identifier used in links; never the database key.
    pub public_id: String,
    /// 姓名
    pub name: String,
    /// 身份证号, masked on the server: `110105********0039`
    pub id_number_masked: String,
    /// 注册类别
    pub category: String,
    /// 注册号(执业印章号)
    pub registration_no: String,
    /// 注册专业, joined with 、
    pub specialties: String,
}

/// One page of results with the (capped) number of matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub rows: Vec<RegistrationSummary>,
    /// Matches counted, at most [`COUNT_CAP`].
    pub total: i64,
    /// True when there are more than [`COUNT_CAP`] matches.
    pub total_capped: bool,
    pub page: u32,
    pub page_size: u32,
}

impl SearchResults {
    pub fn page_count(&self) -> u32 {
        (self.total.max(0) as u32)
            .div_ceil(self.page_size.max(1))
            .max(1)
    }
}

/// 变更记录: one change to a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RegistrationChange {
    /// `YYYY-MM-DD`
    pub changed_on: String,
    /// 变更类型, e.g. 初始注册, 变更注册, 延续注册, 增项注册
    pub kind: String,
    pub old_employer: Option<String>,
    pub new_employer: Option<String>,
}

/// Everything the public detail page shows about one registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RegistrationDetail {
    pub public_id: String,
    pub name: String,
    pub gender: String,
    pub id_number_masked: String,
    /// [`crate::domain::DocumentKind::code`] of the holder's document.
    pub id_kind: String,
    pub category: String,
    pub registration_no: String,
    pub seal_no: String,
    pub certificate_no: String,
    pub employer: String,
    pub employer_credit_code: String,
    pub issued_on: String,
    pub valid_until: String,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub specialties: Vec<Specialty>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub changes: Vec<RegistrationChange>,
}

/// A person to add to the registry, with the full document number that only the server sees.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct NewPerson {
    pub name: String,
    pub document: crate::domain::IdDocument,
    pub gender: crate::domain::Gender,
    /// `YYYY-MM-DD`
    pub birth_date: String,
}

/// Beside the masked number a birth date would give the whole number away: debug output
/// shows neither whole.
#[cfg(feature = "ssr")]
impl std::fmt::Debug for NewPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewPerson")
            .field("name", &crate::domain::mask::mask_name(&self.name))
            .field("document", &self.document)
            .field("gender", &self.gender)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "ssr")]
impl NewPerson {
    /// A holder of a 居民身份证 or 居住证, whose number carries the birth date and gender.
    pub fn citizen(name: impl Into<String>, id: crate::domain::IdNumber) -> Self {
        Self {
            name: name.into(),
            birth_date: id.birth_date_iso(),
            gender: id.gender(),
            document: id.into(),
        }
    }

    /// A person as a feed or an import gives them: a 公民身份号码 carries the birth date and
    /// gender (given ones must agree with it); the other kinds need both given.
    pub fn new(
        name: String,
        document: crate::domain::IdDocument,
        gender: &str,
        birth_date: &str,
    ) -> Result<Self, String> {
        use crate::domain::Gender;
        let kind = document.kind().label();
        let gender = match document.gender() {
            Some(encoded) => {
                if !gender.trim().is_empty() && Gender::from_label(gender) != Some(encoded) {
                    return Err("性别与证件号码不一致".into());
                }
                encoded
            }
            None => Gender::from_label(gender)
                .ok_or_else(|| format!("{kind}持有人须填写性别(男或女)"))?,
        };
        let birth_date = match document.birth_date() {
            Some(encoded) => {
                if !birth_date.trim().is_empty() && birth_date.trim() != encoded {
                    return Err("出生日期与证件号码不一致".into());
                }
                encoded
            }
            None => {
                let birth = birth_date.trim();
                let today = crate::domain::time::beijing_date(crate::domain::time::now());
                match crate::domain::time::parse_date(birth) {
                    Some((y, m, d)) if (y, m, d) <= today && y >= 1900 => birth.to_string(),
                    _ => return Err(format!("{kind}持有人须填写出生日期(YYYY-MM-DD)")),
                }
            }
        };
        Ok(Self {
            name,
            document,
            gender,
            birth_date,
        })
    }
}

#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub category: String,
    pub registration_no: String,
    pub seal_no: String,
    pub certificate_no: String,
    /// 注册单位
    pub employer: String,
    pub employer_credit_code: crate::domain::CreditCode,
    /// `YYYY-MM-DD`
    pub issued_on: String,
    pub valid_until: String,
    pub specialties: Vec<Specialty>,
    pub changes: Vec<RegistrationChange>,
}

pub mod api;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod form;
#[cfg(feature = "ssr")]
pub mod generate;
#[cfg(feature = "ssr")]
pub mod import;
pub mod pages;
pub mod query;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod text;

/// Rows for a bulk load (the generator and importer): ids are assigned by the caller so that
/// a whole batch goes in with a few multi-row statements.
#[cfg(feature = "ssr")]
pub mod bulk;

/// Samples for load tests: spread evenly over the registry.
#[cfg(feature = "ssr")]
pub mod sample;
