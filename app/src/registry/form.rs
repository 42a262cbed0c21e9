//! `POST /search`: the 人员资格查询 form as a browser without JavaScript posts it. A 身份证号
//! becomes a 查询凭据 (or the message of why it is not valid) and the browser is sent to the
//! results' address, which never holds the number; the other fields stay readable there.

use crate::domain::id_document::TypedDocument;
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use crate::registry::api::ssr::id_search_digest;
use crate::registry::query::QualificationQuery;
use crate::registry::repo::create_search_key;
use axum::extract::{Form, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Default, serde::Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    id_kind: String,
    #[serde(default)]
    id_country: String,
    #[serde(default)]
    reg_no: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    employer: String,
}

pub async fn post_search(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<SearchForm>,
) -> Response {
    let client = crate::platform::caller::RequestMeta::read(&state, &parts).client_ip;
    match state
        .search_limiter
        .allow(&state.db, client, state.clock.now())
        .await
    {
        Ok(true) => {}
        Ok(false) => return crate::platform::error::plain_error(&AppError::RateLimited),
        Err(e) => return crate::platform::error::plain_error(&AppError::from(e)),
    }
    let mut query = QualificationQuery {
        name: form.name,
        reg_no: form.reg_no,
        category: form.category,
        employer: form.employer,
        page: 1,
        ..QualificationQuery::default()
    };
    if !form.id_number.trim().is_empty() {
        let typed = TypedDocument {
            kind: &form.id_kind,
            number: &form.id_number,
            country: &form.id_country,
        };
        let outcome = match id_search_digest(&state, client, typed).await {
            Ok(outcome) => outcome,
            Err(e) => return crate::platform::error::plain_error(&AppError::from(e)),
        };
        let outcome = outcome.as_deref().map_err(String::as_str);
        match create_search_key(&state.db, outcome, state.clock.now()).await {
            Ok(key) => query.key = key,
            Err(e) => return crate::platform::error::plain_error(&AppError::from(e)),
        }
    }
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(&query.search_url(1)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}
