//! 电子证照 documents. One layout ([`layout::layout`]) and three renderers of it: the preview
//! image ([`svg`]), the PDF ([`pdf`]) and the signed OFD ([`ofd`]). Rendering is CPU work:
//! [`off_runtime`] runs it on tokio's blocking threads, at most one per core at a time.

pub mod der;
pub mod font;
pub mod layout;
pub mod ofd;
pub mod pdf;
pub mod seal;
pub mod sign;
pub mod svg;

use app::models::certificate::DocumentData;
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::Semaphore;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Ofd,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pdf" => Some(Self::Pdf),
            "ofd" => Some(Self::Ofd),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Ofd => "ofd",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Ofd => "application/ofd",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Ofd => "OFD",
        }
    }
}

/// The public page a copy's QR code opens.
pub fn verify_url(base: &str, code: &str) -> String {
    format!("{}/verify/{code}", base.trim_end_matches('/'))
}

/// (year, month, day, hour, minute, second) in Beijing time.
pub fn beijing_moment(unix: i64) -> (u16, u8, u8, u8, u8, u8) {
    let (y, m, d) = app::domain::time::beijing_date(unix);
    let secs = (unix + 8 * 3600).rem_euclid(86_400);
    (
        u16::try_from(y.clamp(1980, 2107)).unwrap_or(1980),
        m as u8,
        d as u8,
        (secs / 3600) as u8,
        (secs % 3600 / 60) as u8,
        (secs % 60) as u8,
    )
}

/// The copy as a PDF or a signed OFD. Without a 加注 there is nothing to certify.
pub fn render(
    font: &font::Font,
    key: &sign::IssuerKey,
    doc: &DocumentData,
    format: Format,
    verify_url: &str,
) -> Result<Vec<u8>, String> {
    let copy = doc.copy.as_ref().ok_or("该证照尚未加注")?;
    let layout = layout::layout(font, doc, Some(verify_url));
    let subset = font.subset(&layout.glyphs())?;
    Ok(match format {
        Format::Pdf => pdf::render(&layout, font, &subset, beijing_moment(copy.created_at)),
        Format::Ofd => {
            let sealing = issuer_seal(font, key)?;
            let (x, y) = layout::SEAL_CENTER;
            let side = sealing.side;
            ofd::render(&ofd::OfdInput {
                layout: &layout,
                subset: &subset,
                font_name: &font.name,
                doc_id: &copy.copy_no,
                created_at: copy.created_at,
                sealing: Some(ofd::Sealing {
                    key,
                    cert: &sealing.cert,
                    seal: &sealing.seal,
                    boundary: (x - side / 2.0, y - side / 2.0, side, side),
                }),
            })?
        }
    })
}

/// The issuer's certificate and electronic seal for a key: made once per key and kept.
pub struct IssuerSeal {
    pub cert: Vec<u8>,
    pub seal: Vec<u8>,
    /// The seal picture's side (mm).
    pub side: f32,
}

static SEALS: Mutex<Option<(String, Arc<IssuerSeal>)>> = Mutex::new(None);
static CONFIGURED_CERT: OnceLock<Vec<u8>> = OnceLock::new();

/// Installs the operator's CA-issued certificate (DER) for the configured issuer key; it must
/// hold that key.
pub fn configure_certificate(cert: Vec<u8>, key: &sign::IssuerKey) -> Result<(), String> {
    let (public, _) = seal::certificate_key(&cert)?;
    if public != key.public_hex() {
        return Err("证书中的公钥与签名私钥不匹配".into());
    }
    let _ = CONFIGURED_CERT.set(cert);
    Ok(())
}

pub fn issuer_seal(font: &font::Font, key: &sign::IssuerKey) -> Result<Arc<IssuerSeal>, String> {
    let public = key.public_hex();
    if let Ok(guard) = SEALS.lock()
        && let Some((k, seal)) = guard.as_ref()
        && *k == public
    {
        return Ok(seal.clone());
    }
    let picture_layout = layout::seal_layout(font);
    let picture_subset = font.subset(&picture_layout.glyphs())?;
    let picture = ofd::render(&ofd::OfdInput {
        layout: &picture_layout,
        subset: &picture_subset,
        font_name: &font.name,
        doc_id: layout::SEAL_NAME,
        created_at: 1_704_067_200,
        sealing: None,
    })?;
    let cert = match CONFIGURED_CERT.get() {
        Some(c) if seal::certificate_key(c).is_ok_and(|(k, _)| k == public) => c.clone(),
        _ => seal::certificate(key),
    };
    let side = picture_layout.width;
    let made = Arc::new(IssuerSeal {
        seal: seal::seal(key, &cert, &picture, side as u64, side as u64),
        cert,
        side,
    });
    if let Ok(mut guard) = SEALS.lock() {
        *guard = Some((public, made.clone()));
    }
    Ok(made)
}

/// The preview image (SVG) of the certificate as it stands, or of its copy.
pub fn preview(
    font: &font::Font,
    doc: &DocumentData,
    verify_url: Option<&str>,
) -> Result<String, String> {
    let layout = layout::layout(font, doc, verify_url);
    let subset = font.subset(&layout.glyphs())?;
    Ok(svg::render(
        &layout,
        &subset,
        &format!("证照预览:{}", doc.title),
    ))
}

/// A strong entity tag: the bytes' SHA-256.
pub fn etag(bytes: &[u8]) -> String {
    format!(
        "\"{}\"",
        app::models::ids::hex(&Sha256::digest(bytes)[..16])
    )
}

/// `王建国_一级注册建造师_JZ20261128ABCDEF0123.pdf`
pub fn file_name(doc: &DocumentData, format: Format) -> String {
    let copy = doc.copy.as_ref().map_or("预览", |c| c.copy_no.as_str());
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_control() && !"/\\:*?\"<>|".contains(*c))
            .collect()
    };
    format!(
        "{}_{}_{}.{}",
        clean(&doc.name),
        clean(&doc.category),
        clean(copy),
        format.extension()
    )
}

/// `Content-Disposition: attachment` with an ASCII fallback name and the real one in
/// RFC 5987 form (`filename*=UTF-8''…`).
pub fn content_disposition(name: &str, fallback: &str) -> String {
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

static RENDERING: OnceLock<Semaphore> = OnceLock::new();

/// Runs `work` on a blocking thread, at most one per core at once, so renders never stall
/// the async runtime and a burst of downloads queues instead of piling up.
pub async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let permits = std::thread::available_parallelism().map_or(1, |n| n.get());
    let gate = RENDERING.get_or_init(|| Semaphore::new(permits));
    let _permit = gate.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| e.to_string())
}

/// The demo holder's 一级注册建造师 copy: what the renderer tests and the benchmark draw.
pub fn sample() -> DocumentData {
    use app::models::certificate::CopyMark;
    use app::models::registry::Specialty;
    DocumentData {
        title: "中华人民共和国一级建造师注册证书".into(),
        category: "一级注册建造师".into(),
        name: "王建国".into(),
        gender: "男".into(),
        id_number_masked: "110105********0039".into(),
        employer: "中建示范建设有限公司".into(),
        registration_no: "京1112010000001".into(),
        issued_on: "2024-06-18".into(),
        valid_until: "2029-06-17".into(),
        specialties: vec![
            Specialty {
                name: "建筑工程".into(),
                valid_until: "2029-06-17".into(),
            },
            Specialty {
                name: "市政公用工程".into(),
                valid_until: "2028-12-31".into(),
            },
        ],
        copy: Some(CopyMark {
            copy_no: "JZ20261128ABCDEF0123".into(),
            verify_code: "0123456789abcdef0123456789abcdef".into(),
            purpose: "工程投标".into(),
            valid_until: "2027-05-26".into(),
            created_at: 1_796_000_000,
        }),
    }
}

/// `server documents bench`: renders the sample copy `renders` times as PDF and as OFD and
/// prints p50 / p95 / max and the sizes.
pub fn bench(renders: usize) -> Result<(), String> {
    let font = font::shared()?;
    let (key, _) = sign::IssuerKey::generate();
    let doc = sample();
    let url = verify_url(
        "https://zwfw.example.gov.cn",
        "0123456789abcdef0123456789abcdef",
    );
    // Warm up (first-use page faults of the font file).
    render(font, &key, &doc, Format::Pdf, &url)?;
    for format in [Format::Pdf, Format::Ofd] {
        let mut times = Vec::with_capacity(renders);
        let mut size = 0;
        for _ in 0..renders.max(1) {
            let t = std::time::Instant::now();
            size = render(font, &key, &doc, format, &url)?.len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let at =
            |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
        println!(
            "{}: {} renders p50={:.2}ms p95={:.2}ms max={:.2}ms size={} bytes ({:.1} KB)",
            format.label(),
            times.len(),
            at(0.50),
            at(0.95),
            times[times.len() - 1],
            size,
            size as f64 / 1024.0
        );
    }
    let svg = preview(font, &doc, Some(&url))?;
    println!(
        "preview SVG: {} bytes ({:.1} KB)",
        svg.len(),
        svg.len() as f64 / 1024.0
    );
    Ok(())
}

#[cfg(test)]
mod tests;
