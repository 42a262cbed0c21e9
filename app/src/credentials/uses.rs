pub const COPY: &str = "copy";
pub const SHOW: &str = "show";
pub const GRANT: &str = "grant";
/// The kinds, in the order the page's filter lists them.
pub const KINDS: [&str; 3] = [COPY, SHOW, GRANT];
/// Lines per page.
pub const PAGE: i64 = 20;
/// Looks at one copy or grant link from one (masked) address and browser within this many
/// seconds are one line with a count: whoever holds a 核验码 cannot flood the record.
pub const COALESCE_WITHIN: i64 = 86_400;

pub fn label(kind: &str) -> &'static str {
    match kind {
        COPY => "副本核验",
        SHOW => "亮证核验",
        GRANT => "授权核验",
        _ => "核验",
    }
}
