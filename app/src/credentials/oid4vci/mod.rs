//! The portal as a standard issuer: OpenID for Verifiable Credential Issuance 1.0 with the
//! pre-authorized code flow, in the HAIP profile's shape (issue 29 §1).
//!
//! - **The offer.** From 电子证照管理, after the face check, 【存入数字钱包】 makes a Credential
//!   Offer for one certificate: a QR code and a link (`openid-credential-offer://` with a
//!   `credential_offer_uri`), and a 6-digit `tx_code` shown on the desktop only. The offer's
//!   pre-authorized code is bound to the holder and that certificate; both codes are kept as
//!   digests, are valid 10 minutes and single-use, and 5 wrong `tx_code`s end the offer.
//! - **The token** (`/oid4vci/token`) exchanges the code and the `tx_code` for a DPoP-bound
//!   access token (RFC 9449; the server asks for a `DPoP-Nonce`, stateless and keyed, so any
//!   server accepts it; each proof's `jti` once).
//! - **The nonce endpoint** (`/oid4vci/nonce`) gives a single-use `c_nonce`.
//! - **The credential endpoint** (`/oid4vci/credential`) takes `jwt` proofs
//!   (`typ: openid4vci-proof+jwt`, ES256, the key in `jwk`, `aud` = the issuer, `nonce` = a
//!   fresh `c_nonce`), up to 10 at once, and issues one SD-JWT VC per proof with `cnf.jwk`
//!   the proof's key. The credentials of a batch are unlinkable: their salts are drawn anew,
//!   their status list indexes are drawn at random, and their `iat` is the day's start.
//!
//! - **The authorization code flow** ([`authorize`]), as HAIP requires: the wallet pushes its
//!   request (`/oid4vci/par`, RFC 9126) with a PKCE S256 challenge, opens
//!   `/oid4vci/authorize` in the browser, the holder signs in, passes the face check and
//!   approves one certificate; the wallet gets `code`, `state` and `iss` (RFC 9207) at its
//!   `redirect_uri` and exchanges the code with its verifier and a DPoP proof.
//!
//! Metadata: `/.well-known/openid-credential-issuer` (one configuration per 注册类别) and
//! `/.well-known/oauth-authorization-server`.

pub mod authorize;
#[cfg(feature = "ssr")]
pub mod dpop;
#[cfg(feature = "ssr")]
pub mod endpoints;
#[cfg(feature = "ssr")]
pub mod metadata;
#[cfg(feature = "ssr")]
pub mod par;
#[cfg(feature = "ssr")]
pub mod repo;

use crate::platform::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How long an offer may be redeemed.
pub const OFFER_SECONDS: i64 = 10 * 60;
/// Wrong `tx_code`s an offer takes before it ends.
pub const TX_CODE_TRIES: i64 = 5;
/// How long an access token lasts.
pub const TOKEN_SECONDS: i64 = 5 * 60;
/// How long a `c_nonce` or a DPoP nonce lasts.
pub const NONCE_SECONDS: i64 = 5 * 60;
/// Proofs (credentials) one request may ask for.
pub const BATCH_SIZE: usize = 10;
/// The pre-authorized code grant.
pub const PRE_AUTHORIZED_GRANT: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
/// The authorization code grant (PAR + PKCE, [`authorize`]).
pub const AUTHORIZATION_CODE_GRANT: &str = "authorization_code";
/// How long a pushed authorization request waits for the holder (signing in and the face
/// check included).
pub const AUTHORIZATION_SECONDS: i64 = 10 * 60;
/// How long an authorization code may be exchanged.
pub const CODE_SECONDS: i64 = 60;
/// The `request_uri` prefix of a pushed authorization request (RFC 9126 §2.2).
pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

/// 【存入数字钱包】: the offer as the desktop shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletOffer {
    /// `openid-credential-offer://?credential_offer_uri=…`: the QR code's text, and the link
    /// for a wallet on the same device.
    pub offer_uri: String,
    pub qr_svg: String,
    /// The 6 digits the holder types into the wallet (shown here only).
    pub tx_code: String,
    pub expires_in: i64,
}

/// The credential configuration id of a 注册类别 (its 证照类型代码), or `None` for a category
/// without one.
pub fn configuration_id(category: &str) -> Option<String> {
    crate::certificates::licence_id::type_code(category)
        .map(|code| format!("registration-certificate-{}", code.to_ascii_lowercase()))
}

/// Makes an offer of certificate `certificate_id` to a wallet.
#[server(endpoint = "offer_to_wallet")]
pub async fn offer_to_wallet(certificate_id: String) -> Result<WalletOffer, AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        let now = caller.clock.now();
        let holder = signed.certificate_holder(now)?;
        let today = crate::domain::time::beijing_date(now);
        let subject =
            crate::certificates::repo::subject(&caller.db, holder, certificate_id.trim(), today)
                .await?
                .ok_or(AppError::NotFound)?;
        let configuration = configuration_id(&subject.card.category).ok_or_else(|| {
            AppError::invalid(crate::platform::lang::Text::new(
                "该类别的证照暂不支持存入数字钱包",
                "Certificates of this category cannot be added to a digital wallet yet",
            ))
        })?;
        let base = caller.public_base();
        let made = repo::create_offer(
            &caller.db,
            &caller.settings.data_key,
            &repo::NewOffer {
                account_id: signed.account.id,
                person_digest: holder,
                certificate: certificate_id.trim(),
                configuration: &configuration,
            },
            now,
        )
        .await?;
        let offer_uri = format!(
            "openid-credential-offer://?credential_offer_uri={}",
            crate::domain::url::percent_encode(&format!("{base}/oid4vci/offers/{}", made.offer_id))
        );
        Ok(WalletOffer {
            qr_svg: crate::platform::qr::qr_svg(&offer_uri)?,
            offer_uri,
            tx_code: made.tx_code,
            expires_in: OFFER_SECONDS,
        })
    })
    .await
}
