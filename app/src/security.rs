//! The per-request Content-Security-Policy nonce, shared by the server's header middleware
//! (which writes the policy) and the page shell (which stamps the nonce on Leptos's inline
//! hydration script).

use base64::Engine as _;
use rand::RngCore as _;
use std::sync::Arc;

/// 128 random bits, base64url: safe inside an HTML attribute and a CSP directive.
#[derive(Clone, Debug)]
pub struct CspNonce(pub Arc<str>);

impl CspNonce {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(bytes)
                .into(),
        )
    }
}

/// Makes the request's nonce (set by the server middleware) Leptos's nonce for this render.
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(value));
    }
}
