//! Reading one cookie out of a `Cookie` header value (or `document.cookie`): `a=1; b=2`.

/// The value of the cookie `name`, if the string holds it.
pub fn value<'a>(cookies: &'a str, name: &str) -> Option<&'a str> {
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_cookie_is_found_among_others() {
        assert_eq!(
            super::value("a=1; portal_care=elder; b=2", "portal_care"),
            Some("elder")
        );
        assert_eq!(super::value("a=1;portal_care=", "portal_care"), Some(""));
        assert_eq!(super::value("portal_caree=x; b", "portal_care"), None);
    }
}
