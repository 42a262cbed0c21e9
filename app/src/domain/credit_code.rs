//! 统一社会信用代码 (GB 32100-2015): 18 characters with a check character.

use std::fmt;

/// The 31 characters the code may use: digits and capitals without I, O, Z, S, V.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of the first 17 characters, GB 32100-2015 §5.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditCodeError {
    /// Not 18 characters from the code's alphabet.
    Format,
    /// The last character does not match the check computation.
    CheckCharacter,
}

impl fmt::Display for CreditCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Format => "统一社会信用代码应为18位,由数字和大写字母组成(不含I、O、Z、S、V)",
            Self::CheckCharacter => "统一社会信用代码校验位不正确,请核对后重新输入",
        })
    }
}

impl std::error::Error for CreditCodeError {}

impl CreditCodeError {
    /// The message in English (`Display` is the Chinese).
    pub fn english(self) -> &'static str {
        match self {
            Self::Format => {
                "A unified social credit code is 18 digits and capital letters (not I, O, Z, S or V)"
            }
            Self::CheckCharacter => {
                "The unified social credit code's check character is wrong: check it and enter it again"
            }
        }
    }
}

/// A unified social credit code that has passed the alphabet and check character rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

impl CreditCode {
    /// Parses user input: whitespace trimmed, letters upper-cased.
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let s = input.trim().to_ascii_uppercase();
        let values = s
            .bytes()
            .map(value_of)
            .collect::<Option<Vec<u32>>>()
            .ok_or(CreditCodeError::Format)?;
        if values.len() != 18 {
            return Err(CreditCodeError::Format);
        }
        if check_value(&values[..17]) != values[17] {
            return Err(CreditCodeError::CheckCharacter);
        }
        Ok(Self(s))
    }

    /// Completes 17 characters with their check character (for generated data).
    pub fn complete(first17: &str) -> Result<Self, CreditCodeError> {
        let values = first17
            .bytes()
            .map(value_of)
            .collect::<Option<Vec<u32>>>()
            .ok_or(CreditCodeError::Format)?;
        if values.len() != 17 {
            return Err(CreditCodeError::Format);
        }
        let check = char::from(ALPHABET[check_value(&values) as usize]);
        Self::parse(&format!("{first17}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn value_of(b: u8) -> Option<u32> {
    ALPHABET.iter().position(|&c| c == b).map(|p| p as u32)
}

fn check_value(first17: &[u32]) -> u32 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_known_good_codes() {
        // Codes of real, publicly registered organisations.
        for code in [
            "91110000MA01ABCD1M",
            "91350100M000100Y43",
            "11100000000013127D",
        ] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn rejects_a_wrong_check_character() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::CheckCharacter)
        );
    }

    #[test]
    fn rejects_bad_format() {
        for code in [
            "",
            "9135010",
            "91350100M000100Y4I",
            "91350100M000100Y433",
            "9135010OM000100Y43",
        ] {
            assert_eq!(
                CreditCode::parse(code),
                Err(CreditCodeError::Format),
                "{code}"
            );
        }
    }

    #[test]
    fn completes_with_the_check_character_and_normalises_case() {
        let code = CreditCode::complete("91350100M000100Y4").unwrap();
        assert_eq!(code.as_str(), "91350100M000100Y43");
        assert_eq!(
            CreditCode::parse(" 91350100m000100y43 ").unwrap().as_str(),
            "91350100M000100Y43"
        );
    }
}
