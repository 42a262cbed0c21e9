//! The 无障碍工具条's choices (长辈模式, 高对比度, 大鼠标, text size): what a citizen chose, kept
//! in a cookie the server reads, so that the first paint is already as chosen and it works
//! without JavaScript. Pure: parsing, the toolbar's actions, the page's classes.

/// The cookie that keeps the choices (not secret: it says how the pages look).
pub const COOKIE: &str = "portal_care";
/// Text size steps, in percent: 放大 and 缩小 move one step, up to 200%.
pub const ZOOM_STEPS: [u16; 5] = [100, 125, 150, 175, 200];

/// What the citizen chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Care {
    /// 长辈模式 (关怀版): large text and controls, a simpler layout.
    pub elder: bool,
    /// 高对比度: a dark high-contrast scheme.
    pub contrast: bool,
    /// 大鼠标: an extra-large pointer.
    pub big_cursor: bool,
    /// Index into [`ZOOM_STEPS`].
    pub zoom: usize,
}

/// A button of the toolbar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareAction {
    Elder,
    Contrast,
    BigCursor,
    ZoomIn,
    ZoomOut,
    Reset,
}

impl CareAction {
    /// The action a form's `do` field names.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "elder" => Self::Elder,
            "contrast" => Self::Contrast,
            "cursor" => Self::BigCursor,
            "zoom-in" => Self::ZoomIn,
            "zoom-out" => Self::ZoomOut,
            "reset" => Self::Reset,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Elder => "elder",
            Self::Contrast => "contrast",
            Self::BigCursor => "cursor",
            Self::ZoomIn => "zoom-in",
            Self::ZoomOut => "zoom-out",
            Self::Reset => "reset",
        }
    }
}

impl Care {
    /// The choices a cookie value holds (`elder.contrast.cursor.z150`); anything unknown is
    /// ignored, so a damaged cookie gives the ordinary pages.
    pub fn parse(value: &str) -> Self {
        let mut care = Self::default();
        for part in value.split('.') {
            match part {
                "elder" => care.elder = true,
                "contrast" => care.contrast = true,
                "cursor" => care.big_cursor = true,
                z => {
                    if let Some(i) = z
                        .strip_prefix('z')
                        .and_then(|n| n.parse::<u16>().ok())
                        .and_then(|n| ZOOM_STEPS.iter().position(|s| *s == n))
                    {
                        care.zoom = i;
                    }
                }
            }
        }
        care
    }

    /// The choices from a `Cookie` header's value (or `document.cookie`).
    pub fn from_cookies(cookies: &str) -> Self {
        crate::domain::cookie::value(cookies, COOKIE).map_or_else(Self::default, Self::parse)
    }

    /// The choices a page shows, from its root element's classes ([`Care::classes`]).
    pub fn from_classes(classes: &str) -> Self {
        let parts: Vec<&str> = classes
            .split_whitespace()
            .filter_map(|c| c.strip_prefix("care-"))
            .collect();
        Self::parse(&parts.join("."))
    }

    /// The cookie's value; empty for the ordinary pages.
    pub fn value(self) -> String {
        let mut parts = Vec::new();
        if self.elder {
            parts.push("elder".to_string());
        }
        if self.contrast {
            parts.push("contrast".to_string());
        }
        if self.big_cursor {
            parts.push("cursor".to_string());
        }
        if self.zoom > 0 {
            parts.push(format!("z{}", self.zoom_percent()));
        }
        parts.join(".")
    }

    /// The choices after a toolbar button.
    pub fn apply(self, action: CareAction) -> Self {
        let last = ZOOM_STEPS.len() - 1;
        match action {
            CareAction::Elder => Self {
                elder: !self.elder,
                ..self
            },
            CareAction::Contrast => Self {
                contrast: !self.contrast,
                ..self
            },
            CareAction::BigCursor => Self {
                big_cursor: !self.big_cursor,
                ..self
            },
            CareAction::ZoomIn => Self {
                zoom: (self.zoom + 1).min(last),
                ..self
            },
            CareAction::ZoomOut => Self {
                zoom: self.zoom.saturating_sub(1),
                ..self
            },
            CareAction::Reset => Self::default(),
        }
    }

    pub fn zoom_percent(self) -> u16 {
        ZOOM_STEPS[self.zoom.min(ZOOM_STEPS.len() - 1)]
    }

    /// What the toolbar's zoom status says.
    pub fn zoom_label(self, lang: crate::platform::lang::Lang) -> String {
        format!("{} {}%", text::TEXT_SIZE.of(lang), self.zoom_percent())
    }

    /// The classes of the page's root element (`care-elder care-contrast care-cursor
    /// care-z150`): classes, not a style attribute, which the Content-Security-Policy refuses.
    pub fn classes(self) -> String {
        let zoom = (self.zoom > 0).then(|| format!("care-z{}", self.zoom_percent()));
        [
            (self.elder, "care-elder"),
            (self.contrast, "care-contrast"),
            (self.big_cursor, "care-cursor"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, class)| class.to_string())
        .chain(zoom)
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// The `Set-Cookie` value that keeps these choices for a year (deleted when ordinary).
    pub fn set_cookie(self, secure: bool) -> String {
        let secure = if secure { "; Secure" } else { "" };
        let value = self.value();
        let age = if value.is_empty() { 0 } else { 31_536_000 };
        format!("{COOKIE}={value}; Path=/; Max-Age={age}; SameSite=Lax{secure}")
    }
}

pub mod aids;
pub mod bar;
#[cfg(feature = "ssr")]
pub mod form;
pub mod read_aloud;
pub mod route_announcer;
pub mod session_watch;
pub mod text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_through_the_cookie() {
        let care = Care::default()
            .apply(CareAction::Elder)
            .apply(CareAction::BigCursor)
            .apply(CareAction::ZoomIn)
            .apply(CareAction::ZoomIn);
        assert_eq!(care.value(), "elder.cursor.z150");
        assert_eq!(Care::parse(&care.value()), care);
        assert_eq!(
            Care::from_cookies(&format!(
                "portal_session=abc; {COOKIE}=elder.cursor.z150; x=1"
            )),
            care
        );
        assert_eq!(care.classes(), "care-elder care-cursor care-z150");
        assert_eq!(Care::from_classes(&care.classes()), care);
        assert_eq!(
            Care::from_classes("page care-contrast  other"),
            Care {
                contrast: true,
                ..Care::default()
            }
        );
        assert_eq!(Care::from_classes(""), Care::default());
    }

    #[test]
    fn zoom_stops_at_its_ends_and_reset_clears_everything() {
        let mut care = Care::default();
        for _ in 0..10 {
            care = care.apply(CareAction::ZoomIn);
        }
        assert_eq!(care.zoom_percent(), 200);
        for _ in 0..10 {
            care = care.apply(CareAction::ZoomOut);
        }
        assert_eq!(care.zoom_percent(), 100);
        let all = Care::default()
            .apply(CareAction::Elder)
            .apply(CareAction::Contrast);
        assert_eq!(all.apply(CareAction::Reset), Care::default());
        assert!(Care::default().set_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn a_damaged_cookie_gives_the_ordinary_pages() {
        assert_eq!(Care::parse("<script>.z999.elderly"), Care::default());
        assert_eq!(Care::from_cookies("portal_care"), Care::default());
        assert_eq!(CareAction::parse("zoom-in"), Some(CareAction::ZoomIn));
        assert_eq!(CareAction::parse("drop"), None);
    }
}
