//! 姓名 and 单位名称 as typed into the registration forms.

/// Why a name is refused: its Chinese (`Display`) and its English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameError {
    zh: &'static str,
    en: &'static str,
}

impl NameError {
    pub fn english(self) -> &'static str {
        self.en
    }
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.zh)
    }
}

const fn refused(zh: &'static str, en: &'static str) -> NameError {
    NameError { zh, en }
}

/// A person's name as on the ID card: 2–30 characters of Chinese, Latin letters or the
/// middle dot of transliterated names (阿依古丽·买买提). Surrounding spaces are trimmed.
pub fn person_name(input: &str) -> Result<String, NameError> {
    let name = input.trim();
    if name.is_empty() {
        return Err(refused("请输入姓名", "Enter the full name"));
    }
    let len = name.chars().count();
    if !(2..=30).contains(&len) {
        return Err(refused(
            "姓名应为2–30个字符,请与证件上的姓名一致",
            "A name has 2 to 30 characters: enter it as it is on the identity document",
        ));
    }
    // A name from a passport or a 永居证 is written in Latin letters with single spaces
    // (MILLER DAVID); Chinese names have none.
    let allowed = |c: char| {
        ('\u{4e00}'..='\u{9fff}').contains(&c)
            || ('\u{3400}'..='\u{4dbf}').contains(&c)
            || c.is_ascii_alphabetic()
            || matches!(c, '·' | '•' | '.' | ' ')
    };
    let latin = name.chars().any(|c| c.is_ascii_alphabetic());
    if !name.chars().all(allowed) || name.contains("  ") || (name.contains(' ') && !latin) {
        return Err(refused(
            "姓名只能包含汉字、字母、间隔号“·”和单个空格,请与证件上的姓名一致",
            "A name can only have Chinese characters, letters, the middle dot “·” and single \
             spaces: enter it as it is on the identity document",
        ));
    }
    Ok(name.to_string())
}

/// An organisation's registered name: 2–100 characters, no control characters.
pub fn org_name(input: &str) -> Result<String, NameError> {
    let name = input.trim();
    if name.is_empty() {
        return Err(refused("请输入单位名称", "Enter the organisation's name"));
    }
    let len = name.chars().count();
    if !(2..=100).contains(&len) || name.chars().any(char::is_control) {
        return Err(refused(
            "单位名称应为2–100个字符,请与营业执照上的名称一致",
            "An organisation's name has 2 to 100 characters: enter it as it is on the business \
             licence",
        ));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_on_id_cards() {
        assert_eq!(person_name(" 王建国 ").unwrap(), "王建国");
        assert!(person_name("阿依古丽·买买提").is_ok());
        assert!(person_name("王").is_err());
        assert!(person_name("").is_err());
        assert!(person_name("王建国1").is_err());
        assert!(person_name("王 建国").is_err());
    }

    #[test]
    fn organisation_names() {
        assert!(org_name("中建示范建设有限公司").is_ok());
        assert!(org_name("公").is_err());
        assert!(org_name("公司\n名称").is_err());
    }
}
