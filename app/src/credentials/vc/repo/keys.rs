//! The issuer's key and its `x5c` chain: the operator's, or in development and staging keys
//! kept in the database and certified by a development CA.

use crate::platform::sd_jwt::VcKey;
use sqlx::AnyPool;

/// The names the development keys have in `signing_keys`: the issuer's and the CA's (which
/// certifies the verifier's key too).
pub const DEV_KEY: &str = "vc-es256";
pub const DEV_CA_KEY: &str = "vc-ca-es256";
/// The common name of the development issuer's certificate.
const DEV_LEAF_NAME: &str = "电子证照可验证凭证签发";

/// The issuer's key and its `x5c` chain: the operator's (`PORTAL_VC_KEY_FILE` and
/// `PORTAL_VC_CERT_FILE`, in the state) or, without one (development and staging only:
/// production refuses to start), a key and a CA key made at first use and kept in the
/// database so every process signs with the same key and makes the same certificates.
pub async fn issuer_key(
    db: &AnyPool,
    configured: Option<&VcKey>,
    now: i64,
) -> Result<VcKey, String> {
    configured_or_development(db, configured, (DEV_KEY, DEV_LEAF_NAME), now).await
}

/// The operator's key when one is configured, otherwise the development key named
/// `dev.0` in `signing_keys`, certified by the development CA under the name `dev.1`.
pub async fn configured_or_development(
    db: &AnyPool,
    configured: Option<&VcKey>,
    dev: (&str, &'static str),
    now: i64,
) -> Result<VcKey, String> {
    if let Some(key) = configured {
        return Ok(key.clone());
    }
    let key = development_key(db, dev.0, now).await?;
    let ca = development_key(db, DEV_CA_KEY, now).await?;
    certified(key, &ca, dev.1)
}

/// A development key by its name in `signing_keys`, made and kept on first use (the first
/// process to keep it wins; the others read it back).
pub async fn development_key(db: &AnyPool, name: &str, now: i64) -> Result<VcKey, String> {
    use crate::platform::signing_key::repo as keys;
    if let Some(secret) = keys::stored_named(db, name)
        .await
        .map_err(|e| e.to_string())?
    {
        return VcKey::from_secret_hex(&secret);
    }
    let (key, secret) = VcKey::generate();
    keys::store_named_if_absent(db, name, &secret, &key.kid(), now)
        .await
        .map_err(|e| e.to_string())?;
    match keys::stored_named(db, name)
        .await
        .map_err(|e| e.to_string())?
    {
        Some(secret) => VcKey::from_secret_hex(&secret),
        None => Err("凭证签名密钥无法保存".into()),
    }
}

/// `key` certified by the development CA `ca`, as the credentials' issuer.
pub fn development_chain(key: VcKey, ca: &VcKey) -> Result<VcKey, String> {
    certified(key, ca, DEV_LEAF_NAME)
}

/// `key` certified by the development CA `ca` under the name `leaf_name`. The certificates
/// are the same bytes every time for the same keys; they are kept once made, so a server signs
/// them once (unoptimised, as in the tests, a P-256 signature takes a while).
pub fn certified(key: VcKey, ca: &VcKey, leaf_name: &'static str) -> Result<VcKey, String> {
    use crate::platform::x509;
    use std::collections::HashMap;
    use std::sync::Mutex;
    type Made = HashMap<(String, String, &'static str), (Vec<u8>, Vec<u8>)>;
    static MADE: Mutex<Option<Made>> = Mutex::new(None);
    let id = (key.kid(), ca.kid(), leaf_name);
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    let made = made.get_or_insert_with(HashMap::new);
    if let Some((leaf, anchor)) = made.get(&id) {
        return Ok(key.with_chain(vec![leaf.clone()], anchor.clone()));
    }
    let anchor = x509::development_anchor(ca.signing_key())?;
    let leaf = x509::development_leaf(leaf_name, key.verifying_key(), ca.signing_key())?;
    // Development keys are few; a test run makes one set per database.
    if made.len() >= 256 {
        made.clear();
    }
    made.insert(id, (leaf.clone(), anchor.clone()));
    Ok(key.with_chain(vec![leaf], anchor))
}
