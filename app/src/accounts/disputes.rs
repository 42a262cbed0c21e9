//! 法人账户申诉 (issue 28 §4): a legal representative finds their enterprise's credit code held
//! by an account that is not the enterprise's (registered by someone else, or by a former
//! representative). They file a dispute on 确认法人账户 (`/user/enterprise#dispute`), linked
//! from /contact and from the refusal a second registration gets. Filing takes their own
//! personal account, face-checked in this session, and their 身份证号, which must be the
//! account's and, with the enterprise's name, must pass the enterprise registry's check of
//! the code's legal representative. The dispute then waits in the staff console: a 受理员
//! checks it and proposes the release, a different 审核员 approves it
//! (`staff::disputes`). Both sides are told by SMS and on this page.

use crate::platform::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::error::Message;
use crate::platform::lang::{Lang, Text};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A dispute as the representative who filed it sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeView {
    pub id: i64,
    pub credit_code: String,
    pub org_name: String,
    /// 北京时间, to the minute.
    pub filed_at: String,
    /// 处理中, 待审核, 已释放, 未予支持.
    pub state: String,
    /// The state in English.
    #[serde(default)]
    pub state_en: String,
    /// What the ministry said ("" while open).
    pub outcome: String,
}

impl DisputeView {
    /// The state in `lang`.
    pub fn state_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.state,
            Lang::En => &self.state_en,
        }
    }
}

/// What a dispute's state says.
pub fn state_label(state: &str) -> Text {
    match state {
        "open" => Text::new("处理中", "Being handled"),
        "proposed" => Text::new("待审核", "Awaiting approval"),
        "released" => Text::new(
            "已释放,可重新注册法人账户",
            "Released: the organisation's account can be registered again",
        ),
        "rejected" => Text::new("未予支持", "Not upheld"),
        _ => Text::new("其他", "Other"),
    }
}

/// The caller's disputes, newest first.
#[server(input = GetUrl, endpoint = "my_disputes")]
pub async fn my_disputes() -> Result<Vec<DisputeView>, AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        signed.require_person()?;
        Ok(repo::of_account(&caller.db, signed.account.id).await?)
    })
    .await
}

/// 【提交申诉】: files a dispute about `credit_code`; its number.
#[server(endpoint = "file_dispute")]
pub async fn file_dispute(
    credit_code: String,
    org_name: String,
    id_number: String,
    statement: String,
) -> Result<i64, AppError> {
    crate::platform::caller::serve_signed_in(|caller, signed| async move {
        use crate::domain::{CreditCode, IdDocument};
        use crate::platform::ports::enterprise::{EnterpriseCheck, EnterpriseClaim};
        signed.require_person()?;
        if !signed.face_checked(caller.clock.now()) {
            crate::platform::caller::set_status(http::StatusCode::FORBIDDEN);
            return Err(AppError::refused(Text::new(
                "请先完成人脸识别认证(认证后 30 分钟内有效),再提出申诉",
                "Complete a face check first (it is valid for 30 minutes), then file the dispute",
            )));
        }
        let code =
            CreditCode::parse(credit_code.trim()).map_err(|e| AppError::field("credit_code", e))?;
        let org_name = org_name.trim();
        if org_name.is_empty() || org_name.chars().count() > 60 {
            return Err(AppError::field(
                "org_name",
                Text::new(
                    "请输入企业名称(60 字以内)",
                    "Enter the organisation's name (60 characters or fewer)",
                ),
            ));
        }
        let statement = statement.trim();
        if statement.chars().count() < 10 || statement.chars().count() > 500 {
            return Err(AppError::field(
                "statement",
                Text::new(
                    "请说明申诉理由(10–500 字),如该账户由谁注册、何时发现",
                    "Explain the dispute in 10 to 500 characters, for example who registered the \
                     account and when you found out",
                ),
            ));
        }
        // The filer's own document kind: the number is compared with their own account's.
        let account = &signed.account;
        let id = IdDocument::parse(account.id_kind, &id_number, &account.id_country)
            .map_err(|e| AppError::field("id_number", e))?;
        let key = &caller.settings.data_key;
        if crate::domain::person::document_digest(key, &id) != account.person_digest {
            return Err(AppError::field(
                "id_number",
                Text::new(
                    "证件号码与当前登录的个人账户不一致,请使用法定代表人本人的账户申诉",
                    "This is not the document number of the account you are signed in with: the \
                     legal representative files the dispute from their own personal account",
                ),
            ));
        }
        let holder = crate::accounts::repo::by_login_key(
            &caller.db,
            &crate::accounts::repo::enterprise_login_key(code.as_str()),
        )
        .await?
        .ok_or_else(|| {
            AppError::field(
                "credit_code",
                Text::new(
                    "该统一社会信用代码尚未注册法人账户,无需申诉,可直接注册",
                    "No organisation's account is registered with this unified social credit \
                     code: there is nothing to dispute, and the organisation can register",
                ),
            )
        })?;
        if repo::open_for(&caller.db, signed.account.id, code.as_str()).await? {
            return Err(AppError::field(
                "credit_code",
                Text::new(
                    "您已就该统一社会信用代码提出申诉,正在处理中",
                    "You have already filed a dispute about this unified social credit code: it \
                     is being handled",
                ),
            ));
        }
        crate::accounts::api::register::ssr::identity_attempt(&caller, &id, "id_number").await?;
        let claim = EnterpriseClaim {
            credit_code: code.as_str(),
            org_name,
            legal_name: &signed.account.name,
            legal_id: &id,
        };
        match caller.enterprises.verify(&claim).await {
            Ok(EnterpriseCheck::Match) => {}
            Ok(EnterpriseCheck::NoMatch) => {
                return Err(AppError::field(
                    "org_name",
                    Text::new(
                        "企业登记信息中,该企业的名称或法定代表人与您填写的不一致,不能提出申诉",
                        "The business register gives a different name or legal representative \
                         for this organisation, so the dispute cannot be filed",
                    ),
                ));
            }
            Err(e) => {
                tracing::error!(error = %e, "enterprise registry (dispute)");
                return Err(AppError::unavailable(Message::new(
                    format!("企业信息核验服务暂时不可用,申诉未提交,请稍后再试({e})"),
                    format!(
                        "The organisation check service is unavailable, so the dispute was not \
                         filed: please try again later ({e})"
                    ),
                )));
            }
        }
        let now = caller.clock.now();
        let mut tx = crate::platform::db::begin_write(&caller.db).await?;
        let id = repo::insert(
            &mut tx,
            signed.account.id,
            code.as_str(),
            org_name,
            statement,
            holder.id,
            now,
        )
        .await?;
        caller
            .audit_in(
                &mut tx,
                Some(signed.account.id),
                crate::platform::audit::DISPUTE_FILED,
                &format!("第 {id} 号:{org_name}({})", code.as_str()),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::{DisputeView, state_label};
    use sqlx::{Any, AnyPool, Row, Transaction};

    pub async fn insert(
        tx: &mut Transaction<'static, Any>,
        filed_by: i64,
        credit_code: &str,
        org_name: &str,
        statement: &str,
        holder_id: i64,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query(
            "INSERT INTO enterprise_disputes (filed_by, credit_code, org_name, statement, \
             holder_id, filed_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(filed_by)
        .bind(credit_code)
        .bind(org_name)
        .bind(statement)
        .bind(holder_id)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
    }

    /// Whether the account has a dispute about this code still being handled.
    pub async fn open_for(db: &AnyPool, account: i64, code: &str) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "SELECT 1 AS one FROM enterprise_disputes WHERE filed_by = $1 AND credit_code = $2 \
             AND state IN ('open', 'proposed')",
        )
        .bind(account)
        .bind(code)
        .fetch_optional(db)
        .await?
        .is_some())
    }

    pub async fn of_account(db: &AnyPool, account: i64) -> Result<Vec<DisputeView>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, credit_code, org_name, filed_at, state, outcome FROM enterprise_disputes \
             WHERE filed_by = $1 ORDER BY id DESC LIMIT 50",
        )
        .bind(account)
        .fetch_all(db)
        .await?;
        rows.iter()
            .map(|r| {
                let state: String = r.try_get("state")?;
                let label = state_label(&state);
                Ok(DisputeView {
                    id: r.try_get("id")?,
                    credit_code: r.try_get("credit_code")?,
                    org_name: r.try_get("org_name")?,
                    filed_at: crate::domain::time::format_beijing_minute(r.try_get("filed_at")?),
                    state: label.zh.to_string(),
                    state_en: label.en.to_string(),
                    outcome: r.try_get("outcome")?,
                })
            })
            .collect()
    }
}
