//! 人员资格查询: the public registry search and a registration's detail.

use crate::domain::query::QualificationQuery;
#[cfg(feature = "ssr")]
use crate::domain::query::ValidQuery;
use crate::error::AppError;
use crate::models::registry::{RegistrationDetail, SearchResults};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Searches the registry. GET so that results can be cached by the browser and bookmarked;
/// the arguments are the search form's fields.
#[server(input = GetUrl, endpoint = "search_registry")]
pub async fn search_registry(query: QualificationQuery) -> Result<SearchResults, AppError> {
    super::request::with_status(async move {
        use super::request;
        use crate::models::registry::repo;
        let state = request::state()?;
        request::check_rate(&state, &state.search_limiter)?;
        // A 身份证号 is never taken from an address: it comes by POST (search_key) and is
        // searched by its 查询凭据.
        if !query.id_number.trim().is_empty() {
            return Err(AppError::Invalid(
                "请在查询表单中输入身份证号后点击【查询】".into(),
            ));
        }
        let valid = match query
            .validate()
            .map_err(|e| AppError::Invalid(e.to_string()))?
        {
            ValidQuery::SearchKey(key) => {
                let expired =
                    || AppError::Invalid(crate::domain::query::QueryError::KeyExpired.to_string());
                match repo::resolve_search_key(&state.db, &key, state.clock.now()).await? {
                    Some(Ok(digest)) => ValidQuery::IdDigest(digest),
                    Some(Err(message)) => return Err(AppError::Invalid(message)),
                    None => return Err(expired()),
                }
            }
            other => other,
        };
        Ok(repo::search_with_counts(
            &state.db,
            &state.settings.data_key,
            &valid,
            query.page(),
            Some(&state.search_counts),
        )
        .await?)
    })
    .await
}

/// 查询 with a 身份证号: the number comes in the request body, never the address; the answer
/// is the 查询凭据 the results' address carries instead (30 minutes).
#[server(endpoint = "search_key")]
pub async fn search_key(id_number: String) -> Result<String, AppError> {
    super::request::with_status(async move {
        use super::request;
        let state = request::state()?;
        request::check_rate(&state, &state.search_limiter)?;
        let id = crate::domain::IdNumber::parse(id_number.trim())
            .map_err(|e| AppError::field("id_number", e))?;
        let digest =
            crate::models::registry::repo::id_digest(&state.settings.data_key, id.as_str());
        Ok(crate::models::registry::repo::create_search_key(
            &state.db,
            Ok(&digest),
            state.clock.now(),
        )
        .await?)
    })
    .await
}

/// One registration's public detail, by the random id in its link.
#[server(input = GetUrl, endpoint = "registration")]
pub async fn fetch_registration(public_id: String) -> Result<RegistrationDetail, AppError> {
    super::request::with_status(async move {
        use super::request;
        use crate::models::registry::repo;
        let state = request::state()?;
        request::check_rate(&state, &state.search_limiter)?;
        if public_id.len() != 32 || !public_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        repo::detail(&state.db, &public_id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
