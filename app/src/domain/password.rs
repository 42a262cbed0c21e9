//! 密码: the password rule of GB/T 22239 level 3 and OWASP ASVS level 2 — 8 to 64
//! characters, at least three of the four character classes, no spaces, and not one of the
//! common passwords shipped with the portal.

use std::fmt;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 64;

const COMMON: &str = include_str!("common_passwords.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    Empty,
    /// Contains a space (FAQ 1: spaces are a common reason for 密码错误).
    Whitespace,
    TooShort,
    TooLong,
    /// Fewer than three of: lower-case letters, upper-case letters, digits, symbols.
    TooFewClasses,
    Common,
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "请输入密码",
            Self::Whitespace => "密码不能包含空格,请删除空格后重新输入",
            Self::TooShort => "密码长度至少为8位",
            Self::TooLong => "密码长度不能超过64位",
            Self::TooFewClasses => "密码需包含大写字母、小写字母、数字、特殊符号中的至少三种",
            Self::Common => "该密码过于常见,容易被猜中,请换一个",
        })
    }
}

impl std::error::Error for PasswordError {}

impl PasswordError {
    /// The message in English (`Display` is the Chinese).
    pub fn english(self) -> &'static str {
        match self {
            Self::Empty => "Enter a password",
            Self::Whitespace => "A password cannot contain spaces: remove them and enter it again",
            Self::TooShort => "A password must be at least 8 characters",
            Self::TooLong => "A password must be 64 characters or fewer",
            Self::TooFewClasses => {
                "A password needs at least three of: capital letters, small letters, digits, symbols"
            }
            Self::Common => "This password is too common and easy to guess: choose another",
        }
    }
}

/// Rejects whitespace anywhere in a password or login identifier (FAQ 1), before any
/// other rule, so the message says exactly what is wrong.
pub fn has_whitespace(input: &str) -> bool {
    input.chars().any(char::is_whitespace)
}

/// A new password that satisfies the rule. Never printed: `Debug` hides it, and it cannot be
/// serialised.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        if input.is_empty() {
            return Err(PasswordError::Empty);
        }
        if has_whitespace(input) {
            return Err(PasswordError::Whitespace);
        }
        let len = input.chars().count();
        if len < MIN_LEN {
            return Err(PasswordError::TooShort);
        }
        if len > MAX_LEN {
            return Err(PasswordError::TooLong);
        }
        let classes = [
            input.chars().any(|c| c.is_ascii_lowercase()),
            input.chars().any(|c| c.is_ascii_uppercase()),
            input.chars().any(|c| c.is_ascii_digit()),
            input.chars().any(|c| !c.is_ascii_alphanumeric()),
        ];
        if classes.iter().filter(|&&present| present).count() < 3 {
            return Err(PasswordError::TooFewClasses);
        }
        if is_common(input) {
            return Err(PasswordError::Common);
        }
        Ok(Self(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

fn is_common(input: &str) -> bool {
    let lower = input.to_lowercase();
    COMMON
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .any(|common| common == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_strong_passwords() {
        for p in [
            "Demo@2026",
            "abcDEF12",
            "zhu-fang-2026!",
            "长城Great#1",
            "Aa1!Aa1!",
        ] {
            assert!(Password::parse(p).is_ok(), "{p}");
        }
        let longest = format!("Aa1{}", "x".repeat(61));
        assert!(Password::parse(&longest).is_ok());
    }

    #[test]
    fn refuses_each_broken_rule_with_its_own_reason() {
        assert_eq!(Password::parse(""), Err(PasswordError::Empty));
        assert_eq!(
            Password::parse("Demo 2026!"),
            Err(PasswordError::Whitespace)
        );
        assert_eq!(
            Password::parse(" Demo@2026"),
            Err(PasswordError::Whitespace)
        );
        assert_eq!(Password::parse("Ab1!ab"), Err(PasswordError::TooShort));
        assert_eq!(
            Password::parse(&format!("Aa1{}", "x".repeat(62))),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            Password::parse("abcdefgh12"),
            Err(PasswordError::TooFewClasses)
        );
        assert_eq!(
            Password::parse("ABCDEFGH!!"),
            Err(PasswordError::TooFewClasses)
        );
    }

    #[test]
    fn refuses_common_passwords_in_any_case() {
        for p in [
            "P@ssw0rd",
            "Password1",
            "Admin@123",
            "Qwer1234",
            "Woaini1314",
        ] {
            assert_eq!(Password::parse(p), Err(PasswordError::Common), "{p}");
        }
        assert_eq!(Password::parse("1qaz@WSX"), Err(PasswordError::Common));
    }

    #[test]
    fn debug_never_shows_the_password() {
        assert_eq!(
            format!("{:?}", Password::parse("Demo@2026").unwrap()),
            "Password(***)"
        );
    }
}
