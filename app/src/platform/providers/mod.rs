//! The HTTP side of the outside services: one client (rustls, connect timeout 3 s, whole call
//! 8 s), a circuit breaker per provider, and counts and timings per provider and action for
//! `/metrics`. The providers' own protocols are in their modules ([`tencent`]: FaceId's
//! face and identity checks, SMS and OCR's 营业执照核验, signed by [`tc3`]; [`aliyun`]:
//! 阿里云短信; [`alipay`]: 支付宝 实人认证, signed RSA2).
//!
//! Every failure is a [`CallError`] with a Chinese message the citizen may read; secrets are
//! never part of one (requests are signed, and a provider's message is passed on, never the
//! request). Only idempotent queries are retried, once; a message sent or a check started is
//! never sent twice.

pub mod alipay;
pub mod aliyun;
pub mod tc3;
pub mod tencent;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Connecting may take this long.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// A whole call (connect, send, answer) may take this long.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(8);
/// After this many failures in a row a provider's breaker opens …
pub const BREAKER_FAILURES: u32 = 5;
/// … and calls fail at once for this long; then one call is let through to try.
pub const BREAKER_OPEN: Duration = Duration::from_secs(30);

/// Why a call to a provider did not give an answer the portal can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// Down, slow, refused, 5xx, or the breaker is open: try again later.
    Unavailable(String),
    /// An answer the portal cannot read (not JSON, a missing or unexpected field).
    Malformed(String),
    /// The provider answered with an error of its own (code, message).
    Provider { code: String, message: String },
}

impl CallError {
    /// The message for the citizen.
    pub fn message(&self, service: &str) -> String {
        match self {
            Self::Unavailable(_) => format!("{service}暂时不可用,请稍后重试"),
            Self::Malformed(_) => format!("{service}返回的结果无法识别,请稍后重试"),
            Self::Provider { code, .. } => format!("{service}暂时不可用({code}),请稍后重试"),
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unavailable(why) => write!(f, "unavailable: {why}"),
            Self::Malformed(why) => write!(f, "malformed answer: {why}"),
            Self::Provider { code, message } => write!(f, "provider error {code}: {message}"),
        }
    }
}

/// Counts and timings of one provider action.
#[derive(Debug, Default, Clone)]
pub struct ActionFigures {
    pub requests: u64,
    pub errors: u64,
    /// Cumulative counts per upper bound of [`LATENCY_BOUNDS`], then the sum of seconds.
    pub latency: [u64; LATENCY_BOUNDS.len()],
    pub seconds: f64,
}

/// The latency histogram's bounds, in seconds.
pub const LATENCY_BOUNDS: [f64; 8] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0];

#[derive(Debug, Default)]
struct Breaker {
    failures: u32,
    open_until: Option<Instant>,
}

/// The portal's client of the outside services.
pub struct ProviderHttp {
    client: reqwest::Client,
    breakers: Mutex<HashMap<&'static str, Breaker>>,
    figures: Mutex<HashMap<(&'static str, &'static str), ActionFigures>>,
}

impl std::fmt::Debug for ProviderHttp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProviderHttp")
    }
}

impl ProviderHttp {
    pub fn new() -> Result<Self, String> {
        Self::trusting(None)
    }

    /// The client, trusting also the certificate authority in `ca_pem` (PEM; one or more
    /// certificates) besides the public ones: a government network gateway's own CA
    /// (`PORTAL_PROVIDER_CA_FILE`).
    pub fn trusting(ca_pem: Option<&str>) -> Result<Self, String> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(CALL_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("zjzw-portal");
        if let Some(pem) = ca_pem {
            let certificates = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .map_err(|e| format!("证书颁发机构文件无法读取:{e}"))?;
            if certificates.is_empty() {
                return Err("证书颁发机构文件中没有证书".into());
            }
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let client = builder
            .build()
            .map_err(|e| format!("HTTPS 客户端无法创建:{e}"))?;
        Ok(Self {
            client,
            breakers: Mutex::default(),
            figures: Mutex::default(),
        })
    }

    /// Every provider action's figures so far (`/metrics`).
    pub fn figures(&self) -> Vec<((&'static str, &'static str), ActionFigures)> {
        let mut all: Vec<_> = self
            .figures
            .lock()
            .map(|f| f.iter().map(|(k, v)| (*k, v.clone())).collect())
            .unwrap_or_default();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }

    /// POSTs `body` with `headers` to `url` and reads a JSON answer, which `check` reads for
    /// the provider's own error (counted as a failure too). `idempotent` calls are tried once
    /// more when the first attempt could not reach the provider.
    pub async fn post_json(
        &self,
        call: &Call<'_>,
        headers: &[(&str, String)],
        body: String,
        check: fn(&serde_json::Value) -> Result<(), CallError>,
    ) -> Result<serde_json::Value, CallError> {
        self.post(call, headers, body, |status, text| {
            let answer: serde_json::Value = match serde_json::from_str(text) {
                Ok(answer) => answer,
                Err(_) if status.is_success() => {
                    return Err(CallError::Malformed("not JSON".into()));
                }
                Err(_) => return Err(CallError::Malformed(format!("HTTP {status}"))),
            };
            // The provider's own error first (it may come with a 4xx status), then the status.
            check(&answer)?;
            if status.is_success() {
                Ok(answer)
            } else {
                Err(CallError::Malformed(format!("HTTP {status}")))
            }
        })
        .await
    }

    /// POSTs `body` with `headers` to `url`; `read` turns the status and the answer's text into
    /// the result (a provider whose answers are signed verifies them there). Down, slow, 5xx
    /// and 429 are [`CallError::Unavailable`] before `read` sees anything.
    pub async fn post<T>(
        &self,
        call: &Call<'_>,
        headers: &[(&str, String)],
        body: String,
        read: impl Fn(reqwest::StatusCode, &str) -> Result<T, CallError>,
    ) -> Result<T, CallError> {
        self.admit(call.provider)?;
        let started = Instant::now();
        let mut outcome = self.attempt(call, headers, &body).await;
        if call.idempotent && matches!(outcome, Err(CallError::Unavailable(_))) {
            outcome = self.attempt(call, headers, &body).await;
        }
        let outcome = outcome.and_then(|(status, text)| read(status, &text));
        self.record(call, started.elapsed(), outcome.is_ok());
        if let Err(e) = &outcome {
            tracing::warn!(provider = call.provider, action = call.action, error = %e, "provider call failed");
        }
        outcome
    }

    async fn attempt(
        &self,
        call: &Call<'_>,
        headers: &[(&str, String)],
        body: &str,
    ) -> Result<(reqwest::StatusCode, String), CallError> {
        let mut request = self.client.post(call.url).body(body.to_string());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.map_err(|e| {
            CallError::Unavailable(if e.is_timeout() {
                "timed out".into()
            } else {
                "could not connect".into()
            })
        })?;
        let status = response.status();
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(CallError::Unavailable(format!("HTTP {status}")));
        }
        let text = response
            .text()
            .await
            .map_err(|_| CallError::Unavailable("answer cut off".into()))?;
        Ok((status, text))
    }

    /// Refuses at once while the provider's breaker is open.
    fn admit(&self, provider: &'static str) -> Result<(), CallError> {
        let mut breakers = self
            .breakers
            .lock()
            .map_err(|_| CallError::Unavailable("breaker".into()))?;
        let breaker = breakers.entry(provider).or_default();
        match breaker.open_until {
            Some(until) if Instant::now() < until => {
                Err(CallError::Unavailable("circuit open".into()))
            }
            Some(_) => {
                // Half open: this call tries; another failure opens it again at once.
                breaker.open_until = None;
                breaker.failures = BREAKER_FAILURES - 1;
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn record(&self, call: &Call<'_>, took: Duration, ok: bool) {
        if let Ok(mut breakers) = self.breakers.lock() {
            let breaker = breakers.entry(call.provider).or_default();
            if ok {
                *breaker = Breaker::default();
            } else {
                breaker.failures += 1;
                if breaker.failures >= BREAKER_FAILURES {
                    breaker.open_until = Some(Instant::now() + BREAKER_OPEN);
                }
            }
        }
        if let Ok(mut figures) = self.figures.lock() {
            let f = figures.entry((call.provider, call.action)).or_default();
            f.requests += 1;
            if !ok {
                f.errors += 1;
            }
            let seconds = took.as_secs_f64();
            f.seconds += seconds;
            for (i, bound) in LATENCY_BOUNDS.iter().enumerate() {
                if seconds <= *bound {
                    f.latency[i] += 1;
                }
            }
        }
    }
}

/// One call: which provider and action (for the breaker and the figures), where, and
/// whether it may be tried twice.
pub struct Call<'a> {
    pub provider: &'static str,
    pub action: &'static str,
    pub url: &'a str,
    pub idempotent: bool,
}

/// HMAC-SHA256 of `data` under `key`: the step both providers' signatures are built of.
pub fn hmac_sha256(key: &[u8], data: &str) -> Vec<u8> {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The host (with its port, if the address names one) of an endpoint URL, as signed.
pub fn host_of(url: &str) -> Result<String, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("地址 {url} 无效:{e}"))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| format!("地址 {url} 没有主机名"))?;
    Ok(match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}
