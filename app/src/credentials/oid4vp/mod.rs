//! The portal as a verifier: OpenID for Verifiable Presentations 1.0 with DCQL, in the High
//! Assurance Interoperability Profile 1.0. An organisation that checks a registered
//! professional opens `/verifier` (no account), chooses what to ask for, and shows the wallet
//! a QR code (or, on the same phone, a link):
//!
//! - `openid4vp://?client_id=x509_hash:<SHA-256 of the verifier's certificate>&request_uri=…`;
//! - the wallet fetches the signed request object once ([`endpoints::request_object`]):
//!   `x5c` of the verifier's certificate, the DCQL query, a fresh `nonce` and `state`, and
//!   a P-256 key made for this request alone, to encrypt the answer to;
//! - the wallet posts its answer to the `response_uri` as `direct_post.jwt`
//!   ([`endpoints::response`]): a JWE (ECDH-ES, A128GCM or A256GCM, [`jwe`]) of the
//!   `vp_token` and the `state`; the verifier checks it whole ([`check`]) and its status, and
//!   gives the wallet a `redirect_uri` back to the page with a one-time `response_code`;
//! - the page (polling, or reloaded without script) shows what was presented, and only to the
//!   browser that asked (a cookie bound to the request).
//!
//! When the credential is one this portal issued, the presentation is written in the
//! holder's 用证记录.

#[cfg(feature = "ssr")]
pub mod check;
#[cfg(feature = "ssr")]
pub mod endpoints;
#[cfg(feature = "ssr")]
pub mod jwe;
#[cfg(feature = "ssr")]
pub mod repo;

use crate::platform::error::{AppError, Message};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// How long a verification request may be answered (seconds).
pub const REQUEST_SECONDS: i64 = 300;
/// The DCQL id of the one credential a request asks for.
pub const QUERY_ID: &str = "registration";
/// The claims asked for unless the organisation chooses: 注册类别 and 注册有效期.
pub const DEFAULT_CLAIMS: [&str; 2] = ["registration_category", "valid_until"];

/// Where a request stands, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerifierOutcome {
    /// Not yet opened by a wallet: the QR code's and same-device link's
    /// `openid4vp://?client_id=…&request_uri=…`, what is asked for (labels), and the seconds
    /// left.
    Waiting {
        link: String,
        qr_svg: String,
        asked: Vec<String>,
        seconds_left: i64,
    },
    /// A wallet fetched the request; its answer is awaited.
    Opened,
    /// Verified: the claims asked for, as (label, value), and the kind of certificate.
    Verified { claims: Vec<(String, String)> },
    /// The answer did not hold, with the reason in both languages (the wallet is told the
    /// Chinese).
    Refused { reason: Message },
    /// Nobody answered in time.
    Expired,
}

/// The registration categories the query can name (empty: any).
pub fn categories() -> Vec<&'static str> {
    crate::certificates::licence_id::KINDS
        .iter()
        .map(|(name, _)| *name)
        .collect()
}

/// Starts a verification and goes to its page (`/verifier?request=…`, with or without
/// script): `claims` (names from `credentials::vc::CLAIMS`, as `claims[i]`, at least one),
/// optionally of one registration `category`, for `organisation` (named in the holder's
/// 用证记录, 2–50 characters).
#[server(endpoint = "start_verification")]
pub async fn start_verification(
    organisation: String,
    #[server(default)] category: String,
    #[server(default)] claims: Vec<String>,
) -> Result<(), AppError> {
    crate::platform::caller::serve(|caller| async move {
        caller.check_rate(&caller.search_limiter).await?;
        let id = repo::start(&caller, organisation.trim(), category.trim(), &claims).await?;
        leptos_axum::redirect(&format!("/verifier?request={id}"));
        Ok(())
    })
    .await
}

/// Where the request `id` stands, for the browser that made it; `response_code` as the
/// wallet's redirect brought it back (it must then be the request's). Not counted against
/// the search limit: the page asks every two seconds while it waits, and only the browser
/// that made the request is answered.
#[server(input = GetUrl, endpoint = "verification_result")]
pub async fn verification_result(
    id: String,
    response_code: Option<String>,
) -> Result<VerifierOutcome, AppError> {
    crate::platform::caller::serve(|caller| async move {
        repo::outcome(&caller, &id, response_code.as_deref()).await
    })
    .await
}
