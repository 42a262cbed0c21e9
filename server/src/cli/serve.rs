//! Serving the portal: reads the configuration, opens and migrates the database (one server
//! of a deployment at a time), loads demo data in development, builds the state with the
//! outside services and the certificate renderer, and serves until SIGTERM or Ctrl-C, with the
//! background work (request counts, status lists, expired sessions) beside it.

use crate::config::{Backend, Config};
use crate::{db, http};
use app::platform::state::{AppState, PortalEnv, Settings};
use axum::serve::ListenerExt;
use leptos::prelude::{LeptosOptions, get_configuration};
use sqlx::AnyPool;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Log lines on stdout: readable text, or with `PORTAL_LOG_FORMAT=json` one JSON object per
/// line for a log collector, each request's lines carrying its id (`span.id`).
pub fn init_logging() {
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "info,sqlx=warn,leptos_axum=warn".into())
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_target(false);
    if std::env::var("PORTAL_LOG_FORMAT").is_ok_and(|f| f.trim() == "json") {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .init();
    }
}

/// `server` / `server serve`: configures the portal, then serves until told to stop.
pub async fn run() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let options = leptos_options()?;
    let addr = options.site_addr;
    config.check_listen(addr)?;

    // Servers of one deployment start together: one migrates and seeds, the others wait.
    let lock = db::StartupLock::acquire(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let pool = open_database(&config).await?;
    let state = app_state(&config, options, &pool).await?;
    // 电子证照: the issuer's signing key and certificate, and the certificate font.
    let state = with_documents(&config, state, &pool).await?;
    let state = state.with_wallet_clients(config.wallet_clients.clone());
    let _in_use = lock.release().await;
    serve_portal(&config, state, addr).await?;
    pool.close().await;
    tracing::info!("portal stopped");
    Ok(())
}

/// The Leptos options, with hashed asset names when the build listed them.
fn leptos_options() -> Result<LeptosOptions, String> {
    let leptos = get_configuration(None).map_err(|e| format!("Leptos 配置无效:{e}"))?;
    let mut options = leptos.leptos_options;
    // Asset names carry content hashes (`hash-files`): the build writes their list beside the
    // binary, and the pages must name the hashed files however the binary is started.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        options.hash_files = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)))
            .is_some_and(|list| list.exists());
    }
    Ok(options)
}

/// Opens and migrates the database, builds the indexes a stopped bulk load deferred, seals
/// clear birth dates, and loads the demo registry in development.
async fn open_database(config: &Config) -> Result<AnyPool, String> {
    let pool = db::connect_serving(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    // A bulk load stopped halfway left its indexes to be built: before anything searches.
    let built = app::registry::bulk::build_deferred_indexes(&pool)
        .await
        .map_err(|e| format!("索引建立失败:{e}"))?;
    if built > 0 {
        tracing::info!(
            indexes = built,
            "built the indexes a stopped bulk load deferred"
        );
    }
    let sealed = app::registry::repo::seal_clear_birth_dates(&pool, &config.data_key)
        .await
        .map_err(|e| format!("出生日期加密失败:{e}"))?;
    if sealed > 0 {
        tracing::info!(persons = sealed, "sealed birth dates kept in clear");
    }
    check_deployment_mark(config, &pool).await?;
    if seeds_demo_data(config) {
        let added = crate::cli::demo::load_if_empty(&pool, &config.data_key)
            .await
            .map_err(|e| format!("演示数据加载失败:{e}"))?;
        if added > 0 {
            tracing::info!(persons = added, "loaded demo registry");
        }
    }
    Ok(pool)
}

/// Refuses a database of the other kind: a demo server (development, staging) on a production
/// database would let its development face check and demo accounts act on real citizens; a
/// production server on a demo database would serve accounts whose password is published.
/// An unmarked database is marked now, except that a staging server will not take one that
/// already holds accounts (it may be production's, from before the mark existed).
async fn check_deployment_mark(config: &Config, pool: &AnyPool) -> Result<(), String> {
    use app::platform::deployment::{DEMO, PRODUCTION, repo};
    let db_error = |e: sqlx::Error| format!("数据库错误:{e}");
    let kind = if seeds_demo_data(config) {
        DEMO
    } else {
        PRODUCTION
    };
    let mark = repo::mark(pool).await.map_err(db_error)?;
    if mark.is_none() && config.staging && repo::has_accounts(pool).await.map_err(db_error)? {
        return Err(
            "该数据库已有账户但未标明用途:测试部署(PORTAL_STAGING)只能使用新建的数据库".into(),
        );
    }
    let now = app::platform::clock::Clock::default().now();
    let mark = repo::mark_if_unmarked(pool, kind, now)
        .await
        .map_err(db_error)?;
    match (mark.as_str(), kind) {
        (m, k) if m == k => Ok(()),
        (PRODUCTION, _) => Err(
            "该数据库属于生产环境:开发环境和测试部署(PORTAL_STAGING)不能使用生产数据库".into(),
        ),
        _ => Err(
            "该数据库曾用于开发或测试部署(含公开密码的演示账户):生产环境不能使用,请使用新建的数据库"
                .into(),
        ),
    }
}

/// Development and a staging deployment load the demo registry and accounts; production never.
pub fn seeds_demo_data(config: &Config) -> bool {
    config.env == PortalEnv::Development || config.staging
}

/// The application state with its outside services, and the demo accounts in development.
async fn app_state(
    config: &Config,
    options: LeptosOptions,
    pool: &AnyPool,
) -> Result<AppState, String> {
    let clock = std::sync::Arc::new(app::platform::clock::Clock::default());
    let services = crate::adapters::services(config, pool, clock.clone())?;
    let state = AppState::new(
        options,
        pool.clone(),
        Settings {
            env: config.env,
            data_key: config.data_key.clone().into(),
            trust_forwarded_for: config.trust_forwarded_for,
            public_url: config.public_url.clone(),
            metrics_token: config.metrics_token.clone(),
            staging: config.staging,
        },
        config.limits,
        clock,
        services,
    )?
    .with_status_ttl(config.status_list_ttl);
    if seeds_demo_data(config) {
        let added = crate::cli::demo::ensure_accounts(&state)
            .await
            .map_err(|e| format!("演示账户创建失败:{e}"))?;
        if added > 0 {
            tracing::info!(accounts = added, "created demo accounts");
        }
    }
    Ok(state)
}

/// `state` with its 电子证照 documents: the issuer's key and certificate, and the font.
async fn with_documents(
    config: &Config,
    state: AppState,
    pool: &AnyPool,
) -> Result<AppState, String> {
    let issuer = configured_issuer(config)?;
    if issuer.is_some()
        && config.env.is_production()
        && app::platform::signing_key::repo::forget(pool)
            .await
            .map_err(|e| format!("数据库错误:{e}"))?
    {
        tracing::warn!("deleted a development signing key kept in the database");
    }
    let font = documents::font::Font::configured().map(Arc::new);
    if let Err(e) = &font {
        tracing::error!("{e}; certificate previews and downloads will fail");
    }
    let documents = documents::Documents::new(font, pool.clone(), issuer);
    let state = state.with_documents(Arc::new(documents));
    let state = with_verifier_key(config, pool, state).await?;
    let Some(path) = &config.vc_key_file else {
        return Ok(state);
    };
    let secret = std::fs::read_to_string(path)
        .map_err(|e| format!("PORTAL_VC_KEY_FILE {path} 无法读取:{e}"))?;
    let key = app::platform::sd_jwt::VcKey::from_secret_hex(&secret)
        .map_err(|e| format!("PORTAL_VC_KEY_FILE {path}:{e}"))?;
    use app::credentials::vc::repo as vc;
    let key = match &config.vc_cert_file {
        Some(cert_path) => with_chain_file(key, "PORTAL_VC_CERT_FILE", cert_path)?,
        // Development and staging with an operator's key but no chain: the development CA
        // certifies it (production refuses to start without PORTAL_VC_CERT_FILE).
        None => {
            let now = app::platform::clock::Clock::default().now();
            let ca = vc::development_key(pool, vc::DEV_CA_KEY, now).await?;
            vc::development_chain(key, &ca)?
        }
    };
    tracing::info!(kid = %key.kid(), "verifiable-credential signing key configured");
    if config.env.is_production() {
        for name in [vc::DEV_KEY, vc::DEV_CA_KEY] {
            if app::platform::signing_key::repo::forget_named(pool, name)
                .await
                .map_err(|e| format!("数据库错误:{e}"))?
            {
                tracing::warn!(
                    name,
                    "deleted a development credential key kept in the database"
                );
            }
        }
    }
    Ok(state.with_vc_key(key))
}

/// The verifier's key and certificate chain (`PORTAL_VP_KEY_FILE`, `PORTAL_VP_CERT_FILE`):
/// both or neither; without them (development and staging only) a development key.
async fn with_verifier_key(
    config: &Config,
    pool: &sqlx::AnyPool,
    state: AppState,
) -> Result<AppState, String> {
    let (Some(key_path), Some(cert_path)) = (&config.vp_key_file, &config.vp_cert_file) else {
        if config.vp_key_file.is_some() || config.vp_cert_file.is_some() {
            return Err("PORTAL_VP_KEY_FILE 与 PORTAL_VP_CERT_FILE 须同时配置".into());
        }
        return Ok(state);
    };
    let secret = std::fs::read_to_string(key_path)
        .map_err(|e| format!("PORTAL_VP_KEY_FILE {key_path} 无法读取:{e}"))?;
    let key = app::platform::sd_jwt::VcKey::from_secret_hex(secret.trim())
        .map_err(|e| format!("PORTAL_VP_KEY_FILE {key_path}:{e}"))?;
    let key = with_chain_file(key, "PORTAL_VP_CERT_FILE", cert_path)?;
    if config.env.is_production()
        && app::platform::signing_key::repo::forget_named(
            pool,
            app::credentials::oid4vp::repo::DEV_KEY,
        )
        .await
        .map_err(|e| format!("数据库错误:{e}"))?
    {
        tracing::warn!("deleted a development verifier key kept in the database");
    }
    Ok(state.with_vp_key(key))
}

/// `key` with the operator's chain from the PEM file at `path` (the setting `var`): checked
/// whole, from the key's certificate to a self-signed root.
fn with_chain_file(
    key: app::platform::sd_jwt::VcKey,
    var: &str,
    path: &str,
) -> Result<app::platform::sd_jwt::VcKey, String> {
    use app::platform::x509;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{var} {path} 无法读取:{e}"))?;
    let now = app::platform::clock::Clock::default().now();
    let (chain, anchor) = x509::pem_chain(&text)
        .and_then(|certs| x509::configured_chain(certs, key.verifying_key(), now))
        .map_err(|e| format!("{var} {path}:{e}"))?;
    Ok(key.with_chain(chain, anchor))
}

/// Starts the background tasks and serves on `addr` until a shutdown signal.
async fn serve_portal(config: &Config, state: AppState, addr: SocketAddr) -> Result<(), String> {
    tokio::spawn(purge_sessions(state.clone()));
    tokio::spawn(flush_request_counts(state.clone()));
    tokio::spawn(refresh_status_lists(state.clone()));
    tokio::spawn(send_notices(state.clone()));
    tokio::spawn(apply_retention(state.clone()));
    let ops = crate::ops::Ops::new();
    tokio::spawn(crate::ops::Ops::watch_database(
        Arc::downgrade(&ops),
        config.database_url.clone(),
    ));
    if config.backend == Backend::Postgres {
        tokio::spawn(app::face_check::events::listen_for_other_processes(
            state.clone(),
            config.database_url.clone(),
        ));
    }
    // The console's listener first: an address the operator named that cannot be had stops
    // the start before the portal serves anyone.
    let console = crate::admin::bind(config.admin).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("无法监听 {addr}:{e}"))?
        // Leptos writes a page in several chunks; without NODELAY each waits for a delayed ACK.
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    tracing::info!(
        "portal listening on http://{addr} ({:?}, {})",
        config.env,
        crate::config::redact_url(&config.database_url)
    );
    // One stop signal for both listeners.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let until_stopped = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|s| *s).await;
        }
    };
    let console = console.map(|listener| {
        tokio::spawn(crate::admin::serve(
            state.clone(),
            listener,
            until_stopped(),
        ))
    });
    let served = axum::serve(
        listener,
        http::router_with(state.clone(), ops).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(until_stopped())
    .await
    .map_err(|e| format!("服务异常退出:{e}"));
    let console = match console {
        Some(task) => task
            .await
            .map_err(|e| format!("工作人员控制台异常退出:{e}"))
            .and_then(|r| r),
        None => Ok(()),
    };
    // The searches counted since the last tick still count on the other servers.
    state
        .search_limiter
        .flush(&state.db, state.clock.now())
        .await;
    served.and(console)
}

/// The search limit's in-memory counts into the shared count, every 100 ms, also when no
/// request comes to start a flush.
async fn flush_request_counts(state: AppState) {
    let mut every = tokio::time::interval(app::platform::rate_limit::FLUSH_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        state
            .search_limiter
            .flush(&state.db, state.clock.now())
            .await;
    }
}

/// Deletes sessions that can no longer be resumed and request-limit windows that ended over
/// an hour ago, every ten minutes.
/// Status lists: lapsed registrations and registry changes into the stored bits, every five
/// seconds, however large the change (a list request works through two batches at most).
async fn refresh_status_lists(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    loop {
        every.tick().await;
        if let Err(e) = app::credentials::vc::repo::refresh(&state.db, state.clock.now()).await {
            tracing::warn!(error = %e, "status list refresh failed");
        }
    }
}

/// 短信通知 queued by registry changes and staff decisions, every ten seconds.
async fn send_notices(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(10));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) =
            app::platform::notices::send_due(&state.db, state.sms.as_ref(), state.clock.now()).await
        {
            tracing::warn!(error = %e, "sms notices failed");
        }
    }
}

/// The retention purge (`app::privacy::purge`) every ten minutes: one server at a time runs it,
/// whichever takes it first.
async fn apply_retention(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        match app::privacy::purge::run(&state.db, state.sms.as_ref(), state.clock.now()).await {
            Ok(pass) if pass.ran => {
                tracing::info!(purged = ?pass.purged, "retention purge");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "retention purge failed"),
        }
    }
}

async fn purge_sessions(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        let now = state.clock.now();
        if let Err(e) = app::platform::session::repo::purge_expired(&state.db, now).await {
            tracing::warn!(error = %e, "session purge failed");
        }
        if let Err(e) = app::staff::repo::purge_sessions(&state.db, now).await {
            tracing::warn!(error = %e, "staff session purge failed");
        }
        if let Err(e) = app::credentials::oid4vci::repo::purge(&state.db, now).await {
            tracing::warn!(error = %e, "credential offer purge failed");
        }
        if let Err(e) = app::credentials::oid4vp::repo::purge(&state.db, now).await {
            tracing::warn!(error = %e, "verification request purge failed");
        }
        if let Err(e) = app::platform::counters::repo::purge_requests(&state.db, now - 3600).await {
            tracing::warn!(error = %e, "request counter purge failed");
        }
        // Status lists: the slots of long-expired credentials freed for new ones.
        if let Err(e) = app::credentials::vc::repo::release_slots(&state.db, now).await {
            tracing::warn!(error = %e, "status slot release failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// The operator's issuer key and certificate (`PORTAL_ISSUER_KEY_FILE`,
/// `PORTAL_ISSUER_CERT_FILE`), if configured.
fn configured_issuer(
    config: &crate::config::Config,
) -> Result<Option<documents::ConfiguredIssuer>, String> {
    let Some(path) = &config.issuer_key_file else {
        if config.issuer_cert_file.is_some() {
            return Err("PORTAL_ISSUER_CERT_FILE 需要与 PORTAL_ISSUER_KEY_FILE 一起设置".into());
        }
        return Ok(None);
    };
    let secret = std::fs::read_to_string(path)
        .map_err(|e| format!("PORTAL_ISSUER_KEY_FILE {path} 无法读取:{e}"))?;
    let key = documents::sign::IssuerKey::from_secret_hex(&secret)
        .map_err(|e| format!("PORTAL_ISSUER_KEY_FILE {path}:{e}"))?;
    tracing::info!(public_key = %key.public_hex(), "issuer signing key configured");
    let certificate = match &config.issuer_cert_file {
        Some(cert_path) => {
            let bytes = std::fs::read(cert_path)
                .map_err(|e| format!("PORTAL_ISSUER_CERT_FILE {cert_path} 无法读取:{e}"))?;
            Some(
                documents::seal::certificate_from_file(&bytes)
                    .map_err(|e| format!("PORTAL_ISSUER_CERT_FILE {cert_path}:{e}"))?,
            )
        }
        None => None,
    };
    documents::ConfiguredIssuer::new(key, certificate)
        .map(Some)
        .map_err(|e| format!("PORTAL_ISSUER_CERT_FILE:{e}"))
}
