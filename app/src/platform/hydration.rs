//! The script that brings the server-rendered page to life, in place of Leptos's
//! `HydrationScripts`: it starts the WASM download only once the page's largest paint is done.
//!
//! Leptos's own script preloads the JS and the WASM from the head, and the router adds a preload
//! of the page's chunk. On a slow phone network those downloads (a quarter of a megabyte and
//! more) share the line with the stylesheet, so the text the citizen came for is painted later.
//! Every page is complete as the server sends it and its forms work without JavaScript, so the
//! code can wait until the citizen can read the page.

use leptos::prelude::*;
use std::sync::Arc;

/// What the browser runs: once the browser reports the page's largest paint (the citizen can
/// read it), import the JS glue, instantiate the WASM, hydrate. Where the browser does not report
/// it, after the second frame; should neither come (a tab in the background), after 2 s.
const SCRIPT: &str = "((js,wasm)=>{let started=false;const start=()=>{if(started)return;started=true;\
import(js).then(m=>m.default({module_or_path:wasm}).then(()=>m.hydrate()))};\
const soon=()=>setTimeout(start,0);\
if(PerformanceObserver.supportedEntryTypes?.includes('largest-contentful-paint'))\
new PerformanceObserver(soon).observe({type:'largest-contentful-paint',buffered:true});\
else requestAnimationFrame(()=>requestAnimationFrame(soon));setTimeout(start,2000)})";

/// The hydration script for the `<head>`.
#[component]
pub fn PortalHydration(options: LeptosOptions) -> impl IntoView {
    let call = script_call(&options);
    let nonce = leptos::nonce::use_nonce();
    view! { <script type="module" nonce=nonce>{call}</script> }
}

/// The script with the bundle's file names, worked out once per process: the names come from
/// the options and the hash file beside the server, which do not change while it runs (reading
/// and formatting them on every page was a file read per request).
fn script_call(options: &LeptosOptions) -> String {
    use std::sync::OnceLock;
    type Key = (Arc<str>, Arc<str>, bool);
    static CALL: OnceLock<(Key, String)> = OnceLock::new();
    let key: Key = (
        options.site_pkg_dir.clone(),
        options.output_name.clone(),
        options.hash_files,
    );
    let make = || {
        let (js, wasm) = file_names(options);
        let pkg = &options.site_pkg_dir;
        format!(
            "{SCRIPT}({:?},{:?});",
            format!("/{pkg}/{js}.js"),
            format!("/{pkg}/{wasm}.wasm")
        )
    };
    let (cached_key, call) = CALL.get_or_init(|| (key.clone(), make()));
    // Another set of options in the same process (tests serve several sites): no cache.
    if *cached_key == key {
        call.clone()
    } else {
        make()
    }
}

/// The JS glue's and the WASM's file names without extension: with `LEPTOS_HASH_FILES`, the
/// hashes cargo-leptos wrote beside the server binary.
fn file_names(options: &LeptosOptions) -> (String, String) {
    let name = options.output_name.to_string();
    if !options.hash_files {
        let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            format!("{name}_bg")
        } else {
            name.clone()
        };
        return (name, wasm);
    }
    let hashes = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_default();
    let hash_of = |kind: &str| {
        hashes.lines().find_map(|line| {
            let (file, hash) = line.trim().split_once(':')?;
            (file == kind).then(|| hash.trim().to_string())
        })
    };
    let with_hash = |kind| match hash_of(kind) {
        Some(hash) => format!("{name}.{hash}"),
        None => name.clone(),
    };
    (with_hash("js"), with_hash("wasm"))
}
