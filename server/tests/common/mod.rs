//! Test support: a fresh database per test, on SQLite always and on PostgreSQL when
//! `TEST_POSTGRES_URL` is set.

#![allow(dead_code)]

use sqlx::AnyPool;
use sqlx::Executor;

pub const DATA_KEY: &[u8] = b"test-data-key-test-data-key-test-data-key";

/// A migrated database that lives as long as this value.
pub struct TestDb {
    pub pool: AnyPool,
    pub label: &'static str,
    _dir: Option<TempDir>,
    drop_pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = TempDir::new();
        let url = format!("sqlite://{}/portal.db?mode=rwc", dir.path);
        let pool = server::db::connect_and_migrate(&url)
            .await
            .expect("sqlite test database");
        Self {
            pool,
            label: "sqlite",
            _dir: Some(dir),
            drop_pg: None,
        }
    }

    /// `None` (and a note on stderr) when `TEST_POSTGRES_URL` is not set.
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") else {
            eprintln!("SKIPPED (PostgreSQL): TEST_POSTGRES_URL is not set");
            return None;
        };
        sqlx::any::install_default_drivers();
        let name = format!("portal_test_{}", random_suffix());
        let admin = AnyPool::connect(&admin_url)
            .await
            .expect("connect TEST_POSTGRES_URL");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        admin.close().await;
        let url = replace_db_name(&admin_url, &name);
        let pool = server::db::connect_and_migrate(&url)
            .await
            .expect("postgres test database");
        Some(Self {
            pool,
            label: "postgres",
            _dir: None,
            drop_pg: Some((admin_url, name)),
        })
    }

    /// SQLite, then PostgreSQL if configured.
    pub async fn all() -> Vec<Self> {
        let mut dbs = vec![Self::sqlite().await];
        dbs.extend(Self::postgres().await);
        dbs
    }

    pub async fn close(self) {
        self.pool.close().await;
        if let Some((admin_url, name)) = &self.drop_pg
            && let Ok(admin) = AnyPool::connect(admin_url).await
        {
            let _ = admin
                .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
                .await;
            admin.close().await;
        }
    }
}

fn random_suffix() -> String {
    let bytes: [u8; 6] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A temporary folder removed on drop.
pub struct TempDir {
    pub path: String,
}

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("portal-test-{}", random_suffix()));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self {
            path: path.display().to_string(),
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
