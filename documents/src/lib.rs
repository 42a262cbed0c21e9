//! 电子证照 documents. One layout ([`layout::layout`]) and three renderers of it: the preview
//! image ([`svg`]), the PDF ([`pdf`]) and the signed OFD ([`ofd`]).
//!
//! [`Documents`] is the renderer the portal's state holds: the font, the issuer's key (the
//! operator's, or the development key kept in the database) and certificate, the seal made
//! for that key, and the limit on renders at once — rendering is CPU work, run on tokio's
//! blocking threads, at most one per core at a time.

pub mod font;
pub mod layout;
pub mod ofd;
pub mod pdf;
pub mod seal;
pub mod sign;
pub mod svg;

use app::platform::ports::BoxFuture;
use app::platform::ports::documents::CertificateDocuments;
use app::platform::ports::documents::DocumentData;
use app::platform::signing_key::repo as signing_keys;
use sqlx::AnyPool;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

pub use app::platform::ports::documents::Format;

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

/// One item of the GB/T 36903 metadata a document carries: its name in the standard (the
/// OFD's `CustomData`), an ASCII key (the PDF's document information) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub name: &'static str,
    pub key: &'static str,
    pub value: String,
}

/// The certificate's GB/T 36903 metadata and, for a copy, its 加注件's: 证照名称, 电子证照标识,
/// 类型代码, 持证主体 with its (masked) code and code type, 颁发机构, 颁发日期, 有效期起止, and
/// the 加注's time, 加注人, 用途 and 有效期.
pub fn metadata(doc: &DocumentData) -> Vec<Meta> {
    use app::certificates::licence_id::{MOHURD_CODE, type_code};
    let meta = |name, key, value: String| Meta { name, key, value };
    let mut out = vec![
        meta("证照名称", "LicenceName", doc.title.clone()),
        meta("电子证照标识", "LicenceIdentifier", doc.licence_id.clone()),
        meta(
            "证照类型代码",
            "LicenceTypeCode",
            type_code(&doc.category).unwrap_or_default(),
        ),
        meta("持证主体", "Holder", doc.name.clone()),
        meta("持证主体代码", "HolderCode", doc.id_number_masked.clone()),
        meta(
            "持证主体代码类型",
            "HolderCodeType",
            doc.id_kind.holder_code_type().into(),
        ),
        meta("颁发机构", "Issuer", layout::ISSUER.into()),
        meta("颁发机构代码", "IssuerCode", MOHURD_CODE.into()),
        meta("颁发日期", "IssueDate", doc.issued_on.clone()),
        meta("有效期起始日期", "ValidFrom", doc.issued_on.clone()),
        meta("有效期截止日期", "ValidUntil", doc.valid_until.clone()),
    ];
    if let Some(copy) = &doc.copy {
        out.extend([
            meta(
                "加注件.加注时间",
                "AnnotationTime",
                app::domain::time::format_beijing_second(copy.created_at),
            ),
            meta("加注件.加注人", "Annotator", doc.name.clone()),
            meta(
                "加注件.用途",
                "AnnotationPurpose",
                app::certificates::annotation::purpose_phrase(&copy.purpose),
            ),
            meta(
                "加注件.有效期",
                "AnnotationValidUntil",
                copy.valid_until.clone(),
            ),
            meta("加注件.副本编号", "CopyNumber", copy.copy_no.clone()),
        ]);
    }
    out
}

/// The copy as a PDF or a signed OFD. Without a 加注 there is nothing to certify.
pub fn render(
    font: &font::Font,
    key: &sign::IssuerKey,
    sealing: Option<&IssuerSeal>,
    doc: &DocumentData,
    format: Format,
    verify_url: &str,
) -> Result<Vec<u8>, String> {
    let copy = doc.copy.as_ref().ok_or("该证照尚未加注")?;
    let layout = layout::layout(font, doc, Some(verify_url));
    let subset = font.subset(&layout.glyphs())?;
    let meta = metadata(doc);
    Ok(match format {
        Format::Pdf => pdf::render(
            &layout,
            font,
            &subset,
            beijing_moment(copy.created_at),
            &meta,
        ),
        Format::Ofd => {
            let sealing = sealing.ok_or("OFD 副本需要签发机构的电子印章")?;
            let (x, y) = layout::SEAL_CENTER;
            let side = sealing.side;
            ofd::render(&ofd::OfdInput {
                layout: &layout,
                subset: &subset,
                font_name: &font.name,
                doc_id: &copy.copy_no,
                created_at: copy.created_at,
                metadata: &meta,
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

/// The operator's issuer (`PORTAL_ISSUER_KEY_FILE`, `PORTAL_ISSUER_CERT_FILE`).
pub struct ConfiguredIssuer {
    key: sign::IssuerKey,
    /// The CA-issued certificate (DER); without one the issuer certifies itself.
    certificate: Option<Vec<u8>>,
}

impl ConfiguredIssuer {
    /// The operator's key, and their CA-issued certificate for it, which must hold that key.
    pub fn new(key: sign::IssuerKey, certificate: Option<Vec<u8>>) -> Result<Self, String> {
        if let Some(cert) = &certificate {
            let (public, _) = seal::certificate_key(cert)?;
            if public != key.public_hex() {
                return Err("证书中的公钥与签名私钥不匹配".into());
            }
        }
        Ok(Self { key, certificate })
    }
}

/// The issuer's certificate and electronic seal for a key: made once per key and kept.
pub struct IssuerSeal {
    pub cert: Vec<u8>,
    pub seal: Vec<u8>,
    /// The seal picture's side (mm).
    pub side: f32,
}

/// The seal of `key`, in `certificate` (DER) or, without one, in a certificate the key
/// signs itself.
pub fn make_seal(
    font: &font::Font,
    key: &sign::IssuerKey,
    certificate: Option<&[u8]>,
) -> Result<IssuerSeal, String> {
    let picture_layout = layout::seal_layout(font);
    let picture_subset = font.subset(&picture_layout.glyphs())?;
    let picture = ofd::render(&ofd::OfdInput {
        layout: &picture_layout,
        subset: &picture_subset,
        font_name: &font.name,
        doc_id: layout::SEAL_NAME,
        created_at: 1_704_067_200,
        metadata: &[],
        sealing: None,
    })?;
    let cert = match certificate {
        Some(c) => c.to_vec(),
        None => seal::certificate(key)?,
    };
    let side = picture_layout.width;
    Ok(IssuerSeal {
        seal: seal::seal(key, &cert, &picture, side as u64, side as u64)?,
        cert,
        side,
    })
}

/// The portal's certificate renderer (see the module's opening note).
pub struct Documents {
    font: Result<Arc<font::Font>, String>,
    db: AnyPool,
    issuer: Option<ConfiguredIssuer>,
    seals: Arc<Seals>,
    rendering: Semaphore,
}

/// The seal of the key in use, made at its first use (on a rendering thread) and kept.
struct Seals {
    /// The operator's CA-issued certificate, and the public key (hex) it holds.
    certificate: Option<(String, Vec<u8>)>,
    made: Mutex<Option<(String, Arc<IssuerSeal>)>>,
}

impl Seals {
    fn seal_for(
        &self,
        font: &font::Font,
        key: &sign::IssuerKey,
    ) -> Result<Arc<IssuerSeal>, String> {
        let public = key.public_hex();
        if let Ok(guard) = self.made.lock()
            && let Some((k, seal)) = guard.as_ref()
            && *k == public
        {
            return Ok(seal.clone());
        }
        let certificate = self
            .certificate
            .as_ref()
            .filter(|(k, _)| *k == public)
            .map(|(_, cert)| cert.as_slice());
        let made = Arc::new(make_seal(font, key, certificate)?);
        if let Ok(mut guard) = self.made.lock() {
            *guard = Some((public, made.clone()));
        }
        Ok(made)
    }
}

impl Documents {
    /// The renderer with `font` (a load error is reported at every render), signing with the
    /// operator's issuer or, without one, the development key kept in `db`.
    pub fn new(
        font: Result<Arc<font::Font>, String>,
        db: AnyPool,
        issuer: Option<ConfiguredIssuer>,
    ) -> Self {
        let permits = std::thread::available_parallelism().map_or(1, |n| n.get());
        let certificate = issuer
            .as_ref()
            .and_then(|i| i.certificate.clone().map(|cert| (i.key.public_hex(), cert)));
        Self {
            font,
            db,
            issuer,
            seals: Arc::new(Seals {
                certificate,
                made: Mutex::new(None),
            }),
            rendering: Semaphore::new(permits),
        }
    }

    fn font(&self) -> Result<Arc<font::Font>, String> {
        self.font.clone()
    }

    /// The issuer's key: the operator's, or the database's development key (made on first
    /// use; concurrent first uses by several processes agree on one).
    pub async fn issuer_key(&self, now: i64) -> Result<sign::IssuerKey, String> {
        if let Some(issuer) = &self.issuer {
            return Ok(issuer.key.clone());
        }
        development_key(&self.db, now).await
    }

    /// Runs `work` on a blocking thread, at most one per core at once, so renders never stall
    /// the async runtime and a burst of downloads queues instead of piling up.
    async fn off_runtime<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let _permit = self.rendering.acquire().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| e.to_string())
    }
}

impl CertificateDocuments for Documents {
    fn preview(
        &self,
        doc: DocumentData,
        verify_url: Option<String>,
    ) -> BoxFuture<'_, Result<String, String>> {
        Box::pin(async move {
            let font = self.font()?;
            self.off_runtime(move || preview(&font, &doc, verify_url.as_deref()))
                .await?
        })
    }

    fn render(
        &self,
        doc: DocumentData,
        format: Format,
        verify_url: String,
        now: i64,
    ) -> BoxFuture<'_, Result<Vec<u8>, String>> {
        Box::pin(async move {
            let font = self.font()?;
            let key = self.issuer_key(now).await?;
            let seals = self.seals.clone();
            self.off_runtime(move || {
                // Only an OFD is sealed; the seal is made once, here, within the render limit.
                let seal = match format {
                    Format::Ofd => Some(seals.seal_for(&font, &key)?),
                    Format::Pdf => None,
                };
                render(&font, &key, seal.as_deref(), &doc, format, &verify_url)
            })
            .await?
        })
    }
}

/// The development key kept in the database, made on first use.
pub async fn development_key(db: &AnyPool, now: i64) -> Result<sign::IssuerKey, String> {
    let stored = signing_keys::stored(db).await.map_err(|e| e.to_string())?;
    if let Some(secret) = stored {
        return sign::IssuerKey::from_secret_hex(&secret);
    }
    let (key, secret) = sign::IssuerKey::generate();
    signing_keys::store_if_absent(db, &secret, &key.public_hex(), now)
        .await
        .map_err(|e| e.to_string())?;
    tracing::warn!(
        public_key = %key.public_hex(),
        "no PORTAL_ISSUER_KEY_FILE: made a development signing key (kept in the database)"
    );
    match signing_keys::stored(db).await.map_err(|e| e.to_string())? {
        Some(secret) => sign::IssuerKey::from_secret_hex(&secret),
        None => Err("签名密钥无法保存".into()),
    }
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

/// `server documents bench`: renders the sample copy `renders` times as PDF and as OFD and
/// prints p50 / p95 / max and the sizes.
pub fn bench(renders: usize) -> Result<(), String> {
    let font = font::Font::configured()?;
    let font = &font;
    let (key, _) = sign::IssuerKey::generate();
    let seal = make_seal(font, &key, None)?;
    let doc = app::certificates::sample_document();
    let url = "https://zwfw.example.gov.cn/verify/0123456789abcdef0123456789abcdef";
    // Warm up (first-use page faults of the font file).
    render(font, &key, Some(&seal), &doc, Format::Pdf, url)?;
    for format in [Format::Pdf, Format::Ofd] {
        let mut times = Vec::with_capacity(renders);
        let mut size = 0;
        for _ in 0..renders.max(1) {
            let t = std::time::Instant::now();
            size = render(font, &key, Some(&seal), &doc, format, url)?.len();
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
    let svg = preview(font, &doc, Some(url))?;
    println!(
        "preview SVG: {} bytes ({:.1} KB)",
        svg.len(),
        svg.len() as f64 / 1024.0
    );
    Ok(())
}

#[cfg(test)]
mod tests;
