//! Demo data for development: the people the README's walkthrough and the tests rely on,
//! plus a few hundred generated ones, loaded into an empty registry on first start.

use app::domain::account::AccountKind;
use app::domain::specialty::Specialty;
use app::domain::{CreditCode, DocumentKind, IdDocument, IdNumber};
use app::platform::state::AppState;
use app::registry::NewPerson;
use app::registry::NewRegistration;
use app::registry::RegistrationChange;
use app::registry::repo;
use sqlx::AnyPool;

/// Generated persons added beside the named ones.
pub const GENERATED_PERSONS: u64 = 300;
/// The generator seed of the demo registry.
pub const DEMO_SEED: u64 = 42;

/// 王建国's employer, as the walkthrough names it.
pub const DEMO_EMPLOYER: &str = "中建示范建设有限公司";
pub const DEMO_EMPLOYER_CODE: &str = "91110000MA01ABCD1M";

fn change(on: &str, kind: &str, old: Option<&str>, new: Option<&str>) -> RegistrationChange {
    RegistrationChange {
        changed_on: on.to_string(),
        kind: kind.to_string(),
        old_employer: old.map(str::to_string),
        new_employer: new.map(str::to_string),
    }
}

fn specialty(name: &str, until: &str) -> Specialty {
    Specialty {
        name: name.to_string(),
        valid_until: until.to_string(),
    }
}

fn invalid(what: &str, e: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Protocol(format!("demo data, {what}: {e}"))
}

/// The people of the demo registry written by hand (the generated ones follow).
fn named_people() -> Result<Vec<(NewPerson, Vec<NewRegistration>)>, sqlx::Error> {
    Ok(vec![
        wang_jianguo()?,
        li_xiuying()?,
        zhang_zhiyuan()?,
        sun_lina()?,
        zhou_wenbo()?,
        chen_jiahao()?,
        he_jiaxin()?,
        lin_zhiming()?,
        miller_david()?,
        smith_john()?,
    ])
}

/// A holder of another kind of document, with the gender and birth date it does not carry.
fn holder(
    name: &str,
    kind: DocumentKind,
    number: &str,
    country: &str,
    gender: &str,
    birth: &str,
) -> Result<NewPerson, sqlx::Error> {
    let document = IdDocument::parse(kind, number, country).map_err(|e| invalid("document", e))?;
    NewPerson::new(name.into(), document, gender, birth).map_err(|e| invalid("person", e))
}

/// One registration of the people with other documents: category, number, employer, code,
/// issued on, valid until, specialty.
fn single(
    (category, no, employer, credit_code): (&str, &str, &str, &str),
    (issued, until, specialty_name): (&str, &str, &str),
) -> Result<Vec<NewRegistration>, sqlx::Error> {
    Ok(vec![NewRegistration {
        category: category.into(),
        registration_no: no.into(),
        seal_no: no.into(),
        certificate_no: String::new(),
        employer: employer.into(),
        employer_credit_code: code(credit_code)?,
        issued_on: issued.into(),
        valid_until: until.into(),
        specialties: vec![specialty(specialty_name, until)],
        changes: vec![change(issued, "初始注册", None, Some(employer))],
    }])
}

/// 陈家豪: a Hong Kong resident with a 港澳居民来往内地通行证 (no demo account: the
/// document-kinds spec registers one).
fn chen_jiahao() -> Named {
    Ok((
        holder(
            "陈家豪",
            DocumentKind::HongKongMacaoPermit,
            "H60123456",
            "",
            "男",
            "1984-09-12",
        )?,
        single(
            (
                "一级注册建筑师",
                "粤1442016999007",
                "华南示范设计院有限公司",
                "91440101MA5CQRT837",
            ),
            ("2016-08-01", "2028-07-31", "建筑设计"),
        )?,
    ))
}

/// 何嘉欣: a Macao resident with a 港澳台居民居住证 (its number carries birth date and gender).
fn he_jiaxin() -> Named {
    Ok((
        NewPerson::citizen("何嘉欣", id("820000198805060027")?),
        single(
            (
                "一级注册造价工程师",
                "建[造]11944999008",
                "华南示范设计院有限公司",
                "91440101MA5CQRT837",
            ),
            ("2019-03-15", "2027-03-14", "土木建筑工程"),
        )?,
    ))
}

/// 林志明: a Taiwan resident with a 台湾居民来往大陆通行证.
fn lin_zhiming() -> Named {
    Ok((
        holder(
            "林志明",
            DocumentKind::TaiwanPermit,
            "07654321",
            "",
            "男",
            "1979-02-14",
        )?,
        single(
            (
                "一级注册结构工程师",
                "S3199999009",
                "沪上示范工程咨询有限公司",
                "91310000MA1KXYW12M",
            ),
            ("2017-11-20", "2028-11-19", "结构工程"),
        )?,
    ))
}

/// MILLER DAVID: a foreigner with the 2023 外国人永久居留身份证 (the English journey).
fn miller_david() -> Named {
    Ok((
        holder(
            "MILLER DAVID",
            DocumentKind::PermanentResidence,
            "911840198006150015",
            "",
            "男",
            "1980-06-15",
        )?,
        single(
            (
                "一级注册建造师",
                "京1112020999010",
                DEMO_EMPLOYER,
                DEMO_EMPLOYER_CODE,
            ),
            ("2020-09-01", "2029-08-31", "建筑工程"),
        )?,
    ))
}

/// SMITH JOHN: a foreigner registered with his British passport.
fn smith_john() -> Named {
    Ok((
        holder(
            "SMITH JOHN",
            DocumentKind::Passport,
            "533444555",
            "GBR",
            "男",
            "1976-11-03",
        )?,
        single(
            (
                "注册监理工程师",
                "1199999011",
                DEMO_EMPLOYER,
                DEMO_EMPLOYER_CODE,
            ),
            ("2021-04-12", "2030-04-11", "房屋建筑工程"),
        )?,
    ))
}

/// A person and their registrations.
type Named = Result<(NewPerson, Vec<NewRegistration>), sqlx::Error>;

fn code(c: &str) -> Result<CreditCode, sqlx::Error> {
    CreditCode::parse(c).map_err(|e| invalid("credit code", e))
}

fn id(n: &str) -> Result<IdNumber, sqlx::Error> {
    IdNumber::parse(n).map_err(|e| invalid("ID number", e))
}

/// 王建国: two registrations at the demo employer (a demo account).
fn wang_jianguo() -> Named {
    Ok((
        NewPerson::citizen("王建国", id("110105198003150039")?),
        vec![
            NewRegistration {
                category: "一级注册建造师".into(),
                registration_no: "京1112010000001".into(),
                seal_no: "京1112010000001".into(),
                certificate_no: "00201000001".into(),
                employer: DEMO_EMPLOYER.into(),
                employer_credit_code: code(DEMO_EMPLOYER_CODE)?,
                issued_on: "2010-06-18".into(),
                valid_until: "2029-06-17".into(),
                specialties: vec![
                    specialty("建筑工程", "2029-06-17"),
                    specialty("市政公用工程", "2028-12-31"),
                ],
                changes: vec![
                    change(
                        "2010-06-18",
                        "初始注册",
                        None,
                        Some("北京宏达建设工程有限公司"),
                    ),
                    change(
                        "2019-04-02",
                        "变更注册",
                        Some("北京宏达建设工程有限公司"),
                        Some(DEMO_EMPLOYER),
                    ),
                    change(
                        "2025-06-10",
                        "延续注册",
                        Some(DEMO_EMPLOYER),
                        Some(DEMO_EMPLOYER),
                    ),
                ],
            },
            NewRegistration {
                category: "注册监理工程师".into(),
                registration_no: "11000001".into(),
                seal_no: "京11000001".into(),
                certificate_no: "00201500001".into(),
                employer: DEMO_EMPLOYER.into(),
                employer_credit_code: code(DEMO_EMPLOYER_CODE)?,
                issued_on: "2015-09-01".into(),
                valid_until: "2028-08-31".into(),
                specialties: vec![specialty("房屋建筑工程", "2028-08-31")],
                changes: vec![change("2015-09-01", "初始注册", None, Some(DEMO_EMPLOYER))],
            },
        ],
    ))
}

/// 李秀英: 一级注册造价工程师 in Shanghai (a demo account).
fn li_xiuying() -> Named {
    Ok((
        NewPerson::citizen("李秀英", id("310104199007220044")?),
        vec![NewRegistration {
            category: "一级注册造价工程师".into(),
            registration_no: "建[造]11531000001".into(),
            seal_no: "建[造]11531000001".into(),
            certificate_no: "00201500002".into(),
            employer: "上海华正工程造价咨询有限公司".into(),
            employer_credit_code: code("91310000132200821H")?,
            issued_on: "2015-03-20".into(),
            valid_until: "2027-03-19".into(),
            specialties: vec![specialty("土木建筑工程", "2027-03-19")],
            changes: vec![change(
                "2015-03-20",
                "初始注册",
                None,
                Some("上海华正工程造价咨询有限公司"),
            )],
        }],
    ))
}

/// 张志远: registered, without a demo account (the face-check spec registers one).
fn zhang_zhiyuan() -> Named {
    Ok((
        NewPerson::citizen("张志远", id("330106198605120010")?),
        vec![NewRegistration {
            category: "一级注册建造师".into(),
            registration_no: "浙1332015000002".into(),
            seal_no: "浙1332015000002".into(),
            certificate_no: "00201500003".into(),
            employer: "杭州之江建设集团有限公司".into(),
            employer_credit_code: code("91330100MA2H3K7P54")?,
            issued_on: "2015-07-01".into(),
            valid_until: "2028-06-30".into(),
            specialties: vec![specialty("建筑工程", "2028-06-30")],
            changes: vec![change(
                "2015-07-01",
                "初始注册",
                None,
                Some("杭州之江建设集团有限公司"),
            )],
        }],
    ))
}

/// 孙丽娜: registered, without a demo account (the certificates spec registers one).
fn sun_lina() -> Named {
    Ok((
        NewPerson::citizen("孙丽娜", id("320102199203080025")?),
        vec![NewRegistration {
            category: "注册监理工程师".into(),
            registration_no: "32009876".into(),
            seal_no: "苏32009876".into(),
            certificate_no: "00201800004".into(),
            employer: "上海华正工程造价咨询有限公司".into(),
            employer_credit_code: code("91310000132200821H")?,
            issued_on: "2018-05-10".into(),
            valid_until: "2029-05-09".into(),
            specialties: vec![specialty("市政公用工程", "2029-05-09")],
            changes: vec![change(
                "2018-05-10",
                "初始注册",
                None,
                Some("上海华正工程造价咨询有限公司"),
            )],
        }],
    ))
}

/// 周文博: registered, without a demo account (the privacy spec registers one, exports his
/// data and closes the account).
fn zhou_wenbo() -> Named {
    Ok((
        NewPerson::citizen("周文博", id("320106198803150032")?),
        vec![NewRegistration {
            category: "一级注册建造师".into(),
            registration_no: "苏1322016000003".into(),
            seal_no: "苏1322016000003".into(),
            certificate_no: "00201600005".into(),
            employer: "杭州之江建设集团有限公司".into(),
            employer_credit_code: code("91330100MA2H3K7P54")?,
            issued_on: "2016-09-01".into(),
            valid_until: "2029-08-31".into(),
            specialties: vec![specialty("市政公用工程", "2029-08-31")],
            changes: vec![change(
                "2016-09-01",
                "初始注册",
                None,
                Some("杭州之江建设集团有限公司"),
            )],
        }],
    ))
}

pub async fn load_if_empty(db: &AnyPool, data_key: &[u8]) -> Result<u64, sqlx::Error> {
    if repo::has_persons(db).await? {
        return Ok(0);
    }
    let named = named_people()?;
    for (person, registrations) in &named {
        repo::add_person(db, data_key, person, registrations).await?;
    }
    let generated =
        app::registry::generate::generate(db, data_key, GENERATED_PERSONS, DEMO_SEED, |_| {})
            .await?;
    Ok(named.len() as u64 + generated.persons)
}

/// A registration at the demo employer, for tests that need one more row.
pub fn demo_registration_for_tests() -> NewRegistration {
    NewRegistration {
        category: "一级注册建造师".into(),
        registration_no: "京1112020000001".into(),
        seal_no: "京1112020000001".into(),
        certificate_no: "00202000001".into(),
        employer: DEMO_EMPLOYER.into(),
        employer_credit_code: CreditCode::parse(DEMO_EMPLOYER_CODE)
            .expect("demo credit code is valid"),
        issued_on: "2020-01-01".into(),
        valid_until: "2028-12-31".into(),
        specialties: vec![specialty("建筑工程", "2028-12-31")],
        changes: vec![change("2020-01-01", "初始注册", None, Some(DEMO_EMPLOYER))],
    }
}

/// The demo accounts the README lists: (kind, name, ID number or credit code, phone).
/// All use the password [`DEMO_PASSWORD`]. The enterprise's legal representative is 王建国,
/// so it shares his phone.
pub const DEMO_ACCOUNTS: &[(AccountKind, &str, &str, &str)] = &[
    (
        AccountKind::Person,
        "王建国",
        "110105198003150039",
        "13800138000",
    ),
    (
        AccountKind::Person,
        "李秀英",
        "310104199007220044",
        "13900139000",
    ),
    (
        AccountKind::Enterprise,
        DEMO_EMPLOYER,
        DEMO_EMPLOYER_CODE,
        "13800138000",
    ),
];
pub const DEMO_PASSWORD: &str = "Demo@2026";

/// Creates the demo accounts that do not exist yet; returns how many were created.
pub async fn ensure_accounts(state: &AppState) -> Result<usize, String> {
    use app::accounts::repo::{self as accounts, NewAccount};
    let key = &state.settings.data_key;
    let (rep_name, rep_id) = (DEMO_ACCOUNTS[0].1, DEMO_ACCOUNTS[0].2);
    let mut created = 0;
    for &(kind, name, identifier, phone) in DEMO_ACCOUNTS {
        let (login_key, person_id, person_name, org) = match kind {
            AccountKind::Person => {
                let id = IdNumber::parse(identifier).map_err(|e| e.to_string())?;
                (
                    accounts::person_login_key(&app::domain::person::id_digest(key, id.as_str())),
                    id,
                    name,
                    None,
                )
            }
            AccountKind::Enterprise => {
                let code = CreditCode::parse(identifier).map_err(|e| e.to_string())?;
                (
                    accounts::enterprise_login_key(code.as_str()),
                    IdNumber::parse(rep_id).map_err(|e| e.to_string())?,
                    rep_name,
                    Some((name, code)),
                )
            }
        };
        if accounts::login_key_exists(&state.db, &login_key)
            .await
            .map_err(|e| e.to_string())?
        {
            continue;
        }
        let hash = state.passwords.hash(DEMO_PASSWORD.to_string()).await?;
        let new = NewAccount {
            kind,
            // The demo enterprise is in the development enterprise list with 王建国 as legal
            // representative and counts as confirmed by him; registered ones start pending.
            status: app::domain::account::AccountStatus::Active,
            login_key: &login_key,
            person_digest: &app::domain::person::id_digest(key, person_id.as_str()),
            name: person_name,
            id_number_masked: &person_id.masked(),
            id_kind: app::domain::DocumentKind::ResidentId,
            id_country: "",
            org_name: org.as_ref().map(|(n, _)| *n),
            credit_code: org.as_ref().map(|(_, c)| c.as_str()),
            phone,
            password_hash: &hash,
        };
        accounts::create(&state.db, &new, state.clock.now())
            .await
            .map_err(|e| format!("{e:?}"))?;
        created += 1;
    }
    Ok(created)
}

/// `server demo load-accounts --count N`: personal accounts for up to `count` generated
/// registry holders, with the demo password and phones 170 0000 0000 upwards, for load tests
/// of a development or staging deployment. Returns the ID numbers of the accounts (made now or
/// before), one per holder whose generated number the registry confirms.
pub async fn load_test_accounts(
    db: &AnyPool,
    data_key: &[u8],
    passwords: &app::platform::passwords::PasswordHasher,
    count: u64,
    now: i64,
) -> Result<Vec<String>, String> {
    use app::accounts::repo::{self as accounts, CreateError, NewAccount};
    let holders = app::registry::sample::holders(db, count as i64 + 8)
        .await
        .map_err(|e| e.to_string())?;
    // One hash for all: the accounts share the demo password, and argon2 is slow on purpose.
    let hash = passwords.hash(DEMO_PASSWORD.to_string()).await?;
    let mut ids = Vec::new();
    for holder in holders {
        if ids.len() as u64 == count {
            break;
        }
        // The named demo people are not generated: their numbers do not come from the seed.
        let (_, id) = app::registry::generate::id_number_for(holder.person_id, DEMO_SEED)
            .map_err(|e| e.to_string())?;
        let digest = app::domain::person::id_digest(data_key, id.as_str());
        if digest != holder.id_number_digest {
            continue;
        }
        let phone = format!("170{:08}", holder.person_id);
        let new = NewAccount {
            kind: AccountKind::Person,
            status: app::domain::account::AccountStatus::Active,
            login_key: &accounts::person_login_key(&digest),
            person_digest: &digest,
            name: &holder.name,
            id_number_masked: &holder.id_number_masked,
            id_kind: app::domain::DocumentKind::ResidentId,
            id_country: "",
            org_name: None,
            credit_code: None,
            phone: &phone,
            password_hash: &hash,
        };
        match accounts::create(db, &new, now).await {
            Ok(_) | Err(CreateError::Duplicate) => ids.push(id.as_str().to_string()),
            Err(e) => return Err(format!("{e:?}")),
        }
    }
    Ok(ids)
}

/// `server demo load-accounts --count N`: accounts for the load generator. Refused where the
/// demo data is not loaded (production).
pub async fn command(args: &[String]) -> Result<(), String> {
    let config = crate::config::Config::from_env().map_err(|e| e.to_string())?;
    if !super::serve::seeds_demo_data(&config) {
        return Err("生产环境不能创建压测账户(仅开发或 PORTAL_STAGING 测试部署)".into());
    }
    if args.first().map(String::as_str) != Some("load-accounts") {
        return Err(format!("未知的 demo 子命令\n{}", super::USAGE));
    }
    let count = super::flag(args, "--count")?.ok_or("请用 --count N 指定账户数")?;
    let pool = crate::db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    // Only on a database a demo server has marked as its own, never on production's.
    let mark = app::platform::deployment::repo::mark(&pool)
        .await
        .map_err(|e| format!("数据库错误:{e}"))?;
    if mark.as_deref() != Some(app::platform::deployment::DEMO) {
        return Err("该数据库不是开发或测试部署的数据库,不能创建压测账户".into());
    }
    let passwords = app::platform::passwords::PasswordHasher::new(1);
    let now = app::platform::clock::Clock::default().now();
    let ids = load_test_accounts(&pool, &config.data_key, &passwords, count, now).await?;
    pool.close().await;
    for id in &ids {
        println!("{id}");
    }
    eprintln!(
        "{} load-test accounts (password {})",
        ids.len(),
        DEMO_PASSWORD
    );
    Ok(())
}
