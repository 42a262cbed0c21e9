//! 亮证, 授权用证 and 用证记录 (the types are in `credentials`). Showing and granting act on a
//! certificate, so they follow the one rule of `platform::auth` (the verified holder,
//! face-checked in this session within 30 minutes); revoking a grant and reading the grants
//! and the 用证记录 need only the holder's own personal account signed in, so a grant can be
//! ended at once. The pages a QR code or a grant's address opens need no login and are
//! limited per client like the public search.

use crate::certificates::CertificateCard;
use crate::credentials::{GrantCheck, GrantView, NewGrant, ShowCheck, ShowCode, Showing, UsePage};
#[cfg(feature = "ssr")]
use crate::platform::caller::{serve, serve_signed_in};
use crate::platform::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::error::Message;
#[cfg(feature = "ssr")]
use crate::platform::lang::Text;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The holder's certificates, for 亮证 on the phone and for choosing what to grant: the same
/// cards, under the same rule, as 电子证照管理's.
#[server(input = GetUrl, endpoint = "holder_certificates")]
pub async fn holder_certificates() -> Result<Vec<CertificateCard>, AppError> {
    serve_signed_in(|caller, signed| async move {
        crate::certificates::repo::holder_cards(&caller, &signed).await
    })
    .await
}

/// 亮证: begins showing the holder's certificate, with its first QR code.
#[server(endpoint = "start_showing")]
pub async fn start_showing(certificate_id: String) -> Result<Showing, AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::credentials::repo;
        let holder = signed.certificate_holder(caller.clock.now())?;
        let now = caller.clock.now();
        let mut showing = repo::start_showing(
            &caller.db,
            &caller.settings.data_key,
            &caller.public_base(),
            holder,
            signed.account.id,
            &certificate_id,
            now,
        )
        .await?
        .ok_or(AppError::NotFound)?;
        showing.code.qr_svg = crate::platform::qr::qr_svg(&showing.code.url)?;
        caller
            .audit(
                Some(signed.account.id),
                crate::platform::audit::SHOWN,
                &format!("{} · {}", showing.title, showing.registration_no),
            )
            .await;
        Ok(showing)
    })
    .await
}

/// The showing's QR code now (a new one every 30 seconds); `None` once the showing ended.
#[server(input = GetUrl, endpoint = "show_code")]
pub async fn next_show_code(showing_id: String) -> Result<Option<ShowCode>, AppError> {
    serve_signed_in(|caller, signed| async move {
        signed.certificate_holder(caller.clock.now())?;
        let code = crate::credentials::repo::fresh_code(
            &caller.db,
            &caller.settings.data_key,
            &caller.public_base(),
            signed.account.id,
            &showing_id,
            caller.clock.now(),
        )
        .await?;
        match code {
            Some(mut code) => {
                code.qr_svg = crate::platform::qr::qr_svg(&code.url)?;
                Ok(Some(code))
            }
            None => Ok(None),
        }
    })
    .await
}

/// A scanned 亮证 code: the certificate's live status, or why not.
#[server(input = GetUrl, endpoint = "check_show")]
pub async fn check_show(token: String) -> Result<ShowCheck, AppError> {
    serve(|caller| async move {
        caller.check_rate(&caller.search_limiter).await?;
        let token = token.trim().to_ascii_lowercase();
        if !crate::credentials::is_show_token(&token) {
            return Ok(ShowCheck::Invalid);
        }
        Ok(crate::credentials::repo::check_show_token(
            &caller.db,
            &caller.settings.data_key,
            &token,
            &caller.viewer(),
            caller.clock.now(),
        )
        .await?)
    })
    .await
}

/// 授权用证: the organisation (统一社会信用代码 and name) may verify the certificate for
/// `days` (1–30) days, for `purpose`. The grant's address is returned this once.
#[server(endpoint = "create_grant")]
pub async fn create_grant(
    certificate_id: String,
    org_code: String,
    org_name: String,
    purpose: String,
    days: String,
) -> Result<NewGrant, AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::credentials::{MAX_GRANT_DAYS, repo};
        let holder = signed.certificate_holder(caller.clock.now())?;
        let org_code = crate::domain::CreditCode::parse(&org_code)
            .map_err(|e| AppError::field("org_code", e))?;
        let org_name = org_name.trim().to_string();
        if !(2..=60).contains(&org_name.chars().count()) || org_name.chars().any(char::is_control) {
            return Err(AppError::field(
                "org_name",
                Text::new(
                    "请填写被授权单位的名称(2–60个字),与其统一社会信用代码一致",
                    "Enter the organisation's name (2 to 60 characters), as registered with its \
                     unified social credit code",
                ),
            ));
        }
        let purpose = purpose.trim().to_string();
        if !(2..=50).contains(&purpose.chars().count()) || purpose.chars().any(char::is_control) {
            return Err(AppError::field(
                "purpose",
                Text::new(
                    "请填写授权用途(2–50个字),例如“投标资格审查”",
                    "Enter what the organisation may check the certificate for (2 to 50 \
                     characters), for example 投标资格审查 (tender qualification review)",
                ),
            ));
        }
        let days = days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=MAX_GRANT_DAYS).contains(d))
            .ok_or_else(|| {
                AppError::field(
                    "days",
                    Message::new(
                        format!("授权期限为1–{MAX_GRANT_DAYS}天,请重新选择"),
                        format!("Choose a period of 1 to {MAX_GRANT_DAYS} days"),
                    ),
                )
            })?;
        let made = repo::create_grant(
            &caller.db,
            &caller.public_base(),
            holder,
            signed.account.id,
            &repo::GrantRequest {
                certificate: &certificate_id,
                org_code: org_code.as_str(),
                org_name: &org_name,
                purpose: &purpose,
                days,
            },
            caller.clock.now(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
        caller
            .audit(
                Some(signed.account.id),
                crate::platform::audit::GRANTED,
                &format!(
                    "{} · {}({}) · {} · 至 {}",
                    made.grant.title,
                    made.grant.org_name,
                    made.grant.org_code,
                    made.grant.purpose,
                    made.grant.expires_at
                ),
            )
            .await;
        crate::evaluation::repo::open_case_logged(
            &caller.db,
            signed.account.id,
            crate::evaluation::Service::Grant,
            &format!("{} · 授权{}", made.grant.title, made.grant.org_name),
            caller.clock.now(),
        )
        .await;
        Ok(made)
    })
    .await
}

/// The holder's grants, newest first.
#[server(input = GetUrl, endpoint = "my_grants")]
pub async fn my_grants() -> Result<Vec<GrantView>, AppError> {
    serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        Ok(
            crate::credentials::repo::grants_of(&caller.db, signed.account.id, caller.clock.now())
                .await?,
        )
    })
    .await
}

/// Ends one of the holder's grants at once.
#[server(endpoint = "revoke_grant")]
pub async fn revoke_grant(grant_id: String) -> Result<(), AppError> {
    serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        let org = crate::credentials::repo::revoke_grant(
            &caller.db,
            signed.account.id,
            &grant_id,
            caller.clock.now(),
        )
        .await?
        .ok_or_else(|| {
            AppError::invalid(Text::new(
                "该授权不存在、已撤销或已到期",
                "This grant does not exist, has been stopped or has ended",
            ))
        })?;
        caller
            .audit(
                Some(signed.account.id),
                crate::platform::audit::GRANT_REVOKED,
                &org,
            )
            .await;
        Ok(())
    })
    .await
}

/// An organisation's grant page.
#[server(input = GetUrl, endpoint = "check_grant")]
pub async fn check_grant(code: String) -> Result<GrantCheck, AppError> {
    serve(|caller| async move {
        caller.check_rate(&caller.search_limiter).await?;
        let code = code.trim().to_ascii_lowercase();
        if !crate::credentials::is_grant_code(&code) {
            return Ok(GrantCheck::NotFound);
        }
        Ok(crate::credentials::repo::check_grant(
            &caller.db,
            &code,
            &caller.viewer(),
            caller.clock.now(),
        )
        .await?)
    })
    .await
}

/// 用证记录: who verified the holder's certificates, latest first, a page at a time; `kind`
/// (copy, show or grant) narrows it to one kind.
#[server(input = GetUrl, endpoint = "my_certificate_uses")]
pub async fn my_certificate_uses(
    kind: Option<String>,
    page: Option<i64>,
) -> Result<UsePage, AppError> {
    serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        let kind = kind.filter(|k| crate::certificates::uses::KINDS.contains(&k.as_str()));
        Ok(crate::credentials::repo::uses_of(
            &caller.db,
            &signed.account.person_digest,
            kind.as_deref(),
            page.unwrap_or(1).clamp(1, 10_000),
        )
        .await?)
    })
    .await
}

/// 导出可验证凭证: the certificate as an SD-JWT VC with the claims the holder chose to
/// disclose (`disclose`: claim names, comma-separated), bound to the wallet's public key
/// when one is given (`holder_jwk`, a P-256 JWK).
#[server(endpoint = "issue_credential")]
pub async fn issue_credential(
    certificate_id: String,
    disclose: String,
    holder_jwk: String,
) -> Result<crate::credentials::vc::IssuedCredential, AppError> {
    serve_signed_in(|caller, signed| async move {
        use crate::credentials::vc::{CLAIMS, repo};
        let holder = signed.certificate_holder(caller.clock.now())?;
        let chosen: Vec<&str> = disclose
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        let known: Vec<&str> = CLAIMS
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| chosen.contains(n))
            .collect();
        if known.is_empty() || known.len() != chosen.len() {
            return Err(AppError::field(
                "disclose",
                Text::new(
                    "请至少选择一项要出示的信息(如注册类别、注册有效期)",
                    "Choose at least one detail to show (such as the category or the \
                     registration's expiry date)",
                ),
            ));
        }
        let holder_key = if holder_jwk.trim().is_empty() {
            None
        } else {
            Some(
                crate::platform::sd_jwt::holder_jwk(&holder_jwk)
                    .map_err(|m| AppError::field("holder_jwk", m))?,
            )
        };
        let now = caller.clock.now();
        let key = repo::issuer_key(&caller.db, caller.vc_key.as_deref(), now)
            .await
            .map_err(|e| AppError::internal("credential issuer key", e))?;
        let issued = repo::issue(
            &caller.db,
            &key,
            &caller.public_base(),
            &repo::IssueRequest {
                person_digest: holder,
                account_id: signed.account.id,
                certificate: &certificate_id,
                holder: holder_key,
                disclose: &known,
                day_iat: false,
            },
            now,
        )
        .await
        .map_err(|e| match e {
            repo::IssueError::NotFound => AppError::NotFound,
            repo::IssueError::Refused(m) => AppError::Invalid(m),
            repo::IssueError::Limited(m) => AppError::Refused(m),
            repo::IssueError::Busy => AppError::unavailable(Text::new(
                "凭证服务繁忙,请稍后再导出",
                "The credential service is busy: try exporting again later",
            )),
            repo::IssueError::Db(e) => AppError::from(e),
        })?;
        caller
            .audit(
                Some(signed.account.id),
                crate::platform::audit::CREDENTIAL_ISSUED,
                &format!(
                    "出示:{}{}",
                    issued.disclosed.join("、"),
                    if issued.holder_bound {
                        " · 绑定钱包密钥"
                    } else {
                        ""
                    }
                ),
            )
            .await;
        Ok(issued)
    })
    .await
}

/// The holder's exported credentials, newest first.
#[server(input = GetUrl, endpoint = "my_credentials")]
pub async fn my_credentials() -> Result<Vec<crate::credentials::vc::CredentialView>, AppError> {
    serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        Ok(crate::credentials::vc::repo::credentials_of(
            &caller.db,
            signed.account.id,
            caller.clock.now(),
        )
        .await?)
    })
    .await
}

/// Revokes one of the holder's credentials at once (a lost or leaked one): its status list
/// marks it invalid.
#[server(endpoint = "revoke_credential")]
pub async fn revoke_credential(credential_id: String) -> Result<(), AppError> {
    serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        let revoked = crate::credentials::vc::repo::revoke(
            &caller.db,
            signed.account.id,
            &credential_id,
            caller.clock.now(),
        )
        .await?;
        if !revoked {
            return Err(AppError::invalid(Text::new(
                "该凭证不存在、已撤销或已到期",
                "This credential does not exist, has been revoked or has expired",
            )));
        }
        caller.status_cache.clear();
        caller
            .audit(
                Some(signed.account.id),
                crate::platform::audit::CREDENTIAL_REVOKED,
                &format!("凭证 {credential_id}"),
            )
            .await;
        Ok(())
    })
    .await
}
