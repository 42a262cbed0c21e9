//! 人员资格查询的查询条件: what the public may ask the registry, and the rules that keep a
//! query selective (no unbounded scans, no enumeration by name alone).

use crate::domain::{DocumentError, IdDocument};
use serde::{Deserialize, Serialize};

/// 注册类别 offered in the search form, in the order the form lists them.
pub const REGISTRATION_CATEGORIES: [&str; 8] = [
    "一级注册建造师",
    "二级注册建造师",
    "注册监理工程师",
    "一级注册造价工程师",
    "一级注册建筑师",
    "二级注册建筑师",
    "一级注册结构工程师",
    "注册土木工程师(岩土)",
];

/// Longest accepted text in any field; longer input is a mistake or an attack.
const MAX_FIELD_CHARS: usize = 64;

/// The search form as the citizen filled it in (all fields optional, as typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationQuery {
    /// 人员姓名 (a leading part is enough when 注册类别 or 注册单位 is given)
    #[serde(default)]
    pub name: String,
    /// 证件号码
    #[serde(default)]
    pub id_number: String,
    /// 证件类型 ([`crate::domain::DocumentKind::code`]; empty: 居民身份证)
    #[serde(default)]
    pub id_kind: String,
    /// 签发国家 (passports only)
    #[serde(default)]
    pub id_country: String,
    /// 注册编号 / 执业印章号
    #[serde(default)]
    pub reg_no: String,
    /// 注册类别
    #[serde(default)]
    pub category: String,
    /// 注册单位 (a leading part is enough)
    #[serde(default)]
    pub employer: String,
    /// 1-based page number
    #[serde(default)]
    pub page: u32,
    /// 查询凭据: the opaque, server-made, expiring key that stands for a 身份证号 search in
    /// addresses, so that no full ID number is ever in a URL.
    #[serde(default)]
    pub key: String,
}

/// A query that passed the rules, in the form the repository runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidQuery {
    /// An exact 证件类型 and 证件号码: at most a handful of registrations.
    Document(IdDocument),
    /// A 身份证号 search by its keyed digest (what a 查询凭据 stands for, resolved on the server).
    IdDigest(String),
    /// A 查询凭据 still to be resolved on the server.
    SearchKey(String),
    /// An exact 注册编号 or 执业印章号.
    RegistrationNo(String),
    /// A name (or its leading characters) narrowed by 注册类别 and/or 注册单位.
    Name {
        name_prefix: String,
        category: Option<String>,
        employer_prefix: Option<String>,
    },
}

/// Why a query was not run; each has a message that tells the citizen what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    Empty,
    NameNeedsMore,
    NeedsName,
    Document(DocumentError),
    UnknownCategory,
    TooLong,
    /// A 查询凭据 that is malformed, unknown or expired.
    KeyExpired,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => f.write_str("请输入查询条件:证件号码或注册编号(执业印章号)可单独查询,人员姓名需同时选择注册类别或填写注册单位"),
            Self::NameNeedsMore => f.write_str("按人员姓名查询时,请同时选择注册类别或填写注册单位"),
            Self::NeedsName => f.write_str("按注册类别或注册单位查询时,请同时填写人员姓名"),
            Self::Document(e) => e.fmt(f),
            Self::UnknownCategory => f.write_str("请从列表中选择注册类别"),
            Self::TooLong => f.write_str("查询条件过长,请检查输入"),
            Self::KeyExpired => f.write_str("按身份证号查询的结果已过期(30分钟),请重新输入身份证号查询"),
        }
    }
}

impl std::error::Error for QueryError {}

impl QueryError {
    /// The message in the page's language (the Chinese is its `Display`).
    pub fn text(&self, lang: crate::platform::lang::Lang) -> String {
        use crate::platform::lang::Lang;
        if lang == Lang::Zh {
            return self.to_string();
        }
        match self {
            Self::Empty => "Enter what to search for: a document number or a registration (seal) number on its own, or a name with a category or an employer".into(),
            Self::NameNeedsMore => "To search by name, also choose a category or enter an employer".into(),
            Self::NeedsName => "To search by category or employer, also enter a name".into(),
            Self::Document(e) => e.english(),
            Self::UnknownCategory => "Choose a category from the list".into(),
            Self::TooLong => "A field is too long: check what you typed".into(),
            Self::KeyExpired => "A search by document number is kept for 30 minutes: enter the number again".into(),
        }
    }
}

impl From<QueryError> for crate::platform::error::Message {
    fn from(error: QueryError) -> Self {
        use crate::platform::lang::Lang;
        Self::new(error.text(Lang::Zh), error.text(Lang::En))
    }
}

impl QualificationQuery {
    /// True when no field has been filled in (the form's first visit).
    pub fn is_blank(&self) -> bool {
        [
            &self.name,
            &self.id_number,
            &self.reg_no,
            &self.category,
            &self.employer,
            &self.key,
        ]
        .iter()
        .all(|f| f.trim().is_empty())
    }

    /// The page asked for, at least 1.
    pub fn page(&self) -> u32 {
        self.page.max(1)
    }

    /// Applies the rules: an exact ID number or registration number alone is enough; a name
    /// needs 注册类别 or 注册单位 beside it. The most selective field given wins.
    pub fn validate(&self) -> Result<ValidQuery, QueryError> {
        let fields = [
            &self.name,
            &self.id_number,
            &self.reg_no,
            &self.category,
            &self.employer,
        ];
        if fields.iter().any(|f| f.chars().count() > MAX_FIELD_CHARS) {
            return Err(QueryError::TooLong);
        }
        let name = collapse_spaces(&self.name);
        let id_number = self.id_number.trim();
        let reg_no = self.reg_no.trim();
        let category = self.category.trim();
        let employer = collapse_spaces(&self.employer);
        if !category.is_empty() && !REGISTRATION_CATEGORIES.contains(&category) {
            return Err(QueryError::UnknownCategory);
        }
        if !id_number.is_empty() {
            return IdDocument::from_form(&self.id_kind, id_number, &self.id_country)
                .map(ValidQuery::Document)
                .map_err(QueryError::Document);
        }
        let key = self.key.trim();
        if !key.is_empty() {
            return if is_search_key(key) {
                Ok(ValidQuery::SearchKey(key.to_string()))
            } else {
                Err(QueryError::KeyExpired)
            };
        }
        if !reg_no.is_empty() {
            return Ok(ValidQuery::RegistrationNo(reg_no.to_uppercase()));
        }
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        match (name.is_empty(), category.is_empty() && employer.is_empty()) {
            (true, true) => Err(QueryError::Empty),
            (false, true) => Err(QueryError::NameNeedsMore),
            (true, false) => Err(QueryError::NeedsName),
            (false, false) => Ok(ValidQuery::Name {
                name_prefix: name,
                category: some(category),
                employer_prefix: some(&employer),
            }),
        }
    }
}

impl QualificationQuery {
    /// The search page's address for this query at `page`: what the pager links to. A
    /// 身份证号 is never in it: its 查询凭据 stands for it.
    pub fn search_url(&self, page: u32) -> String {
        let mut url = String::from("/search?");
        for (key, value) in [
            ("name", &self.name),
            ("k", &self.key),
            ("reg_no", &self.reg_no),
            ("category", &self.category),
            ("employer", &self.employer),
        ] {
            url.push_str(key);
            url.push('=');
            url.push_str(&crate::domain::url::percent_encode(value.trim()));
            url.push('&');
        }
        url.push_str(&format!("page={page}"));
        url
    }
}

/// Whether `key` has the shape of a 查询凭据 (128 random bits, hex).
pub fn is_search_key(key: &str) -> bool {
    key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Trims and removes spaces inside Chinese names and company names ("王 建国" → "王建国"),
/// which people type by habit and the register never contains.
fn collapse_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The exclusive upper bound of a prefix range: every string that starts with `prefix`
/// sorts at or after `prefix` and before this (byte order, which is code point order in UTF-8).
pub fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> QualificationQuery {
        QualificationQuery::default()
    }

    #[test]
    fn an_exact_id_number_alone_is_enough() {
        let query = QualificationQuery {
            id_number: " 110105198003150039 ".into(),
            ..q()
        };
        assert_eq!(
            query.validate(),
            Ok(ValidQuery::Document(
                crate::domain::IdNumber::parse("110105198003150039")
                    .unwrap()
                    .into()
            ))
        );
    }

    #[test]
    fn another_document_kind_is_searched_by_its_own_rule() {
        let query = QualificationQuery {
            id_number: "h12345678".into(),
            id_kind: "hk_macao_permit".into(),
            ..q()
        };
        let Ok(ValidQuery::Document(doc)) = query.validate() else {
            panic!("a 港澳居民来往内地通行证 number is a valid query");
        };
        assert_eq!(doc.number(), "H12345678");
        // The same number as a 居民身份证 breaks that kind's rule, and an unknown kind is named.
        let as_resident = QualificationQuery {
            id_kind: String::new(),
            ..query.clone()
        };
        assert!(matches!(
            as_resident.validate(),
            Err(QueryError::Document(_))
        ));
        let unknown = QualificationQuery {
            id_kind: "driving_licence".into(),
            ..query
        };
        assert_eq!(
            unknown.validate(),
            Err(QueryError::Document(DocumentError::Kind))
        );
    }

    #[test]
    fn a_malformed_id_number_says_what_is_wrong() {
        let query = QualificationQuery {
            id_number: "110105198003150038".into(),
            ..q()
        };
        assert_eq!(
            query.validate(),
            Err(QueryError::Document(DocumentError::Resident(
                crate::domain::IdNumberError::CheckDigit
            )))
        );
        let query = QualificationQuery {
            id_number: "11010519800315".into(),
            ..q()
        };
        assert_eq!(
            query.validate(),
            Err(QueryError::Document(DocumentError::Resident(
                crate::domain::IdNumberError::Format
            )))
        );
        assert!(query.validate().unwrap_err().to_string().contains("18位"));
    }

    #[test]
    fn a_registration_number_alone_is_enough() {
        let query = QualificationQuery {
            reg_no: " 京111060800123 ".into(),
            ..q()
        };
        assert_eq!(
            query.validate(),
            Ok(ValidQuery::RegistrationNo("京111060800123".into()))
        );
    }

    #[test]
    fn a_name_alone_is_refused_with_a_hint() {
        let query = QualificationQuery {
            name: "王建国".into(),
            ..q()
        };
        assert_eq!(query.validate(), Err(QueryError::NameNeedsMore));
        assert!(QueryError::NameNeedsMore.to_string().contains("注册类别"));
    }

    #[test]
    fn category_or_employer_without_a_name_is_refused() {
        let query = QualificationQuery {
            category: "一级注册建造师".into(),
            ..q()
        };
        assert_eq!(query.validate(), Err(QueryError::NeedsName));
        let query = QualificationQuery {
            employer: "中建".into(),
            ..q()
        };
        assert_eq!(query.validate(), Err(QueryError::NeedsName));
    }

    #[test]
    fn name_with_category_or_employer_is_accepted() {
        let query = QualificationQuery {
            name: "王 建国".into(),
            category: "一级注册建造师".into(),
            ..q()
        };
        assert_eq!(
            query.validate(),
            Ok(ValidQuery::Name {
                name_prefix: "王建国".into(),
                category: Some("一级注册建造师".into()),
                employer_prefix: None
            })
        );
        let query = QualificationQuery {
            name: "王".into(),
            employer: " 中建示范 ".into(),
            ..q()
        };
        assert!(
            matches!(query.validate(), Ok(ValidQuery::Name { employer_prefix: Some(e), .. }) if e == "中建示范")
        );
    }

    #[test]
    fn unknown_categories_and_overlong_fields_are_refused() {
        let query = QualificationQuery {
            name: "王".into(),
            category: "注册魔法师".into(),
            ..q()
        };
        assert_eq!(query.validate(), Err(QueryError::UnknownCategory));
        let query = QualificationQuery {
            name: "王".repeat(65),
            category: "一级注册建造师".into(),
            ..q()
        };
        assert_eq!(query.validate(), Err(QueryError::TooLong));
    }

    #[test]
    fn blank_queries_are_recognised() {
        assert!(q().is_blank());
        assert_eq!(q().validate(), Err(QueryError::Empty));
        assert!(
            QualificationQuery {
                name: "  ".into(),
                ..q()
            }
            .is_blank()
        );
        assert_eq!(q().page(), 1);
    }

    #[test]
    fn pager_links_keep_the_query_encoded() {
        let query = QualificationQuery {
            name: "王".into(),
            category: "一级注册建造师".into(),
            ..q()
        };
        assert_eq!(
            query.search_url(3),
            "/search?name=%E7%8E%8B&k=&reg_no=&category=%E4%B8%80%E7%BA%A7%E6%B3%A8%E5%86%8C%E5%BB%BA%E9%80%A0%E5%B8%88&employer=&page=3"
        );
    }

    #[test]
    fn pager_links_never_carry_an_id_number() {
        let query = QualificationQuery {
            id_number: "110105198003150039".into(),
            key: "0123456789abcdef0123456789abcdef".into(),
            ..q()
        };
        let url = query.search_url(2);
        assert!(!url.contains("110105198003150039"), "{url}");
        assert!(url.contains("k=0123456789abcdef0123456789abcdef"), "{url}");
    }

    #[test]
    fn a_search_key_stands_for_an_id_search() {
        let key = "0123456789abcdef0123456789abcdef";
        let query = QualificationQuery {
            key: key.into(),
            ..q()
        };
        assert_eq!(query.validate(), Ok(ValidQuery::SearchKey(key.into())));
        let bad = QualificationQuery {
            key: "../etc".into(),
            ..q()
        };
        assert_eq!(bad.validate(), Err(QueryError::KeyExpired));
    }

    #[test]
    fn prefix_bounds_enclose_every_extension() {
        let upper = prefix_upper_bound("王");
        for name in ["王", "王建国", "王𠀀"] {
            assert!(name >= "王" && name < upper.as_str(), "{name}");
        }
        assert!("玉" >= upper.as_str() || "玉" < "王");
    }
}
