//! The national registry's change feed (`server registry apply FILE`): 初始注册, 变更注册,
//! 延续注册, 增项注册, 注销 and 撤销, one change per line, each with the registry's own change id.
//!
//! Two layouts, the same fields. JSON lines, one object per line:
//!
//! ```text
//! {"change_id":"BG2026000001","kind":"变更注册","registration_no":"京1112010000001","date":"2026-11-30","employer":"华南示范设计院有限公司","employer_credit_code":"91440000MA5FXXXX1K"}
//! {"change_id":"BG2026000002","kind":"注销","registration_no":"京1112010000001","date":"2026-12-01","reason":"本人申请注销"}
//! ```
//!
//! or CSV with the header [`CSV_HEADER`] (a line leaves empty what its kind does not use). The
//! fields each kind needs:
//!
//! | kind | fields |
//! |---|---|
//! | 初始注册 | name, id_number, [id_kind], [id_country], [gender], [birth_date], category, registration_no, [seal_no], [certificate_no], employer, employer_credit_code, date (发证日期), valid_until, specialties (`专业:有效期;…`) |
//! | 变更注册 | registration_no, date, employer, employer_credit_code |
//! | 延续注册 | registration_no, date, valid_until, [specialties: the renewed `专业:有效期` list] |
//! | 增项注册 | registration_no, date, specialties (the added ones) |
//! | 注销, 撤销 | registration_no, date, [reason] |
//!
//! `id_kind` is the 证件类型 (its code or its name; empty: 居民身份证), `id_country` a
//! passport's issuing country; `gender` (男/女) and `birth_date` are needed for the kinds whose
//! number does not carry them (all but 居民身份证 and 港澳台居民居住证). In CSV they are the
//! last four columns, which older files leave out.
//!
//! **Applied once.** Each change id is kept (`registry_feed`); a line whose id was applied
//! before is counted as such and changes nothing, so the same file twice changes nothing.
//! **In batches.** Lines are applied [`BATCH`] to a transaction: a batch is kept whole or not
//! at all. **Rejected lines** (a rule broken, an unknown 注册编号, a withdrawn registration)
//! are reported with their line number and reason and leave the rest going.
//!
//! **What a change does.** Each appears in the registration's 变更记录 and, since the
//! certificate's content changes, moves its 版本号 when it is next shown. A 注销 or 撤销 marks
//! the registration; a trigger makes its certificate invalid at once (`/verify` of its copies,
//! 亮证, grant links, and its credentials' status bits within the status-list lifetime), and
//! the staff audit chain records it. The holder's accounts see every change in 安全记录.

use crate::domain::CreditCode;
use crate::domain::id_document::TypedDocument;
use crate::domain::specialty::Specialty;
use crate::platform::audit;
use crate::registry::query::REGISTRATION_CATEGORIES;
use crate::registry::{NewPerson, NewRegistration, RegistrationChange, repo};
use serde::Deserialize;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;

/// Lines per transaction.
pub const BATCH: usize = 500;

/// The change ids of staff decisions (`staff::proposals`): a feed may not use them.
pub const STAFF_PREFIX: &str = "STAFF-";

/// Columns a CSV line must have: up to 原因 (备注 and the document's columns may be left out).
const CSV_REQUIRED: usize = 14;

pub const CSV_HEADER: [&str; 19] = [
    "变更编号",
    "变更类型",
    "注册编号",
    "日期",
    "姓名",
    "身份证号",
    "注册类别",
    "执业印章号",
    "证书编号",
    "注册单位",
    "统一社会信用代码",
    "有效期至",
    "注册专业",
    "原因",
    "备注",
    "证件类型",
    "签发国家",
    "性别",
    "出生日期",
];

/// One line as read, before its kind's rules.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RawChange {
    pub change_id: String,
    pub kind: String,
    pub registration_no: String,
    pub date: String,
    pub name: String,
    pub id_number: String,
    pub category: String,
    pub seal_no: String,
    pub certificate_no: String,
    pub employer: String,
    pub employer_credit_code: String,
    pub valid_until: String,
    pub specialties: String,
    pub reason: String,
    pub id_kind: String,
    pub id_country: String,
    pub gender: String,
    pub birth_date: String,
}

impl RawChange {
    fn from_csv(record: &csv::StringRecord) -> Result<Self, String> {
        if record.len() < CSV_REQUIRED {
            return Err(format!(
                "应有 {CSV_REQUIRED}–{} 列,实际 {} 列",
                CSV_HEADER.len(),
                record.len()
            ));
        }
        let f = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
        Ok(Self {
            change_id: f(0),
            kind: f(1),
            registration_no: f(2),
            date: f(3),
            name: f(4),
            id_number: f(5),
            category: f(6),
            seal_no: f(7),
            certificate_no: f(8),
            employer: f(9),
            employer_credit_code: f(10),
            valid_until: f(11),
            specialties: f(12),
            reason: f(13),
            id_kind: f(15),
            id_country: f(16),
            gender: f(17),
            birth_date: f(18),
        })
    }
}

/// A change that passed its kind's rules.
#[derive(Debug, Clone)]
pub struct Change {
    pub change_id: String,
    pub registration_no: String,
    pub date: String,
    pub what: What,
}

#[derive(Debug, Clone)]
pub enum What {
    Initial {
        person: NewPerson,
        registration: Box<NewRegistration>,
    },
    Transfer {
        employer: String,
        employer_credit_code: CreditCode,
    },
    Renewal {
        valid_until: String,
        specialties: Vec<Specialty>,
    },
    AddedSpecialties(Vec<Specialty>),
    Withdrawn {
        /// 注销 or 撤销
        kind: &'static str,
        reason: String,
    },
}

impl What {
    pub fn kind(&self) -> &'static str {
        match self {
            What::Initial { .. } => "初始注册",
            What::Transfer { .. } => "变更注册",
            What::Renewal { .. } => "延续注册",
            What::AddedSpecialties(_) => "增项注册",
            What::Withdrawn { kind, .. } => kind,
        }
    }
}

fn is_date(s: &str) -> bool {
    crate::domain::time::parse_date(s).is_some()
}

fn specialties(text: &str, default_until: &str) -> Result<Vec<Specialty>, String> {
    let mut out = Vec::new();
    for item in text
        .split([';', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (name, until) = item.split_once([':', ':']).unwrap_or((item, default_until));
        let (name, until) = (name.trim(), until.trim());
        if name.is_empty() || !is_date(until) {
            return Err(format!("注册专业“{item}”应为 专业:YYYY-MM-DD"));
        }
        out.push(Specialty {
            name: name.to_string(),
            valid_until: until.to_string(),
        });
    }
    Ok(out)
}

/// Checks a line against its kind's rules.
pub fn check(raw: RawChange) -> Result<Change, String> {
    let change_id = raw.change_id.trim().to_string();
    if change_id.is_empty() || change_id.chars().count() > 64 {
        return Err("变更编号为空或超过 64 字".into());
    }
    let registration_no = raw.registration_no.trim().to_uppercase();
    if registration_no.is_empty() {
        return Err("注册编号为空".into());
    }
    let date = raw.date.trim().to_string();
    if !is_date(&date) {
        return Err("日期应为 YYYY-MM-DD".into());
    }
    let employer = |raw: &RawChange| -> Result<(String, CreditCode), String> {
        let employer = raw.employer.trim().to_string();
        if employer.is_empty() || employer.chars().count() > 100 {
            return Err("注册单位为空或过长".into());
        }
        let code = CreditCode::parse(raw.employer_credit_code.trim())
            .map_err(|e| format!("统一社会信用代码:{e}"))?;
        Ok((employer, code))
    };
    let what = match raw.kind.trim() {
        "初始注册" => {
            let name = raw.name.trim().to_string();
            if name.is_empty() || name.chars().count() > 32 {
                return Err("姓名为空或过长".into());
            }
            let kind = match raw.id_kind.trim() {
                "" => "",
                k => crate::domain::DocumentKind::from_code_or_label(k)
                    .map(|k| k.code())
                    .ok_or_else(|| format!("证件类型“{k}”不在支持的类型中"))?,
            };
            let document = TypedDocument {
                kind,
                number: &raw.id_number,
                country: &raw.id_country,
            }
            .parse()
            .map_err(|e| format!("证件号码:{e}"))?;
            let person = NewPerson::new(name, document, &raw.gender, &raw.birth_date)?;
            let category = raw.category.trim().to_string();
            if !REGISTRATION_CATEGORIES.contains(&category.as_str()) {
                return Err(format!("注册类别“{category}”不在支持的类别中"));
            }
            let valid_until = raw.valid_until.trim().to_string();
            if !is_date(&valid_until) {
                return Err("有效期至应为 YYYY-MM-DD".into());
            }
            let (employer, employer_credit_code) = employer(&raw)?;
            let specialties = specialties(&raw.specialties, &valid_until)?;
            if specialties.is_empty() {
                return Err("注册专业为空".into());
            }
            let seal_no = match raw.seal_no.trim().to_uppercase() {
                s if s.is_empty() => registration_no.clone(),
                s => s,
            };
            What::Initial {
                person,
                registration: Box::new(NewRegistration {
                    category,
                    registration_no: registration_no.clone(),
                    seal_no,
                    certificate_no: raw.certificate_no.trim().to_string(),
                    employer: employer.clone(),
                    employer_credit_code,
                    issued_on: date.clone(),
                    valid_until,
                    specialties,
                    changes: vec![RegistrationChange {
                        changed_on: date.clone(),
                        kind: "初始注册".into(),
                        old_employer: None,
                        new_employer: Some(employer),
                    }],
                }),
            }
        }
        "变更注册" => {
            let (employer, employer_credit_code) = employer(&raw)?;
            What::Transfer {
                employer,
                employer_credit_code,
            }
        }
        "延续注册" => {
            let valid_until = raw.valid_until.trim().to_string();
            if !is_date(&valid_until) || valid_until <= date {
                return Err("延续注册需要晚于变更日期的有效期至(YYYY-MM-DD)".into());
            }
            let specialties = specialties(&raw.specialties, &valid_until)?;
            What::Renewal {
                valid_until,
                specialties,
            }
        }
        "增项注册" => {
            let added = specialties(&raw.specialties, "")?;
            if added.is_empty() {
                return Err("增项注册需要新增的注册专业(专业:YYYY-MM-DD)".into());
            }
            What::AddedSpecialties(added)
        }
        "注销" | "撤销" => What::Withdrawn {
            kind: if raw.kind.trim() == "注销" {
                "注销"
            } else {
                "撤销"
            },
            reason: raw.reason.trim().chars().take(200).collect(),
        },
        other => {
            return Err(format!(
                "变更类型“{other}”无效,应为 初始注册、变更注册、延续注册、增项注册、注销 或 撤销"
            ));
        }
    };
    Ok(Change {
        change_id,
        registration_no,
        date,
        what,
    })
}

/// [`check`] for a line of the registry's feed, whose change ids may not be the staff's.
fn check_from_feed(raw: RawChange) -> Result<Change, String> {
    if raw.change_id.trim().starts_with(STAFF_PREFIX) {
        return Err(format!(
            "变更编号不能以 {STAFF_PREFIX} 开头(留给工作人员审核通过的变更)"
        ));
    }
    check(raw)
}

/// One change in the caller's transaction `tx` (a staff decision): `Ok(Err(reason))` when it
/// cannot be applied, and then nothing of it was written.
pub async fn apply_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    data_key: &[u8],
    change: &Change,
    actor: &str,
    now: i64,
) -> Result<Result<(), String>, sqlx::Error> {
    let line = [(1u64, Ok(change.clone()))];
    let mut known = Known::prefetch(tx, &line).await?;
    Ok(
        match apply_one(tx, &mut known, data_key, change, actor, now).await? {
            Outcome::Applied => {
                known.flush(tx, now).await?;
                Ok(())
            }
            Outcome::Already => Err(format!("变更编号 {} 已应用", change.change_id)),
            Outcome::Refused(reason) => Err(reason),
        },
    )
}

/// What applying a feed did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FeedReport {
    pub lines: u64,
    pub applied: u64,
    /// Lines whose change id was applied before (nothing changed).
    pub already: u64,
    /// (line, reason)
    pub rejected: Vec<(u64, String)>,
}

/// Reads a feed (JSON lines, or CSV when the first line is [`CSV_HEADER`]) into numbered
/// lines, each checked or refused.
pub fn read(text: &str) -> Vec<(u64, Result<Change, String>)> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    if first.trim_start().starts_with(CSV_HEADER[0]) {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        return reader
            .records()
            .map(|record| {
                let line = record
                    .as_ref()
                    .ok()
                    .and_then(|r| r.position())
                    .map_or(0, |p| p.line());
                (
                    line,
                    record
                        .map_err(|e| format!("CSV 无法读取:{e}"))
                        .and_then(|r| RawChange::from_csv(&r))
                        .and_then(check_from_feed),
                )
            })
            .collect();
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            (
                i as u64 + 1,
                serde_json::from_str::<RawChange>(l)
                    .map_err(|e| format!("JSON 无法解析:{e}"))
                    .and_then(check_from_feed),
            )
        })
        .collect()
}

/// Applies checked lines in batches of [`BATCH`], calling `progress(lines done)` after each.
pub async fn apply(
    db: &AnyPool,
    data_key: &[u8],
    lines: Vec<(u64, Result<Change, String>)>,
    actor: &str,
    now: i64,
    mut progress: impl FnMut(u64),
) -> Result<FeedReport, String> {
    let db_error = |e: sqlx::Error| format!("数据库错误:{e}");
    let mut report = FeedReport {
        lines: lines.len() as u64,
        ..FeedReport::default()
    };
    let mut done = 0u64;
    for batch in lines.chunks(BATCH) {
        let mut tx = crate::platform::db::begin_write(db)
            .await
            .map_err(db_error)?;
        let mut known = Known::prefetch(&mut tx, batch).await.map_err(db_error)?;
        for (line, change) in batch {
            let change = match change {
                Ok(change) => change,
                Err(reason) => {
                    report.rejected.push((*line, reason.clone()));
                    continue;
                }
            };
            match apply_one(&mut tx, &mut known, data_key, change, actor, now)
                .await
                .map_err(db_error)?
            {
                Outcome::Applied => report.applied += 1,
                Outcome::Already => report.already += 1,
                Outcome::Refused(reason) => report.rejected.push((*line, reason)),
            }
        }
        known.flush(&mut tx, now).await.map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        done += batch.len() as u64;
        progress(done);
    }
    Ok(report)
}

enum Outcome {
    Applied,
    Already,
    Refused(String),
}

/// A registration as a change needs it.
#[derive(Clone)]
struct Registration {
    id: i64,
    employer: String,
    withdrawn: bool,
    /// The holder's ID digest (their accounts are told).
    digest: String,
}

/// What a batch's lines refer to, read in two statements at the batch's start and kept up to
/// date as its lines apply (a batch may change one registration twice): each line then costs
/// only its writes, where a read per line made the round trips to PostgreSQL the bound.
struct Known {
    /// change id → (kind, 注册编号) applied before.
    seen: HashMap<String, (String, String)>,
    /// 注册编号 → the registration, `None` when the registry has no such number.
    registrations: HashMap<String, Option<Registration>>,
    /// Rows written at the batch's end, a few statements for all its lines: the change ids
    /// applied (change id, kind, 注册编号) …
    applied: Vec<(String, &'static str, String)>,
    /// … the 变更记录 (registration, date, kind, old and new 注册单位) …
    changes: Vec<ChangeRow>,
    /// … the holders' 安全记录 (ID digest, audit kind, detail) …
    notices: Vec<(String, &'static str, String)>,
    /// … and their 短信通知 of a 注销/撤销 (ID digest, matter, result).
    messages: Vec<(String, String, String)>,
}

/// A 变更记录 row: registration, date, kind, old and new 注册单位.
type ChangeRow = (i64, String, &'static str, Option<String>, Option<String>);

/// Rows per multi-row statement (five binds each at most: within both databases' limits).
const ROWS_PER_STATEMENT: usize = 100;

impl Known {
    /// Writes what the batch's lines left for its end.
    async fn flush(
        &mut self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let values = |rows: usize, columns: usize| {
            (0..rows)
                .map(|r| {
                    let cells: Vec<String> = (1..=columns)
                        .map(|c| format!("${}", r * columns + c))
                        .collect();
                    format!("({})", cells.join(", "))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        for chunk in self.applied.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO registry_feed (change_id, kind, registration_no, applied_at) VALUES {}",
                values(chunk.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for (id, kind, no) in chunk {
                query = query.bind(id).bind(*kind).bind(no).bind(now);
            }
            query.execute(&mut **tx).await?;
        }
        for chunk in self.changes.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO registration_changes (registration_id, changed_on, kind, old_employer, new_employer) VALUES {}",
                values(chunk.len(), 5)
            );
            let mut query = sqlx::query(&sql);
            for (id, date, kind, old, new) in chunk {
                query = query
                    .bind(*id)
                    .bind(date)
                    .bind(*kind)
                    .bind(old.as_deref())
                    .bind(new.as_deref());
            }
            query.execute(&mut **tx).await?;
        }
        // 安全记录 of every personal account of each holder, in one statement per chunk.
        for chunk in self.notices.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "WITH v (digest, kind, detail) AS (VALUES {}) \
                 INSERT INTO audit_events (account_id, kind, detail, ip, user_agent, created_at) \
                 SELECT a.id, v.kind, v.detail, '', '全国注册人员库', ${} FROM accounts a \
                 JOIN v ON a.person_digest = v.digest WHERE a.kind = 'person'",
                values(chunk.len(), 3),
                chunk.len() * 3 + 1
            );
            let mut query = sqlx::query(&sql);
            for (digest, kind, detail) in chunk {
                query = query.bind(digest).bind(*kind).bind(detail);
            }
            query.bind(now).execute(&mut **tx).await?;
        }
        // 短信通知 to every personal account of each holder whose registration was withdrawn:
        // queued here, sent by `platform::notices` once the batch commits.
        for chunk in self.messages.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "WITH v (digest, matter, result) AS (VALUES {}) \
                 INSERT INTO sms_notices (account_id, matter, result, created_at, next_try_at) \
                 SELECT a.id, v.matter, v.result, ${n}, ${n} FROM accounts a \
                 JOIN v ON a.person_digest = v.digest WHERE a.kind = 'person'",
                values(chunk.len(), 3),
                n = chunk.len() * 3 + 1
            );
            let mut query = sqlx::query(&sql);
            for (digest, matter, result) in chunk {
                query = query.bind(digest).bind(matter).bind(result);
            }
            query.bind(now).execute(&mut **tx).await?;
        }
        self.applied.clear();
        self.changes.clear();
        self.notices.clear();
        self.messages.clear();
        Ok(())
    }
}

impl Known {
    async fn prefetch(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        batch: &[(u64, Result<Change, String>)],
    ) -> Result<Self, sqlx::Error> {
        let changes: Vec<&Change> = batch.iter().filter_map(|(_, c)| c.as_ref().ok()).collect();
        let mut known = Known {
            seen: HashMap::new(),
            registrations: HashMap::new(),
            applied: Vec::new(),
            changes: Vec::new(),
            notices: Vec::new(),
            messages: Vec::new(),
        };
        if changes.is_empty() {
            return Ok(known);
        }
        let placeholders = |n: usize| {
            (1..=n)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sql = format!(
            "SELECT change_id, kind, registration_no FROM registry_feed WHERE change_id IN ({})",
            placeholders(changes.len())
        );
        let mut query = sqlx::query(&sql);
        for c in &changes {
            query = query.bind(&c.change_id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            known.seen.insert(
                row.try_get("change_id")?,
                (row.try_get("kind")?, row.try_get("registration_no")?),
            );
        }
        let mut numbers: Vec<&str> = changes.iter().map(|c| c.registration_no.as_str()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let sql = format!(
            "SELECT r.registration_no, r.id, r.employer, r.withdrawn_at, p.id_number_digest \
             FROM registrations r JOIN persons p ON p.id = r.person_id \
             WHERE r.registration_no IN ({}) ORDER BY r.registration_no{}",
            placeholders(numbers.len()),
            // PostgreSQL: the batch holds its registrations (in one order) until it commits,
            // so a concurrent feed or staff decision waits instead of acting on a stale read.
            // SQLite's writer is one at a time already.
            match crate::platform::db::Backend::of_tx(tx) {
                crate::platform::db::Backend::Postgres => " FOR UPDATE OF r",
                crate::platform::db::Backend::Sqlite => "",
            }
        );
        let mut query = sqlx::query(&sql);
        for n in &numbers {
            query = query.bind(*n);
        }
        for n in &numbers {
            known.registrations.insert((*n).to_string(), None);
        }
        for row in query.fetch_all(&mut **tx).await? {
            known.registrations.insert(
                row.try_get("registration_no")?,
                Some(Registration {
                    id: row.try_get("id")?,
                    employer: row.try_get("employer")?,
                    withdrawn: row.try_get::<i64, _>("withdrawn_at")? != 0,
                    digest: row.try_get("id_number_digest")?,
                }),
            );
        }
        Ok(known)
    }
}

/// One change in `tx`. Every refusal is found by reading first, so no statement fails inside
/// the batch (on PostgreSQL a failed statement would end the whole transaction).
async fn apply_one(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    known: &mut Known,
    data_key: &[u8],
    change: &Change,
    actor: &str,
    now: i64,
) -> Result<Outcome, sqlx::Error> {
    if let Some((kind, no)) = known.seen.get(&change.change_id) {
        if kind == change.what.kind() && *no == change.registration_no {
            return Ok(Outcome::Already);
        }
        return Ok(Outcome::Refused(format!(
            "变更编号 {} 已用于另一项变更({kind} {no})",
            change.change_id
        )));
    }
    let registration = known
        .registrations
        .get(&change.registration_no)
        .cloned()
        .flatten();
    match (&change.what, registration) {
        (
            What::Initial {
                person,
                registration,
            },
            None,
        ) => {
            let digest = crate::domain::person::document_digest(data_key, &person.document);
            let existing = sqlx::query("SELECT id, name FROM persons WHERE id_number_digest = $1")
                .bind(&digest)
                .fetch_optional(&mut **tx)
                .await?;
            let person_id = match existing {
                Some(row) => {
                    let name: String = row.try_get("name")?;
                    if name != person.name {
                        return Ok(Outcome::Refused(format!(
                            "该证件号码在库中的姓名为“{name}”,与“{}”不一致",
                            person.name
                        )));
                    }
                    row.try_get("id")?
                }
                None => repo::insert_person(tx, data_key, person).await?.0,
            };
            let id = repo::insert_registration(tx, person_id, person, registration).await?;
            notify(known, &digest, audit::REGISTRY_CHANGED, change);
            known.registrations.insert(
                change.registration_no.clone(),
                Some(Registration {
                    id,
                    employer: registration.employer.clone(),
                    withdrawn: false,
                    digest,
                }),
            );
        }
        (What::Initial { .. }, Some(_)) => {
            return Ok(Outcome::Refused(format!(
                "注册编号 {} 已在库中,初始注册不能重复",
                change.registration_no
            )));
        }
        (_, None) => {
            return Ok(Outcome::Refused(format!(
                "注册编号 {} 不在库中",
                change.registration_no
            )));
        }
        (_, Some(registration)) if registration.withdrawn => {
            return Ok(Outcome::Refused(format!(
                "注册编号 {} 已注销或撤销,不能再变更",
                change.registration_no
            )));
        }
        (what, Some(registration)) => {
            let id = registration.id;
            let digest = registration.digest.clone();
            let (old_employer, new_employer) = match what {
                What::Transfer {
                    employer,
                    employer_credit_code,
                } => {
                    let old = registration.employer.clone();
                    sqlx::query(
                        "UPDATE registrations SET employer = $1, employer_credit_code = $2 WHERE id = $3",
                    )
                    .bind(employer)
                    .bind(employer_credit_code.as_str())
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                    (Some(old), Some(employer.clone()))
                }
                What::Renewal {
                    valid_until,
                    specialties,
                } => {
                    sqlx::query("UPDATE registrations SET valid_until = $1 WHERE id = $2")
                        .bind(valid_until)
                        .bind(id)
                        .execute(&mut **tx)
                        .await?;
                    if specialties.is_empty() {
                        // Every specialty renewed with the registration.
                        sqlx::query(
                            "UPDATE registration_specialties SET valid_until = $1 WHERE registration_id = $2",
                        )
                        .bind(valid_until)
                        .bind(id)
                        .execute(&mut **tx)
                        .await?;
                    } else {
                        for sp in specialties {
                            sqlx::query(
                                "UPDATE registration_specialties SET valid_until = $1 \
                                 WHERE registration_id = $2 AND name = $3",
                            )
                            .bind(&sp.valid_until)
                            .bind(id)
                            .bind(&sp.name)
                            .execute(&mut **tx)
                            .await?;
                        }
                    }
                    (None, None)
                }
                What::AddedSpecialties(added) => {
                    let rows = sqlx::query(
                        "SELECT position, name FROM registration_specialties \
                         WHERE registration_id = $1 ORDER BY position",
                    )
                    .bind(id)
                    .fetch_all(&mut **tx)
                    .await?;
                    let mut names: Vec<String> = rows
                        .iter()
                        .map(|r| r.try_get("name"))
                        .collect::<Result<_, _>>()?;
                    let first = rows
                        .iter()
                        .map(|r| r.try_get::<i64, _>("position"))
                        .collect::<Result<Vec<_>, _>>()?
                        .into_iter()
                        .max()
                        .map_or(0, |p| p + 1);
                    if let Some(dup) = added.iter().find(|a| names.contains(&a.name)) {
                        return Ok(Outcome::Refused(format!(
                            "注册专业“{}”已在该注册中",
                            dup.name
                        )));
                    }
                    for (position, sp) in (first..).zip(added) {
                        sqlx::query(
                            "INSERT INTO registration_specialties (registration_id, position, name, valid_until) \
                             VALUES ($1, $2, $3, $4)",
                        )
                        .bind(id)
                        .bind(position)
                        .bind(&sp.name)
                        .bind(&sp.valid_until)
                        .execute(&mut **tx)
                        .await?;
                        names.push(sp.name.clone());
                    }
                    sqlx::query("UPDATE registrations SET specialty_names = $1 WHERE id = $2")
                        .bind(repo::specialty_names(names.iter().map(String::as_str)))
                        .bind(id)
                        .execute(&mut **tx)
                        .await?;
                    (None, None)
                }
                What::Withdrawn { kind, reason } => {
                    // Guarded: a withdrawal by another writer since the batch read it wins.
                    let done = sqlx::query(
                        "UPDATE registrations SET withdrawn_at = $1, withdrawn_kind = $2 \
                         WHERE id = $3 AND withdrawn_at = 0",
                    )
                    .bind(now)
                    .bind(*kind)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        return Ok(Outcome::Refused(format!(
                            "注册编号 {} 已注销或撤销,不能再变更",
                            change.registration_no
                        )));
                    }
                    crate::platform::staff_audit::append(
                        tx,
                        data_key,
                        now,
                        actor,
                        &format!(
                            "registry.{}",
                            if *kind == "注销" {
                                "cancel"
                            } else {
                                "revoke"
                            }
                        ),
                        &change.registration_no,
                        &format!(
                            "change_id={};date={};reason={reason}",
                            change.change_id, change.date
                        ),
                    )
                    .await?;
                    (None, None)
                }
                What::Initial { .. } => unreachable!("matched above"),
            };
            known.changes.push((
                id,
                change.date.clone(),
                change.what.kind(),
                old_employer,
                new_employer,
            ));
            let kind = if matches!(what, What::Withdrawn { .. }) {
                audit::REGISTRY_WITHDRAWN
            } else {
                audit::REGISTRY_CHANGED
            };
            notify(known, &digest, kind, change);
            if let Some(Some(known)) = known.registrations.get_mut(&change.registration_no) {
                match what {
                    What::Transfer { employer, .. } => known.employer = employer.clone(),
                    What::Withdrawn { .. } => known.withdrawn = true,
                    _ => {}
                }
            }
        }
    }
    known.applied.push((
        change.change_id.clone(),
        change.what.kind(),
        change.registration_no.clone(),
    ));
    known.seen.insert(
        change.change_id.clone(),
        (
            change.what.kind().to_string(),
            change.registration_no.clone(),
        ),
    );
    Ok(Outcome::Applied)
}

/// 安全记录 for every personal account of the person with ID digest `digest`, written at the
/// batch's end ([`Known::flush`]).
fn notify(known: &mut Known, digest: &str, kind: &'static str, change: &Change) {
    if kind == audit::REGISTRY_WITHDRAWN {
        known.messages.push((
            digest.to_string(),
            format!("注册证书(注册编号 {})", change.registration_no),
            format!("已于 {} {}", change.date, change.what.kind()),
        ));
    }
    known.notices.push((
        digest.to_string(),
        kind,
        format!(
            "{} {}({})",
            change.what.kind(),
            change.registration_no,
            change.date
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_needs_its_fields() {
        let line = |json: &str| read(json).pop().unwrap().1;
        assert!(
            line(r#"{"change_id":"C1","kind":"注销","registration_no":"京1","date":"2026-12-01"}"#)
                .is_ok()
        );
        let err =
            line(r#"{"change_id":"C1","kind":"注销","registration_no":"京1","date":"2026-13-01"}"#)
                .unwrap_err();
        assert!(err.contains("日期"), "{err}");
        let err =
            line(r#"{"change_id":"","kind":"注销","registration_no":"京1","date":"2026-12-01"}"#)
                .unwrap_err();
        assert!(err.contains("变更编号"), "{err}");
        let err =
            line(r#"{"change_id":"C1","kind":"改名","registration_no":"京1","date":"2026-12-01"}"#)
                .unwrap_err();
        assert!(err.contains("变更类型"), "{err}");
        let err = line(r#"{"change_id":"C1","kind":"变更注册","registration_no":"京1","date":"2026-12-01","employer":"某单位"}"#).unwrap_err();
        assert!(err.contains("统一社会信用代码"), "{err}");
        let err = line(r#"{"change_id":"C1","kind":"延续注册","registration_no":"京1","date":"2026-12-01","valid_until":"2026-11-01"}"#).unwrap_err();
        assert!(err.contains("延续注册"), "{err}");
        let err = line(
            r#"{"change_id":"C1","kind":"增项注册","registration_no":"京1","date":"2026-12-01"}"#,
        )
        .unwrap_err();
        assert!(err.contains("增项注册"), "{err}");
        let err = line("{not json").unwrap_err();
        assert!(err.contains("JSON"), "{err}");
    }

    #[test]
    fn csv_and_json_lines_read_alike() {
        let csv = format!(
            "{}\nC9,延续注册,京1112010000001,2026-12-01,,,,,,,,2031-12-01,,,\n",
            CSV_HEADER.join(",")
        );
        let json = r#"{"change_id":"C9","kind":"延续注册","registration_no":"京1112010000001","date":"2026-12-01","valid_until":"2031-12-01"}"#;
        let (a, b) = (read(&csv), read(json));
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].0, 2, "CSV lines are numbered as in the file");
        let (a, b) = (a[0].1.as_ref().unwrap(), b[0].1.as_ref().unwrap());
        assert_eq!(a.change_id, b.change_id);
        assert_eq!(a.what.kind(), "延续注册");
        assert!(
            matches!(&b.what, What::Renewal { valid_until, .. } if valid_until == "2031-12-01")
        );
    }
}
