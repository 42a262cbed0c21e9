//! The site's settings, read from `[[workspace.metadata.leptos]]`, and the steps that only
//! move files or run cargo.

use anyhow::{Context, Result, bail, ensure};
use serde::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The flags cargo-leptos gives a debug build of the server (it erases component types to
/// compile faster); `make lint` and `make unit` use the same, so all of them share artifacts.
pub const HOST_RUSTFLAGS: &str = "--cfg erase_components";
/// The browser bundle's: the same, and relocations kept for wasm-split.
pub const WASM_RUSTFLAGS: &str = "-Clink-args=--emit-relocs --cfg erase_components";

#[derive(Deserialize)]
struct Manifest {
    workspace: Workspace,
}

#[derive(Deserialize)]
struct Workspace {
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Metadata {
    leptos: Vec<Site>,
}

/// One `[[workspace.metadata.leptos]]` entry (the fields this tool uses; cargo-leptos's names).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Site {
    #[serde(skip)]
    pub root: PathBuf,
    #[serde(rename = "name")]
    pub output_name: String,
    pub bin_package: String,
    pub lib_package: String,
    pub site_root: String,
    pub site_pkg_dir: String,
    pub style_file: String,
    pub assets_dir: String,
    #[serde(default)]
    pub hash_files: bool,
    pub site_addr: String,
    pub reload_port: u16,
    pub end2end_cmd: String,
    pub end2end_dir: String,
    pub lib_profile_dev: String,
}

impl Site {
    /// The first site of the workspace this tool belongs to.
    pub fn load() -> Result<Site> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .context("xtask lives in the workspace")?
            .to_path_buf();
        let text = fs::read_to_string(root.join("Cargo.toml")).context("reading Cargo.toml")?;
        let manifest: Manifest =
            toml::from_str(&text).context("reading [[workspace.metadata.leptos]]")?;
        let Some(mut site) = manifest.workspace.metadata.leptos.into_iter().next() else {
            bail!("Cargo.toml has no [[workspace.metadata.leptos]]");
        };
        site.root = root;
        Ok(site)
    }

    /// `target/site/pkg`, absolute.
    pub fn pkg(&self) -> PathBuf {
        self.root.join(&self.site_root).join(&self.site_pkg_dir)
    }

    /// A file of the bundle by extension: `pkg/portal.js`, `pkg/portal.wasm`, `pkg/portal.css`.
    pub fn pkg_file(&self, extension: &str) -> PathBuf {
        self.pkg().join(format!("{}.{extension}", self.output_name))
    }

    /// What cargo-leptos sets for its cargo builds and for the server it runs. The server
    /// reads them at start; the names must match cargo-leptos's exactly, or switching between
    /// the two would rebuild the workspace.
    pub fn envs(&self) -> Vec<(&'static str, String)> {
        let mut envs = vec![
            ("LEPTOS_OUTPUT_NAME", self.output_name.clone()),
            ("LEPTOS_SITE_ROOT", self.site_root.clone()),
            ("LEPTOS_SITE_PKG_DIR", self.site_pkg_dir.clone()),
            ("LEPTOS_SITE_ADDR", self.site_addr.clone()),
            ("LEPTOS_RELOAD_PORT", self.reload_port.to_string()),
            ("LEPTOS_LIB_DIR", self.lib_package.clone()),
            ("LEPTOS_BIN_DIR", self.bin_package.clone()),
            ("LEPTOS_JS_MINIFY", "false".to_string()),
            ("LEPTOS_HASH_FILES", self.hash_files.to_string()),
        ];
        if self.hash_files {
            envs.push(("LEPTOS_HASH_FILE_NAME", "hash.txt".to_string()));
        }
        envs
    }

    /// Runs cargo in the workspace with the site's environment and the given flags.
    pub fn cargo(&self, args: &[&str], rustflags: &str) -> Result<()> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let status = Command::new(cargo)
            .args(args)
            .envs(self.envs())
            .env("RUSTFLAGS", rustflags)
            .current_dir(&self.root)
            .status()
            .context("running cargo")?;
        ensure!(status.success(), "cargo {} failed", args.join(" "));
        Ok(())
    }

    /// Empties the site folder (a file left from an earlier build would be served).
    pub fn clear(&self) -> Result<()> {
        let root = self.root.join(&self.site_root);
        if root.exists() {
            for entry in fs::read_dir(&root)? {
                let path = entry?.path();
                if path.is_dir() {
                    fs::remove_dir_all(&path)?;
                } else {
                    fs::remove_file(&path)?;
                }
            }
        }
        fs::create_dir_all(self.pkg()).context("creating the site's pkg folder")
    }

    /// The style sheet, as written: the portal's CSS is plain, and the browsers the tests
    /// run need no lowering (cargo-leptos's release build minifies it with lightningcss).
    pub fn copy_style(&self) -> Result<()> {
        fs::copy(self.root.join(&self.style_file), self.pkg_file("css"))
            .with_context(|| format!("copying {}", self.style_file))?;
        Ok(())
    }

    /// `public/` into the site's root, as cargo-leptos mirrors it.
    pub fn copy_assets(&self) -> Result<()> {
        copy_tree(
            &self.root.join(&self.assets_dir),
            &self.root.join(&self.site_root),
        )
    }
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}
