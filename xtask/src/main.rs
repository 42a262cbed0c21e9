//! The portal's own build tasks, run as `cargo xtask <task>` (the alias is in
//! `.cargo/config.toml`):
//!
//! - `build`: the debug site and server as `cargo leptos build --split` makes them: the same
//!   cargo invocations and environment (so the two share every compiled artifact), the browser
//!   bundle split with wasm-split and bound with wasm-bindgen, the style sheet and `public/`
//!   copied into the site, every file name in `pkg/` carrying a hash of its content, and the
//!   hashes in `target/debug/hash.txt` where the server reads them.
//! - `e2e [--no-build] [playwright arguments]`: `build` (unless `--no-build`: the build is
//!   already there), then the server on the site address with the caller's environment,
//!   Playwright against it, and the server stopped; the exit status is Playwright's. As
//!   `cargo leptos end-to-end --split`.
//!
//! Both tools are linked in as libraries, so `make test` compiles about 40 small crates instead
//! of installing the cargo-leptos CLI (about 600 crates, among them a JavaScript compiler and
//! two C crypto libraries) and the wasm-bindgen CLI: on two cores that was about 15 of the
//! fresh-clone run's minutes. Developers keep `cargo leptos watch`; release builds stay with
//! cargo-leptos, which adds wasm-opt and the JavaScript minifier.
//!
//! The settings come from `[[workspace.metadata.leptos]]` in the workspace's `Cargo.toml`, the
//! one place cargo-leptos reads them from too.

mod config;
mod front;
mod hash;

use anyhow::{Context, Result};
use config::Site;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const USAGE: &str =
    "usage: cargo xtask build | cargo xtask e2e [--no-build] [playwright arguments]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let mut args = std::env::args().skip(1);
    let task = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match task.as_str() {
        "build" => {
            build(&Site::load()?)?;
            Ok(ExitCode::SUCCESS)
        }
        "e2e" => {
            let site = Site::load()?;
            let (built, rest) = match rest.split_first() {
                Some((flag, rest)) if flag == "--no-build" => (true, rest),
                _ => (false, &rest[..]),
            };
            if !built {
                build(&site)?;
            }
            end_to_end(&site, rest)
        }
        _ => {
            eprintln!("{USAGE}");
            Ok(ExitCode::from(2))
        }
    }
}

/// The site and the server side by side: they have target folders of their own, and the
/// server reads `hash.txt` when it starts, not when it is compiled. Each build's slow single
/// steps (the largest crates, the links) then overlap the other's.
fn build(site: &Site) -> Result<()> {
    let started = Instant::now();
    site.clear()?;
    let (front, server) = std::thread::scope(|scope| {
        let server = scope.spawn(|| {
            site.cargo(
                &[
                    "build",
                    &format!("--package={}", site.bin_package),
                    &format!("--bin={}", site.bin_package),
                    "--no-default-features",
                ],
                config::HOST_RUSTFLAGS,
            )
        });
        let front = build_site(site);
        (front, server.join())
    });
    front.context("building the site")?;
    server
        .map_err(|_| anyhow::anyhow!("the server's build panicked"))?
        .context("building the server")?;
    println!("xtask: site and server built in {:.1?}", started.elapsed());
    Ok(())
}

/// The browser bundle, the style sheet and `public/`, with hashed names.
fn build_site(site: &Site) -> Result<()> {
    front::build(site)?;
    site.copy_style()?;
    site.copy_assets()?;
    if site.hash_files {
        hash::add_hashes(site)?;
    }
    Ok(())
}

/// Serves the debug build with the caller's environment (the database, the limits) and runs
/// the end-to-end command in its folder; the server is stopped whatever the outcome.
fn end_to_end(site: &Site, extra: &[String]) -> Result<ExitCode> {
    let server = site.root.join("target/debug").join(&site.bin_package);
    let mut server = Command::new(&server)
        .envs(site.envs())
        .current_dir(&site.root)
        .spawn()
        .with_context(|| format!("starting {}", server.display()))?;
    let mut words = site.end2end_cmd.split_whitespace();
    let program = words.next().context("end2end-cmd is empty")?;
    let outcome = Command::new(program)
        .args(words)
        .args(extra)
        .current_dir(site.root.join(&site.end2end_dir))
        .status()
        .with_context(|| format!("running {}", site.end2end_cmd));
    stop(&mut server);
    let status = outcome?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

/// SIGTERM, so the server ends as an operator's stop ends it (its counts flushed); killed
/// after 10 s.
fn stop(server: &mut std::process::Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = server.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = server.kill();
    let _ = server.wait();
}
