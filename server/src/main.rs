//! Starts the portal: reads the configuration, opens and migrates the database, loads demo
//! data in development, and serves until SIGTERM or Ctrl-C.

use app::state::{AppState, PortalEnv, Settings};
use axum::serve::ListenerExt;
use leptos::prelude::get_configuration;
use server::{config::Config, db, demo, http};
use std::process::ExitCode;
use std::sync::Arc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,leptos_axum=warn".into()),
        )
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("错误:{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let leptos = get_configuration(None).map_err(|e| format!("Leptos 配置无效:{e}"))?;
    let options = leptos.leptos_options;
    let addr = options.site_addr;

    let pool = db::connect_and_migrate(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    if config.env == PortalEnv::Development {
        let added = demo::load_if_empty(&pool, &config.data_key)
            .await
            .map_err(|e| format!("演示数据加载失败:{e}"))?;
        if added > 0 {
            tracing::info!(persons = added, "loaded demo registry");
        }
    }

    let state = AppState {
        leptos_options: options,
        db: pool.clone(),
        settings: Arc::new(Settings {
            env: config.env,
            data_key: config.data_key.clone().into(),
        }),
    };
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
        server::config::redact_url(&config.database_url)
    );
    axum::serve(listener, http::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("服务异常退出:{e}"))?;
    pool.close().await;
    tracing::info!("portal stopped");
    Ok(())
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
