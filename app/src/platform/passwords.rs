//! Password hashing: argon2id with the OWASP parameters (19 MiB, 2 passes, 1 lane). Hashing
//! is deliberately slow, so it runs off the async runtime on `concurrency` dedicated threads:
//! a burst of logins queues here instead of starving every other request of CPU. Dedicated,
//! long-lived threads also bound memory: each reuses its own 19 MiB, where tokio's blocking
//! pool would leave a freed 19 MiB block in the allocator arena of every thread it ever used.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

/// OWASP Password Storage Cheat Sheet: argon2id, m = 19456 KiB, t = 2, p = 1.
pub const OWASP_MEMORY_KIB: u32 = 19_456;
pub const OWASP_ITERATIONS: u32 = 2;
pub const OWASP_LANES: u32 = 1;

pub struct PasswordHasher {
    params: Params,
    /// Jobs for the hashing threads; they stop when this is dropped.
    jobs: Mutex<Sender<Job>>,
    /// A hash of a random password: checked against when the account does not exist, so an
    /// unknown identifier takes as long as a wrong password.
    decoy: Arc<OnceLock<String>>,
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        let params = Params::new(OWASP_MEMORY_KIB, OWASP_ITERATIONS, OWASP_LANES, None)
            .expect("OWASP argon2 parameters are valid");
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..concurrency.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        let job = match queue.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        Self {
            params,
            jobs: Mutex::new(jobs),
            decoy: Arc::new(OnceLock::new()),
        }
    }

    /// Half the machine's cores (at least one): the rest stay free for page requests.
    pub fn default_concurrency() -> usize {
        std::thread::available_parallelism()
            .map(|n| (n.get() / 2).max(1))
            .unwrap_or(1)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) of a new password.
    pub async fn hash(&self, password: String) -> Result<String, String> {
        let argon2 = self.argon2();
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| e.to_string())
        })
        .await?
    }

    /// Whether `password` matches `stored`; with `None` (no such account) a decoy hash is
    /// checked so that the answer takes the same time, and is always `false`.
    pub async fn verify(&self, password: String, stored: Option<String>) -> bool {
        let argon2 = self.argon2();
        let decoy = self.decoy.clone();
        let real = stored.is_some();
        let matched = self
            .run(move || {
                let stored = match stored {
                    Some(s) => s,
                    None => decoy
                        .get_or_init(|| {
                            let salt = SaltString::generate(&mut OsRng);
                            let random: [u8; 16] = rand::random();
                            argon2
                                .hash_password(&random, &salt)
                                .map(|h| h.to_string())
                                .unwrap_or_default()
                        })
                        .clone(),
                };
                PasswordHash::new(&stored)
                    .map(|parsed| argon2.verify_password(password.as_bytes(), &parsed).is_ok())
                    .unwrap_or(false)
            })
            .await
            .unwrap_or(false);
        matched && real
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // A request that gave up (its time ran out) no longer waits: its hash would only
            // take the CPU from the ones that do.
            if !done.is_closed() {
                let _ = done.send(job());
            }
        });
        self.jobs
            .lock()
            .map_err(|e| e.to_string())?
            .send(job)
            .map_err(|e| e.to_string())?;
        result
            .await
            .map_err(|_| "password hashing thread stopped".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_carry_the_owasp_parameters() {
        let hasher = PasswordHasher::new(1);
        let hash = hasher.hash("Demo@2026".into()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(hasher.verify("Demo@2026".into(), Some(hash.clone())).await);
        assert!(!hasher.verify("Demo@2027".into(), Some(hash)).await);
        assert!(!hasher.verify("Demo@2026".into(), None).await);
        assert!(
            !hasher
                .verify("Demo@2026".into(), Some("garbage".into()))
                .await
        );
    }
}
