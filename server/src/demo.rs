//! Demo data for development: a handful of registered professionals of three kinds, loaded
//! into an empty registry on first start so every page has something real to show.

use app::domain::{CreditCode, IdNumber};
use app::models::registry::{NewPerson, NewRegistration, RegistrationChange, Specialty, repo};
use sqlx::AnyPool;

struct DemoPerson {
    name: &'static str,
    region: u32,
    birth: (u32, u32, u32),
    sequence: u32,
    category: &'static str,
    registration_no: &'static str,
    employer: &'static str,
    /// The employer's 统一社会信用代码 without its check character.
    employer_code17: &'static str,
    specialties: &'static [(&'static str, &'static str)],
}

const PEOPLE: [DemoPerson; 6] = [
    DemoPerson {
        name: "张伟",
        region: 110105,
        birth: (1982, 3, 14),
        sequence: 31,
        category: "一级注册建造师",
        registration_no: "京1112008200912345",
        employer: "北京城建建设工程有限公司",
        employer_code17: "91110000MA01ABCD1",
        specialties: &[("建筑工程", "2028-06-30"), ("市政公用工程", "2027-12-31")],
    },
    DemoPerson {
        name: "李娜",
        region: 310104,
        birth: (1986, 11, 2),
        sequence: 42,
        category: "一级注册建造师",
        registration_no: "沪1312010201100456",
        employer: "上海建工集团股份有限公司",
        employer_code17: "91310000132200821",
        specialties: &[("机电工程", "2029-03-31")],
    },
    DemoPerson {
        name: "欧阳明华",
        region: 440106,
        birth: (1975, 7, 21),
        sequence: 15,
        category: "注册监理工程师",
        registration_no: "44007788",
        employer: "广州珠江工程建设监理有限公司",
        employer_code17: "91440101190488712",
        specialties: &[
            ("房屋建筑工程", "2027-09-30"),
            ("市政公用工程", "2027-09-30"),
        ],
    },
    DemoPerson {
        name: "王芳",
        region: 320102,
        birth: (1990, 1, 9),
        sequence: 68,
        category: "一级注册造价工程师",
        registration_no: "建[造]13320000123",
        employer: "江苏华正工程造价咨询有限公司",
        employer_code17: "91320100134789214",
        specialties: &[("土木建筑工程", "2028-12-31")],
    },
    DemoPerson {
        name: "刘洋",
        region: 510107,
        birth: (1979, 5, 30),
        sequence: 27,
        category: "注册监理工程师",
        registration_no: "51009911",
        employer: "四川省建设工程监理有限公司",
        employer_code17: "91510100201905437",
        specialties: &[("水利水电工程", "2026-10-31")],
    },
    DemoPerson {
        name: "陈静",
        region: 420106,
        birth: (1988, 8, 18),
        sequence: 84,
        category: "一级注册建造师",
        registration_no: "鄂1422015201600789",
        employer: "中建三局集团有限公司",
        employer_code17: "91420100177682631",
        specialties: &[("建筑工程", "2029-08-31")],
    },
];

/// Loads the demo registry if the registry is empty; returns how many people were added.
pub async fn load_if_empty(db: &AnyPool, data_key: &[u8]) -> Result<usize, sqlx::Error> {
    if repo::count_persons(db).await? > 0 {
        return Ok(0);
    }
    for (i, p) in PEOPLE.iter().enumerate() {
        let (y, m, d) = p.birth;
        let id_number = IdNumber::compose(p.region, y, m, d, p.sequence)
            .map_err(|e| sqlx::Error::Protocol(format!("demo ID number: {e}")))?;
        let registration = NewRegistration {
            category: p.category.to_string(),
            registration_no: p.registration_no.to_string(),
            seal_no: p.registration_no.to_string(),
            certificate_no: format!("{:08}", 20_190_000 + i * 137),
            employer: p.employer.to_string(),
            employer_credit_code: CreditCode::complete(p.employer_code17)
                .map_err(|e| sqlx::Error::Protocol(format!("demo credit code: {e}")))?,
            issued_on: "2023-07-01".to_string(),
            valid_until: p
                .specialties
                .iter()
                .map(|s| s.1)
                .min()
                .unwrap_or("2027-06-30")
                .to_string(),
            specialties: p
                .specialties
                .iter()
                .map(|(name, until)| Specialty {
                    name: name.to_string(),
                    valid_until: until.to_string(),
                })
                .collect(),
            changes: vec![
                RegistrationChange {
                    changed_on: "2023-07-01".to_string(),
                    kind: "初始注册".to_string(),
                    old_employer: None,
                    new_employer: Some(p.employer.to_string()),
                },
                RegistrationChange {
                    changed_on: "2025-03-12".to_string(),
                    kind: "延续注册".to_string(),
                    old_employer: Some(p.employer.to_string()),
                    new_employer: Some(p.employer.to_string()),
                },
            ],
        };
        let person = NewPerson {
            name: p.name.to_string(),
            id_number,
        };
        repo::add_person(db, data_key, &person, &[registration]).await?;
    }
    Ok(PEOPLE.len())
}
