//! The certificate's CJK font: measuring text, and cutting a subset of just the glyphs one
//! document uses, so the PDF and the OFD carry the font and render anywhere.
//!
//! The font is WenQuanYi Micro Hei (文泉驿微米黑; Apache License 2.0, or GPL-3 with the font
//! exception — the portal takes it under Apache 2.0) from Debian's `fonts-wqy-microhei`
//! package: TrueType (`glyf`) outlines covering GB 2312 and Latin. `PORTAL_CERT_FONT` names
//! another TrueType font or collection (its first face is used).
//!
//! The subset is cut here rather than by the `subsetter` crate: subsetter makes subsets for
//! PDF embedding only and removes the `cmap` table, while an OFD's `TextCode` carries
//! characters, not glyph ids, so OFD readers need the subset's own `cmap` to find each glyph.

use std::collections::{BTreeMap, BTreeSet};

/// Where Debian's `fonts-wqy-microhei` puts the font.
pub const DEFAULT_FONT_PATH: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

pub struct Font {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// PostScript-style name for the documents (`WenQuanYiMicroHei`).
    pub name: String,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font").field("name", &self.name).finish()
    }
}

/// One glyph as the layout places it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub ch: char,
    /// Glyph id in the whole font.
    pub id: u16,
    /// Advance in em (multiply by the font size).
    pub advance: f32,
}

impl Font {
    /// The configured certificate font: `PORTAL_CERT_FONT` or Debian's WenQuanYi Micro Hei.
    /// Loaded once at start (its bytes live as long as the process).
    pub fn configured() -> Result<Self, String> {
        let path = std::env::var("PORTAL_CERT_FONT")
            .ok()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_FONT_PATH.into());
        Self::load(&path)
    }

    pub fn load(path: &str) -> Result<Self, String> {
        let bytes = std::fs::read(path).map_err(|e| {
            format!(
                "证照字体 {path} 无法读取({e});请安装 fonts-wqy-microhei 或以 PORTAL_CERT_FONT 指定 TrueType 字体"
            )
        })?;
        Self::from_bytes(bytes).map_err(|e| format!("证照字体 {path} 无效:{e}"))
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, String> {
        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| e.to_string())?;
        for tag in [b"glyf", b"loca", b"hmtx", b"hhea", b"head", b"maxp"] {
            if face
                .raw_face()
                .table(ttf_parser::Tag::from_bytes(tag))
                .is_none()
            {
                return Err("不是 TrueType(glyf)字体".into());
            }
        }
        let name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| "CertificateFont".into())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        Ok(Self {
            units_per_em: f32::from(face.units_per_em()),
            face,
            name,
        })
    }

    pub fn glyph(&self, ch: char) -> Glyph {
        let id = self.face.glyph_index(ch).map_or(0, |g| g.0);
        let advance = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(id))
            .map_or(0.5, |a| f32::from(a) / self.units_per_em);
        Glyph { ch, id, advance }
    }

    pub fn has(&self, ch: char) -> bool {
        self.face.glyph_index(ch).is_some()
    }

    /// Ascender in em (for text boxes).
    pub fn ascender(&self) -> f32 {
        f32::from(self.face.ascender()) / self.units_per_em
    }

    pub fn descender(&self) -> f32 {
        f32::from(self.face.descender()) / self.units_per_em
    }

    /// A TrueType font with only the glyphs of `used` (plus the components of composite
    /// glyphs and `.notdef`), renumbered from 1, with a Unicode `cmap` for the characters.
    pub fn subset(&self, used: &[Glyph]) -> Result<Subset, String> {
        Subsetter::new(self)?.run(used)
    }
}

/// A cut-down font and how the whole font's glyph ids map into it.
pub struct Subset {
    pub bytes: Vec<u8>,
    /// Whole-font glyph id → subset glyph id.
    pub ids: BTreeMap<u16, u16>,
    /// Advance of each subset glyph, in font units per 1000 em (PDF `W`).
    pub widths: Vec<f32>,
    /// Character → subset glyph id.
    pub chars: BTreeMap<char, u16>,
}

impl Subset {
    pub fn id(&self, whole: u16) -> u16 {
        self.ids.get(&whole).copied().unwrap_or(0)
    }
}

struct Subsetter<'a> {
    font: &'a Font,
    glyf: &'a [u8],
    loca: Vec<u32>,
    hmtx: &'a [u8],
    metrics: usize,
}

fn table<'a>(font: &'a Font, tag: &[u8; 4]) -> Option<&'a [u8]> {
    font.face.raw_face().table(ttf_parser::Tag::from_bytes(tag))
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, String> {
    b.get(at..at + 2)
        .map(|s| u16::from_be_bytes([s[0], s[1]]))
        .ok_or_else(|| "字体数据不完整".to_string())
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| "字体数据不完整".to_string())
}

impl<'a> Subsetter<'a> {
    fn new(font: &'a Font) -> Result<Self, String> {
        let need = |tag: &[u8; 4]| table(font, tag).ok_or_else(|| "字体缺少必要的表".to_string());
        let head = need(b"head")?;
        let maxp = need(b"maxp")?;
        let loca_raw = need(b"loca")?;
        let glyphs = usize::from(u16_at(maxp, 4)?);
        let long = u16_at(head, 50)? == 1;
        let loca = (0..=glyphs)
            .map(|i| {
                if long {
                    u32_at(loca_raw, i * 4)
                } else {
                    u16_at(loca_raw, i * 2).map(|v| u32::from(v) * 2)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            font,
            glyf: need(b"glyf")?,
            loca,
            hmtx: need(b"hmtx")?,
            metrics: usize::from(u16_at(need(b"hhea")?, 34)?),
        })
    }

    fn glyph_data(&self, id: u16) -> &'a [u8] {
        let i = usize::from(id);
        match (self.loca.get(i), self.loca.get(i + 1)) {
            (Some(&s), Some(&e)) if s < e => self.glyf.get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Offsets of the glyph-id fields of a composite glyph's components.
    fn components(data: &[u8]) -> Vec<usize> {
        let mut out = Vec::new();
        if data.len() < 10 || i16::from_be_bytes([data[0], data[1]]) >= 0 {
            return out;
        }
        let mut at = 10;
        while at + 4 <= data.len() {
            let flags = u16::from_be_bytes([data[at], data[at + 1]]);
            out.push(at + 2);
            at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
            at += if flags & 0x0008 != 0 {
                2
            } else if flags & 0x0040 != 0 {
                4
            } else if flags & 0x0080 != 0 {
                8
            } else {
                0
            };
            if flags & 0x0020 == 0 {
                break;
            }
        }
        out
    }

    fn metric(&self, id: u16) -> (u16, i16) {
        let i = usize::from(id);
        let last = self.metrics.saturating_sub(1);
        let adv_at = i.min(last) * 4;
        let advance = u16_at(self.hmtx, adv_at).unwrap_or(0);
        let lsb = if i < self.metrics {
            u16_at(self.hmtx, i * 4 + 2)
        } else {
            u16_at(self.hmtx, self.metrics * 4 + (i - self.metrics) * 2)
        }
        .unwrap_or(0) as i16;
        (advance, lsb)
    }

    fn run(self, used: &[Glyph]) -> Result<Subset, String> {
        let order = self.glyph_order(used);
        let ids: BTreeMap<u16, u16> = order
            .iter()
            .enumerate()
            .map(|(n, &old)| (old, n as u16))
            .collect();

        let CutGlyphs {
            glyf,
            loca,
            hmtx,
            widths,
        } = self.cut_glyphs(&order, &ids);

        let chars: BTreeMap<char, u16> = used
            .iter()
            .filter(|g| g.id != 0)
            .map(|g| (g.ch, ids[&g.id]))
            .collect();
        let count = order.len() as u16;

        let tables = self.tables(&chars, glyf, hmtx, &loca, count);
        Ok(Subset {
            bytes: assemble(tables),
            ids,
            widths,
            chars,
        })
    }

    /// The whole-font ids of the subset's glyphs, in subset order.
    fn glyph_order(&self, used: &[Glyph]) -> Vec<u16> {
        // Order: .notdef, then the used glyphs in first-use order, then components.
        let mut order: Vec<u16> = vec![0];
        let mut ids: BTreeMap<u16, u16> = BTreeMap::from([(0, 0)]);
        let mut add = |id: u16, order: &mut Vec<u16>| {
            if let std::collections::btree_map::Entry::Vacant(e) = ids.entry(id) {
                e.insert(order.len() as u16);
                order.push(id);
            }
        };
        for g in used {
            add(g.id, &mut order);
        }
        let mut i = 0;
        while i < order.len() {
            let data = self.glyph_data(order[i]);
            for at in Self::components(data) {
                add(u16::from_be_bytes([data[at], data[at + 1]]), &mut order);
            }
            i += 1;
        }
        order
    }

    /// The `glyf`, `loca`, `hmtx` data and widths of `order`, components renumbered by `ids`.
    fn cut_glyphs(&self, order: &[u16], ids: &BTreeMap<u16, u16>) -> CutGlyphs {
        let mut glyf = Vec::new();
        let mut loca = Vec::with_capacity(order.len() + 1);
        let mut hmtx = Vec::with_capacity(order.len() * 4);
        let mut widths = Vec::with_capacity(order.len());
        for &old in order {
            loca.push(glyf.len() as u32);
            let mut data = self.glyph_data(old).to_vec();
            for at in Self::components(&data) {
                let comp = u16::from_be_bytes([data[at], data[at + 1]]);
                let new = ids.get(&comp).copied().unwrap_or(0);
                data[at..at + 2].copy_from_slice(&new.to_be_bytes());
            }
            glyf.extend_from_slice(&data);
            while glyf.len() % 4 != 0 {
                glyf.push(0);
            }
            let (advance, lsb) = self.metric(old);
            hmtx.extend_from_slice(&advance.to_be_bytes());
            hmtx.extend_from_slice(&lsb.to_be_bytes());
            widths.push(f32::from(advance) * 1000.0 / self.font.units_per_em);
        }
        loca.push(glyf.len() as u32);
        CutGlyphs {
            glyf,
            loca,
            hmtx,
            widths,
        }
    }

    /// Every table of the subset: the rebuilt ones, then those copied whole from the font.
    fn tables(
        &self,
        chars: &BTreeMap<char, u16>,
        glyf: Vec<u8>,
        hmtx: Vec<u8>,
        loca: &[u32],
        count: u16,
    ) -> Vec<([u8; 4], Vec<u8>)> {
        let mut head = table(self.font, b"head").unwrap_or(&[]).to_vec();
        head[8..12].copy_from_slice(&[0; 4]);
        head[50..52].copy_from_slice(&1u16.to_be_bytes());
        let mut hhea = table(self.font, b"hhea").unwrap_or(&[]).to_vec();
        hhea[34..36].copy_from_slice(&count.to_be_bytes());
        let mut maxp = table(self.font, b"maxp").unwrap_or(&[]).to_vec();
        maxp[4..6].copy_from_slice(&count.to_be_bytes());
        let mut post = table(self.font, b"post")
            .map(|p| p.get(..32).unwrap_or(p).to_vec())
            .unwrap_or_else(|| vec![0; 32]);
        post.resize(32, 0);
        post[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

        let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
            (*b"cmap", cmap(chars)),
            (*b"glyf", glyf),
            (*b"head", head),
            (*b"hhea", hhea),
            (*b"hmtx", hmtx),
            (
                *b"loca",
                loca.iter().flat_map(|o| o.to_be_bytes()).collect(),
            ),
            (*b"maxp", maxp),
            (*b"post", post),
        ];
        for tag in [b"OS/2", b"name", b"cvt ", b"fpgm", b"prep"] {
            if let Some(t) = table(self.font, tag) {
                tables.push((*tag, t.to_vec()));
            }
        }
        tables
    }
}

/// The subset's glyph data, as [`Subsetter::cut_glyphs`] builds it.
struct CutGlyphs {
    glyf: Vec<u8>,
    loca: Vec<u32>,
    hmtx: Vec<u8>,
    /// Advance of each glyph, in font units per 1000 em.
    widths: Vec<f32>,
}

/// A `cmap` with a format-4 subtable (BMP) and a format-12 one (all), both Windows Unicode.
fn cmap(chars: &BTreeMap<char, u16>) -> Vec<u8> {
    let bmp: Vec<(u16, u16)> = chars
        .iter()
        .filter_map(|(&c, &g)| u16::try_from(u32::from(c)).ok().map(|c| (c, g)))
        .filter(|(c, _)| *c != 0xFFFF)
        .collect();
    let seg_count = bmp.len() + 1;
    let mut f4 = Vec::new();
    let len = 16 + seg_count * 8;
    let pow = seg_count.next_power_of_two().max(1);
    let (pow, log) = if pow > seg_count {
        (pow / 2, (pow / 2).trailing_zeros())
    } else {
        (pow, pow.trailing_zeros())
    };
    for v in [
        4u16,
        len as u16,
        0,
        (seg_count * 2) as u16,
        (pow * 2) as u16,
        log as u16,
        ((seg_count - pow) * 2) as u16,
    ] {
        f4.extend_from_slice(&v.to_be_bytes());
    }
    for &(c, _) in &bmp {
        f4.extend_from_slice(&c.to_be_bytes());
    }
    f4.extend_from_slice(&0xFFFFu16.to_be_bytes());
    f4.extend_from_slice(&0u16.to_be_bytes());
    for &(c, _) in &bmp {
        f4.extend_from_slice(&c.to_be_bytes());
    }
    f4.extend_from_slice(&0xFFFFu16.to_be_bytes());
    for &(c, g) in &bmp {
        f4.extend_from_slice(&g.wrapping_sub(c).to_be_bytes());
    }
    f4.extend_from_slice(&1u16.to_be_bytes());
    f4.extend(std::iter::repeat_n(0u8, seg_count * 2));

    let mut f12 = Vec::new();
    f12.extend_from_slice(&12u16.to_be_bytes());
    f12.extend_from_slice(&0u16.to_be_bytes());
    f12.extend_from_slice(&((16 + chars.len() * 12) as u32).to_be_bytes());
    f12.extend_from_slice(&0u32.to_be_bytes());
    f12.extend_from_slice(&(chars.len() as u32).to_be_bytes());
    for (&c, &g) in chars {
        f12.extend_from_slice(&u32::from(c).to_be_bytes());
        f12.extend_from_slice(&u32::from(c).to_be_bytes());
        f12.extend_from_slice(&u32::from(g).to_be_bytes());
    }

    let mut out = Vec::new();
    for v in [0u16, 2, 3, 1] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&20u32.to_be_bytes());
    out.extend_from_slice(&3u16.to_be_bytes());
    out.extend_from_slice(&10u16.to_be_bytes());
    out.extend_from_slice(&((20 + f4.len()) as u32).to_be_bytes());
    out.extend_from_slice(&f4);
    out.extend_from_slice(&f12);
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// The sfnt file: table directory (sorted tags), 4-aligned tables, `head`'s checksum
/// adjustment.
fn assemble(mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|a| a.0);
    let n = tables.len();
    let pow = 1usize << (usize::BITS - 1 - n.leading_zeros());
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [
        n as u16,
        (pow * 16) as u16,
        pow.trailing_zeros() as u16,
        ((n - pow) * 16) as u16,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * n;
    let mut head_at = None;
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// The distinct glyphs of some text, in first-use order.
pub fn distinct(glyphs: impl IntoIterator<Item = Glyph>) -> Vec<Glyph> {
    let mut seen = BTreeSet::new();
    glyphs.into_iter().filter(|g| seen.insert(g.ch)).collect()
}

/// The configured font, loaded once for all of a test binary's tests.
#[cfg(test)]
pub(crate) fn for_tests() -> Result<&'static Font, String> {
    static FONT: std::sync::OnceLock<Result<Font, String>> = std::sync::OnceLock::new();
    FONT.get_or_init(Font::configured)
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> Option<&'static Font> {
        match for_tests() {
            Ok(f) => Some(f),
            Err(e) if std::env::var("PORTAL_DOC_TOOLS").as_deref() == Ok("required") => {
                panic!("{e}")
            }
            Err(e) => {
                eprintln!("SKIPPED (no certificate font): {e}");
                None
            }
        }
    }

    #[test]
    fn the_font_covers_the_certificate_text() {
        let Some(font) = font() else { return };
        for c in "中华人民共和国住房和城乡建设部一级建造师注册证书王建国0123456789-X:".chars()
        {
            assert!(font.has(c), "{c}");
        }
    }

    #[test]
    fn a_subset_keeps_only_the_used_glyphs_and_reads_back() {
        let Some(font) = font() else { return };
        let glyphs = distinct("王建国 A1 王".chars().map(|c| font.glyph(c)));
        assert_eq!(glyphs.len(), 6);
        let sub = font.subset(&glyphs).unwrap();
        assert!(sub.bytes.len() < 20_000, "{}", sub.bytes.len());
        let face = ttf_parser::Face::parse(&sub.bytes, 0).unwrap();
        assert_eq!(face.number_of_glyphs() as usize, sub.widths.len());
        for g in &glyphs {
            let new = face.glyph_index(g.ch).map(|g| g.0);
            assert_eq!(new, Some(sub.id(g.id)), "{}", g.ch);
            assert_eq!(
                face.glyph_hor_advance(ttf_parser::GlyphId(sub.id(g.id))),
                font.face.glyph_hor_advance(ttf_parser::GlyphId(g.id))
            );
            if g.ch != ' ' {
                // The outline came along.
                assert!(
                    face.glyph_bounding_box(ttf_parser::GlyphId(sub.id(g.id)))
                        .is_some(),
                    "{}",
                    g.ch
                );
            }
        }
        assert_eq!(face.glyph_index('李'), None);
    }
}
