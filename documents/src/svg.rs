//! The preview image: the layout as SVG, with the same font subset embedded so every glyph
//! sits where the PDF and the OFD put it.

use super::font::Subset;
use super::layout::{Item, Layout, Op};
use base64::Engine as _;
use std::fmt::Write as _;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Numbers to two decimals without trailing zeros.
pub fn num(v: f32) -> String {
    fixed(v, 2)
}

/// `v` to `places` decimals without trailing zeros (never `-0`).
pub fn fixed(v: f32, places: usize) -> String {
    let s = format!("{v:.places$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

pub fn path_data(ops: &[Op]) -> String {
    let mut d = String::new();
    for op in ops {
        let _ = match *op {
            Op::Move(x, y) => write!(d, "M{} {}", num(x), num(y)),
            Op::Line(x, y) => write!(d, "L{} {}", num(x), num(y)),
            Op::Cubic(a, b, c, e, x, y) => write!(
                d,
                "C{} {} {} {} {} {}",
                num(a),
                num(b),
                num(c),
                num(e),
                num(x),
                num(y)
            ),
            Op::Close => write!(d, "Z"),
        };
    }
    d
}

pub fn render(layout: &Layout, subset: &Subset, label: &str) -> String {
    let mut s = String::with_capacity(32 * 1024 + subset.bytes.len() * 4 / 3);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{pw}" height="{ph}" role="img" aria-label="{label}"><title>{label}</title><defs><style>@font-face{{font-family:"PortalCert";src:url(data:font/ttf;base64,{font}) format("truetype")}}text{{font-family:"PortalCert";white-space:pre}}</style></defs><rect width="{w}" height="{h}" fill="#fffdf8"/>"##,
        w = num(layout.width),
        h = num(layout.height),
        pw = (layout.width * 4.0) as u32,
        ph = (layout.height * 4.0) as u32,
        label = escape(label),
        font = base64::engine::general_purpose::STANDARD.encode(&subset.bytes),
    );
    for item in &layout.items {
        match item {
            Item::Shape(shape) => {
                let fill = shape.fill.map_or("none".into(), |c| c.hex());
                let _ = write!(s, r#"<path d="{}" fill="{fill}""#, path_data(&shape.ops));
                if let Some((c, w)) = shape.stroke {
                    let _ = write!(s, r#" stroke="{}" stroke-width="{}""#, c.hex(), num(w));
                }
                s.push_str("/>");
            }
            Item::Text(t) => {
                let mut xs = Vec::with_capacity(t.glyphs.len());
                let mut x = t.x;
                for a in t.advances() {
                    xs.push(num(x));
                    x += a;
                }
                let _ = write!(
                    s,
                    r#"<text x="{}" y="{}" font-size="{}" fill="{}""#,
                    xs.join(" "),
                    num(t.y),
                    num(t.size),
                    t.color.hex()
                );
                if t.angle != 0.0 {
                    let _ = write!(
                        s,
                        r#" transform="rotate({} {} {})""#,
                        num(t.angle),
                        num(t.x),
                        num(t.y)
                    );
                }
                let _ = write!(s, ">{}</text>", escape(&t.string()));
            }
            Item::Qr(q) => {
                let mut d = String::new();
                for (x, y) in q.squares() {
                    let _ = write!(d, "M{} {}h{c}v{c}h-{c}z", num(x), num(y), c = num(q.cell));
                }
                let _ = write!(s, r##"<path d="{d}" fill="#000"/>"##);
            }
        }
    }
    s.push_str("</svg>");
    s
}
