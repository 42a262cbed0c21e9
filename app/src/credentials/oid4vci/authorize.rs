//! The authorization code flow's browser side: `/user/wallet-authorize?request=…`, where the
//! holder — signed in, face-checked in this session like for any use of a certificate —
//! sees which wallet asks for which kind of certificate, chooses the certificate and
//! approves or refuses. Either way the browser goes back to the wallet's `redirect_uri`
//! with `state` and `iss` (RFC 9207): a single-use `code` when approved, `error=access_denied`
//! when refused.

use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A wallet's pending request, as the holder sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingWallet {
    /// The registered wallet's name and its `client_id`.
    pub name: String,
    pub client_id: String,
    /// Where the browser goes back to (scheme and host only).
    pub returns_to: String,
    /// The certificate kind asked for.
    pub title: String,
    /// The holder's certificates of that kind: (id, 注册编号).
    pub certificates: Vec<(String, String)>,
}

/// The request `request` waiting for this holder's decision.
#[server(input = GetUrl, endpoint = "wallet_request")]
pub async fn wallet_request(request: String) -> Result<PendingWallet, AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        let now = caller.clock.now();
        signed.certificate_holder(now)?;
        let pending = super::repo::pending_authorization(&caller.db, &request, now)
            .await?
            .ok_or_else(|| AppError::refused(ENDED))?;
        let name = caller
            .wallet_clients()
            .into_iter()
            .find(|c| c.client_id == pending.client_id)
            .map(|c| c.name)
            .ok_or_else(|| AppError::refused(ENDED))?;
        let cards = crate::certificates::repo::holder_cards(&caller, &signed).await?;
        let mut title = String::new();
        let certificates = cards
            .into_iter()
            .filter(|c| {
                super::configuration_id(&c.category).as_deref() == Some(&pending.configuration)
            })
            .map(|c| {
                title = c.title.clone();
                (c.id, c.registration_no)
            })
            .collect();
        Ok(PendingWallet {
            name,
            client_id: pending.client_id,
            returns_to: ssr::origin_of(&pending.redirect_uri),
            title,
            certificates,
        })
    })
    .await
}

/// What the holder is told of a request that can no longer be decided.
pub const ENDED: crate::platform::lang::Text = crate::platform::lang::Text::new(
    "该数字钱包的领取请求不存在、已处理或已过期,请在钱包中重新发起",
    "This request from your digital wallet does not exist, has been dealt with or has expired: \
     start again in your wallet",
);

/// Approves (with the chosen `certificate_id`) or refuses the request, and goes back to the
/// wallet.
#[server(endpoint = "decide_wallet_request")]
pub async fn decide_wallet_request(
    request: String,
    #[server(default)] certificate_id: String,
    approve: bool,
) -> Result<(), AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        use super::repo;
        let now = caller.clock.now();
        let holder = signed.certificate_holder(now)?.to_string();
        let pending = repo::pending_authorization(&caller.db, &request, now)
            .await?
            .filter(|p| {
                caller
                    .wallet_clients()
                    .iter()
                    .any(|c| c.client_id == p.client_id)
            })
            .ok_or_else(|| AppError::refused(ENDED))?;
        let issuer = caller.public_base();
        let decided = if approve {
            let today = crate::domain::time::beijing_date(now);
            let subject = crate::certificates::repo::subject(
                &caller.db,
                &holder,
                certificate_id.trim(),
                today,
            )
            .await?
            .filter(|s| {
                super::configuration_id(&s.card.category).as_deref() == Some(&pending.configuration)
            })
            .ok_or_else(|| {
                AppError::field(
                    "certificate_id",
                    crate::platform::lang::Text::new(
                        "请选择您的一本该类别证书",
                        "Choose one of your certificates of this category",
                    ),
                )
            })?;
            let new = repo::NewOffer {
                account_id: signed.account.id,
                person_digest: &holder,
                certificate: certificate_id.trim(),
                configuration: &pending.configuration,
            };
            let decided = repo::decide_authorization(
                &caller.db,
                &request,
                signed.account.id,
                Some(&new),
                now,
            )
            .await?;
            if decided.is_ok() {
                caller
                    .audit(
                        Some(signed.account.id),
                        crate::platform::audit::WALLET_AUTHORIZED,
                        &format!(
                            "{} · {} → {}",
                            subject.card.title, subject.card.registration_no, pending.client_id
                        ),
                    )
                    .await;
            }
            decided
        } else {
            repo::decide_authorization(&caller.db, &request, signed.account.id, None, now).await?
        };
        let Ok(code) = decided else {
            return Err(AppError::refused(ENDED));
        };
        let back = ssr::back_to_wallet(
            &pending.redirect_uri,
            code.as_deref(),
            &pending.state,
            &issuer,
        );
        if caller.is_plain_form_post() {
            // A form may not redirect to another site (CSP form-action 'self'): the page
            // gives the way back as a link.
            repo::keep_back_uri(&caller.db, &request, &back).await?;
            leptos_axum::redirect(&format!(
                "/user/wallet-authorize?request={}&decided=1",
                crate::domain::url::percent_encode(&request)
            ));
        } else {
            leptos_axum::redirect(&back);
        }
        Ok(())
    })
    .await
}

/// The way back to the wallet after a decision made without script, for the account that
/// made it, within the code's minute.
#[server(input = GetUrl, endpoint = "wallet_return")]
pub async fn wallet_return(request: String) -> Result<String, AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        super::repo::back_uri(&caller.db, &request, signed.account.id, caller.clock.now())
            .await?
            .ok_or_else(|| AppError::refused(ENDED))
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    /// Scheme and host of a redirect URI, for the holder to see where they are sent.
    pub fn origin_of(uri: &str) -> String {
        match url::Url::parse(uri) {
            Ok(u) => match u.host_str() {
                Some(host) => format!("{}://{host}", u.scheme()),
                None => format!("{}:", u.scheme()),
            },
            Err(_) => String::new(),
        }
    }

    /// The wallet's `redirect_uri` with the code (or `error=access_denied`), `state` and `iss`.
    pub fn back_to_wallet(
        redirect_uri: &str,
        code: Option<&str>,
        state: &str,
        iss: &str,
    ) -> String {
        let Ok(mut url) = url::Url::parse(redirect_uri) else {
            return "/user".into();
        };
        {
            let mut query = url.query_pairs_mut();
            match code {
                Some(code) => query.append_pair("code", code),
                None => query.append_pair("error", "access_denied"),
            };
            if !state.is_empty() {
                query.append_pair("state", state);
            }
            query.append_pair("iss", iss);
        }
        url.to_string()
    }

    /// Whether a wallet may be sent back to `uri` (RFC 9700 §2.1, RFC 8252 §7): `https`; `http`
    /// on a loopback address only; or a private-use scheme in reverse-domain form. Never with
    /// a fragment or credentials in it.
    pub fn redirect_uri_allowed(uri: &str) -> bool {
        let Ok(url) = url::Url::parse(uri) else {
            return false;
        };
        if url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
            return false;
        }
        match url.scheme() {
            "https" => url.host_str().is_some(),
            "http" => matches!(url.host_str(), Some("127.0.0.1" | "[::1]" | "localhost")),
            "javascript" | "data" | "file" | "blob" | "vbscript" => false,
            scheme => scheme.contains('.'),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn only_safe_redirect_uris_and_the_answer_carries_iss() {
            for good in [
                "https://wallet.example/cb",
                "http://127.0.0.1:8080/cb",
                "cn.gov.wallet:/oauth/cb",
            ] {
                assert!(redirect_uri_allowed(good), "{good}");
            }
            for bad in [
                "http://wallet.example/cb",
                "https://wallet.example/cb#x",
                "javascript:alert(1)",
                "wallet:/cb",
                "https://user:pw@wallet.example/",
                "/relative",
            ] {
                assert!(!redirect_uri_allowed(bad), "{bad}");
            }
            let back = back_to_wallet(
                "https://w.example/cb?x=1",
                Some("c0de"),
                "s",
                "https://zwfw",
            );
            assert_eq!(
                back,
                "https://w.example/cb?x=1&code=c0de&state=s&iss=https%3A%2F%2Fzwfw"
            );
            let no = back_to_wallet("https://w.example/cb", None, "", "https://zwfw");
            assert_eq!(
                no,
                "https://w.example/cb?error=access_denied&iss=https%3A%2F%2Fzwfw"
            );
        }
    }
}
