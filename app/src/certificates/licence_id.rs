//! 电子证照标识 (GB/T 36904-2018) and the metadata GB/T 36903-2018 asks of a 电子证照.
//!
//! `1.2.156.3005.2.<证照类型代码>.<颁发机构代码>.<流水号>.<版本号>.<校验位>`:
//! - 证照类型代码: the defining body's 统一社会信用代码 ([`MOHURD_CODE`]) and three digits per
//!   certificate kind ([`KINDS`]);
//! - 颁发机构代码: the issuer's 18-character 统一社会信用代码;
//! - 流水号: the certificate's serial, ten digits;
//! - 版本号: three digits, 001 at issue, one more each time the certificate's content changes;
//! - 校验位: ISO/IEC 7064 MOD 37,36 over the characters of the preceding parts, the dots
//!   left out (the dots are not in the system's alphabet).

use std::fmt;

/// The arc every 电子证照标识 begins with (GB/T 36904).
pub const ROOT: &str = "1.2.156.3005.2";
/// 中华人民共和国住房和城乡建设部's 统一社会信用代码: the body that defines the certificate
/// kinds and issues the national registrations.
pub const MOHURD_CODE: &str = "11100000000013338W";

/// The certificate kinds and their three-digit codes.
pub const KINDS: &[(&str, &str)] = &[
    ("一级注册建造师", "001"),
    ("二级注册建造师", "002"),
    ("注册监理工程师", "003"),
    ("一级注册造价工程师", "004"),
    ("一级注册建筑师", "005"),
    ("二级注册建筑师", "006"),
    ("一级注册结构工程师", "007"),
    ("注册土木工程师(岩土)", "008"),
];

/// The three-digit code of a registration category, if it is a kind the portal issues.
pub fn kind_code(category: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|(name, _)| *name == category)
        .map(|(_, code)| *code)
}

/// 证照类型代码 of a category: [`MOHURD_CODE`] and its kind code.
pub fn type_code(category: &str) -> Option<String> {
    kind_code(category).map(|k| format!("{MOHURD_CODE}{k}"))
}

const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn value_of(c: u8) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| a == c.to_ascii_uppercase())
        .map(|p| p as u32)
}

/// The ISO/IEC 7064 MOD 37,36 check character of `data` (digits and letters), or `None` when
/// it holds anything else.
pub fn mod_37_36(data: &str) -> Option<char> {
    const M: u32 = 36;
    let mut p = M;
    for c in data.bytes() {
        let s = (p + value_of(c)?) % M;
        p = (if s == 0 { M } else { s } * 2) % (M + 1);
    }
    Some(char::from(ALPHABET[((M + 1 - p) % M) as usize]))
}

/// A 电子证照标识.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceId {
    pub type_code: String,
    pub issuer_code: String,
    pub serial: u64,
    pub version: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenceIdError {
    /// Not of the form `1.2.156.3005.2.<类型>.<机构>.<流水号>.<版本>.<校验位>`.
    Format,
    /// The last character is not the check character of the rest.
    CheckCharacter,
}

impl fmt::Display for LicenceIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Format => "电子证照标识格式不正确,应为“1.2.156.3005.2.类型代码.颁发机构代码.流水号.版本号.校验位”",
            Self::CheckCharacter => "电子证照标识校验位不正确,请核对后重新输入",
        })
    }
}

impl std::error::Error for LicenceIdError {}

impl LicenceIdError {
    /// The message in English (`Display` is the Chinese).
    pub fn english(self) -> &'static str {
        match self {
            Self::Format => {
                "Enter the electronic licence identifier in the form \
                 “1.2.156.3005.2.type code.issuer code.serial number.version.check character”"
            }
            Self::CheckCharacter => {
                "The electronic licence identifier's check character is wrong: check it and \
                 enter it again"
            }
        }
    }
}

impl From<LicenceIdError> for crate::platform::error::Message {
    fn from(error: LicenceIdError) -> Self {
        Self::new(error.to_string(), error.english())
    }
}

impl LicenceId {
    /// The identifier of the certificate of `category` with this serial and version, issued
    /// by 住房和城乡建设部.
    pub fn new(category: &str, serial: u64, version: u32) -> Option<Self> {
        Some(Self {
            type_code: type_code(category)?,
            issuer_code: MOHURD_CODE.into(),
            serial,
            version,
        })
    }

    fn body(&self) -> String {
        format!(
            "{ROOT}.{}.{}.{:010}.{:03}",
            self.type_code, self.issuer_code, self.serial, self.version
        )
    }

    /// The check character of the preceding parts.
    pub fn check(&self) -> char {
        mod_37_36(&self.body().replace('.', "")).unwrap_or('0')
    }

    /// Reads an identifier and checks its check character.
    pub fn parse(text: &str) -> Result<Self, LicenceIdError> {
        let text = text.trim().to_ascii_uppercase();
        let rest = text
            .strip_prefix(ROOT)
            .and_then(|r| r.strip_prefix('.'))
            .ok_or(LicenceIdError::Format)?;
        let parts: Vec<&str> = rest.split('.').collect();
        let [type_code, issuer_code, serial, version, check] = parts[..] else {
            return Err(LicenceIdError::Format);
        };
        let alnum = |s: &str| !s.is_empty() && s.bytes().all(|b| value_of(b).is_some());
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if type_code.len() != 21
            || !alnum(type_code)
            || issuer_code.len() != 18
            || !alnum(issuer_code)
            || !digits(serial, 10)
            || !digits(version, 3)
            || check.len() != 1
            || !alnum(check)
        {
            return Err(LicenceIdError::Format);
        }
        let id = Self {
            type_code: type_code.into(),
            issuer_code: issuer_code.into(),
            serial: serial.parse().map_err(|_| LicenceIdError::Format)?,
            version: version.parse().map_err(|_| LicenceIdError::Format)?,
        };
        if !check.starts_with(id.check()) {
            return Err(LicenceIdError::CheckCharacter);
        }
        Ok(id)
    }
}

impl fmt::Display for LicenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.body(), self.check())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::credit_code::CreditCode;

    #[test]
    fn mod_37_36_matches_worked_examples() {
        // ISO/IEC 7064's example, and the standard's property that appending the check
        // character gives a string whose check is always the same.
        assert_eq!(mod_37_36("A12425GABC1234002"), Some('M'));
        // Worked by hand (and by python-stdnum's iso7064.mod_37_36): an identifier's body.
        assert_eq!(
            mod_37_36("121563005211100000000013338W00111100000000013338W0000000001001"),
            Some('W')
        );
        assert_eq!(
            mod_37_36("121563005211100000000013338W00311100000000013338W0000012345002"),
            Some('8')
        );
        assert_eq!(mod_37_36("12.3"), None);
        assert_eq!(mod_37_36("abc"), mod_37_36("ABC"));
    }

    #[test]
    fn identifiers_are_built_and_read_back() {
        assert!(CreditCode::parse(MOHURD_CODE).is_ok());
        let id = LicenceId::new("一级注册建造师", 1, 1).unwrap();
        let text = id.to_string();
        assert_eq!(
            text,
            "1.2.156.3005.2.11100000000013338W001.11100000000013338W.0000000001.001.W"
        );
        assert_eq!(LicenceId::parse(&text), Ok(id));
        let id = LicenceId::new("注册监理工程师", 12345, 2).unwrap();
        assert_eq!(
            id.to_string(),
            "1.2.156.3005.2.11100000000013338W003.11100000000013338W.0000012345.002.8"
        );
        assert!(LicenceId::new("未知类别", 1, 1).is_none());
    }

    #[test]
    fn a_wrong_check_character_or_shape_is_refused() {
        let good = "1.2.156.3005.2.11100000000013338W001.11100000000013338W.0000000001.001.W";
        for wrong in ['0', 'X', 'V'] {
            let bad = format!("{}{wrong}", &good[..good.len() - 1]);
            assert_eq!(
                LicenceId::parse(&bad),
                Err(LicenceIdError::CheckCharacter),
                "{bad}"
            );
        }
        // One digit of the serial changed: the check no longer holds.
        let bad = good.replace(".0000000001.", ".0000000002.");
        assert_eq!(LicenceId::parse(&bad), Err(LicenceIdError::CheckCharacter));
        for bad in [
            "",
            "1.2.156.3005.1.11100000000013338W001.11100000000013338W.0000000001.001.W",
            "1.2.156.3005.2.11100000000013338W001.11100000000013338W.1.001.W",
            "1.2.156.3005.2.11100000000013338W001.11100000000013338W.0000000001.001",
            "1.2.156.3005.2.11100000000013338W001.11100000000013338W.0000000001.001.W.1",
        ] {
            assert_eq!(LicenceId::parse(bad), Err(LicenceIdError::Format), "{bad}");
        }
        assert!(
            LicenceIdError::CheckCharacter
                .to_string()
                .contains("校验位")
        );
    }

    #[test]
    fn every_kind_has_its_own_three_digit_code() {
        let mut codes: Vec<&str> = KINDS.iter().map(|(_, c)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), KINDS.len());
        assert!(codes.iter().all(|c| c.len() == 3));
        assert_eq!(
            type_code("一级注册造价工程师").as_deref(),
            Some("11100000000013338W004")
        );
    }
}
