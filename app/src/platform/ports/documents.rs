//! 电子证照 documents as the portal's state sees them: a [`CertificateDocuments`] renders a
//! certificate's preview image and its 加注 copy as PDF or signed OFD. The server's renderer
//! (the `documents` crate) holds the font, the issuer's key and certificate, the seal it
//! made, and the limit on renders at once; the downloads reach it through
//! [`crate::platform::state::AppState::documents`].

use super::BoxFuture;
use crate::domain::specialty::Specialty;

/// Everything the certificate document shows: the one description the preview image, the
/// PDF and the OFD are drawn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentData {
    /// 中华人民共和国一级建造师注册证书 …
    pub title: String,
    /// 电子证照标识 (GB/T 36904): of the version the copy certified.
    pub licence_id: String,
    pub category: String,
    pub name: String,
    pub gender: String,
    /// Masked as everywhere (`110105********0039`): the document leaves the holder's hands.
    /// No birth date is printed beside it: together they would be the whole number.
    pub id_number_masked: String,
    /// The kind of document the number is (printed beside it, and GB/T 36903's 代码类型).
    pub id_kind: crate::domain::DocumentKind,
    pub employer: String,
    pub registration_no: String,
    /// 发证日期, `YYYY-MM-DD`
    pub issued_on: String,
    pub valid_until: String,
    pub specialties: Vec<Specialty>,
    /// The certified copy (加注) the document is, if any; without one it is a preview.
    pub copy: Option<CopyMark>,
}

/// A 加注 as printed on its copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyMark {
    pub copy_no: String,
    pub verify_code: String,
    pub purpose: String,
    /// 使用有效期至, `YYYY-MM-DD`
    pub valid_until: String,
    /// When it was made (Unix seconds): the documents' own dates, so a copy's bytes never change.
    pub created_at: i64,
}

/// The downloadable formats of a copy.
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

/// Renders certificates. Errors are for the log; the citizen is told the download failed.
pub trait CertificateDocuments: Send + Sync {
    /// The preview image (SVG) of the certificate as it stands, or of its copy (with the QR
    /// code of `verify_url`).
    fn preview(
        &self,
        doc: DocumentData,
        verify_url: Option<String>,
    ) -> BoxFuture<'_, Result<String, String>>;

    /// The 加注 copy as a PDF or a signed OFD, signed with the issuer's key as of `now`.
    fn render(
        &self,
        doc: DocumentData,
        format: Format,
        verify_url: String,
        now: i64,
    ) -> BoxFuture<'_, Result<Vec<u8>, String>>;
}
