//! Importing the real register from CSV (UTF-8, with a header row), one row per registration:
//!
//! ```text
//! 姓名,身份证号,注册类别,注册编号,执业印章号,证书编号,注册单位,统一社会信用代码,发证日期,有效期至,注册专业
//! 王建国,110105198003150039,一级注册建造师,京1112010000001,京1112010000001,00201000001,中建示范建设有限公司,91110000MA01ABCD1M,2010-06-18,2029-06-17,建筑工程:2029-06-17;市政公用工程:2028-12-31
//! ```
//!
//! 注册专业 lists `专业:有效期` pairs separated by `;`. A register with other identity documents
//! uses [`HEADER_WITH_DOCUMENTS`]: the number is then the 证件号码, and four more columns give
//! the 证件类型 (code or name, empty for 居民身份证), a passport's 签发国家 (ISO 3166-1
//! alpha-3), and 性别 and 出生日期, which a 公民身份号码 carries and the other kinds must give:
//!
//! ```text
//! 姓名,证件号码,注册类别,…,注册专业,证件类型,签发国家,性别,出生日期
//! 陈家豪,H12345678,一级注册建造师,…,建筑工程:2029-06-17,港澳居民来往内地通行证,,男,1985-03-02
//! ```
//!
//! Rows with the same document belong to one person. A row that breaks a rule is reported with its line number and skipped; a person
//! already in the registry is skipped too. Every imported registration gets a 初始注册 change.

use crate::domain::id_document::TypedDocument;
use crate::domain::specialty::Specialty;
use crate::domain::{CreditCode, IdDocument};
use crate::registry::NewPerson;
use crate::registry::NewRegistration;
use crate::registry::RegistrationChange;
use crate::registry::query::REGISTRATION_CATEGORIES;
use crate::registry::repo;
use sqlx::AnyPool;
use std::collections::BTreeMap;

pub const HEADER: [&str; 11] = [
    "姓名",
    "身份证号",
    "注册类别",
    "注册编号",
    "执业印章号",
    "证书编号",
    "注册单位",
    "统一社会信用代码",
    "发证日期",
    "有效期至",
    "注册专业",
];

/// [`HEADER`] for a register with other kinds of identity document.
pub const HEADER_WITH_DOCUMENTS: [&str; 15] = [
    "姓名",
    "证件号码",
    "注册类别",
    "注册编号",
    "执业印章号",
    "证书编号",
    "注册单位",
    "统一社会信用代码",
    "发证日期",
    "有效期至",
    "注册专业",
    "证件类型",
    "签发国家",
    "性别",
    "出生日期",
];

#[derive(Debug, Default)]
pub struct ImportReport {
    pub persons: u64,
    pub registrations: u64,
    /// (line, reason)
    pub rejected: Vec<(u64, String)>,
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Parses one record of `columns` columns into (person, registration), or says what is wrong
/// with it.
fn parse_row(
    record: &csv::StringRecord,
    columns: usize,
) -> Result<(NewPerson, NewRegistration), String> {
    if record.len() != columns {
        return Err(format!("应有 {columns} 列,实际 {} 列", record.len()));
    }
    let field = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
    let name = field(0);
    if name.is_empty() || name.chars().count() > 32 {
        return Err("姓名为空或过长".into());
    }
    let kind = match field(11) {
        k if k.is_empty() => String::new(),
        k => crate::domain::DocumentKind::from_code_or_label(&k)
            .map(|k| k.code().to_string())
            .ok_or_else(|| format!("证件类型“{k}”不在支持的类型中"))?,
    };
    let (number, country) = (field(1), field(12));
    let document: IdDocument = TypedDocument {
        kind: &kind,
        number: &number,
        country: &country,
    }
    .parse()
    .map_err(|e| format!("证件号码:{e}"))?;
    let person = NewPerson::new(name, document, &field(13), &field(14))?;
    let category = field(2);
    if !REGISTRATION_CATEGORIES.contains(&category.as_str()) {
        return Err(format!("注册类别“{category}”不在支持的类别中"));
    }
    let registration_no = field(3).to_uppercase();
    if registration_no.is_empty() {
        return Err("注册编号为空".into());
    }
    let seal_no = match field(4).to_uppercase() {
        s if s.is_empty() => registration_no.clone(),
        s => s,
    };
    let employer = field(6);
    if employer.is_empty() {
        return Err("注册单位为空".into());
    }
    let employer_credit_code =
        CreditCode::parse(&field(7)).map_err(|e| format!("统一社会信用代码:{e}"))?;
    let (issued_on, valid_until) = (field(8), field(9));
    if !is_date(&issued_on) || !is_date(&valid_until) {
        return Err("发证日期和有效期至应为 YYYY-MM-DD".into());
    }
    let mut specialties = Vec::new();
    for item in field(10)
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (name, until) = item.split_once(':').unwrap_or((item, valid_until.as_str()));
        if !is_date(until.trim()) {
            return Err(format!("注册专业“{item}”的有效期应为 YYYY-MM-DD"));
        }
        specialties.push(Specialty {
            name: name.trim().to_string(),
            valid_until: until.trim().to_string(),
        });
    }
    if specialties.is_empty() {
        return Err("注册专业为空".into());
    }
    let changes = vec![RegistrationChange {
        changed_on: issued_on.clone(),
        kind: "初始注册".into(),
        old_employer: None,
        new_employer: Some(employer.clone()),
    }];
    Ok((
        person,
        NewRegistration {
            category,
            registration_no,
            seal_no,
            certificate_no: field(5),
            employer,
            employer_credit_code,
            issued_on,
            valid_until,
            specialties,
            changes,
        },
    ))
}

/// Imports a CSV file in the layout above.
pub async fn import(
    db: &AnyPool,
    data_key: &[u8],
    input: impl std::io::Read,
) -> Result<ImportReport, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    let header = reader
        .headers()
        .map_err(|e| format!("无法读取表头:{e}"))?
        .clone();
    let header: Vec<&str> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}'))
        .collect();
    let columns = if header == HEADER {
        HEADER.len()
    } else if header == HEADER_WITH_DOCUMENTS {
        HEADER_WITH_DOCUMENTS.len()
    } else {
        return Err(format!(
            "表头应为:{}(或含证件类型的:{})",
            HEADER.join(","),
            HEADER_WITH_DOCUMENTS.join(",")
        ));
    };
    let mut report = ImportReport::default();
    // Keyed by document so that one person's rows become one insert.
    let mut people: BTreeMap<String, (u64, NewPerson, Vec<NewRegistration>)> = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        match record
            .map_err(|e| e.to_string())
            .and_then(|r| parse_row(&r, columns))
        {
            Ok((person, registration)) => {
                let entry = people
                    .entry(person.document.digest_input())
                    .or_insert_with(|| (line, person.clone(), Vec::new()));
                if entry.1.name != person.name {
                    report.rejected.push((
                        line,
                        format!(
                            "同一证件号码的姓名不一致(第 {} 行为“{}”)",
                            entry.0, entry.1.name
                        ),
                    ));
                    continue;
                }
                entry.2.push(registration);
            }
            Err(reason) => report.rejected.push((line, reason)),
        }
    }
    for (_, (line, person, registrations)) in people {
        if repo::person_exists(db, data_key, &person.document)
            .await
            .map_err(|e| e.to_string())?
        {
            report.rejected.push((line, "该人员已在库中,已跳过".into()));
            continue;
        }
        let count = registrations.len() as u64;
        match repo::add_person(db, data_key, &person, &registrations).await {
            Ok(_) => {
                report.persons += 1;
                report.registrations += count;
            }
            Err(e) => report
                .rejected
                .push((line, format!("写入失败(注册编号可能重复):{e}"))),
        }
    }
    Ok(report)
}
