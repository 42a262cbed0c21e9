//! Addresses: percent-encoding, and the `next` of a login or a form, which is followed only
//! within the portal.

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Only paths of this site are followed after login (no open redirect): `next` is resolved
/// against the portal's origin as a browser would (which drops tabs and newlines, so `/\t/x`
/// means `//x`) and kept only if it is an absolute path of the same origin, without control
/// characters or spaces (a header value must never be refused after the session is written).
#[cfg(feature = "ssr")]
pub fn safe_next(next: Option<&str>) -> String {
    safe_path(next, "/user")
}

/// [`safe_next`] with another page to fall back to.
#[cfg(feature = "ssr")]
pub fn safe_path(next: Option<&str>, home: &str) -> String {
    let Some(next) = next else {
        return home.into();
    };
    if !next.starts_with('/')
        || next.starts_with("//")
        || next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return home.into();
    }
    let Ok(origin) = url::Url::parse("https://portal.invalid/") else {
        return home.into();
    };
    match origin.join(next) {
        Ok(target) if target.origin() == origin.origin() => {
            let mut path = target.path().to_string();
            if let Some(q) = target.query() {
                path.push('?');
                path.push_str(q);
            }
            if let Some(f) = target.fragment() {
                path.push('#');
                path.push_str(f);
            }
            if path.starts_with("//") || http::HeaderValue::from_str(&path).is_err() {
                home.into()
            } else {
                path
            }
        }
        _ => home.into(),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_followed_only_within_the_portal() {
        assert_eq!(safe_next(Some("/user/settings")), "/user/settings");
        assert_eq!(
            safe_next(Some("/search?name=%E7%8E%8B")),
            "/search?name=%E7%8E%8B"
        );
        for evil in [
            "//evil.example",
            "/\t/evil.example",
            "/\t\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\u{0}x",
            "/ /evil.example",
            "/\r\nSet-Cookie: x=1",
            "",
        ] {
            assert_eq!(safe_next(Some(evil)), "/user", "{evil:?}");
        }
        assert_eq!(safe_next(None), "/user");
    }
}
