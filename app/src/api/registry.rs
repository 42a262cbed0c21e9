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
    use crate::models::registry::repo;
    let state = expect_context::<crate::state::AppState>();
    ssr::check_rate(&state)?;
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
    use crate::models::registry::repo;
    let state = expect_context::<crate::state::AppState>();
    ssr::check_rate(&state)?;
    if public_id.len() != 32 || !public_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    match repo::detail(&state.db, &public_id).await? {
        Some(detail) => Ok(detail),
        None => {
            ssr::set_status(http::StatusCode::NOT_FOUND);
            Err(AppError::NotFound)
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::state::AppState;
    use axum::extract::ConnectInfo;
    use leptos::prelude::use_context;
    use std::net::{IpAddr, Ipv4Addr, SocketAddr};

    pub fn set_status(status: http::StatusCode) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }

    /// The calling client's address: the socket's peer, or the last `X-Forwarded-For` hop
    /// when a trusted proxy is configured.
    fn client_ip(state: &AppState) -> IpAddr {
        let parts = use_context::<http::request::Parts>();
        if state.settings.trust_forwarded_for
            && let Some(ip) = parts
                .as_ref()
                .and_then(|p| p.headers.get("x-forwarded-for"))
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
        parts
            .and_then(|p| {
                p.extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip())
            })
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    /// Refuses the request with 429 when this client has asked too often.
    pub fn check_rate(state: &AppState) -> Result<(), AppError> {
        if state.search_limiter.allow(client_ip(state)) {
            Ok(())
        } else {
            set_status(http::StatusCode::TOO_MANY_REQUESTS);
            Err(AppError::RateLimited)
        }
    }
}
