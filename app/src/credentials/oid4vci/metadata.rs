//! The issuer's and the authorization server's metadata (OID4VCI 1.0 §12.2, RFC 8414): one
//! credential configuration per 注册类别, the endpoints of both flows, DPoP and PKCE.

use super::{AUTHORIZATION_CODE_GRANT, BATCH_SIZE, PRE_AUTHORIZED_GRANT};
use crate::credentials::vc::CLAIMS;
use crate::credentials::vc::endpoints::limited;
use crate::platform::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

fn public_json(value: Value) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
        ],
        value.to_string(),
    )
        .into_response()
}

/// The configurations: one per 注册类别 with a type code, all of the portal's one `vct`.
pub(super) fn configurations(base: &str) -> Value {
    let claims: Vec<Value> = CLAIMS
        .iter()
        .map(|(name, label)| json!({ "path": [name], "display": [{ "name": label, "locale": "zh-CN" }] }))
        .collect();
    let mut all = serde_json::Map::new();
    for category in crate::registry::query::REGISTRATION_CATEGORIES {
        let Some(id) = super::configuration_id(category) else {
            continue;
        };
        let title = crate::certificates::title_for(category);
        all.insert(
            id,
            json!({
                "format": "dc+sd-jwt",
                "vct": crate::credentials::vc::repo::vct(base),
                "scope": super::configuration_id(category),
                "cryptographic_binding_methods_supported": ["jwk"],
                "credential_signing_alg_values_supported": ["ES256"],
                "proof_types_supported": {
                    "jwt": { "proof_signing_alg_values_supported": ["ES256"] }
                },
                "credential_metadata": {
                    "display": [{ "name": title, "locale": "zh-CN", "description": format!("{category}的注册证书") }],
                    "claims": claims,
                }
            }),
        );
    }
    Value::Object(all)
}

/// `GET /.well-known/openid-credential-issuer`
pub async fn issuer_metadata(State(state): State<AppState>, parts: Parts) -> Response {
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    let base = caller.public_base();
    public_json(json!({
        "credential_issuer": base,
        "authorization_servers": [base],
        "credential_endpoint": format!("{base}/oid4vci/credential"),
        "nonce_endpoint": format!("{base}/oid4vci/nonce"),
        "batch_credential_issuance": { "batch_size": BATCH_SIZE },
        "display": [{ "name": "住房和城乡建设部政务服务门户", "locale": "zh-CN" }],
        "credential_configurations_supported": configurations(&base),
    }))
}

/// `GET /.well-known/oauth-authorization-server`
pub async fn authorization_server_metadata(
    State(state): State<AppState>,
    parts: Parts,
) -> Response {
    let caller = match limited(state, &parts).await {
        Ok(caller) => caller,
        Err(answer) => return answer,
    };
    let base = caller.public_base();
    let mut metadata = json!({
        "issuer": base,
        "token_endpoint": format!("{base}/oid4vci/token"),
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": true,
        "token_endpoint_auth_methods_supported": ["none"],
        "dpop_signing_alg_values_supported": ["ES256"],
        "response_types_supported": [],
    });
    // The authorization code flow only where some wallet is registered for it.
    if !caller.wallet_clients().is_empty()
        && let Some(map) = metadata.as_object_mut()
    {
        let scopes: Vec<String> = configurations(&base)
            .as_object()
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        for (name, value) in [
            (
                "authorization_endpoint",
                json!(format!("{base}/oid4vci/authorize")),
            ),
            (
                "pushed_authorization_request_endpoint",
                json!(format!("{base}/oid4vci/par")),
            ),
            ("require_pushed_authorization_requests", json!(true)),
            (
                "grant_types_supported",
                json!([AUTHORIZATION_CODE_GRANT, PRE_AUTHORIZED_GRANT]),
            ),
            ("response_types_supported", json!(["code"])),
            ("code_challenge_methods_supported", json!(["S256"])),
            (
                "authorization_response_iss_parameter_supported",
                json!(true),
            ),
            (
                "authorization_details_types_supported",
                json!(["openid_credential"]),
            ),
            ("scopes_supported", json!(scopes)),
        ] {
            map.insert(name.into(), value);
        }
    }
    public_json(metadata)
}
