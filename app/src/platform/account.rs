//! The account behind a session: what every signed-in request knows of its user.

use crate::domain::account::{AccountKind, AccountStatus};
use sqlx::{AnyPool, Row};

/// A stored account, as login and the account pages need it. The password hash is a
/// plain `String` that never leaves the server: this type is not serialisable.
pub struct AccountRow {
    pub id: i64,
    pub kind: AccountKind,
    pub status: AccountStatus,
    pub login_key: String,
    pub person_digest: String,
    pub name: String,
    pub id_number_masked: String,
    /// The kind of the holder's (or legal representative's) identity document.
    pub id_kind: crate::domain::DocumentKind,
    /// A passport's issuing country; empty for the other kinds.
    pub id_country: String,
    pub org_name: Option<String>,
    pub credit_code: Option<String>,
    pub phone: String,
    pub password_hash: String,
    /// When 注销 was asked for (0: it was not).
    pub closing_at: i64,
}

impl AccountRow {
    /// A personal account: the only kind that may hold 电子证照 or confirm an enterprise.
    pub fn is_person(&self) -> bool {
        self.kind == AccountKind::Person && self.status == AccountStatus::Active
    }

    pub fn display_name(&self) -> String {
        match (&self.kind, &self.org_name) {
            (AccountKind::Enterprise, Some(org)) => org.clone(),
            _ => crate::domain::mask::mask_name(&self.name),
        }
    }
}

/// The columns [`account_from`] reads.
pub const COLUMNS: &str = "id, kind, status, login_key, person_digest, name, id_number_masked, \
                       id_kind, id_country, org_name, credit_code, phone, password_hash, closing_at";

/// An account from a row of [`COLUMNS`].
pub fn account_from(row: &sqlx::any::AnyRow) -> Result<AccountRow, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    Ok(AccountRow {
        id: row.try_get("id")?,
        kind: AccountKind::from_form(&kind),
        status: AccountStatus::parse(&status),
        login_key: row.try_get("login_key")?,
        person_digest: row.try_get("person_digest")?,
        name: row.try_get("name")?,
        id_number_masked: row.try_get("id_number_masked")?,
        id_kind: crate::domain::DocumentKind::from_stored(&row.try_get::<String, _>("id_kind")?),
        id_country: row.try_get("id_country")?,
        org_name: row.try_get("org_name")?,
        credit_code: row.try_get("credit_code")?,
        phone: row.try_get("phone")?,
        password_hash: row.try_get("password_hash")?,
        closing_at: row.try_get("closing_at")?,
    })
}

pub async fn by_id(db: &AnyPool, id: i64) -> Result<Option<AccountRow>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM accounts WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(account_from).transpose()
}
