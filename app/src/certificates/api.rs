//! 电子证照: the holder's certificate cards and 证照加注, and the one rule of who may use a
//! person's certificates (also applied by the downloads, `download.rs`), and
//! the public 证照核验 of a copy (`/verify/<code>`: no login, as the QR code on every
//! downloaded copy is scanned by whoever receives it).

use crate::certificates::{CertificateCard, Verification};
#[cfg(feature = "ssr")]
use crate::platform::caller::{serve, serve_signed_in};
use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// 电子证照管理's cards: the holder's certificates with their 加注 caller. Only within 30
/// minutes of a face check in this session.
#[server(input = GetUrl, endpoint = "my_certificates")]
pub async fn my_certificates() -> Result<Vec<CertificateCard>, AppError> {
    serve_signed_in(|caller, signed| async move {
        crate::certificates::repo::holder_cards(&caller, &signed).await
    })
    .await
}

/// 证照加注: a certified copy for `purpose`, valid as the 加注 rule says. Returns the card.
#[server(endpoint = "annotate_certificate")]
pub async fn annotate_certificate(
    certificate_id: String,
    purpose: String,
) -> Result<CertificateCard, AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::certificates::repo::{AnnotateError, annotate};
        let holder = signed.certificate_holder(caller.clock.now())?;
        let purpose = purpose.trim().to_string();
        let len = purpose.chars().count();
        if !(2..=50).contains(&len) || purpose.chars().any(char::is_control) {
            return Err(AppError::field(
                "purpose",
                crate::platform::lang::Text::new(
                    "请填写加注用途(2–50个字),例如“投标使用”",
                    "Enter what the copy is for, in 2 to 50 characters, for example 投标使用 \
                     (for a tender)",
                ),
            ));
        }
        let now = caller.clock.now();
        // The copy and its 安全记录 entry together: a 加注 is never live but unrecorded.
        let (card, mut tx) = annotate(
            &caller.db,
            holder,
            signed.account.id,
            &certificate_id,
            &purpose,
            now,
        )
        .await
        .map_err(|e| match e {
            AnnotateError::NotFound => AppError::NotFound,
            AnnotateError::Refused(refusal) => AppError::invalid(refusal),
            AnnotateError::Db(e) => AppError::from(e),
        })?;
        let copy = match &card.state {
            crate::certificates::AnnotationState::Valid { copy_no, .. } => copy_no.as_str(),
            _ => "",
        };
        let detail = format!(
            "{} · 副本 {copy} · {purpose} · {}",
            card.title,
            card.state.label()
        );
        caller
            .audit_in(
                &mut tx,
                Some(signed.account.id),
                crate::platform::audit::ANNOTATED,
                &detail,
            )
            .await?;
        tx.commit().await?;
        Ok(card)
    })
    .await
}

/// The copy with this verification code, or `None` when there is none (a forged or mistyped
/// code). Limited per client like the public search.
#[server(input = GetUrl, endpoint = "verify_copy")]
pub async fn verify_copy(code: String) -> Result<Option<Verification>, AppError> {
    serve(|caller| async move {
        caller.check_rate(&caller.search_limiter).await?;
        let code = code.trim().to_ascii_lowercase();
        if !is_code(&code) {
            return Ok(None);
        }
        let now = caller.clock.now();
        let found = crate::certificates::repo::verify(
            &caller.db,
            &code,
            crate::domain::time::beijing_date(now),
        )
        .await?;
        let Some((verification, certificate_id)) = found else {
            return Ok(None);
        };
        // The holder's 用证记录: someone verified this copy.
        crate::certificates::uses::record_use(
            &caller.db,
            certificate_id,
            crate::certificates::uses::COPY,
            &format!("副本 {}", verification.copy_no),
            "",
            &caller.viewer(),
            now,
        )
        .await?;
        Ok(Some(verification))
    })
    .await
}

/// Verification codes are 128 random bits in 32 hex digits.
pub fn is_code(code: &str) -> bool {
    code.len() == 32 && code.bytes().all(|b| b.is_ascii_hexdigit())
}
