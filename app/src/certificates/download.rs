//! `GET /api/certificates/{id}/{preview|pdf|ofd}`: the holder's certificate as a preview
//! image, and its current 加注 copy as a PDF or a signed OFD.
//!
//! Only the holder, signed in, within 30 minutes of a face check in this session; downloads
//! also need a valid 加注 made of the certificate as it stands. Every refusal is a 403 with a
//! message in the caller's language (the `portal_lang` cookie, else `Accept-Language`).
//! Downloads are `Cache-Control: no-store`, carry a strong `ETag` (the same copy always
//! renders to the same bytes) and are recorded in the audit log.

use crate::certificates::repo::{self as certificates, CopyRefusal};
use crate::domain::time::beijing_date as today;
use crate::platform::audit;
use crate::platform::caller::{Caller, SignedIn};
use crate::platform::error::{AppError, Message};
use crate::platform::lang::{Lang, Text};
use crate::platform::ports::documents::CertificateDocuments;
use crate::platform::ports::documents::Format;
use crate::platform::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const CANNOT_DOWNLOAD: Text = Text::new("无法下载证照", "The certificate cannot be downloaded");
const BACK: Text = Text::new("返回电子证照管理", "Back to manage your certificates");
const NOT_MADE: Text = Text::new(
    "证照生成失败,请稍后重试;如仍失败请联系客服",
    "The certificate could not be made: try again later. If it still fails, contact us",
);
const SIGN_IN_FIRST: Text = Text::new(
    "请先登录,并完成人脸识别认证后再访问电子证照",
    "Sign in and pass a face check before you use your electronic certificates",
);
const SIGNED_OUT: Text = Text::new(
    "登录已失效,请重新登录并完成人脸识别认证",
    "You have been signed out: sign in again and pass a face check",
);

/// The page of a refusal, in `lang`.
fn refuse(status: StatusCode, lang: Lang, message: impl Into<Message>) -> Response {
    let (code, title, back) = (lang.code(), CANNOT_DOWNLOAD.of(lang), BACK.of(lang));
    let message: Message = message.into();
    let message = message.of(lang);
    let page = format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p role=\"alert\">{message}</p>\
         <p><a href=\"/user/certificates/manage\">{back}</a></p></main></body></html>"
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

fn failed(lang: Lang, what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{what}");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, lang, NOT_MADE)
}

pub async fn certificate_file(
    State(state): State<AppState>,
    Path((id, what)): Path<(String, String)>,
    parts: Parts,
) -> Response {
    let format = match what.as_str() {
        "preview" => None,
        other => match Format::parse(other) {
            Some(f) => Some(f),
            None => return StatusCode::NOT_FOUND.into_response(),
        },
    };
    let lang = crate::platform::lang::of_request(&parts.headers);
    let caller = Caller::from_parts(state, &parts);
    let signed = match session(&caller, lang).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let person = match signed.certificate_holder(caller.clock.now()) {
        Ok(person) => person,
        Err(refusal) => {
            let refusal = AppError::from(refusal);
            let message = Message::new(refusal.message(Lang::Zh), refusal.message(Lang::En));
            return refuse(StatusCode::FORBIDDEN, lang, message);
        }
    };
    let Some(documents) = caller.documents.clone() else {
        return failed(lang, "certificate documents", "no renderer attached");
    };
    match format {
        None => preview(&caller, &*documents, person, &id, lang).await,
        Some(format) => {
            let request = Download {
                lang,
                account_id: signed.account.id,
                person,
                id: &id,
                format,
                if_none_match: parts.headers.get(header::IF_NONE_MATCH),
            };
            download(&caller, &*documents, request).await
        }
    }
}

/// The signed-in caller, or the refusal.
async fn session(caller: &Caller, lang: Lang) -> Result<SignedIn, Response> {
    if caller.presented_session_hash().is_none() {
        return Err(refuse(StatusCode::FORBIDDEN, lang, SIGN_IN_FIRST));
    }
    let signed = match caller.signed_in().await {
        Ok(Some(s)) => s,
        Ok(None) => return Err(refuse(StatusCode::FORBIDDEN, lang, SIGNED_OUT)),
        Err(e) => return Err(failed(lang, "certificate file: session", e)),
    };
    Ok(signed)
}

/// The certificate as it stands (or its current copy) as an SVG image.
async fn preview(
    caller: &Caller,
    documents: &dyn CertificateDocuments,
    person: &str,
    id: &str,
    lang: Lang,
) -> Response {
    let now = caller.clock.now();
    let doc = match certificates::preview_document(&caller.db, person, id, today(now)).await {
        Ok(Some(d)) => d,
        Ok(None) => return refuse(StatusCode::FORBIDDEN, lang, CopyRefusal::NotFound),
        Err(e) => return failed(lang, "certificate preview", e),
    };
    let base = caller.public_base();
    let url = doc.copy.as_ref().map(|c| verify_url(&base, &c.verify_code));
    match documents.preview(doc, url).await {
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
                // Opened on its own (the browser's "open image in new tab"): its inline style and
                // embedded font, no script.
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; font-src data:",
                ),
            ],
            svg,
        )
            .into_response(),
        Err(e) => failed(lang, "certificate preview", e),
    }
}

/// One download asked for.
struct Download<'a> {
    lang: Lang,
    account_id: i64,
    person: &'a str,
    id: &'a str,
    format: Format,
    if_none_match: Option<&'a HeaderValue>,
}

/// The current 加注 copy as a PDF or a signed OFD, recorded in the audit log.
async fn download(
    caller: &Caller,
    documents: &dyn CertificateDocuments,
    request: Download<'_>,
) -> Response {
    let now = caller.clock.now();
    let lang = request.lang;
    let doc =
        match certificates::copy_for_download(&caller.db, request.person, request.id, today(now))
            .await
        {
            Ok(Ok(d)) => d,
            Ok(Err(refusal)) => return refuse(StatusCode::FORBIDDEN, lang, refusal),
            Err(e) => return failed(lang, "certificate download", e),
        };
    let Some(copy) = doc.copy.clone() else {
        return refuse(StatusCode::FORBIDDEN, lang, CopyRefusal::NotAnnotated);
    };
    let format = request.format;
    let url = verify_url(&caller.public_base(), &copy.verify_code);
    let name = file_name(&doc, format);
    let bytes = match documents.render(doc, format, url, now).await {
        Ok(b) => b,
        Err(e) => return failed(lang, "certificate render", e),
    };
    caller
        .audit(
            Some(request.account_id),
            audit::DOWNLOADED,
            &format!("{name} · 副本 {} · {}", copy.copy_no, format.label()),
        )
        .await;
    crate::evaluation::repo::open_case_logged(
        &caller.db,
        request.account_id,
        crate::evaluation::Service::Certificate,
        &format!("{name}({})", format.label()),
        now,
    )
    .await;
    let fallback = format!("certificate_{}.{}", copy.copy_no, format.extension());
    attachment(bytes, format, &name, &fallback, request.if_none_match)
}

/// The file as an attachment: `no-store`, a strong `ETag` (the same copy always renders to
/// the same bytes, so a repeated download may be answered 304), and its name.
fn attachment(
    bytes: Vec<u8>,
    format: Format,
    name: &str,
    fallback: &str,
    if_none_match: Option<&HeaderValue>,
) -> Response {
    let etag = etag(&bytes);
    let not_modified = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if not_modified {
        Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
    } else {
        Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, format.content_type())
            .header(header::CONTENT_LENGTH, bytes.len())
            .body(Body::from(bytes))
    }
    .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name, fallback)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The public page a copy's QR code opens.
pub fn verify_url(base: &str, code: &str) -> String {
    format!("{}/verify/{code}", base.trim_end_matches('/'))
}

/// A strong entity tag: the bytes' SHA-256.
pub fn etag(bytes: &[u8]) -> String {
    format!(
        "\"{}\"",
        crate::platform::ids::hex(&Sha256::digest(bytes)[..16])
    )
}

/// `王建国_一级注册建造师_JZ20261128ABCDEF0123.pdf`
pub fn file_name(doc: &crate::platform::ports::documents::DocumentData, format: Format) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_follow_rfc_5987() {
        let doc = crate::certificates::sample_document();
        let name = file_name(&doc, Format::Pdf);
        assert_eq!(name, "王建国_一级注册建造师_JZ20261128ABCDEF0123.pdf");
        let header = content_disposition(&name, "certificate.pdf");
        assert!(header.starts_with("attachment; filename=\"certificate.pdf\"; filename*=UTF-8''"));
        assert!(header.contains("%E7%8E%8B%E5%BB%BA%E5%9B%BD_"));
        assert!(header.ends_with("_JZ20261128ABCDEF0123.pdf"));
        assert!(header.is_ascii());
    }
}
