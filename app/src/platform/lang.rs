//! The portal's languages: 中文 (zh-CN, the default) and English.
//!
//! **Choosing.** The citizen's choice is kept in the `portal_lang` cookie; without one, the
//! browser's `Accept-Language` decides on the first visit. The server renders every page in
//! that language (`<html lang>` and the first paint), the browser reads it back from
//! `<html lang>` when it takes over, and the switch (`中文 | English`, each name in its own
//! language, as GOV.UK writes it) posts to `/lang`, with or without JavaScript.
//!
//! **The catalogue.** Every text a page shows is a [`Text`]: its Chinese and its English side
//! by side in the feature's own catalogue module, as a `const`. A text without its English
//! does not compile, and a key that does not exist is a name the compiler does not know, so
//! nothing is looked up by string at run time. A page's texts are constants of the code that
//! shows them, so they travel in that page's WebAssembly chunk and nowhere else.
//!
//! Certificates and their copies stay Chinese as issued; English pages explain them.

use serde::{Deserialize, Serialize};

/// The cookie that keeps the choice.
pub const COOKIE: &str = "portal_lang";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Self; 2] = [Self::Zh, Self::En];

    /// The BCP 47 tag: `<html lang>`, the cookie's value, `/lang`'s field.
    pub fn code(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    /// The language's name in itself (the switch shows each so).
    pub fn own_name(self) -> &'static str {
        match self {
            Self::Zh => "中文",
            Self::En => "English",
        }
    }

    /// A tag as the cookie, the form or `<html lang>` gives it.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Self::Zh),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header (RFC 9110 §12.5.4) the portal has,
    /// by weight; Chinese when none is.
    pub fn negotiate(header: &str) -> Self {
        let mut best: Option<(u16, usize, Self)> = None;
        for (i, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Self::parse) else {
                continue;
            };
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16);
            if weight == 0 {
                continue;
            }
            // Higher weight wins; among equals, the one listed first.
            let better = best.is_none_or(|(w, j, _)| weight > w || (weight == w && i < j));
            if better {
                best = Some((weight, i, lang));
            }
        }
        best.map_or(Self::Zh, |(_, _, lang)| lang)
    }

    /// The `Set-Cookie` value that keeps the choice a year.
    pub fn set_cookie(self, secure: bool) -> String {
        format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
            self.code(),
            if secure { "; Secure" } else { "" }
        )
    }
}

/// The portal's name.
pub const PORTAL: Text = Text::new(
    "住房和城乡建设部政务服务门户",
    "MOHURD Government Services Portal",
);

/// One text of a page in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn new(zh: &'static str, en: &'static str) -> Self {
        Self { zh, en }
    }

    pub fn of(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }

    /// In the page's language.
    pub fn get(self) -> &'static str {
        self.of(use_lang())
    }
}

/// The language of the request (the cookie, else `Accept-Language`), on the server.
#[cfg(feature = "ssr")]
pub fn of_request(headers: &http::HeaderMap) -> Lang {
    if let Some(lang) = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| crate::domain::cookie::value(v, COOKIE))
        .and_then(Lang::parse)
    {
        return lang;
    }
    headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Zh, Lang::negotiate)
}

/// The page's language: on the server the request's, in the browser what the server wrote
/// in `<html lang>`. Provided once: the server's document shell provides it before the app
/// inside it asks again, and the request is read only the first time.
pub fn provide_lang() {
    if leptos::prelude::use_context::<Lang>().is_some() {
        return;
    }
    #[cfg(feature = "ssr")]
    let lang = leptos::prelude::use_context::<http::request::Parts>()
        .map_or(Lang::Zh, |parts| of_request(&parts.headers));
    #[cfg(not(feature = "ssr"))]
    let lang = document_lang();
    leptos::prelude::provide_context(lang);
}

/// What the server wrote in `<html lang>`.
#[cfg(not(feature = "ssr"))]
pub fn document_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Lang::Zh
}

/// The page's language (Chinese where none was provided).
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_first_language_the_portal_has_by_weight() {
        assert_eq!(Lang::negotiate("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh);
        assert_eq!(Lang::negotiate("fr-FR, en;q=0.5, zh;q=0.4"), Lang::En);
        assert_eq!(Lang::negotiate("de, fr"), Lang::Zh);
        assert_eq!(Lang::negotiate("en;q=0, zh-TW;q=0.2"), Lang::Zh);
        assert_eq!(Lang::negotiate("zh;q=0.5, en;q=0.8"), Lang::En);
        assert_eq!(Lang::negotiate(""), Lang::Zh);
        assert_eq!(Lang::negotiate("*"), Lang::Zh);
    }

    #[test]
    fn tags_and_cookies() {
        assert_eq!(Lang::parse("zh-Hans-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN_us"), Some(Lang::En));
        assert_eq!(Lang::parse("ja"), None);
        assert_eq!(
            Lang::En.set_cookie(true),
            "portal_lang=en; Path=/; Max-Age=31536000; SameSite=Lax; Secure"
        );
        let hello = Text::new("你好", "Hello");
        assert_eq!((hello.of(Lang::Zh), hello.of(Lang::En)), ("你好", "Hello"));
    }
}
