//! 证件类型 and 证件号码: the identity documents the national registry of 注册执业人员 holds,
//! each with its own rule. One type for the browser and the server.
//!
//! - **居民身份证**: 公民身份号码, GB 11643-1999 — 6-digit address code, 8-digit birth date,
//!   3-digit sequence, and a check character by ISO 7064:1983 MOD 11-2 ([`super::id_number`]).
//!   The address codes 810000, 820000 and 830000 are not a 居民身份证's: they are the
//!   港澳台居民居住证's.
//! - **港澳台居民居住证**: 《港澳台居民居住证申领发放办法》(国办发〔2018〕81号) gives each
//!   holder a 公民身份号码 by the national standard, with the address code 810000 (香港),
//!   820000 (澳门) or 830000 (台湾): 18 characters, MOD 11-2.
//! - **外国人永久居留身份证**: the 2017 card's number is 15 characters, 3 Latin letters (the
//!   nationality) and 12 digits; the card issued from 2023-12-01 has 18 (17 digits and a
//!   check character), begins with 9, and takes the 公民身份号码's MOD 11-2 check (国家移民管理局,
//!   《新版外国人永久居留身份证机读信息规则(2023版)》§二).
//! - **港澳居民来往内地通行证**: H (香港) or M (澳门) and 8 digits (the card of 2013).
//! - **台湾居民来往大陆通行证**: 8 digits (the card of 2015).
//! - **护照**: a foreign passport's number, 5–17 letters and digits, with its issuing country
//!   (ISO 3166-1 alpha-3, as ICAO Doc 9303 writes it in the machine-readable zone).

use super::id_number::{Gender, IdNumber, IdNumberError, check_char, is_valid_date};
use serde::{Deserialize, Serialize};
use std::fmt;

/// 证件类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    /// 居民身份证
    ResidentId,
    /// 港澳台居民居住证
    ResidencePermit,
    /// 外国人永久居留身份证
    PermanentResidence,
    /// 港澳居民来往内地通行证
    HongKongMacaoPermit,
    /// 台湾居民来往大陆通行证
    TaiwanPermit,
    /// 护照 (foreign)
    Passport,
}

impl DocumentKind {
    /// Every kind, in the order the 证件类型 select lists them (居民身份证 first, the default).
    pub const ALL: [Self; 6] = [
        Self::ResidentId,
        Self::ResidencePermit,
        Self::HongKongMacaoPermit,
        Self::TaiwanPermit,
        Self::PermanentResidence,
        Self::Passport,
    ];

    /// The kind's name as citizens know it.
    pub fn label(self) -> &'static str {
        match self {
            Self::ResidentId => "居民身份证",
            Self::ResidencePermit => "港澳台居民居住证",
            Self::PermanentResidence => "外国人永久居留身份证",
            Self::HongKongMacaoPermit => "港澳居民来往内地通行证",
            Self::TaiwanPermit => "台湾居民来往大陆通行证",
            Self::Passport => "护照",
        }
    }

    /// The kind's official English name.
    pub fn english(self) -> &'static str {
        match self {
            Self::ResidentId => "Resident Identity Card",
            Self::ResidencePermit => "Residence Permit for Hong Kong, Macao and Taiwan Residents",
            Self::PermanentResidence => "Foreign Permanent Resident ID Card",
            Self::HongKongMacaoPermit => "Mainland Travel Permit for Hong Kong and Macao Residents",
            Self::TaiwanPermit => "Mainland Travel Permit for Taiwan Residents",
            Self::Passport => "Passport",
        }
    }

    /// What its number is called in English.
    pub fn english_number_label(self) -> &'static str {
        match self {
            Self::ResidentId => "ID card number",
            Self::ResidencePermit => "Residence permit number",
            Self::PermanentResidence => "Permanent residence card number",
            Self::HongKongMacaoPermit | Self::TaiwanPermit => "Travel permit number",
            Self::Passport => "Passport number",
        }
    }

    /// What its number is called (居民身份证: 身份证号, as before other kinds).
    pub fn number_label(self) -> &'static str {
        match self {
            Self::ResidentId => "身份证号",
            Self::ResidencePermit => "居住证号码",
            Self::PermanentResidence => "永居证号码",
            Self::HongKongMacaoPermit | Self::TaiwanPermit => "通行证号码",
            Self::Passport => "护照号码",
        }
    }

    /// The stable code in forms, the database and feeds.
    pub fn code(self) -> &'static str {
        match self {
            Self::ResidentId => "resident_id",
            Self::ResidencePermit => "residence_permit",
            Self::PermanentResidence => "permanent_residence",
            Self::HongKongMacaoPermit => "hk_macao_permit",
            Self::TaiwanPermit => "taiwan_permit",
            Self::Passport => "passport",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// The kind a stored row names (`persons.id_kind`, `accounts.id_kind`); a row from before
    /// 证件类型, or a code this build does not know, is a 居民身份证's.
    pub fn from_stored(code: &str) -> Self {
        Self::from_code(code).unwrap_or(Self::ResidentId)
    }

    /// A kind named by its code or by its Chinese name (feeds and imports take either).
    pub fn from_code_or_label(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == text || k.label() == text)
    }

    /// Whether the number is a 公民身份号码 (GB 11643), which carries the birth date and the
    /// gender: a 居民身份证's or a 港澳台居民居住证's.
    pub fn is_citizen_number(self) -> bool {
        matches!(self, Self::ResidentId | Self::ResidencePermit)
    }

    /// 持证主体代码类型 of GB/T 36903-2018, which takes the 证件代码 of GA/T 517: 111 for a
    /// 公民身份号码 (a 居民身份证's, and a 居住证's, whose number is one), 516 港澳居民来往内地
    /// 通行证, 511 台湾居民来往大陆通行证, 553 外国人永久居留身份证, and 990 (其他证件) for a
    /// foreign passport, which GA/T 517's passport codes (41x, Chinese passports) do not cover.
    pub fn holder_code_type(self) -> &'static str {
        match self {
            Self::ResidentId | Self::ResidencePermit => "111",
            Self::HongKongMacaoPermit => "516",
            Self::TaiwanPermit => "511",
            Self::PermanentResidence => "553",
            Self::Passport => "990",
        }
    }
}

/// Why a document number is refused; each reason has a message for the citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// A 居民身份证 or 居住证 number that breaks GB 11643-1999.
    Resident(IdNumberError),
    /// A 居民身份证 number with a 港澳台 address code: it is a 居住证's.
    PermitAddress,
    /// A 居住证 number without a 港澳台 address code.
    NotPermitAddress,
    /// Not the kind's form (the message says the form).
    Format(DocumentKind),
    /// A 2023 永居证 number whose check character does not hold.
    CheckDigit,
    /// A passport without a three-letter issuing country.
    Country,
    /// No such 证件类型.
    Kind,
    /// Nothing typed.
    Empty(DocumentKind),
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Resident(e) => write!(f, "{e}"),
            Self::PermitAddress => f.write_str(
                "以 81、82、83 开头的是港澳台居民居住证号码,请在证件类型中选择“港澳台居民居住证”",
            ),
            Self::NotPermitAddress => {
                f.write_str("港澳台居民居住证号码应以 810000、820000 或 830000 开头")
            }
            Self::Format(kind) => f.write_str(match kind {
                DocumentKind::ResidentId | DocumentKind::ResidencePermit => {
                    "证件号码应为18位,由17位数字和1位数字或字母X组成"
                }
                DocumentKind::PermanentResidence => {
                    "外国人永久居留身份证号码应为18位(以9开头)或15位(3位字母和12位数字)"
                }
                DocumentKind::HongKongMacaoPermit => {
                    "港澳居民来往内地通行证号码应为字母H或M加8位数字"
                }
                DocumentKind::TaiwanPermit => "台湾居民来往大陆通行证号码应为8位数字",
                DocumentKind::Passport => "护照号码应为5至17位字母和数字",
            }),
            Self::CheckDigit => f.write_str("证件号码校验位不正确,请核对后重新输入"),
            Self::Country => f.write_str("请填写护照的签发国家或地区(三位字母代码,如 GBR、USA)"),
            Self::Kind => f.write_str("请从列表中选择证件类型"),
            Self::Empty(kind) => write!(f, "请输入{}号码", kind.label()),
        }
    }
}

impl std::error::Error for DocumentError {}

impl DocumentError {
    /// The message in English (the Chinese is its `Display`).
    pub fn english(&self) -> String {
        match self {
            Self::Resident(e) => match e {
                IdNumberError::Format => {
                    "The number has 18 characters: 17 digits, then a digit or X".into()
                }
                IdNumberError::BirthDate => "The birth date in the number is not a real date".into(),
                IdNumberError::FutureBirthDate => "The birth date in the number is after today".into(),
                IdNumberError::CheckDigit => {
                    "The number's last character does not match the rest: check it and type it again"
                        .into()
                }
            },
            Self::PermitAddress => "A number beginning 81, 82 or 83 is a Residence Permit for Hong Kong, Macao and Taiwan Residents: choose that document type".into(),
            Self::NotPermitAddress => "A residence permit number begins 810000, 820000 or 830000".into(),
            Self::Format(kind) => match kind {
                DocumentKind::ResidentId | DocumentKind::ResidencePermit => {
                    "The number has 18 characters: 17 digits, then a digit or X".into()
                }
                DocumentKind::PermanentResidence => "A permanent residence card number has 18 digits beginning with 9, or (2017 cards) 3 letters and 12 digits".into(),
                DocumentKind::HongKongMacaoPermit => "A Mainland Travel Permit for Hong Kong and Macao Residents number is H or M and 8 digits".into(),
                DocumentKind::TaiwanPermit => "A Mainland Travel Permit for Taiwan Residents number has 8 digits".into(),
                DocumentKind::Passport => "A passport number has 5 to 17 letters and digits".into(),
            },
            Self::CheckDigit => "The number's last character does not match the rest: check it and type it again".into(),
            Self::Country => "Enter the passport's issuing country as its 3-letter code, such as GBR or USA".into(),
            Self::Kind => "Choose a document type from the list".into(),
            Self::Empty(kind) => format!("Enter the number of your {}", kind.english()),
        }
    }
}

/// An identity document: its kind and its number, checked by the kind's rule and normalised
/// (upper case, no spaces); a passport with its issuing country.
/// Not serialisable: a document is only ever made by [`IdDocument::parse`], never taken whole
/// from a request.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdDocument {
    kind: DocumentKind,
    number: String,
    /// ISO 3166-1 alpha-3, passports only.
    country: Option<String>,
}

impl IdDocument {
    /// Parses a kind's number as typed (trimmed, spaces inside removed, letters upper-cased);
    /// `country` is a passport's issuing country and ignored for the other kinds.
    pub fn parse(kind: DocumentKind, number: &str, country: &str) -> Result<Self, DocumentError> {
        let s: String = number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        // Every kind's number is ASCII: anything else (a full-width digit typed on an IME, say)
        // is refused before any rule slices the text by position.
        if !s.is_ascii() {
            return Err(match kind {
                DocumentKind::ResidentId | DocumentKind::ResidencePermit => {
                    DocumentError::Resident(IdNumberError::Format)
                }
                kind => DocumentError::Format(kind),
            });
        }
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        let region = |s: &str| matches!(&s[..s.len().min(6)], "810000" | "820000" | "830000");
        let country = match kind {
            DocumentKind::Passport => {
                let c = country.trim().to_ascii_uppercase();
                if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(DocumentError::Country);
                }
                Some(c)
            }
            _ => None,
        };
        match kind {
            DocumentKind::ResidentId => {
                let id = IdNumber::parse(&s).map_err(DocumentError::Resident)?;
                if region(id.as_str()) {
                    return Err(DocumentError::PermitAddress);
                }
            }
            DocumentKind::ResidencePermit => {
                let id = IdNumber::parse(&s).map_err(DocumentError::Resident)?;
                if !region(id.as_str()) {
                    return Err(DocumentError::NotPermitAddress);
                }
            }
            DocumentKind::PermanentResidence => {
                let b = s.as_bytes();
                let old =
                    b.len() == 15 && b[..3].iter().all(u8::is_ascii_uppercase) && digits(&s[3..]);
                let new = b.len() == 18
                    && b[0] == b'9'
                    && digits(&s[..17])
                    && (b[17].is_ascii_digit() || b[17] == b'X');
                if !old && !new {
                    return Err(DocumentError::Format(kind));
                }
                if new {
                    let date = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
                    if !is_valid_date(date(6..10), date(10..12), date(12..14)) {
                        return Err(DocumentError::Resident(IdNumberError::BirthDate));
                    }
                    if check_char(&s[..17]) != char::from(b[17]) {
                        return Err(DocumentError::CheckDigit);
                    }
                }
            }
            DocumentKind::HongKongMacaoPermit => {
                let b = s.as_bytes();
                if !(b.len() == 9 && matches!(b[0], b'H' | b'M') && digits(&s[1..])) {
                    return Err(DocumentError::Format(kind));
                }
            }
            DocumentKind::TaiwanPermit => {
                if !(s.len() == 8 && digits(&s)) {
                    return Err(DocumentError::Format(kind));
                }
            }
            DocumentKind::Passport => {
                if !((5..=17).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())) {
                    return Err(DocumentError::Format(kind));
                }
            }
        }
        Ok(Self {
            kind,
            number: s,
            country,
        })
    }

    /// What a form posted: the 证件类型 select's code (empty means 居民身份证, the default, so
    /// forms from before the select still post the same), the number, a passport's country.
    pub fn from_form(kind: &str, number: &str, country: &str) -> Result<Self, DocumentError> {
        let kind = if kind.trim().is_empty() {
            DocumentKind::ResidentId
        } else {
            DocumentKind::from_code(kind).ok_or(DocumentError::Kind)?
        };
        if number.trim().is_empty() {
            return Err(DocumentError::Empty(kind));
        }
        Self::parse(kind, number, country)
    }

    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    /// The 公民身份号码 a 居民身份证 or a 居住证 carries.
    pub fn citizen_number(&self) -> Option<IdNumber> {
        self.kind
            .is_citizen_number()
            .then(|| IdNumber::parse(&self.number).ok())
            .flatten()
    }

    /// The birth date (`YYYY-MM-DD`) the number carries: a 公民身份号码's and a 2023
    /// 永居证's (characters 7–14, checked by [`Self::parse`]).
    pub fn birth_date(&self) -> Option<String> {
        if let Some(id) = self.citizen_number() {
            return Some(id.birth_date_iso());
        }
        let n = &self.number;
        (self.kind == DocumentKind::PermanentResidence && n.len() == 18)
            .then(|| format!("{}-{}-{}", &n[6..10], &n[10..12], &n[12..14]))
    }

    /// The gender a 公民身份号码 carries (its 17th character); the other kinds' holders
    /// give it beside the number.
    pub fn gender(&self) -> Option<Gender> {
        self.citizen_number().map(|id| id.gender())
    }

    pub fn number(&self) -> &str {
        &self.number
    }

    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// What the keyed digest is made of: the number alone for a 公民身份号码 (居民身份证 and
    /// 居住证: the digests kept before other kinds existed, when a 居住证's number was taken as
    /// a 居民身份证's, stay valid, and the two kinds' address codes never overlap), otherwise
    /// the kind, the country and the number together — the same digits under two kinds are
    /// two people.
    pub fn digest_input(&self) -> String {
        match (self.kind, &self.country) {
            (DocumentKind::ResidentId | DocumentKind::ResidencePermit, _) => self.number.clone(),
            (kind, Some(country)) => format!("{}:{country}:{}", kind.code(), self.number),
            (kind, None) => format!("{}:{}", kind.code(), self.number),
        }
    }

    /// What the daily limits count an identity question under: the masked number (what a
    /// third party can read), with the kind for the kinds other than 居民身份证.
    pub fn counter_key(&self) -> String {
        match self.kind {
            DocumentKind::ResidentId => self.masked(),
            kind => format!("{}:{}", kind.code(), self.masked()),
        }
    }

    /// What others may see, by kind:
    /// - 18-character numbers: the first 6 and the last 4 (`810000********0034`);
    /// - the 2017 永居证: the nationality and the last 2 (`USA**********12`);
    /// - 通行证: the first character and the last 3 (`H*****678`, `1****678`);
    /// - 护照: the country, the first character and the last 3 (`GBR P*****567`); a number of
    ///   8 characters or fewer keeps its last 2 only (`GBR ******21`), so that a short one is
    ///   not all but given away.
    pub fn masked(&self) -> String {
        let n = &self.number;
        let keep = |head: usize, tail: usize| {
            let stars = n.len().saturating_sub(head + tail);
            format!(
                "{}{}{}",
                &n[..head],
                "*".repeat(stars),
                &n[n.len() - tail..]
            )
        };
        match self.kind {
            DocumentKind::ResidentId | DocumentKind::ResidencePermit => keep(6, 4),
            DocumentKind::PermanentResidence if n.len() == 18 => keep(6, 4),
            DocumentKind::PermanentResidence => keep(3, 2),
            DocumentKind::HongKongMacaoPermit | DocumentKind::TaiwanPermit => keep(1, 3),
            DocumentKind::Passport => format!(
                "{} {}",
                self.country.as_deref().unwrap_or_default(),
                if n.len() <= 8 { keep(0, 2) } else { keep(1, 3) }
            ),
        }
    }
}

/// A document as a form posts it: the 证件类型 select's code, the number and a passport's
/// country, as typed.
#[derive(Debug, Clone, Copy)]
pub struct TypedDocument<'a> {
    pub kind: &'a str,
    pub number: &'a str,
    pub country: &'a str,
}

impl TypedDocument<'_> {
    /// [`IdDocument::from_form`].
    pub fn parse(self) -> Result<IdDocument, DocumentError> {
        IdDocument::from_form(self.kind, self.number, self.country)
    }
}

/// A 公民身份号码 as the document it is: a 居住证's by its 港澳台 address code, otherwise a
/// 居民身份证's.
impl From<IdNumber> for IdDocument {
    fn from(id: IdNumber) -> Self {
        let permit = matches!(&id.as_str()[..6], "810000" | "820000" | "830000");
        Self {
            kind: if permit {
                DocumentKind::ResidencePermit
            } else {
                DocumentKind::ResidentId
            },
            number: id.as_str().to_string(),
            country: None,
        }
    }
}

/// The number is personal data: debug output never shows it whole.
impl fmt::Debug for IdDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdDocument({}, {})", self.kind.label(), self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentKind::*;

    /// A valid 18-character number from a 17-character body (the check worked out here).
    fn with_check(body: &str) -> String {
        format!("{body}{}", check_char(body))
    }

    #[test]
    fn resident_ids_keep_their_rule_and_send_permit_numbers_to_their_kind() {
        assert!(IdDocument::parse(ResidentId, "11010519491231002X", "").is_ok());
        assert_eq!(
            IdDocument::parse(ResidentId, "11010519491231002Y", ""),
            Err(DocumentError::Resident(IdNumberError::Format))
        );
        let hk = with_check("81000019900101003");
        assert_eq!(
            IdDocument::parse(ResidentId, &hk, ""),
            Err(DocumentError::PermitAddress)
        );
        assert!(IdDocument::parse(ResidencePermit, &hk, "").is_ok());
    }

    #[test]
    fn residence_permits_take_the_three_address_codes_and_the_check() {
        for region in ["810000", "820000", "830000"] {
            let n = with_check(&format!("{region}19851231012"));
            let doc = IdDocument::parse(ResidencePermit, &n, "").unwrap();
            assert_eq!(doc.masked(), format!("{region}********{}", &n[14..]));
        }
        let beijing = with_check("11010519851231012");
        assert_eq!(
            IdDocument::parse(ResidencePermit, &beijing, ""),
            Err(DocumentError::NotPermitAddress)
        );
        let mut wrong = with_check("81000019851231012");
        wrong.replace_range(17..18, if wrong.ends_with('0') { "1" } else { "0" });
        assert_eq!(
            IdDocument::parse(ResidencePermit, &wrong, ""),
            Err(DocumentError::Resident(IdNumberError::CheckDigit))
        );
    }

    #[test]
    fn permanent_residence_cards_of_2017_and_2023() {
        let old = IdDocument::parse(PermanentResidence, "usa110190101001", "").unwrap();
        assert_eq!(old.number(), "USA110190101001");
        assert_eq!(old.masked(), "USA**********01");
        let new = with_check("91184019800615001");
        let doc = IdDocument::parse(PermanentResidence, &new, "").unwrap();
        assert_eq!(doc.masked(), format!("911840********{}", &new[14..]));
        // The 2023 card's check character, its birth date and its leading 9.
        let mut wrong = new.clone();
        wrong.replace_range(17..18, if new.ends_with('0') { "1" } else { "0" });
        assert_eq!(
            IdDocument::parse(PermanentResidence, &wrong, ""),
            Err(DocumentError::CheckDigit)
        );
        let bad_date = with_check("91184019801315001");
        assert!(IdDocument::parse(PermanentResidence, &bad_date, "").is_err());
        let citizen = with_check("11010519800615001");
        assert!(IdDocument::parse(PermanentResidence, &citizen, "").is_err());
        for bad in ["US110190101001", "USA11019010100", "1SA110190101001"] {
            assert!(
                IdDocument::parse(PermanentResidence, bad, "").is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn travel_permits_and_passports() {
        let hk = IdDocument::parse(HongKongMacaoPermit, "h12345678", "").unwrap();
        assert_eq!(hk.masked(), "H*****678");
        assert!(IdDocument::parse(HongKongMacaoPermit, "M87654321", "").is_ok());
        for bad in ["X12345678", "H1234567", "H123456789", "12345678"] {
            assert!(
                IdDocument::parse(HongKongMacaoPermit, bad, "").is_err(),
                "{bad}"
            );
        }
        let tw = IdDocument::parse(TaiwanPermit, "1234 5678", "").unwrap();
        assert_eq!(tw.number(), "12345678");
        assert_eq!(tw.masked(), "1****678");
        for bad in ["1234567", "123456789", "T2345678"] {
            assert!(IdDocument::parse(TaiwanPermit, bad, "").is_err(), "{bad}");
        }
        let passport = IdDocument::parse(Passport, "p12345678", "gbr").unwrap();
        assert_eq!(passport.masked(), "GBR P*****678");
        let short = IdDocument::parse(Passport, "P7654321", "GBR").unwrap();
        assert_eq!(short.masked(), "GBR ******21");
        assert_eq!(passport.country(), Some("GBR"));
        assert_eq!(
            IdDocument::parse(Passport, "P1234567", ""),
            Err(DocumentError::Country)
        );
        for bad in ["P123", "P1234567890123456X", "P12-4567"] {
            assert!(IdDocument::parse(Passport, bad, "GBR").is_err(), "{bad}");
        }
    }

    #[test]
    fn a_form_names_its_kind_by_code_and_the_number_tells_what_it_carries() {
        // No kind posted (a form from before the select): a 居民身份证.
        let id = IdDocument::from_form("", "11010519491231002x", "").unwrap();
        assert_eq!(id.kind(), ResidentId);
        assert_eq!(id.birth_date().as_deref(), Some("1949-12-31"));
        assert_eq!(id.gender(), Some(Gender::Female));
        assert_eq!(
            IdDocument::from_form("licence", "1", ""),
            Err(DocumentError::Kind)
        );
        assert_eq!(
            IdDocument::from_form("taiwan_permit", " ", ""),
            Err(DocumentError::Empty(TaiwanPermit))
        );
        // A 2023 永居证 carries its birth date but not a gender; a 通行证 neither.
        let pr = IdDocument::from_form("permanent_residence", &with_check("91184019800615001"), "")
            .unwrap();
        assert_eq!(pr.birth_date().as_deref(), Some("1980-06-15"));
        assert_eq!(pr.gender(), None);
        let hk = IdDocument::from_form("hk_macao_permit", "H60123456", "").unwrap();
        assert_eq!((hk.birth_date(), hk.gender()), (None, None));
        // A 公民身份号码 becomes the document it is.
        let permit: IdDocument = IdNumber::parse("820000198805060027").unwrap().into();
        assert_eq!(permit.kind(), ResidencePermit);
        assert_eq!(
            DocumentKind::from_code_or_label("港澳居民来往内地通行证"),
            Some(HongKongMacaoPermit)
        );
    }

    #[test]
    fn text_that_is_not_ascii_is_refused_not_sliced() {
        // 9 and 15 digits and a two-byte letter: 18 bytes, with a character boundary off
        // byte 17; and a full-width digit at the end of a resident number.
        let crafted = format!("9{}é", "1".repeat(15));
        assert_eq!(crafted.len(), 18);
        for kind in DocumentKind::ALL {
            assert!(
                IdDocument::parse(kind, &crafted, "GBR").is_err(),
                "{kind:?}"
            );
        }
        assert!(IdDocument::parse(ResidentId, "11010519491231002８", "").is_err());
        assert!(IdDocument::parse(HongKongMacaoPermit, "H1234567８", "").is_err());
    }

    #[test]
    fn holder_code_types_and_counters_follow_the_kind() {
        let codes: Vec<_> = DocumentKind::ALL
            .into_iter()
            .map(DocumentKind::holder_code_type)
            .collect();
        assert_eq!(codes, ["111", "111", "516", "511", "553", "990"]);
        let id = IdDocument::parse(ResidentId, "11010519491231002X", "").unwrap();
        assert_eq!(id.counter_key(), id.masked());
        let tw = IdDocument::parse(TaiwanPermit, "12345678", "").unwrap();
        assert_eq!(tw.counter_key(), "taiwan_permit:1****678");
    }

    #[test]
    fn the_digest_keeps_resident_ids_as_they_were_and_tells_the_kinds_apart() {
        let id = IdDocument::parse(ResidentId, "11010519491231002X", "").unwrap();
        assert_eq!(id.digest_input(), "11010519491231002X");
        let tw = IdDocument::parse(TaiwanPermit, "12345678", "").unwrap();
        assert_eq!(tw.digest_input(), "taiwan_permit:12345678");
        // A 居住证's number is its own digest, as when it was taken for a 居民身份证's.
        let permit = IdDocument::parse(ResidencePermit, "820000198805060027", "").unwrap();
        assert_eq!(permit.digest_input(), "820000198805060027");
        let passport = IdDocument::parse(Passport, "12345678", "USA").unwrap();
        assert_eq!(passport.digest_input(), "passport:USA:12345678");
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(kind.code()), Some(kind));
        }
        assert!(!format!("{passport:?}").contains("12345678"));
    }
}
