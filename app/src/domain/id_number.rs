//! 居民身份证号码 (GB 11643-1999): 17 digits and a check character.

use std::fmt;

/// Weights of the first 17 digits, GB 11643-1999 §8.2.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for `sum mod 11`.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Why a string is not a valid resident ID number; each reason has a message for the citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdNumberError {
    /// Not 18 characters, or not 17 digits followed by a digit or X.
    Format,
    /// The birth date (characters 7–14) is not a real date.
    BirthDate,
    /// The birth date lies after today.
    FutureBirthDate,
    /// The last character does not match the check computation.
    CheckDigit,
}

impl fmt::Display for IdNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Format => "身份证号应为18位,由17位数字和1位数字或字母X组成",
            Self::BirthDate => "身份证号中的出生日期无效,请核对",
            Self::FutureBirthDate => "身份证号中的出生日期晚于今天,请核对",
            Self::CheckDigit => "身份证号校验位不正确,请核对后重新输入",
        })
    }
}

impl std::error::Error for IdNumberError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// 男 / 女
    pub fn label(self) -> &'static str {
        match self {
            Self::Male => "男",
            Self::Female => "女",
        }
    }

    /// From 男 / 女 (or M / F, as a passport writes it).
    pub fn from_label(text: &str) -> Option<Self> {
        match text.trim() {
            "男" | "M" | "m" => Some(Self::Male),
            "女" | "F" | "f" => Some(Self::Female),
            _ => None,
        }
    }
}

/// A resident ID number that has passed the format, birth date and check character rules.
/// Region codes are not checked: codes of abolished districts stay valid on issued cards.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

impl IdNumber {
    /// Parses user input: surrounding whitespace is trimmed and a lower-case `x` accepted.
    pub fn parse(input: &str) -> Result<Self, IdNumberError> {
        let s = input.trim().to_ascii_uppercase();
        let bytes = s.as_bytes();
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdNumberError::Format);
        }
        let digit = |i: usize| u32::from(bytes[i] - b'0');
        let year = (6..10).fold(0, |acc, i| acc * 10 + digit(i));
        let month = digit(10) * 10 + digit(11);
        let day = digit(12) * 10 + digit(13);
        if !(1850..=2100).contains(&year) || !is_valid_date(year, month, day) {
            return Err(IdNumberError::BirthDate);
        }
        if check_char(&s[..17]) != char::from(bytes[17]) {
            return Err(IdNumberError::CheckDigit);
        }
        let today = super::time::beijing_date(super::time::now());
        if (i64::from(year), month, day) > today {
            return Err(IdNumberError::FutureBirthDate);
        }
        Ok(Self(s))
    }

    /// Builds a valid number from a 6-digit region, a birth date and a 3-digit sequence,
    /// computing the check character (used by the demo and bulk data generators).
    pub fn compose(
        region: u32,
        year: u32,
        month: u32,
        day: u32,
        sequence: u32,
    ) -> Result<Self, IdNumberError> {
        let body = format!("{region:06}{year:04}{month:02}{day:02}{sequence:03}");
        if body.len() != 17 {
            return Err(IdNumberError::Format);
        }
        let check = check_char(&body);
        Self::parse(&format!("{body}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Birth date as (year, month, day).
    pub fn birth_date(&self) -> (u32, u32, u32) {
        let n = |r: std::ops::Range<usize>| self.0[r].parse::<u32>().unwrap_or_default();
        (n(6..10), n(10..12), n(12..14))
    }

    /// Birth date as `YYYY-MM-DD`.
    pub fn birth_date_iso(&self) -> String {
        let (y, m, d) = self.birth_date();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// The 17th digit (sequence code) is odd for men and even for women.
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// `110105********1234`: what the public and other people may see.
    pub fn masked(&self) -> String {
        super::mask::mask_id_number(&self.0)
    }
}

/// The ID number is personal data: debug output never shows it whole.
impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

pub(crate) fn check_char(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

pub(crate) fn is_valid_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Numbers published in GB 11643-1999's worked example and commonly used test numbers.
    const VALID: &[&str] = &[
        "11010519491231002X",
        "440524188001010014",
        "110105194912310029",
    ];

    #[test]
    fn accepts_known_good_numbers() {
        for n in ["11010519491231002X", "440524188001010014"] {
            assert!(IdNumber::parse(n).is_ok(), "{n} should be valid");
        }
    }

    #[test]
    fn lower_case_x_and_whitespace_are_normalised() {
        let id = IdNumber::parse(" 11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn rejects_wrong_check_character() {
        assert_eq!(IdNumber::parse(VALID[2]), Err(IdNumberError::CheckDigit));
        assert_eq!(
            IdNumber::parse("440524188001010015"),
            Err(IdNumberError::CheckDigit)
        );
    }

    #[test]
    fn rejects_bad_format() {
        for n in [
            "",
            "1101051949123100",
            "11010519491231002Y",
            "1101051949123100211",
            "11010519491231O02X",
        ] {
            assert_eq!(IdNumber::parse(n), Err(IdNumberError::Format), "{n}");
        }
    }

    #[test]
    fn rejects_impossible_birth_dates() {
        // 2023-02-29 does not exist; 2000-02-29 does.
        let bad = IdNumber::compose(110105, 2023, 2, 28, 1)
            .unwrap()
            .as_str()
            .replace("20230228", "20230229");
        assert_eq!(IdNumber::parse(&bad), Err(IdNumberError::BirthDate));
        assert!(IdNumber::compose(110105, 2000, 2, 29, 1).is_ok());
        assert_eq!(
            IdNumber::compose(110105, 1990, 13, 1, 1),
            Err(IdNumberError::BirthDate)
        );
        assert_eq!(
            IdNumber::compose(110105, 1990, 4, 31, 1),
            Err(IdNumberError::BirthDate)
        );
    }

    #[test]
    fn rejects_birth_dates_after_today() {
        assert_eq!(
            IdNumber::compose(110105, 2099, 1, 1, 1),
            Err(IdNumberError::FutureBirthDate)
        );
        assert!(IdNumber::parse("110108200001010015").is_ok());
    }

    #[test]
    fn gender_follows_the_sequence_parity() {
        assert_eq!(
            IdNumber::parse("440524188001010014").unwrap().gender(),
            Gender::Male
        );
        assert_eq!(
            IdNumber::parse("11010519491231002X").unwrap().gender(),
            Gender::Female
        );
    }

    #[test]
    fn birth_date_is_read_from_the_number() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.birth_date(), (1949, 12, 31));
        assert_eq!(id.birth_date_iso(), "1949-12-31");
    }

    #[test]
    fn debug_output_is_masked() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(format!("{id:?}"), "IdNumber(110105********002X)");
    }
}
