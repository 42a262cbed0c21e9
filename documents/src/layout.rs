//! The certificate's one layout: every text run with its glyphs already placed, every shape,
//! and the verification QR code, in millimetres on an A4 landscape page (origin top left,
//! y downwards). The preview image, the PDF and the OFD only translate it.

use super::font::{Font, Glyph};
use app::certificates::annotation::purpose_phrase;
use app::domain::DocumentKind;
use app::platform::ports::documents::DocumentData;

pub const PAGE_WIDTH: f32 = 297.0;
pub const PAGE_HEIGHT: f32 = 210.0;
/// The issuer printed in the seal and named as the documents' author.
pub const ISSUER: &str = "中华人民共和国住房和城乡建设部";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
    pub fn unit(self) -> [f32; 3] {
        [self.0, self.1, self.2].map(|c| f32::from(c) / 255.0)
    }
}

const INK: Color = Color(0x1a, 0x1a, 0x1a);
const LABEL: Color = Color(0x55, 0x4a, 0x3c);
const FRAME: Color = Color(0x8b, 0x5a, 0x2b);
const RED: Color = Color(0xd7, 0x1f, 0x26);
const EMBLEM_RED: Color = Color(0xc8, 0x10, 0x2e);
const GOLD: Color = Color(0xf2, 0xc1, 0x2e);
const WATERMARK: Color = Color(0xf3, 0xc4, 0xc4);
const TABLE_HEAD: Color = Color(0xf4, 0xec, 0xdf);
const MUTED: Color = Color(0x6b, 0x6b, 0x6b);

/// A run of text on one baseline, turned `angle` degrees clockwise about its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub x: f32,
    /// Baseline.
    pub y: f32,
    pub size: f32,
    pub color: Color,
    pub angle: f32,
    pub glyphs: Vec<Glyph>,
}

impl Text {
    pub fn string(&self) -> String {
        self.glyphs.iter().map(|g| g.ch).collect()
    }
    /// Each glyph's advance in millimetres.
    pub fn advances(&self) -> impl Iterator<Item = f32> + '_ {
        self.glyphs.iter().map(|g| g.advance * self.size)
    }
    pub fn width(&self) -> f32 {
        self.advances().sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Move(f32, f32),
    Line(f32, f32),
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub ops: Vec<Op>,
    pub fill: Option<Color>,
    /// Colour and line width.
    pub stroke: Option<(Color, f32)>,
}

/// The verification QR code: `modules`² cells from (x, y), `cell` millimetres each.
#[derive(Debug, Clone, PartialEq)]
pub struct Qr {
    pub x: f32,
    pub y: f32,
    pub cell: f32,
    pub modules: usize,
    pub dark: Vec<bool>,
    pub text: String,
}

impl Qr {
    /// The dark cells as squares (shared by the three renderers).
    pub fn squares(&self) -> impl Iterator<Item = (f32, f32)> + '_ {
        self.dark
            .iter()
            .enumerate()
            .filter(|(_, d)| **d)
            .map(|(i, _)| {
                let (row, col) = (i / self.modules, i % self.modules);
                (
                    self.x + col as f32 * self.cell,
                    self.y + row as f32 * self.cell,
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(Text),
    Shape(Shape),
    Qr(Qr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub title: String,
    /// Page size in millimetres.
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Layout {
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }
    pub fn qr(&self) -> Option<&Qr> {
        self.items.iter().find_map(|i| match i {
            Item::Qr(q) => Some(q),
            _ => None,
        })
    }
    /// Every glyph the page uses (for the font subset).
    pub fn glyphs(&self) -> Vec<Glyph> {
        super::font::distinct(self.texts().flat_map(|t| t.glyphs.iter().copied()))
    }
}

#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Middle,
}

struct Builder<'f> {
    font: &'f Font,
    items: Vec<Item>,
}

impl Builder<'_> {
    fn shape(&mut self, ops: Vec<Op>, fill: Option<Color>, stroke: Option<(Color, f32)>) {
        self.items.push(Item::Shape(Shape { ops, fill, stroke }));
    }

    fn glyphs(&self, s: &str) -> Vec<Glyph> {
        s.chars()
            .filter(|c| !c.is_control())
            .map(|c| self.font.glyph(c))
            .collect()
    }

    /// Text at `size`, made smaller if needed to fit `max_width`.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        s: &str,
        x: f32,
        y: f32,
        size: f32,
        color: Color,
        anchor: Anchor,
        angle: f32,
        max_width: f32,
    ) {
        let glyphs = self.glyphs(s);
        let em: f32 = glyphs.iter().map(|g| g.advance).sum();
        let size = if em * size > max_width && em > 0.0 {
            max_width / em
        } else {
            size
        };
        let shift = match anchor {
            Anchor::Start => 0.0,
            Anchor::Middle => em * size / 2.0,
        };
        let (sin, cos) = angle.to_radians().sin_cos();
        self.items.push(Item::Text(Text {
            x: x - shift * cos,
            y: y - shift * sin,
            size,
            color,
            angle,
            glyphs,
        }));
    }

    fn plain(&mut self, s: &str, x: f32, y: f32, size: f32, color: Color) {
        self.text(s, x, y, size, color, Anchor::Start, 0.0, PAGE_WIDTH);
    }

    fn centered(&mut self, s: &str, x: f32, y: f32, size: f32, color: Color, max_width: f32) {
        self.text(s, x, y, size, color, Anchor::Middle, 0.0, max_width);
    }
}

pub fn rect(x: f32, y: f32, w: f32, h: f32) -> Vec<Op> {
    vec![
        Op::Move(x, y),
        Op::Line(x + w, y),
        Op::Line(x + w, y + h),
        Op::Line(x, y + h),
        Op::Close,
    ]
}

pub fn circle(cx: f32, cy: f32, r: f32) -> Vec<Op> {
    let k = 0.552_284_8 * r;
    vec![
        Op::Move(cx + r, cy),
        Op::Cubic(cx + r, cy + k, cx + k, cy + r, cx, cy + r),
        Op::Cubic(cx - k, cy + r, cx - r, cy + k, cx - r, cy),
        Op::Cubic(cx - r, cy - k, cx - k, cy - r, cx, cy - r),
        Op::Cubic(cx + k, cy - r, cx + r, cy - k, cx + r, cy),
        Op::Close,
    ]
}

/// A five-pointed star, one point `turn` degrees clockwise from straight up.
pub fn star(cx: f32, cy: f32, r: f32, turn: f32) -> Vec<Op> {
    let inner = r * 0.382;
    let mut ops: Vec<Op> = (0..10)
        .map(|i| {
            let radius = if i % 2 == 0 { r } else { inner };
            let a = (turn + i as f32 * 36.0).to_radians();
            let (x, y) = (cx + radius * a.sin(), cy - radius * a.cos());
            if i == 0 {
                Op::Move(x, y)
            } else {
                Op::Line(x, y)
            }
        })
        .collect();
    ops.push(Op::Close);
    ops
}

/// `YYYY-MM-DD` → `YYYY年MM月DD日`.
fn chinese_date(d: &str) -> String {
    let mut parts = d.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(day)) => format!("{y}年{m}月{day}日"),
        _ => d.to_string(),
    }
}

/// The certificate, laid out. `verify_url` is what the QR code opens (only copies have one).
pub fn layout(font: &Font, doc: &DocumentData, verify_url: Option<&str>) -> Layout {
    let mut b = Builder {
        font,
        items: Vec::new(),
    };
    let mid = PAGE_WIDTH / 2.0;

    draw_frame(&mut b);
    draw_watermark(&mut b, doc, mid);
    draw_emblem(&mut b, mid);

    // Title.
    b.centered(&doc.title, mid, 53.0, 8.0, INK, 220.0);
    b.centered("(电子证照)", mid, 61.0, 4.0, LABEL, 60.0);

    draw_fields(&mut b, doc);
    draw_specialties(&mut b, doc);

    // 个人签名 box.
    b.shape(rect(172.0, 128.0, 42.0, 26.0), None, Some((FRAME, 0.3)));
    b.plain("个人签名", 174.5, 133.5, 3.4, LABEL);

    draw_verification(&mut b, doc, verify_url);
    draw_seal_and_date(&mut b, doc);
    draw_footer(&mut b, doc, mid);

    Layout {
        title: doc.title.clone(),
        width: PAGE_WIDTH,
        height: PAGE_HEIGHT,
        items: b.items,
    }
}

/// The double frame round the page.
fn draw_frame(b: &mut Builder<'_>) {
    // Frame.
    b.shape(rect(8.0, 8.0, 281.0, 194.0), None, Some((FRAME, 0.8)));
    b.shape(rect(10.5, 10.5, 276.0, 189.0), None, Some((FRAME, 0.3)));
}

/// The 加注 watermark across the middle of the page (copies only).
fn draw_watermark(b: &mut Builder<'_>, doc: &DocumentData, mid: f32) {
    // The 加注 watermark, under everything else.
    if let Some(copy) = &doc.copy {
        let angle = -16.0;
        let (cx, cy) = (mid - 10.0, 108.0);
        let lines = [
            (purpose_phrase(&copy.purpose), 10.0),
            (format!("使用有效期至 {}", copy.valid_until), 7.0),
            (format!("副本编号 {}", copy.copy_no), 5.5),
        ];
        let mut offset = -12.0;
        for (line, size) in lines {
            // Lines stack perpendicular to the turned baseline.
            let (sin, cos) = f32::to_radians(angle).sin_cos();
            let (x, y) = (cx - offset * sin, cy + offset * cos);
            b.text(&line, x, y, size, WATERMARK, Anchor::Middle, angle, 190.0);
            offset += size + 4.0;
        }
    }
}

/// The national emblem at the top centre.
fn draw_emblem(b: &mut Builder<'_>, mid: f32) {
    // The national emblem area: a red disc with a golden ring and stars.
    let (ex, ey) = (mid, 27.0);
    b.shape(circle(ex, ey, 11.0), Some(EMBLEM_RED), Some((GOLD, 0.8)));
    b.shape(star(ex, ey - 1.5, 4.6, 0.0), Some(GOLD), None);
    for (i, turn) in [-58.0f32, -29.0, 29.0, 58.0].into_iter().enumerate() {
        let a = turn.to_radians();
        let (sx, sy) = (ex + 7.2 * a.sin(), ey - 1.5 - 7.2 * a.cos() + 3.0);
        b.shape(
            star(sx, sy, 1.5, turn + if i < 2 { 20.0 } else { -20.0 }),
            Some(GOLD),
            None,
        );
    }
    b.centered("中华人民共和国", ex, ey + 8.0, 2.2, GOLD, 18.0);
}

/// The holder's labelled fields, one under another.
fn draw_fields(b: &mut Builder<'_>, doc: &DocumentData) {
    // Fields. A 居民身份证's number is labelled as always; another kind's says which it is.
    let document = match doc.id_kind {
        DocumentKind::ResidentId => ("身份证号", doc.id_number_masked.clone()),
        kind => (
            "证件号码",
            format!("{} {}", kind.label(), doc.id_number_masked),
        ),
    };
    let fields = [
        ("姓\u{3000}\u{3000}名", doc.name.as_str()),
        ("性\u{3000}\u{3000}别", doc.gender.as_str()),
        (document.0, document.1.as_str()),
        ("聘用企业", doc.employer.as_str()),
        ("注册编号", doc.registration_no.as_str()),
        ("注册类别", doc.category.as_str()),
    ];
    let mut y = 76.0;
    for (label, value) in fields {
        b.plain(label, 30.0, y, 4.2, LABEL);
        b.text(value, 52.0, y, 4.4, INK, Anchor::Start, 0.0, 118.0);
        y += 8.6;
    }
}

/// The 注册专业 table: each specialty with its validity, or one row with the certificate's.
fn draw_specialties(b: &mut Builder<'_>, doc: &DocumentData) {
    // 注册专业 table.
    let (tx, col, tw) = (30.0, 95.0, 130.0);
    let top = 139.0;
    let row = 7.0;
    let rows: Vec<(String, String)> = if doc.specialties.is_empty() {
        vec![("—".into(), doc.valid_until.clone())]
    } else {
        doc.specialties
            .iter()
            .map(|s| (s.name.clone(), s.valid_until.clone()))
            .collect()
    };
    let height = row * (rows.len() + 1) as f32;
    b.shape(rect(tx, top, tw, row), Some(TABLE_HEAD), None);
    b.shape(rect(tx, top, tw, height), None, Some((FRAME, 0.3)));
    b.shape(
        vec![Op::Move(col, top), Op::Line(col, top + height)],
        None,
        Some((FRAME, 0.3)),
    );
    for i in 1..=rows.len() {
        let ly = top + row * i as f32;
        b.shape(
            vec![Op::Move(tx, ly), Op::Line(tx + tw, ly)],
            None,
            Some((FRAME, 0.3)),
        );
    }
    b.centered("注册专业", (tx + col) / 2.0, top + 5.0, 3.8, LABEL, 60.0);
    b.centered("有效期", (col + tx + tw) / 2.0, top + 5.0, 3.8, LABEL, 60.0);
    for (i, (name, until)) in rows.iter().enumerate() {
        let ly = top + row * (i + 1) as f32 + 5.0;
        b.centered(name, (tx + col) / 2.0, ly, 3.8, INK, 60.0);
        b.centered(until, (col + tx + tw) / 2.0, ly, 3.8, INK, 60.0);
    }
}

/// The verification box: the QR code for `verify_url`, or a placeholder if there is none.
fn draw_verification(b: &mut Builder<'_>, doc: &DocumentData, verify_url: Option<&str>) {
    // Verification QR code.
    let (qx, qy, qsize) = (228.0, 66.0, 40.0);
    match verify_url.and_then(|u| {
        qrcode::QrCode::with_error_correction_level(u, qrcode::EcLevel::M)
            .ok()
            .map(|c| (u, c))
    }) {
        Some((url, code)) => draw_qr(b, doc, url, &code, (qx, qy, qsize)),
        None => {
            b.shape(rect(qx, qy, qsize, qsize), None, Some((MUTED, 0.3)));
            b.centered(
                "加注后生成核验码",
                qx + qsize / 2.0,
                qy + qsize / 2.0 + 1.2,
                3.2,
                MUTED,
                qsize - 4.0,
            );
        }
    }
}

/// The QR code in its box (x, y, side), captioned, with the copy's 核验码 under it.
fn draw_qr(
    b: &mut Builder<'_>,
    doc: &DocumentData,
    url: &str,
    code: &qrcode::QrCode,
    (qx, qy, qsize): (f32, f32, f32),
) {
    let modules = code.width();
    // Four cells of quiet zone inside the box.
    let cell = qsize / (modules + 8) as f32;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    b.items.push(Item::Qr(Qr {
        x: qx + 4.0 * cell,
        y: qy + 4.0 * cell,
        cell,
        modules,
        dark,
        text: url.to_string(),
    }));
    b.centered(
        "扫码核验真伪",
        qx + qsize / 2.0,
        qy + qsize + 5.0,
        3.4,
        LABEL,
        qsize,
    );
    // For whoever cannot scan: the code to type at /verify.
    if let Some(copy) = &doc.copy {
        b.centered(
            &format!("核验码 {}", copy.verify_code),
            qx + qsize / 2.0,
            qy + qsize + 10.0,
            2.4,
            MUTED,
            qsize + 16.0,
        );
    }
}

/// The issuer's seal in its place, with the date of issue under it.
fn draw_seal_and_date(b: &mut Builder<'_>, doc: &DocumentData) {
    // The issuer's round red seal, with 发证日期 under it.
    let (sx, sy, sr) = (SEAL_CENTER.0, SEAL_CENTER.1, SEAL_RADIUS);
    draw_seal(b, sx, sy, sr);
    b.centered(
        &format!("发证日期:{}", chinese_date(&doc.issued_on)),
        sx,
        sy + sr + 7.0,
        3.8,
        INK,
        60.0,
    );
}

/// The footer line along the bottom of the page.
fn draw_footer(b: &mut Builder<'_>, doc: &DocumentData, mid: f32) {
    // Footer: the 加注 in plain words, or that this is only a preview.
    let footer = match &doc.copy {
        Some(copy) => format!(
            "加注:{} · 使用有效期至 {} · 副本编号 {} · 发证机关:{ISSUER}",
            purpose_phrase(&copy.purpose),
            copy.valid_until,
            copy.copy_no
        ),
        None => format!("预览:未加注的证照只可查看,不作证明使用 · 发证机关:{ISSUER}"),
    };
    b.centered(&footer, mid, 196.0, 3.0, MUTED, 260.0);
}

/// Where the seal sits on the certificate (centre, millimetres) and its radius.
pub const SEAL_CENTER: (f32, f32) = (248.0, 150.0);
pub const SEAL_RADIUS: f32 = 20.0;
/// The seal's name (GB/T 38540 印章名称).
pub const SEAL_NAME: &str = "中华人民共和国住房和城乡建设部电子证照专用章";

/// The round red seal: double ring, star, the issuer's name along the upper arc and
/// 电子证照专用章 under the star.
fn draw_seal(b: &mut Builder<'_>, sx: f32, sy: f32, sr: f32) {
    b.shape(circle(sx, sy, sr), None, Some((RED, 1.1)));
    b.shape(circle(sx, sy, sr - 1.5), None, Some((RED, 0.25)));
    b.shape(star(sx, sy, 5.8, 0.0), Some(RED), None);
    let chars: Vec<char> = ISSUER.chars().collect();
    let (from, to) = (-118.0f32, 118.0f32);
    let size = 3.9;
    for (i, c) in chars.iter().enumerate() {
        let phi = from + (to - from) * i as f32 / (chars.len() - 1) as f32;
        let (sin, cos) = phi.to_radians().sin_cos();
        let r = sr - 2.6 - size * 0.85;
        b.text(
            &c.to_string(),
            sx + r * sin,
            sy - r * cos,
            size,
            RED,
            Anchor::Middle,
            phi,
            size,
        );
    }
    b.centered("电子证照专用章", sx, sy + 11.5, 2.8, RED, 24.0);
}

/// The seal alone on a page of its own size: the picture of the electronic seal.
pub fn seal_layout(font: &Font) -> Layout {
    let mut b = Builder {
        font,
        items: Vec::new(),
    };
    let side = SEAL_RADIUS * 2.0 + 2.0;
    draw_seal(&mut b, side / 2.0, side / 2.0, SEAL_RADIUS);
    Layout {
        title: SEAL_NAME.into(),
        width: side,
        height: side,
        items: b.items,
    }
}
