//! The OFD (GB/T 33190-2016): a zip package with `OFD.xml`, `Doc_0/Document.xml`,
//! `Doc_0/PublicRes.xml` (the embedded font subset), one page of `TextObject`s and
//! `PathObject`s drawn from the layout, and the issuer's electronic seal signature (GB/T 33190
//! §18, `Type="Seal"`): `Signature.xml` lists the SM3 digest of every file of the package and
//! places the seal (`StampAnnot`), `Seal.esl` is the seal (GB/T 38540 `SESeal`), and
//! `SignedValue.dat` is the GB/T 38540 `SES_Signature` over `Signature.xml`.

use super::font::Subset;
use super::layout::{ISSUER, Item, Layout, Op, Qr, Shape, Text};
use super::sign::{IssuerKey, SM2_SIGN_OID, SM3_OID, sm3};
use super::svg::{escape, fixed, num};
use base64::Engine as _;
use std::fmt::Write as _;
use std::io::Write as _;

const NS: &str = "http://www.ofdspec.org/2016";
pub const SIGNATURE_XML: &str = "Doc_0/Signs/Sign_0/Signature.xml";
pub const SIGNED_VALUE: &str = "Doc_0/Signs/Sign_0/SignedValue.dat";

fn color(c: super::layout::Color) -> String {
    format!("{} {} {}", c.0, c.1, c.2)
}

/// The page's `Content.xml`: one layer, an object per layout item, ids counted on `next_id`.
fn page_content(layout: &Layout, font_id: u32, next_id: &mut u32) -> String {
    let mut id = || {
        *next_id += 1;
        *next_id
    };
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="{}">"#,
        id()
    );
    let whole = format!("0 0 {} {}", num(layout.width), num(layout.height));
    for item in &layout.items {
        match item {
            Item::Shape(shape) => path_object(&mut s, shape, id(), &whole),
            Item::Text(t) => text_object(&mut s, t, id(), &whole, font_id),
            Item::Qr(q) => qr_object(&mut s, q, id(), &whole),
        }
    }
    s.push_str("</ofd:Layer></ofd:Content></ofd:Page>");
    s
}

/// Appends a shape as a `PathObject` with its fill, stroke and path data.
fn path_object(s: &mut String, shape: &Shape, id: u32, whole: &str) {
    let _ = write!(
        s,
        r#"<ofd:PathObject ID="{}" Boundary="{whole}" Fill="{}" Stroke="{}""#,
        id,
        shape.fill.is_some(),
        shape.stroke.is_some()
    );
    if let Some((_, w)) = shape.stroke {
        let _ = write!(s, r#" LineWidth="{}""#, num(w));
    }
    s.push('>');
    if let Some(c) = shape.fill {
        let _ = write!(s, r#"<ofd:FillColor Value="{}"/>"#, color(c));
    }
    if let Some((c, _)) = shape.stroke {
        let _ = write!(s, r#"<ofd:StrokeColor Value="{}"/>"#, color(c));
    }
    let _ = write!(
        s,
        "<ofd:AbbreviatedData>{}</ofd:AbbreviatedData></ofd:PathObject>",
        ofd_path(&shape.ops)
    );
}

/// Appends a text run as a `TextObject`: characters, glyph advances and any turn.
fn text_object(s: &mut String, t: &Text, id: u32, whole: &str, font_id: u32) {
    let advances: Vec<f32> = t.advances().collect();
    let deltas: Vec<String> = advances
        .iter()
        .take(advances.len().saturating_sub(1))
        .map(|a| num(*a))
        .collect();
    let _ = write!(
        s,
        r#"<ofd:TextObject ID="{}" Boundary="{whole}" Font="{font_id}" Size="{}""#,
        id,
        num(t.size)
    );
    if t.angle != 0.0 {
        let (sin, cos) = t.angle.to_radians().sin_cos();
        // Turn about the run's origin (x, y), in the page's y-down space.
        let e = t.x - t.x * cos + t.y * sin;
        let f = t.y - t.x * sin - t.y * cos;
        let _ = write!(
            s,
            r#" CTM="{} {} {} {} {} {}""#,
            fixed(cos, 4),
            fixed(sin, 4),
            fixed(-sin, 4),
            fixed(cos, 4),
            num(e),
            num(f)
        );
    }
    let _ = write!(
        s,
        r#"><ofd:FillColor Value="{}"/><ofd:TextCode X="{}" Y="{}""#,
        color(t.color),
        num(t.x),
        num(t.y)
    );
    if !deltas.is_empty() {
        let _ = write!(s, r#" DeltaX="{}""#, deltas.join(" "));
    }
    let _ = write!(
        s,
        ">{}</ofd:TextCode></ofd:TextObject>",
        escape(&t.string())
    );
}

/// Appends the QR code as one black `PathObject` of closed squares.
fn qr_object(s: &mut String, q: &Qr, id: u32, whole: &str) {
    let mut d = String::new();
    for (x, y) in q.squares() {
        let _ = write!(
            d,
            "M {} {} L {} {} L {} {} L {} {} C ",
            num(x),
            num(y),
            num(x + q.cell),
            num(y),
            num(x + q.cell),
            num(y + q.cell),
            num(x),
            num(y + q.cell)
        );
    }
    let _ = write!(
        s,
        r#"<ofd:PathObject ID="{}" Boundary="{whole}" Fill="true" Stroke="false"><ofd:FillColor Value="0 0 0"/><ofd:AbbreviatedData>{}</ofd:AbbreviatedData></ofd:PathObject>"#,
        id,
        d.trim_end()
    );
}

/// Path operations as OFD abbreviated path data (`M x y`, `L x y`, `B` for a cubic Bézier,
/// `C` to close).
fn ofd_path(ops: &[Op]) -> String {
    ops.iter()
        .map(|op| match *op {
            Op::Move(x, y) => format!("M {} {}", num(x), num(y)),
            Op::Line(x, y) => format!("L {} {}", num(x), num(y)),
            Op::Cubic(a, b, c, d, x, y) => format!(
                "B {} {} {} {} {} {}",
                num(a),
                num(b),
                num(c),
                num(d),
                num(x),
                num(y)
            ),
            Op::Close => "C".into(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a copy is sealed: the issuer's key, its certificate, its electronic seal, and where
/// the seal stands on the page.
pub struct Sealing<'a> {
    pub key: &'a IssuerKey,
    /// The issuer's X.509 certificate (DER).
    pub cert: &'a [u8],
    /// The electronic seal (GB/T 38540 SESeal, DER).
    pub seal: &'a [u8],
    /// The seal's box on page 1: x, y, width, height (mm).
    pub boundary: (f32, f32, f32, f32),
}

pub struct OfdInput<'a> {
    pub layout: &'a Layout,
    pub subset: &'a Subset,
    pub font_name: &'a str,
    pub doc_id: &'a str,
    /// When the document was made (Unix seconds): its dates, the zip entries' times and the
    /// signature time, so the same copy always packs to the same bytes.
    pub created_at: i64,
    /// The GB/T 36903 metadata, as the document's `CustomDatas`.
    pub metadata: &'a [super::Meta],
    /// `None` for an unsigned package (the seal's own picture).
    pub sealing: Option<Sealing<'a>>,
}

const SIGNATURES_XML: &str = "Doc_0/Signs/Signatures.xml";
pub const SEAL_ESL: &str = "Doc_0/Signs/Sign_0/Seal.esl";

pub fn render(input: &OfdInput<'_>) -> Result<Vec<u8>, String> {
    let font_id = 2u32;
    let mut next_id = 10u32;
    let content = page_content(input.layout, font_id, &mut next_id);
    let moment = super::beijing_moment(input.created_at);
    let mut files = document_files(input, font_id, next_id, content, moment);
    if let Some(sealing) = &input.sealing {
        add_signature(&mut files, sealing, input.created_at, moment)?;
    }
    zip_package(&files, moment)
}

/// The package's unsigned files: the OFD entry, document, resources, font subset and page.
fn document_files(
    input: &OfdInput<'_>,
    font_id: u32,
    next_id: u32,
    content: String,
    moment: (u16, u8, u8, u8, u8, u8),
) -> Vec<(String, Vec<u8>)> {
    let (y, mo, d, _, _, _) = moment;
    let signatures_entry = if input.sealing.is_some() {
        format!("<ofd:Signatures>{SIGNATURES_XML}</ofd:Signatures>")
    } else {
        String::new()
    };
    let custom = if input.metadata.is_empty() {
        String::new()
    } else {
        let items: String = input
            .metadata
            .iter()
            .map(|m| {
                format!(
                    r#"<ofd:CustomData Name="{}">{}</ofd:CustomData>"#,
                    escape(m.name),
                    escape(&m.value)
                )
            })
            .collect();
        format!("<ofd:CustomDatas>{items}</ofd:CustomDatas>")
    };
    vec![
        (
            "OFD.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>{}</ofd:DocID><ofd:Title>{}</ofd:Title><ofd:Author>{ISSUER}</ofd:Author><ofd:CreationDate>{y:04}-{mo:02}-{d:02}</ofd:CreationDate><ofd:Creator>住建政务服务门户</ofd:Creator><ofd:CreatorVersion>1.0</ofd:CreatorVersion>{custom}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>{signatures_entry}</ofd:DocBody></ofd:OFD>"#,
                escape(input.doc_id),
                escape(&input.layout.title),
            )
            .into_bytes(),
        ),
        (
            "Doc_0/Document.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>{next_id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {} {}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"#,
                num(input.layout.width),
                num(input.layout.height)
            )
            .into_bytes(),
        ),
        (
            "Doc_0/PublicRes.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="{font_id}" FontName="{name}" FamilyName="{name}"><ofd:FontFile>font_0.ttf</ofd:FontFile></ofd:Font></ofd:Fonts></ofd:Res>"#,
                name = escape(input.font_name)
            )
            .into_bytes(),
        ),
        ("Doc_0/Res/font_0.ttf".into(), input.subset.bytes.clone()),
        ("Doc_0/Pages/Page_0/Content.xml".into(), content.into_bytes()),
    ]
}

/// Adds the seal, `Signatures.xml`, `Signature.xml` and its signed value to the package.
fn add_signature(
    files: &mut Vec<(String, Vec<u8>)>,
    sealing: &Sealing<'_>,
    created_at: i64,
    moment: (u16, u8, u8, u8, u8, u8),
) -> Result<(), String> {
    files.push((SEAL_ESL.into(), sealing.seal.to_vec()));
    let signature_xml = build_signature_xml(files, sealing.boundary, moment);
    let signed_value = super::seal::signature(
        sealing.key,
        sealing.cert,
        sealing.seal,
        created_at,
        &sm3(signature_xml.as_bytes()),
        &format!("/{SIGNATURE_XML}"),
    )?;
    files.push((
        SIGNATURES_XML.into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures xmlns:ofd="{NS}"><ofd:MaxSignId>1</ofd:MaxSignId><ofd:Signature ID="1" Type="Seal" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>"#
        )
        .into_bytes(),
    ));
    files.push((SIGNATURE_XML.into(), signature_xml.into_bytes()));
    files.push((SIGNED_VALUE.into(), signed_value));
    Ok(())
}

/// `Signature.xml`: the SM3 digest of each of `files`, the signing time and the seal's place.
fn build_signature_xml(
    files: &[(String, Vec<u8>)],
    boundary: (f32, f32, f32, f32),
    moment: (u16, u8, u8, u8, u8, u8),
) -> String {
    let (y, mo, d, h, mi, s) = moment;
    // Every file of the package so far, by SM3.
    let mut references = String::new();
    for (name, data) in files {
        let _ = write!(
            references,
            r#"<ofd:Reference FileRef="/{name}"><ofd:CheckValue>{}</ofd:CheckValue></ofd:Reference>"#,
            base64::engine::general_purpose::STANDARD.encode(sm3(data))
        );
    }
    let (bx, by, bw, bh) = boundary;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Signature xmlns:ofd="{NS}"><ofd:SignedInfo><ofd:Provider ProviderName="住建政务服务门户" Version="1.0" Company="{ISSUER}"/><ofd:SignatureMethod>{SM2_SIGN_OID}</ofd:SignatureMethod><ofd:SignatureDateTime>{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}+0800</ofd:SignatureDateTime><ofd:References CheckMethod="{SM3_OID}">{references}</ofd:References><ofd:StampAnnot ID="1" PageRef="1" Boundary="{} {} {} {}"/><ofd:Seal><ofd:BaseLoc>/{SEAL_ESL}</ofd:BaseLoc></ofd:Seal></ofd:SignedInfo><ofd:SignedValue>/{SIGNED_VALUE}</ofd:SignedValue></ofd:Signature>"#,
        num(bx),
        num(by),
        num(bw),
        num(bh)
    )
}

/// Packs `files` into the zip, every entry deflated and dated `moment`.
fn zip_package(
    files: &[(String, Vec<u8>)],
    moment: (u16, u8, u8, u8, u8, u8),
) -> Result<Vec<u8>, String> {
    let (y, mo, d, h, mi, s) = moment;
    let when = zip::DateTime::from_date_and_time(y, mo, d, h, mi, s)
        .map_err(|e| format!("OFD 时间无效:{e}"))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(when);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(128 * 1024)));
    for (name, data) in files {
        zip.start_file(name.as_str(), options)
            .and_then(|()| zip.write_all(data).map_err(Into::into))
            .map_err(|e| format!("OFD 打包失败:{e}"))?;
    }
    zip.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|e| format!("OFD 打包失败:{e}"))
}
