//! 人员资格查询: the public registry search and a registration's detail.

use crate::domain::query::QualificationQuery;
use crate::error::AppError;
use crate::models::registry::{RegistrationDetail, SearchResults};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Searches the registry. GET so that results can be cached by the browser and bookmarked;
/// the arguments are the search form's fields.
#[server(input = GetUrl, endpoint = "search_registry")]
pub async fn search_registry(query: QualificationQuery) -> Result<SearchResults, AppError> {
    use super::request;
    use crate::models::registry::repo;
    let state = expect_context::<crate::state::AppState>();
    request::check_rate(&state, &state.search_limiter)?;
    let valid = query
        .validate()
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    Ok(repo::search_with_counts(
        &state.db,
        &state.settings.data_key,
        &valid,
        query.page(),
        Some(&state.search_counts),
    )
    .await?)
}

/// One registration's public detail, by the random id in its link.
#[server(input = GetUrl, endpoint = "registration")]
pub async fn fetch_registration(public_id: String) -> Result<RegistrationDetail, AppError> {
    use super::request;
    use crate::models::registry::repo;
    let state = expect_context::<crate::state::AppState>();
    request::check_rate(&state, &state.search_limiter)?;
    if public_id.len() != 32 || !public_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    match repo::detail(&state.db, &public_id).await? {
        Some(detail) => Ok(detail),
        None => {
            request::set_status(http::StatusCode::NOT_FOUND);
            Err(AppError::NotFound)
        }
    }
}
