//! The browser bundle: cargo builds the frontend for wasm32, wasm-split moves the lazily
//! loaded pages into their own modules, and wasm-bindgen writes the JavaScript glue.

use crate::config::{Site, WASM_RUSTFLAGS};
use anyhow::{Context, Result, anyhow};
use std::fs;
use wasm_bindgen_cli_support::Bindgen;

/// The loader wasm-split links the page modules to; its placeholder becomes its hash.
pub const SPLIT_LOADER: &str = "__wasm_split.______________________.js";
pub const SPLIT_MANIFEST: &str = "__wasm_split_manifest.json";

pub fn build(site: &Site) -> Result<()> {
    // cargo-leptos builds the browser bundle in its own target folder, so a server build
    // never waits for it or replaces its artifacts.
    site.cargo(
        &[
            "build",
            &format!("--package={}", site.lib_package),
            "--lib",
            "--target-dir=target/front",
            "--target=wasm32-unknown-unknown",
            "--no-default-features",
            &format!("--profile={}", site.lib_profile_dev),
        ],
        WASM_RUSTFLAGS,
    )?;
    let built = site
        .root
        .join("target/front/wasm32-unknown-unknown")
        .join(&site.lib_profile_dev)
        .join(format!("{}.wasm", site.lib_package.replace('-', "_")));
    let main_module = built.with_file_name(format!("{}_split.wasm", site.lib_package));
    split(site, &built, &main_module)?;
    bind(site, &main_module)
}

fn split(site: &Site, built: &std::path::Path, main_module: &std::path::Path) -> Result<()> {
    let input = fs::read(built).with_context(|| format!("reading {}", built.display()))?;
    let pkg = site.pkg();
    let glue = format!("./{}.js", site.output_name);
    let link = format!("./{SPLIT_LOADER}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &pkg;
    options.main_out_path = main_module;
    options.main_module = &glue;
    options.link_name = &link;
    let split =
        wasm_split_cli_support::transform(options).map_err(|err| anyhow!("wasm-split: {err:#}"))?;
    fs::write(
        pkg.join(SPLIT_MANIFEST),
        serde_json::to_string_pretty(&split.prefetch_map)?,
    )?;
    Ok(())
}

/// `wasm-bindgen --target=web --keep-lld-exports --no-demangle`, as cargo-leptos runs it on a
/// split bundle, without the TypeScript declarations (nothing reads them).
fn bind(site: &Site, main_module: &std::path::Path) -> Result<()> {
    let pkg = site.pkg();
    Bindgen::new()
        .input_path(main_module)
        .web(true)?
        .keep_lld_exports(true)
        .demangle(false)
        .typescript(false)
        .out_name(&site.output_name)
        .generate(&pkg)
        .map_err(|err| anyhow!("wasm-bindgen: {err:#}"))?;
    // Leptos's hydration script asks for `<name>.wasm`.
    fs::rename(
        pkg.join(format!("{}_bg.wasm", site.output_name)),
        site.pkg_file("wasm"),
    )?;
    Ok(())
}
