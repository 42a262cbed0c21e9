//! Content hashes in the bundle's file names, so browsers may keep them for a year.
//!
//! The same names and the same `hash.txt` as cargo-leptos 0.3.10 (its `compile/hash.rs`):
//! each file of `pkg/` becomes `<stem>.<hash>.<extension>` with the hash the unpadded
//! base64url of its MD5 (22 characters, the length of wasm-split's placeholder); the glue and
//! the split loader are rewritten to the new names, the page modules have the loader's name
//! patched in place and the manifest its module names; `hash.txt` beside the server lists the
//! hashes Leptos builds its `<link>` and `<script>` addresses from.

use crate::config::Site;
use crate::front::{SPLIT_LOADER, SPLIT_MANIFEST};
use anyhow::{Context, Result, ensure};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use md5::{Digest, Md5};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const PLACEHOLDER: &str = "______________________";

type Renames = BTreeMap<PathBuf, PathBuf>;

pub fn add_hashes(site: &Site) -> Result<()> {
    let pkg = site.pkg();
    let hashes = file_hashes(&pkg, &site.pkg_file("css"))?;
    let renamed = rename(&hashes)?;
    let glue = renamed
        .get(&site.pkg_file("js"))
        .context("the bundle has no JavaScript glue")?;
    replace_names(glue, &renamed, &pkg)?;
    let split = hash_loader(&pkg, glue, &hashes, &renamed)?;
    let hash_of = |path: PathBuf| hashes.get(&path).cloned().unwrap_or_default();
    let mut listing = format!(
        "js: {}\nwasm: {}\ncss: {}\n",
        hash_of(site.pkg_file("js")),
        hash_of(site.pkg_file("wasm")),
        hash_of(site.pkg_file("css")),
    );
    if let Some(manifest) = hashes.get(&pkg.join(SPLIT_MANIFEST)) {
        listing.push_str(&format!("manifest: {manifest}\n"));
    }
    if let Some(split) = split {
        listing.push_str(&format!("split: {split}\n"));
    }
    // Beside the debug server, where Leptos looks for it (LEPTOS_HASH_FILE_NAME).
    let listing_path = site.root.join("target/debug/hash.txt");
    fs::write(&listing_path, listing).with_context(|| format!("writing {}", listing_path.display()))
}

/// The split loader, once the other files have their names: it refers to the glue by its new
/// name, so it is hashed again over what it now holds, and every reference follows it.
fn hash_loader(
    pkg: &Path,
    glue: &Path,
    hashes: &BTreeMap<PathBuf, String>,
    renamed: &Renames,
) -> Result<Option<String>> {
    let placeholder = pkg.join(SPLIT_LOADER);
    let Some(loader) = renamed.get(&placeholder) else {
        return Ok(None);
    };
    replace_names(loader, renamed, pkg)?;
    replace_loader_references(pkg, &file_name(&placeholder), &file_name(loader), renamed)?;
    let hash = content_hash(&fs::read(loader)?);
    if hashes.get(&placeholder) != Some(&hash) {
        let rehashed = pkg.join(SPLIT_LOADER.replace(PLACEHOLDER, &hash));
        fs::rename(loader, &rehashed)?;
        let moved = Renames::from([(loader.to_path_buf(), rehashed.clone())]);
        replace_loader_references(pkg, &file_name(loader), &file_name(&rehashed), &moved)?;
        replace_names(glue, &moved, pkg)?;
    }
    Ok(Some(hash))
}

pub fn content_hash(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(Md5::new().chain_update(bytes).finalize())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every file under `pkg` but wasm-bindgen's snippets (the bundle imports them by their own
/// names) and style sheets other than the site's, with the hash of its content; a file whose
/// name already is its hash is left out.
fn file_hashes(pkg: &Path, style: &Path) -> Result<BTreeMap<PathBuf, String>> {
    let mut hashes = BTreeMap::new();
    let mut folders = vec![pkg.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let is_other_css = path.extension().is_some_and(|ext| ext == "css") && path != style;
            if is_other_css || path.to_string_lossy().contains("snippets") {
                continue;
            }
            let hash = content_hash(&fs::read(&path)?);
            if path.file_stem().is_some_and(|stem| *stem == *hash) {
                continue;
            }
            hashes.insert(path, hash);
        }
    }
    Ok(hashes)
}

fn rename(hashes: &BTreeMap<PathBuf, String>) -> Result<Renames> {
    let mut renamed = Renames::new();
    for (path, hash) in hashes {
        let name = file_name(path);
        let new_name = if name.contains(PLACEHOLDER) {
            ensure!(
                hash.len() == PLACEHOLDER.len(),
                "a hash is not 22 characters"
            );
            name.replace(PLACEHOLDER, hash)
        } else {
            let stem = path.file_stem().context("a file without a name")?;
            let extension = path.extension().context("a file without an extension")?;
            format!(
                "{}.{hash}.{}",
                stem.to_string_lossy(),
                extension.to_string_lossy()
            )
        };
        let new_path = path.with_file_name(new_name);
        fs::rename(path, &new_path).with_context(|| format!("renaming {}", path.display()))?;
        renamed.insert(path.clone(), new_path);
    }
    Ok(renamed)
}

/// Rewrites the names (relative to `pkg`) a text file refers to.
fn replace_names(path: &Path, renamed: &Renames, pkg: &Path) -> Result<()> {
    let mut text = fs::read_to_string(path)?;
    for (old, new) in renamed {
        let (Ok(old), Ok(new)) = (old.strip_prefix(pkg), new.strip_prefix(pkg)) else {
            continue;
        };
        text = text.replace(&*old.to_string_lossy(), &new.to_string_lossy());
    }
    Ok(fs::write(path, text)?)
}

/// The page modules name the loader in their import section (same length, patched in place);
/// the manifest names the modules by stem.
fn replace_loader_references(pkg: &Path, old: &str, new: &str, renamed: &Renames) -> Result<()> {
    ensure!(old.len() == new.len(), "the loader's name changed length");
    for entry in fs::read_dir(pkg)? {
        let path = entry?.path();
        let name = file_name(&path);
        if !path.is_file() {
            continue;
        }
        if name.ends_with(".wasm") {
            let mut bytes = fs::read(&path)?;
            let mut at = 0;
            while let Some(found) = find(&bytes[at..], old.as_bytes()) {
                bytes[at + found..at + found + old.len()].copy_from_slice(new.as_bytes());
                at += found + old.len();
            }
            fs::write(&path, bytes)?;
        } else if name.starts_with("__wasm_split_manifest") {
            rewrite_manifest(&path, renamed, pkg)?;
        }
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn rewrite_manifest(path: &Path, renamed: &Renames, pkg: &Path) -> Result<()> {
    let stems: BTreeMap<String, String> = renamed
        .iter()
        .filter_map(|(old, new)| {
            let old = old.strip_prefix(pkg).ok()?.to_string_lossy().into_owned();
            let new = new.strip_prefix(pkg).ok()?.to_string_lossy().into_owned();
            Some((
                old.strip_suffix(".wasm")?.to_string(),
                new.strip_suffix(".wasm")?.to_string(),
            ))
        })
        .collect();
    let mut manifest: serde_json::Value = serde_json::from_slice(&fs::read(path)?)?;
    rename_stems(&mut manifest, &stems);
    Ok(fs::write(path, serde_json::to_string(&manifest)?)?)
}

fn rename_stems(value: &mut serde_json::Value, stems: &BTreeMap<String, String>) {
    match value {
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|item| rename_stems(item, stems))
        }
        serde_json::Value::Object(fields) => fields
            .values_mut()
            .for_each(|field| rename_stems(field, stems)),
        serde_json::Value::String(text) => {
            if let Some(new) = stems.get(text.as_str()) {
                *text = new.clone();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_fills_the_placeholder_exactly() {
        // wasm-split writes the loader's name into the page modules before the hash is known.
        assert_eq!(content_hash(b"portal").len(), PLACEHOLDER.len());
        assert_eq!(content_hash(b""), "1B2M2Y8AsgTpgAmY7PhCfg");
    }

    #[test]
    fn the_manifest_renames_whole_module_names_only() {
        let pkg = Path::new("/pkg");
        let renamed = Renames::from([
            (pkg.join("chunk_1.wasm"), pkg.join("chunk_1.AAAA.wasm")),
            (pkg.join("chunk_10.wasm"), pkg.join("chunk_10.BBBB.wasm")),
        ]);
        let stems: BTreeMap<String, String> = renamed
            .iter()
            .map(|(old, new)| {
                let name = |p: &PathBuf| file_name(p).trim_end_matches(".wasm").to_string();
                (name(old), name(new))
            })
            .collect();
        let mut manifest = serde_json::json!({"a": ["chunk_1", "chunk_10", "chunk_100"]});
        rename_stems(&mut manifest, &stems);
        assert_eq!(
            manifest,
            serde_json::json!({"a": ["chunk_1.AAAA", "chunk_10.BBBB", "chunk_100"]})
        );
    }
}
