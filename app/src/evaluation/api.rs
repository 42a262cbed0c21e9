//! 好差评's server functions: the citizen's 办件 and their ratings, and the public figures.

use crate::evaluation::{CaseView, MonthRow};
#[cfg(feature = "ssr")]
use crate::platform::caller::serve_signed_in;
use crate::platform::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::lang::Text;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// 我的办件与评价: the caller's 办件, their ratings and any 差评's follow-up.
#[server(input = GetUrl, endpoint = "my_cases")]
pub async fn my_cases() -> Result<Vec<CaseView>, AppError> {
    serve_signed_in(|caller, signed| async move {
        Ok(
            crate::evaluation::repo::cases_of(&caller.db, signed.account.id, caller.clock.now())
                .await?,
        )
    })
    .await
}

/// 【提交评价】: rates one of the caller's 办件 (`reasons` as `reasons[i]`, the fixed list's
/// entries, for 不满意 and below).
#[server(endpoint = "rate_case")]
pub async fn rate_case(
    case_no: String,
    level: i64,
    #[server(default)] reasons: Vec<String>,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    serve_signed_in(|caller, signed| async move {
        let comment = comment.trim();
        let reasons = crate::evaluation::check_rating(level, &reasons, comment)
            .map_err(|e| AppError::field("level", e))?;
        crate::evaluation::repo::rate(
            &caller.db,
            signed.account.id,
            case_no.trim(),
            level,
            &reasons,
            comment,
            caller.clock.now(),
        )
        .await?
        .map_err(|e| AppError::field("level", e))
    })
    .await
}

/// 【评价整改结果】: the caller's rating of a 差评's fix, once the order is closed.
#[server(endpoint = "rate_fix")]
pub async fn rate_fix(case_no: String, level: i64) -> Result<(), AppError> {
    serve_signed_in(|caller, signed| async move {
        if crate::evaluation::level_label(level).is_empty() {
            return Err(AppError::field("fix_level", ssr::CHOOSE_LEVEL));
        }
        if crate::evaluation::repo::rate_fix(&caller.db, signed.account.id, case_no.trim(), level)
            .await?
        {
            Ok(())
        } else {
            Err(AppError::field(
                "fix_level",
                Text::new(
                    "该工单尚未回访办结,或已评价过整改结果",
                    "You can rate what we put right once the follow-up is closed, and only once",
                ),
            ))
        }
    })
    .await
}

/// The public figures of the last twelve months.
#[server(input = GetUrl, endpoint = "public_evaluation")]
pub async fn public_evaluation() -> Result<Vec<MonthRow>, AppError> {
    crate::platform::caller::serve(|caller| async move {
        Ok(crate::evaluation::repo::month_rows(&caller.db, caller.clock.now(), 12).await?)
    })
    .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::platform::lang::Text;

    pub const CHOOSE_LEVEL: Text = Text::new("请选择评价等级", "Choose a rating");
}
