//! 用证记录: every verification of a holder's certificate — a copy's 核验码, a 亮证 code or a
//! grant link — with who looked (masked), for the holder to see.

pub const COPY: &str = "copy";
pub const SHOW: &str = "show";
pub const GRANT: &str = "grant";
/// A presentation from a wallet to the portal's verifier (OpenID4VP).
pub const WALLET: &str = "wallet";
/// The kinds, in the order the page's filter lists them.
pub const KINDS: [&str; 4] = [COPY, SHOW, GRANT, WALLET];
/// Lines per page.
pub const PAGE: i64 = 20;
/// Looks at one copy or grant link from one (masked) address and browser within this many
/// seconds are one line with a count: whoever holds a 核验码 cannot flood the record.
pub const COALESCE_WITHIN: i64 = 86_400;

pub fn label(kind: &str) -> &'static str {
    match kind {
        COPY => "副本核验",
        SHOW => "亮证核验",
        GRANT => "授权核验",
        WALLET => "数字钱包出示",
        _ => "核验",
    }
}

#[cfg(feature = "ssr")]
/// Records one verification in the holder's 用证记录. A copy or grant link looked at
/// again from the same masked address and browser within [`COALESCE_WITHIN`] adds
/// to that line's count instead of a new line (a 亮证 code lasts a minute and needs the
/// holder's face check, so each is its own line).
pub async fn record_use(
    db: &sqlx::AnyPool,
    certificate_id: i64,
    kind: &str,
    subject: &str,
    organisation: &str,
    viewer: &crate::platform::caller::Viewer,
    now: i64,
) -> Result<(), sqlx::Error> {
    let ip = crate::domain::mask::mask_ip(&viewer.ip);
    if kind != SHOW {
        let counted = sqlx::query(
            "UPDATE certificate_uses SET repeats = repeats + 1, last_at = $1 WHERE id = \
             (SELECT id FROM certificate_uses WHERE certificate_id = $2 AND kind = $3 \
             AND subject = $4 AND organisation = $5 AND ip_masked = $6 AND browser = $7 \
             AND last_at > $8 ORDER BY id DESC LIMIT 1)",
        )
        .bind(now)
        .bind(certificate_id)
        .bind(kind)
        .bind(subject)
        .bind(organisation)
        .bind(&ip)
        .bind(&viewer.browser)
        .bind(now - COALESCE_WITHIN)
        .execute(db)
        .await?
        .rows_affected();
        if counted > 0 {
            return Ok(());
        }
    }
    sqlx::query(
        "INSERT INTO certificate_uses (certificate_id, kind, subject, organisation, \
         ip_masked, browser, created_at, last_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(certificate_id)
    .bind(kind)
    .bind(subject)
    .bind(organisation)
    .bind(ip)
    .bind(&viewer.browser)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}
