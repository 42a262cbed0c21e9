//! 电子证照 documents as the portal's state sees them: a [`CertificateDocuments`] renders a
//! certificate's preview image and its 加注 copy as PDF or signed OFD. The server's renderer
//! (`server/src/documents/`) holds the font, the issuer's key and certificate, the seal it
//! made, and the limit on renders at once; the downloads reach it through
//! [`crate::platform::state::AppState::documents`].

use super::BoxFuture;
use crate::certificates::DocumentData;

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
