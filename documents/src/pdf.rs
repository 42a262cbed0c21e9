//! The PDF: one A4 landscape page drawn from the layout. Text is real text — a Type 0 font
//! over the embedded TrueType subset (CID = subset glyph id) with a `ToUnicode` map — so it
//! can be selected and searched.

use super::font::{Font, Subset};
use super::layout::{ISSUER, Item, Layout, Op, Qr, Shape, Text};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Date, Filter, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};
use std::io::Write as _;

const PT_PER_MM: f32 = 72.0 / 25.4;

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::with_capacity(data.len() / 2), Compression::new(6));
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

/// `ABCDEF+` from the subset's bytes (the PDF convention for subset font names).
fn subset_tag(subset: &Subset) -> String {
    Sha256::digest(&subset.bytes)
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

fn path(content: &mut Content, ops: &[Op]) {
    for op in ops {
        match *op {
            Op::Move(x, y) => {
                content.move_to(x, y);
            }
            Op::Line(x, y) => {
                content.line_to(x, y);
            }
            Op::Cubic(a, b, c, d, x, y) => {
                content.cubic_to(a, b, c, d, x, y);
            }
            Op::Close => {
                content.close_path();
            }
        }
    }
}

/// The object numbers of the font's five objects.
struct FontRefs {
    type0: Ref,
    cid: Ref,
    descriptor: Ref,
    file: Ref,
    cmap: Ref,
}

/// `created` is the 加注's time (Beijing date and time parts): the document's own date, so
/// the same copy always gives the same bytes.
pub fn render(
    layout: &Layout,
    font: &Font,
    subset: &Subset,
    created: (u16, u8, u8, u8, u8, u8),
    metadata: &[super::Meta],
) -> Vec<u8> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let page = Ref::new(3);
    let type0 = Ref::new(4);
    let cid = Ref::new(5);
    let descriptor = Ref::new(6);
    let file = Ref::new(7);
    let cmap_ref = Ref::new(8);
    let content_ref = Ref::new(9);
    let info = Ref::new(10);

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let (w, h) = (layout.width * PT_PER_MM, layout.height * PT_PER_MM);
    {
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, w, h));
        p.parent(tree);
        p.contents(content_ref);
        p.resources().fonts().pair(Name(b"F1"), type0);
    }

    let refs = FontRefs {
        type0,
        cid,
        descriptor,
        file,
        cmap: cmap_ref,
    };
    write_font(&mut pdf, font, subset, &refs);

    let content = page_content(layout, subset, h);
    pdf.stream(content_ref, &content)
        .filter(Filter::FlateDecode);

    write_info(&mut pdf, info, &layout.title, created, metadata);
    let id = Sha256::digest(&content)[..16].to_vec();
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

/// Writes the Type 0 font with its CID font, descriptor, embedded subset and `ToUnicode` map.
fn write_font(pdf: &mut Pdf, font: &Font, subset: &Subset, refs: &FontRefs) {
    let base = format!("{}+{}", subset_tag(subset), font.name);
    pdf.type0_font(refs.type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(refs.cid)
        .to_unicode(refs.cmap);
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    {
        let mut c = pdf.cid_font(refs.cid);
        c.subtype(CidFontType::Type2)
            .base_font(Name(base.as_bytes()))
            .system_info(system)
            .font_descriptor(refs.descriptor)
            .default_width(1000.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        c.widths().consecutive(0, subset.widths.iter().copied());
    }
    write_descriptor(pdf, &base, font, refs);
    write_font_file(pdf, subset, refs.file);
    write_cmap(pdf, subset, system, refs.cmap);
}

/// Writes the font descriptor: the font's name, metrics and the embedded file it points to.
fn write_descriptor(pdf: &mut Pdf, base: &str, font: &Font, refs: &FontRefs) {
    pdf.font_descriptor(refs.descriptor)
        .name(Name(base.as_bytes()))
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            0.0,
            font.descender() * 1000.0,
            1000.0,
            font.ascender() * 1000.0,
        ))
        .italic_angle(0.0)
        .ascent(font.ascender() * 1000.0)
        .descent(font.descender() * 1000.0)
        .cap_height(font.ascender() * 700.0)
        .stem_v(80.0)
        .font_file2(refs.file);
}

/// Writes the subset's TrueType bytes as a compressed `FontFile2` stream.
fn write_font_file(pdf: &mut Pdf, subset: &Subset, file: Ref) {
    let packed = deflate(&subset.bytes);
    pdf.stream(file, &packed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.bytes.len() as i32);
}

/// Writes the `ToUnicode` CMap from subset glyph ids back to characters.
fn write_cmap(pdf: &mut Pdf, subset: &Subset, system: SystemInfo<'_>, cmap_ref: Ref) {
    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Portal-UCS"), system);
    for (&ch, &gid) in &subset.chars {
        cmap.pair(gid, ch);
    }
    let cmap_bytes = cmap.finish();
    pdf.cmap(cmap_ref, &cmap_bytes);
}

/// The page's content stream, compressed: every layout item drawn on a page `h` points high.
fn page_content(layout: &Layout, subset: &Subset, h: f32) -> Vec<u8> {
    let mut c = Content::new();
    // Millimetres, origin top left, y down — the layout's own space.
    c.transform([PT_PER_MM, 0.0, 0.0, -PT_PER_MM, 0.0, h]);
    for item in &layout.items {
        match item {
            Item::Shape(s) => draw_shape(&mut c, s),
            Item::Text(t) => draw_text(&mut c, t, subset),
            Item::Qr(q) => draw_qr(&mut c, q),
        }
    }
    deflate(&c.finish())
}

/// Draws one shape: sets its colours and line width, then fills and/or strokes its path.
fn draw_shape(c: &mut Content, s: &Shape) {
    if let Some(fill) = s.fill {
        let [r, g, b] = fill.unit();
        c.set_fill_rgb(r, g, b);
    }
    if let Some((stroke, width)) = s.stroke {
        let [r, g, b] = stroke.unit();
        c.set_stroke_rgb(r, g, b);
        c.set_line_width(width);
    }
    path(c, &s.ops);
    match (s.fill, s.stroke) {
        (Some(_), Some(_)) => c.fill_nonzero_and_stroke(),
        (Some(_), None) => c.fill_nonzero(),
        _ => c.stroke(),
    };
}

/// Draws one text run as subset glyph ids, turned and flipped back upright.
fn draw_text(c: &mut Content, t: &Text, subset: &Subset) {
    let [r, g, b] = t.color.unit();
    let (sin, cos) = t.angle.to_radians().sin_cos();
    let codes: Vec<u8> = t
        .glyphs
        .iter()
        .flat_map(|g| subset.id(g.id).to_be_bytes())
        .collect();
    c.begin_text();
    c.set_fill_rgb(r, g, b);
    c.set_font(Name(b"F1"), 1.0);
    c.set_text_matrix([
        t.size * cos,
        t.size * sin,
        t.size * sin,
        -t.size * cos,
        t.x,
        t.y,
    ]);
    c.show(Str(&codes));
    c.end_text();
}

/// Draws the QR code's dark cells as black squares.
fn draw_qr(c: &mut Content, q: &Qr) {
    c.set_fill_rgb(0.0, 0.0, 0.0);
    for (x, y) in q.squares() {
        c.rect(x, y, q.cell, q.cell);
    }
    c.fill_nonzero();
}

/// Writes the document information dictionary, dated `created` (Beijing time).
/// The document information: title, author and dates, the 电子证照标识 as its subject, and the
/// GB/T 36903 metadata under ASCII keys.
fn write_info(
    pdf: &mut Pdf,
    info: Ref,
    title: &str,
    created: (u16, u8, u8, u8, u8, u8),
    metadata: &[super::Meta],
) {
    let (y, mo, d, hh, mi, ss) = created;
    let date = Date::new(y)
        .month(mo)
        .day(d)
        .hour(hh)
        .minute(mi)
        .second(ss)
        .utc_offset_hour(8)
        .utc_offset_minute(0);
    let mut info = pdf.document_info(info);
    info.title(TextStr(title))
        .author(TextStr(ISSUER))
        .creator(TextStr("住建政务服务门户"))
        .producer(TextStr("住建政务服务门户 电子证照"))
        .creation_date(date)
        .modified_date(date);
    if let Some(id) = metadata.iter().find(|m| m.key == "LicenceIdentifier") {
        info.subject(TextStr(&format!("电子证照标识 {}", id.value)));
    }
    for m in metadata {
        info.pair(Name(m.key.as_bytes()), TextStr(&m.value));
    }
}
