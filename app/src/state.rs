//! What every request handler and server function can reach on the server: the Leptos
//! options, the database pool, the portal's settings and its shared services. Built once in
//! `server/` and handed to Leptos through context.

use crate::count_cache::CountCache;
use crate::rate_limit::RateLimiter;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::AnyPool;
use std::sync::Arc;

/// `PORTAL_ENV`: development adds demo data and developer aids; production is strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalEnv {
    Development,
    Production,
}

impl PortalEnv {
    pub fn is_production(self) -> bool {
        self == Self::Production
    }
}

/// Settings read from the environment at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    pub env: PortalEnv,
    /// Key of the digests that let the registry match a full ID number without storing it
    /// readable. Never logged.
    pub data_key: Arc<[u8]>,
    /// Take the client address from the last `X-Forwarded-For` entry (set when a trusted
    /// load balancer is in front).
    pub trust_forwarded_for: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: AnyPool,
    pub settings: Arc<Settings>,
    /// Limits 人员资格查询 requests per client address.
    pub search_limiter: Arc<RateLimiter>,
    /// Recent match counts of name searches.
    pub search_counts: Arc<CountCache>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
