//! What an operator watches and what a failure meets: the database watch that turns an outage
//! into an immediate 服务暂时不可用 page instead of requests queueing behind it, the request id
//! carried through the logs, and `GET /metrics` in the Prometheus text format.

use app::platform::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use tracing::Instrument;

/// How often the database is asked whether it answers, and how long an answer may take.
const PROBE_EVERY: Duration = Duration::from_millis(500);
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// A request whose answer has not begun by then gets the 服务暂时不可用 page: a hung database
/// must not hold citizens (or the load balancer's connections) without end. The server
/// functions give up a little earlier with their own message ([`app::platform::caller::SERVE_WITHIN`]).
const ANSWER_WITHIN: Duration = Duration::from_millis(4500);
/// The same for the server functions that ask an outside service
/// ([`app::platform::caller::CALLING_OUT`]), which may wait for the provider's own bound.
const ANSWER_CALLING_OUT_WITHIN: Duration = Duration::from_millis(10_500);

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Shared by the router's layers: the database's last known state and the request figures.
#[derive(Default)]
pub struct Ops {
    watched: AtomicBool,
    database_down: AtomicBool,
    outages: AtomicU64,
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    documents: Mutex<BTreeMap<String, u64>>,
    unavailable_answers: AtomicU64,
}

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Ops {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Whether the last probe found the database out of reach.
    pub fn database_down(&self) -> bool {
        self.database_down.load(Ordering::Relaxed)
    }

    /// Whether a database watch runs for these figures (the server's; tests have none).
    pub fn watched(&self) -> bool {
        self.watched.load(Ordering::Relaxed)
    }

    /// Asks the database twice a second whether it answers, until the portal stops (the last
    /// `Arc` is gone). A probe that fails or takes over a second marks it down: pages then
    /// answer 503 at once. The first probe that answers marks it up again, so the servers
    /// recover by themselves when the database returns. The probe has a connection of its own,
    /// outside the pool: a pool kept busy by a flood of requests is no outage.
    pub async fn watch_database(this: Weak<Self>, url: String) {
        if let Some(ops) = this.upgrade() {
            ops.watched.store(true, Ordering::Relaxed);
        }
        let mut every = tokio::time::interval(PROBE_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut conn: Option<sqlx::AnyConnection> = None;
        loop {
            every.tick().await;
            let answered = probe(&mut conn, &url).await;
            let Some(ops) = this.upgrade() else { return };
            let was_down = ops.database_down.swap(!answered, Ordering::Relaxed);
            match (was_down, answered) {
                (false, false) => {
                    ops.outages.fetch_add(1, Ordering::Relaxed);
                    tracing::error!("database unavailable: answering 503 until it returns");
                }
                (true, true) => tracing::warn!("database answers again: serving"),
                _ => {}
            }
        }
    }

    fn record(&self, route: &str, status: u16, seconds: f64) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route.to_string(), status)).or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let h = latency.entry(route.to_string()).or_default();
            h.count += 1;
            h.sum += seconds;
            for (bucket, bound) in h.buckets.iter_mut().zip(BUCKETS) {
                if seconds <= bound {
                    *bucket += 1;
                }
            }
        }
    }

    fn record_document(&self, format: &str) {
        if let Ok(mut documents) = self.documents.lock() {
            *documents.entry(format.to_string()).or_default() += 1;
        }
    }

    /// The figures in the Prometheus text exposition format.
    pub fn render(&self, state: &AppState) -> String {
        let mut out = Exposition::default();
        self.request_figures(&mut out);
        self.database_figures(&mut out, state);
        limit_figures(&mut out, state);
        if let Some(http) = &state.providers {
            provider_figures(&mut out, &http.figures());
        }
        let name = out.family(
            "portal_document_renders_total",
            "counter",
            "Certificate previews and copies rendered, by format.",
        );
        if let Ok(documents) = self.documents.lock() {
            for (format, n) in documents.iter() {
                out.line(format_args!("{name}{{format=\"{}\"}} {n}", escape(format)));
            }
        }
        out.0
    }

    /// Requests answered, by route and status, and their latency histogram.
    fn request_figures(&self, out: &mut Exposition) {
        let name = out.family(
            "portal_http_requests_total",
            "counter",
            "Requests answered, by route and status.",
        );
        if let Ok(requests) = self.requests.lock() {
            for ((route, status), n) in requests.iter() {
                out.line(format_args!(
                    "{name}{{route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                ));
            }
        }
        let name = out.family(
            "portal_http_request_duration_seconds",
            "histogram",
            "Time to answer a request, by route.",
        );
        if let Ok(latency) = self.latency.lock() {
            for (route, h) in latency.iter() {
                let route = escape(route);
                for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                    out.line(format_args!(
                        "{name}_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    ));
                }
                out.line(format_args!(
                    "{name}_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                ));
                out.line(format_args!("{name}_sum{{route=\"{route}\"}} {:.6}", h.sum));
                out.line(format_args!(
                    "{name}_count{{route=\"{route}\"}} {}",
                    h.count
                ));
            }
        }
    }

    /// The pool, the database's reachability, and the face-check streams held open.
    fn database_figures(&self, out: &mut Exposition, state: &AppState) {
        let name = out.family(
            "portal_db_pool_connections",
            "gauge",
            "Database pool connections, in use and idle.",
        );
        let (size, idle) = (state.db.size(), state.db.num_idle() as u32);
        out.line(format_args!(
            "{name}{{state=\"in_use\"}} {}",
            size.saturating_sub(idle)
        ));
        out.line(format_args!("{name}{{state=\"idle\"}} {idle}"));
        out.single(
            ("portal_db_up", "gauge"),
            "1 when the last database probe answered.",
            u8::from(!self.database_down()),
        );
        out.single(
            ("portal_db_outages_total", "counter"),
            "Times the database was found out of reach.",
            self.outages.load(Ordering::Relaxed),
        );
        out.single(
            ("portal_unavailable_answers_total", "counter"),
            "Requests answered 503 at once because the database was down.",
            self.unavailable_answers.load(Ordering::Relaxed),
        );
        out.single(
            ("portal_face_event_streams", "gauge"),
            "Face-check tickets with an open event stream on this server.",
            state.face_hub.listened(),
        );
    }
}

/// The per-client limits' refusals and the failed flushes of the shared counts.
fn limit_figures(out: &mut Exposition, state: &AppState) {
    let name = out.family(
        "portal_rate_limit_refusals_total",
        "counter",
        "Requests refused by a per-client limit on this server.",
    );
    for limiter in [
        &state.search_limiter,
        &state.login_limiter,
        &state.sms_limiter,
    ] {
        out.line(format_args!(
            "{name}{{limit=\"{}\"}} {}",
            limiter.scope(),
            limiter.refused()
        ));
    }
    let name = out.family(
        "portal_rate_limit_flush_failures_total",
        "counter",
        "Times this server could not add its in-memory request counts to the database.",
    );
    out.line(format_args!(
        "{name}{{limit=\"{}\"}} {}",
        state.search_limiter.scope(),
        state.search_limiter.flush_failures()
    ));
}

/// The outside services' calls by provider and action: counts, failures and a latency
/// histogram (never a request or an answer: those may carry a secret or personal data).
fn provider_figures(
    out: &mut Exposition,
    figures: &[(
        (&'static str, &'static str),
        app::platform::providers::ActionFigures,
    )],
) {
    use app::platform::providers::LATENCY_BOUNDS;
    type Count = fn(&app::platform::providers::ActionFigures) -> u64;
    let counts: [(&'static str, &str, Count); 2] = [
        (
            "portal_provider_requests_total",
            "Calls to the outside services, by provider and action.",
            |f| f.requests,
        ),
        (
            "portal_provider_errors_total",
            "Calls to the outside services that failed (down, slow, refused, unreadable).",
            |f| f.errors,
        ),
    ];
    for (family, help, count) in counts {
        let name = out.family(family, "counter", help);
        for ((provider, action), f) in figures {
            out.line(format_args!(
                "{name}{{provider=\"{provider}\",action=\"{action}\"}} {}",
                count(f)
            ));
        }
    }
    let name = out.family(
        "portal_provider_request_duration_seconds",
        "histogram",
        "Time a call to an outside service took, by provider and action.",
    );
    for ((provider, action), f) in figures {
        let labels = format!("provider=\"{provider}\",action=\"{action}\"");
        for (bound, n) in LATENCY_BOUNDS.iter().zip(f.latency) {
            out.line(format_args!("{name}_bucket{{{labels},le=\"{bound}\"}} {n}"));
        }
        out.line(format_args!(
            "{name}_bucket{{{labels},le=\"+Inf\"}} {}",
            f.requests
        ));
        out.line(format_args!("{name}_sum{{{labels}}} {:.6}", f.seconds));
        out.line(format_args!("{name}_count{{{labels}}} {}", f.requests));
    }
}

/// `SELECT 1` on the watch's own connection (opened again when lost), within a second.
async fn probe(conn: &mut Option<sqlx::AnyConnection>, url: &str) -> bool {
    use sqlx::Connection;
    let outcome = tokio::time::timeout(PROBE_TIMEOUT, async {
        if conn.is_none() {
            *conn = Some(sqlx::AnyConnection::connect(url).await?);
        }
        match conn.as_mut() {
            Some(c) => sqlx::query("SELECT 1").execute(c).await.map(|_| ()),
            None => Ok(()),
        }
    })
    .await;
    let answered = matches!(outcome, Ok(Ok(())));
    if !answered {
        // A connection that failed or hung is not asked again.
        *conn = None;
    }
    answered
}

/// The text being written: a `# HELP`/`# TYPE` head per family, then its samples.
#[derive(Default)]
struct Exposition(String);

impl Exposition {
    fn family(&mut self, name: &'static str, kind: &str, help: &str) -> &'static str {
        let _ = writeln!(self.0, "# HELP {name} {help}\n# TYPE {name} {kind}");
        name
    }

    fn line(&mut self, sample: std::fmt::Arguments<'_>) {
        let _ = self.0.write_fmt(sample);
        self.0.push('\n');
    }

    /// A family of one unlabelled sample: its (name, kind), help and value.
    fn single(
        &mut self,
        (name, kind): (&'static str, &str),
        help: &str,
        value: impl std::fmt::Display,
    ) {
        let name = self.family(name, kind, help);
        self.line(format_args!("{name} {value}"));
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The route a request is counted under: the router's pattern (never the address itself, which
/// may carry a ticket or a code), the static files as one, anything else as `other`.
fn route_of(request: &Request) -> String {
    match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_string(),
        None if request.uri().path().starts_with("/pkg/") => "/pkg/*".to_string(),
        None => "other".to_string(),
    }
}

/// A request id: the load balancer's when it is a plain token (HAProxy's `unique-id`), or a
/// new random one. It names the request in every log line and in the `X-Request-Id` answer.
fn request_id(request: &Request, trust_forwarded: bool) -> String {
    let given = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            trust_forwarded
                && (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        });
    match given {
        Some(id) => id.to_string(),
        None => format!("{:016x}", rand::random::<u64>()),
    }
}

/// The outer layer: names the request, answers 503 at once while the database is down,
/// counts and times the answer, and writes one log line (method, route pattern, status, time;
/// never the query string, which may carry personal data).
pub async fn observe(
    State((ops, state)): State<(Arc<Ops>, AppState)>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    request.extensions_mut().insert(ops.clone());
    let id = request_id(&request, state.settings.trust_forwarded_for);
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let route = route_of(&request);
    let span = tracing::info_span!("request", id = %id);
    let mut response = if ops.database_down() && needs_database(&path) {
        ops.unavailable_answers.fetch_add(1, Ordering::Relaxed);
        unavailable_page(&path)
    } else if path.starts_with("/api/face_events/") {
        // The face-check event stream stays open by design.
        next.run(request).instrument(span.clone()).await
    } else {
        let within = if path
            .strip_prefix("/api/")
            .is_some_and(|f| app::platform::caller::CALLING_OUT.contains(&f))
        {
            ANSWER_CALLING_OUT_WITHIN
        } else {
            ANSWER_WITHIN
        };
        match tokio::time::timeout(within, next.run(request).instrument(span.clone())).await {
            Ok(response) => response,
            Err(_) => {
                span.in_scope(|| tracing::warn!("no answer within {within:?}: 503"));
                ops.unavailable_answers.fetch_add(1, Ordering::Relaxed);
                unavailable_page(&path)
            }
        }
    };
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    ops.record(&route, status, seconds);
    if route == "/api/certificates/{id}/{file}" && status == 200 {
        ops.record_document(path.rsplit('/').next().unwrap_or_default());
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    // A matched route is logged by its pattern: its address may carry a 核验码 or a ticket
    // (`/verify/{code}`), which are keys, not for the log.
    // An address no route matched is the client's own text: only the static files' names
    // are logged as they came.
    let shown = if route == "/pkg/*" {
        path.as_str()
    } else {
        route.as_str()
    };
    span.in_scope(|| {
        tracing::info!(
            target: "portal::http",
            method = %method,
            route = %route,
            status,
            ms = format_args!("{:.1}", seconds * 1000.0),
            "{method} {shown} {status} {:.1}ms",
            seconds * 1000.0
        );
    });
    response
}

/// Whether answering `path` needs the database: everything but the health check, the metrics
/// and the static files.
fn needs_database(path: &str) -> bool {
    !(path == "/healthz"
        || path == "/metrics"
        || path.starts_with("/pkg/")
        || path == "/favicon.svg"
        || path == "/robots.txt")
}

/// 服务暂时不可用: a real page for browsers, the message alone for the server functions. It
/// tells the citizen that nothing was submitted and to try again; `Retry-After` says when.
pub fn unavailable_page(path: &str) -> Response {
    let message = app::platform::error::SERVICE_UNAVAILABLE;
    if path.starts_with("/api/") {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::RETRY_AFTER, "5"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            message,
        )
            .into_response();
    }
    let page = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>服务暂时不可用 - 住房和城乡建设部政务服务门户</title></head>\
         <body><main><h1>服务暂时不可用</h1><p role=\"alert\">{message}。</p>\
         <p>系统正在恢复,通常几秒钟后即可继续办理。</p>\
         <p><a href=\"\">重新加载本页</a> · <a href=\"/\">返回首页</a></p>\
         <p>住房和城乡建设部政务服务门户</p></main></body></html>"
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::RETRY_AFTER, "5"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// `GET /metrics`: the figures for Prometheus. In production only with
/// `Authorization: Bearer <PORTAL_METRICS_TOKEN>`, and not at all without a token; in
/// development open on the loopback the server listens on.
pub async fn metrics(
    State(state): State<AppState>,
    axum::Extension(ops): axum::Extension<Arc<Ops>>,
    request: Request,
) -> Response {
    let settings = &state.settings;
    let allowed = match &settings.metrics_token {
        Some(token) => request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| constant_time_eq(given.as_bytes(), token.as_bytes())),
        None => !settings.env.is_production(),
    };
    if !allowed {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut text = ops.render(&state);
    text.push_str(&work_figures(&state).await);
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

/// What waits on the ministry and on the carriers, read from the database at each scrape
/// (every server sees the same figures): 短信通知 not sent yet and those given up, and the
/// 差评 work orders open and overdue.
async fn work_figures(state: &AppState) -> String {
    let mut out = Exposition::default();
    match app::platform::notices::backlog(&state.db).await {
        Ok((waiting, given_up)) => {
            out.single(
                ("portal_sms_notices_waiting", "gauge"),
                "短信通知 queued and not sent yet (still being tried).",
                waiting,
            );
            out.single(
                ("portal_sms_notices_given_up", "gauge"),
                "短信通知 given up after every try failed.",
                given_up,
            );
        }
        Err(e) => tracing::warn!(error = %e, "metrics: sms notice backlog"),
    }
    match app::privacy::purge::totals(&state.db).await {
        Ok(totals) => {
            let name = out.family(
                "portal_retention_purged_total",
                "counter",
                "Rows the retention purge removed, by kind (closing: accounts deleted after their cooling-off).",
            );
            for (kind, purged, _) in &totals {
                out.line(format_args!("{name}{{kind=\"{kind}\"}} {purged}"));
            }
            let name = out.family(
                "portal_retention_last_run_seconds",
                "gauge",
                "When the retention purge last ran (Unix time).",
            );
            let last = totals.iter().map(|(_, _, at)| *at).max().unwrap_or(0);
            out.line(format_args!("{name} {last}"));
        }
        Err(e) => tracing::warn!(error = %e, "metrics: retention"),
    }
    match app::evaluation::repo::order_counts(&state.db, state.clock.now()).await {
        Ok((open, overdue)) => {
            out.single(
                ("portal_work_orders_open", "gauge"),
                "差评 work orders not closed yet.",
                open,
            );
            out.single(
                ("portal_work_orders_overdue", "gauge"),
                "差评 work orders past their deadline of five working days and not closed.",
                overdue,
            );
        }
        Err(e) => tracing::warn!(error = %e, "metrics: work orders"),
    }
    out.0
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
