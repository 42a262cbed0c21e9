//! 手机号: a mainland China mobile number, the one an SMS code can reach.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    /// Not 11 digits starting with 13–19.
    Format,
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "请输入手机号",
            Self::Format => "手机号应为11位中国大陆手机号码(以13–19开头)",
        })
    }
}

impl std::error::Error for PhoneError {}

impl PhoneError {
    /// The message in English (`Display` is the Chinese).
    pub fn english(self) -> &'static str {
        match self {
            Self::Empty => "Enter a mobile number",
            Self::Format => "Enter an 11-digit mainland China mobile number (starting 13 to 19)",
        }
    }
}

/// A mainland mobile number: 11 digits, `1` then `3`–`9`. A leading `+86`/`86` and the
/// spaces or hyphens people type between groups are removed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let compact: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| {
                (compact.len() == 13)
                    .then(|| compact.strip_prefix("86"))
                    .flatten()
            })
            .unwrap_or(&compact);
        let b = digits.as_bytes();
        if b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && b[1] >= b'3' {
            Ok(Self(digits.to_string()))
        } else {
            Err(PhoneError::Format)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****8000`
    pub fn masked(&self) -> String {
        super::mask::mask_phone(&self.0)
    }
}

/// A phone number is personal data: debug output is masked.
impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mobile_numbers_with_common_decorations() {
        for input in [
            "13800138000",
            " 138 0013 8000 ",
            "138-0013-8000",
            "+8613800138000",
            "+86 138 0013 8000",
            "8613800138000",
        ] {
            assert_eq!(
                Phone::parse(input).unwrap().as_str(),
                "13800138000",
                "{input}"
            );
        }
        assert!(Phone::parse("19912345678").is_ok());
    }

    #[test]
    fn rejects_what_is_not_a_mainland_mobile() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        for input in [
            "1380013800",
            "138001380001",
            "12800138000",
            "23800138000",
            "010-58934542",
            "1380013800a",
            "+85213800138000",
        ] {
            assert_eq!(Phone::parse(input), Err(PhoneError::Format), "{input}");
        }
    }

    #[test]
    fn debug_is_masked() {
        assert_eq!(
            format!("{:?}", Phone::parse("13800138000").unwrap()),
            "Phone(138****8000)"
        );
    }
}
