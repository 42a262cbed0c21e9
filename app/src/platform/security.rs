//! The per-request Content-Security-Policy nonce: the server's header middleware makes a
//! Leptos [`Nonce`] (128 random bits, base64url) per request and writes it into the policy;
//! the page shell hands the same nonce to Leptos, which stamps it on its inline hydration
//! script.

use leptos::nonce::Nonce;

/// Makes the request's nonce (set by the server middleware) Leptos's nonce for this render.
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Nonce>().cloned())
    {
        provide_context(nonce);
    }
}
