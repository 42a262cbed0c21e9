//! The `server` binary: serves the portal (`server`, `server serve`), or runs an operator's
//! command (`server/src/cli/`).

use std::process::ExitCode;

/// Rendering a page allocates many small strings: with glibc's allocator, malloc and free took
/// about 17 % of the results page's CPU under load (`perf`, issue 26); mimalloc's per-thread
/// free lists make that cheaper.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    server::cli::serve::init_logging();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        None | Some("serve") => server::cli::serve::run().await,
        Some(_) => server::cli::run(&args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("错误:{message}");
            ExitCode::FAILURE
        }
    }
}
