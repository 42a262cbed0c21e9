//! Public verification of a certificate copy (`/verify/<code>`): no login, as the QR code on
//! every downloaded copy is scanned by whoever receives it.

use crate::error::AppError;
use crate::models::certificate::Verification;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The copy with this verification code, or `None` when there is none (a forged or mistyped
/// code). Limited per client like the public search.
#[server(input = GetUrl, endpoint = "verify_copy")]
pub async fn verify_copy(code: String) -> Result<Option<Verification>, AppError> {
    super::request::with_status(async move {
        let state = super::request::state()?;
        super::request::check_rate(&state, &state.search_limiter)?;
        let code = code.trim().to_ascii_lowercase();
        if !is_code(&code) {
            return Ok(None);
        }
        let now = state.clock.now();
        Ok(crate::models::certificate::repo::verify(
            &state.db,
            &state.settings.data_key,
            &code,
            crate::domain::time::beijing_date(now),
        )
        .await?)
    })
    .await
}

/// Verification codes are 128 random bits in 32 hex digits.
pub fn is_code(code: &str) -> bool {
    code.len() == 32 && code.bytes().all(|b| b.is_ascii_hexdigit())
}
