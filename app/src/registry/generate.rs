//! The registry generator: deterministic, realistic registered professionals at any volume
//! (a few hundred for the demo, a million for load tests), written through the bulk path.

use crate::domain::mask::{mask_id_number, mask_name};
use crate::domain::person::id_digest;
use crate::domain::{CreditCode, IdNumber};
use crate::registry::bulk::{self, Batch};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::AnyPool;

/// (简称, 省份, 6-digit region code used in ID numbers, 2-digit code)
const PROVINCES: [(&str, &str, u32, &str); 31] = [
    ("京", "北京", 110105, "11"),
    ("津", "天津", 120101, "12"),
    ("冀", "河北", 130102, "13"),
    ("晋", "山西", 140105, "14"),
    ("蒙", "内蒙古", 150102, "15"),
    ("辽", "辽宁", 210102, "21"),
    ("吉", "吉林", 220102, "22"),
    ("黑", "黑龙江", 230102, "23"),
    ("沪", "上海", 310104, "31"),
    ("苏", "江苏", 320102, "32"),
    ("浙", "浙江", 330102, "33"),
    ("皖", "安徽", 340102, "34"),
    ("闽", "福建", 350102, "35"),
    ("赣", "江西", 360102, "36"),
    ("鲁", "山东", 370102, "37"),
    ("豫", "河南", 410102, "41"),
    ("鄂", "湖北", 420102, "42"),
    ("湘", "湖南", 430102, "43"),
    ("粤", "广东", 440103, "44"),
    ("桂", "广西", 450102, "45"),
    ("琼", "海南", 460105, "46"),
    ("渝", "重庆", 500101, "50"),
    ("川", "四川", 510104, "51"),
    ("贵", "贵州", 520102, "52"),
    ("云", "云南", 530102, "53"),
    ("藏", "西藏", 540102, "54"),
    ("陕", "陕西", 610102, "61"),
    ("甘", "甘肃", 620102, "62"),
    ("青", "青海", 630102, "63"),
    ("宁", "宁夏", 640104, "64"),
    ("新", "新疆", 650102, "65"),
];

/// Common surnames, the most frequent first (drawn with a skew toward the front).
const SURNAMES: [&str; 80] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "欧阳", "司马", "上官",
    "诸葛",
];

const GIVEN: [&str; 72] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "辉", "鹏", "飞", "红", "玉",
    "兰", "凤", "志", "宇", "浩", "然", "子", "轩", "欣", "怡", "晨", "阳", "雪", "梅", "海", "燕",
    "丹", "俊", "峰", "博", "婷", "颖", "佳", "琪", "思", "远", "德", "荣", "春", "林", "家", "豪",
    "嘉", "诚", "天", "翼", "晓", "东", "立", "新",
];

const FIRM_WORDS: [&str; 20] = [
    "城建",
    "华建",
    "建工",
    "中诚",
    "宏达",
    "远大",
    "恒信",
    "鼎盛",
    "安泰",
    "中天",
    "金鹏",
    "新世纪",
    "东方",
    "长城",
    "正华",
    "天成",
    "永安",
    "广厦",
    "鸿业",
    "嘉华",
];
const FIRM_SUFFIXES: [&str; 3] = ["有限公司", "集团有限公司", "股份有限公司"];

/// A category, how often it occurs (per mille), the kind of firm that employs it, and the
/// specialties it registers.
struct Category {
    name: &'static str,
    weight: u32,
    firm: &'static str,
    specialties: &'static [&'static str],
}

const CATEGORIES: [Category; 8] = [
    Category {
        name: "一级注册建造师",
        weight: 300,
        firm: "建设工程",
        specialties: &[
            "建筑工程",
            "市政公用工程",
            "机电工程",
            "公路工程",
            "水利水电工程",
            "矿业工程",
            "铁路工程",
            "港口与航道工程",
            "通信与广电工程",
            "民航机场工程",
        ],
    },
    Category {
        name: "二级注册建造师",
        weight: 300,
        firm: "建筑工程",
        specialties: &[
            "建筑工程",
            "市政公用工程",
            "机电工程",
            "公路工程",
            "水利水电工程",
            "矿业工程",
        ],
    },
    Category {
        name: "注册监理工程师",
        weight: 150,
        firm: "工程监理",
        specialties: &[
            "房屋建筑工程",
            "市政公用工程",
            "公路工程",
            "水利水电工程",
            "电力工程",
            "机电安装工程",
        ],
    },
    Category {
        name: "一级注册造价工程师",
        weight: 100,
        firm: "工程造价咨询",
        specialties: &["土木建筑工程", "安装工程", "交通运输工程", "水利工程"],
    },
    Category {
        name: "一级注册建筑师",
        weight: 50,
        firm: "建筑设计",
        specialties: &["建筑"],
    },
    Category {
        name: "二级注册建筑师",
        weight: 40,
        firm: "建筑设计",
        specialties: &["建筑"],
    },
    Category {
        name: "一级注册结构工程师",
        weight: 40,
        firm: "建筑设计",
        specialties: &["结构"],
    },
    Category {
        name: "注册土木工程师(岩土)",
        weight: 20,
        firm: "岩土工程勘察",
        specialties: &["岩土工程"],
    },
];

/// Firms per kind and province: enough that each has a realistic number of staff.
const FIRMS_PER_PROVINCE: u32 = 60;
/// Persons written per transaction.
const BATCH: u64 = 5_000;
/// From this many persons on, a load into an empty registry builds the secondary indexes
/// after the rows instead of beside them (`bulk::defer_indexes`): 1,000,000 persons on SQLite
/// took 150 s with the indexes kept up row by row.
const DEFER_INDEXES_FROM: u64 = 100_000;

pub struct Firm {
    pub name: String,
    pub credit_code: String,
}

/// The `index`-th firm of a kind in a province: name and a valid 统一社会信用代码.
fn firm(province: usize, kind: &str, index: u32) -> Firm {
    let (_, pname, region, _) = PROVINCES[province];
    let word = FIRM_WORDS[(index as usize) % FIRM_WORDS.len()];
    let suffix = FIRM_SUFFIXES[(index as usize / FIRM_WORDS.len()) % FIRM_SUFFIXES.len()];
    let branch = index as usize / (FIRM_WORDS.len() * FIRM_SUFFIXES.len());
    let branch = if branch == 0 {
        String::new()
    } else {
        format!("第{}", ["", "一", "二", "三", "四"][branch.min(4)])
    };
    let name = format!("{pname}{word}{branch}{kind}{suffix}");
    // 91 (enterprise) + region + a 9-character organisation code derived from the firm.
    let kind_no = kind.chars().count() as u32;
    let org = format!("M{:08}", (index * 97 + kind_no * 7_919) % 100_000_000);
    let code = CreditCode::complete(&format!("91{region:06}{org}"))
        .map(|c| c.as_str().to_string())
        .unwrap_or_default();
    Firm {
        name,
        credit_code: code,
    }
}

fn pick_category(rng: &mut StdRng) -> &'static Category {
    let total: u32 = CATEGORIES.iter().map(|c| c.weight).sum();
    let mut roll = rng.random_range(0..total);
    for c in &CATEGORIES {
        if roll < c.weight {
            return c;
        }
        roll -= c.weight;
    }
    &CATEGORIES[0]
}

fn random_name(rng: &mut StdRng) -> String {
    // Skew toward frequent surnames: the minimum of two draws.
    let s = rng
        .random_range(0..SURNAMES.len())
        .min(rng.random_range(0..SURNAMES.len()));
    let mut name = SURNAMES[s].to_string();
    let given = if rng.random_bool(0.3) { 1 } else { 2 };
    for _ in 0..given {
        name.push_str(GIVEN[rng.random_range(0..GIVEN.len())]);
    }
    name
}

fn date(year: u32, day_of_year: u32) -> String {
    let month = day_of_year / 28 % 12 + 1;
    let day = day_of_year % 28 + 1;
    format!("{year:04}-{month:02}-{day:02}")
}

fn hex_id(rng: &mut StdRng) -> String {
    crate::platform::ids::hex(&rng.random::<[u8; 16]>())
}

/// The generated ID number of person `person_id` under `seed`, with its province index.
/// A bijection from the person's number to (province, birthday, sequence) keeps every
/// generated ID number distinct: multiplying by a unit modulo the space permutes it.
pub fn id_number_for(person_id: i64, seed: u64) -> Result<(usize, IdNumber), sqlx::Error> {
    let days = 40 * 336_u64; // birth years 1960–1999, 12 × 28 days each
    let provinces = PROVINCES.len() as u64;
    let space = provinces * days * 1000;
    let step = 2_654_435_761 % space;
    let slot = ((person_id as u64 % space) * step % space + seed % space) % space;
    let province = (slot % provinces) as usize;
    let day = (slot / provinces) % days;
    let sequence = (slot / (provinces * days)) as u32;
    let year = 1960 + (day / 336) as u32;
    let doy = (day % 336) as u32;
    let id = IdNumber::compose(
        PROVINCES[province].2,
        year,
        doy / 28 + 1,
        doy % 28 + 1,
        sequence,
    )
    .map_err(|e| sqlx::Error::Protocol(format!("generated ID number: {e}")))?;
    Ok((province, id))
}

/// What a run wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Generated {
    pub persons: u64,
    pub registrations: u64,
}

/// Writes `persons` generated persons after whatever the registry already holds. The same
/// `seed` on an empty registry always gives the same registry.
///
/// Making the rows (random draws, two HMACs per person) and writing them are about equal
/// work, so they run side by side: a thread makes the next batches while this task writes
/// the last one, two batches ahead at most.
pub async fn generate(
    db: &AnyPool,
    data_key: &[u8],
    persons: u64,
    seed: u64,
    mut progress: impl FnMut(Generated),
) -> Result<Generated, sqlx::Error> {
    // Generated people belong in a demo or load-test registry only: a database a production
    // server has marked as its own is refused (and a load may set its indexes aside).
    let mark = crate::platform::deployment::repo::mark(db).await?;
    if mark.as_deref() == Some(crate::platform::deployment::PRODUCTION) {
        return Err(sqlx::Error::Protocol(
            "该数据库是生产环境的数据库,不能写入生成的注册人员".into(),
        ));
    }
    let (person_id, registration_id) = bulk::next_ids(db).await?;
    if persons >= DEFER_INDEXES_FROM && !crate::registry::repo::has_persons(db).await? {
        bulk::defer_indexes(db).await?;
    }
    let (sender, mut batches) =
        tokio::sync::mpsc::channel::<Result<(Batch, Generated), sqlx::Error>>(2);
    let key = data_key.to_vec();
    let maker = std::thread::spawn(move || {
        let mut maker = Maker {
            rng: StdRng::seed_from_u64(seed),
            data_key: key,
            seed,
            person_id,
            registration_id,
            created_at: crate::registry::repo::now_unix(),
        };
        let mut done = Generated::default();
        while done.persons < persons {
            let n = BATCH.min(persons - done.persons);
            let made = maker.batch(n).map(|(batch, registrations)| {
                done.persons += n;
                done.registrations += registrations;
                (batch, done)
            });
            let failed = made.is_err();
            // The writer has stopped (a write failed): nothing more to make.
            if sender.blocking_send(made).is_err() || failed {
                return;
            }
        }
    });
    let mut done = Generated::default();
    while let Some(made) = batches.recv().await {
        let (batch, so_far) = made?;
        bulk::insert_batch(db, batch).await?;
        done = so_far;
        progress(done);
    }
    // The channel ends when the thread does; a panic there is a bug, reported as one.
    maker
        .join()
        .map_err(|_| sqlx::Error::Protocol("生成数据的线程意外结束".into()))?;
    bulk::after_load(db).await?;
    Ok(done)
}

/// The generator's state between batches.
struct Maker {
    rng: StdRng,
    data_key: Vec<u8>,
    seed: u64,
    /// The next person's and registration's ids.
    person_id: i64,
    registration_id: i64,
    created_at: i64,
}

impl Maker {
    /// The next `n` persons with their registrations, and how many registrations.
    fn batch(&mut self, n: u64) -> Result<(Batch, u64), sqlx::Error> {
        let mut batch = Batch::default();
        let mut registrations = 0;
        for _ in 0..n {
            registrations += push_person(
                &mut batch,
                &mut self.rng,
                &self.data_key,
                self.seed,
                self.person_id,
                &mut self.registration_id,
                self.created_at,
            )?;
            self.person_id += 1;
        }
        Ok((batch, registrations))
    }
}

/// Adds person `person_id` and their registrations (numbered from `registration_id` on,
/// which it advances) to `batch`; returns how many registrations it added.
fn push_person(
    batch: &mut Batch,
    rng: &mut StdRng,
    data_key: &[u8],
    seed: u64,
    person_id: i64,
    registration_id: &mut i64,
    created_at: i64,
) -> Result<u64, sqlx::Error> {
    let (province, id) = id_number_for(person_id, seed)?;
    let name = random_name(rng);
    let public_id = hex_id(rng);
    let person = bulk::Person {
        id: person_id,
        birth_sealed: crate::domain::person::seal_birth_date(
            data_key,
            &public_id,
            &id.birth_date_iso(),
        ),
        public_id,
        name_masked: mask_name(&name),
        name,
        gender: id.gender().label(),
        id_number_masked: mask_id_number(id.as_str()),
        id_number_digest: id_digest(data_key, id.as_str()),
        created_at,
    };
    let registrations = if rng.random_bool(0.2) { 2 } else { 1 };
    let mut used: Option<&str> = None;
    for _ in 0..registrations {
        let category = next_category(rng, used);
        used = Some(category.name);
        push_registration(batch, rng, &person, province, category, *registration_id);
        *registration_id += 1;
    }
    batch.persons.push(person);
    Ok(registrations)
}

/// A weighted category for a person's next registration, never the one `used` already.
fn next_category(rng: &mut StdRng, used: Option<&str>) -> &'static Category {
    let mut category = pick_category(rng);
    if used == Some(category.name) {
        category = &CATEGORIES[(CATEGORIES
            .iter()
            .position(|c| c.name == category.name)
            .unwrap_or(0)
            + 2)
            % CATEGORIES.len()];
    }
    category
}

/// Adds registration `registration_id` in `category` of a person from province `province`,
/// with its specialties and change history, to `batch`.
fn push_registration(
    batch: &mut Batch,
    rng: &mut StdRng,
    holder: &bulk::Person,
    province: usize,
    category: &'static Category,
    registration_id: i64,
) {
    let home = if rng.random_bool(0.85) {
        province
    } else {
        rng.random_range(0..PROVINCES.len())
    };
    let employer = firm(home, category.firm, rng.random_range(0..FIRMS_PER_PROVINCE));
    let issued_year = rng.random_range(2008..=2025);
    let issued_on = date(issued_year, rng.random_range(0..336));
    // Most registrations are current; about one in ten has lapsed.
    let valid_until = if rng.random_bool(0.1) {
        date(rng.random_range(2019..=2025), rng.random_range(0..336))
    } else {
        date(rng.random_range(2027..=2030), rng.random_range(0..336))
    };
    let (_, _, _, code2) = PROVINCES[province];
    let seq = registration_id;
    let (registration_no, seal_no) = registration_numbers(category, province, issued_year, seq);
    let names = pick_specialties(rng, category);
    for (position, name) in names.iter().copied().enumerate() {
        batch.specialties.push(bulk::Specialty {
            registration_id,
            position: position as i64,
            name,
            valid_until: valid_until.clone(),
        });
    }
    let previous = rng
        .random_bool(0.4)
        .then(|| firm(home, category.firm, rng.random_range(0..FIRMS_PER_PROVINCE)).name);
    push_changes(
        batch,
        rng,
        registration_id,
        &issued_on,
        issued_year,
        previous,
        &employer.name,
    );
    batch.registrations.push(bulk::Registration {
        id: registration_id,
        public_id: hex_id(rng),
        person_id: holder.id,
        person_name: holder.name.clone(),
        id_number_masked: holder.id_number_masked.clone(),
        category: category.name,
        registration_no,
        seal_no,
        certificate_no: format!("{code2}{seq:010}"),
        employer: employer.name,
        employer_credit_code: employer.credit_code,
        issued_on,
        valid_until,
        specialty_names: crate::registry::repo::specialty_names(names.into_iter()),
    });
}

/// The 注册号 and 执业印章号 of registration `seq` in `category`, issued in `issued_year` in
/// province `province`, in the category's own format.
fn registration_numbers(
    category: &Category,
    province: usize,
    issued_year: u32,
    seq: i64,
) -> (String, String) {
    let (abbr, _, _, code2) = PROVINCES[province];
    match category.name {
        "一级注册建造师" => (
            format!("{abbr}1{code2}{issued_year}{seq:07}"),
            format!("{abbr}1{code2}{issued_year}{seq:07}"),
        ),
        "二级注册建造师" => (
            format!("{abbr}2{code2}{issued_year}{seq:07}"),
            format!("{abbr}2{code2}{issued_year}{seq:07}"),
        ),
        "注册监理工程师" => (format!("{code2}{seq:08}"), format!("{abbr}{code2}{seq:08}")),
        "一级注册造价工程师" => (
            format!("建[造]1{}{code2}{seq:07}", issued_year % 100),
            format!("建[造]1{}{code2}{seq:07}", issued_year % 100),
        ),
        _ => (
            format!("{}{code2}{seq:08}", ["A", "B", "S", "Y"][seq as usize % 4]),
            format!("{abbr}{code2}{seq:08}"),
        ),
    }
}

/// One or two consecutive specialties of `category`, starting at a random one.
fn pick_specialties(rng: &mut StdRng, category: &'static Category) -> Vec<&'static str> {
    let count = if category.specialties.len() > 1 && rng.random_bool(0.35) {
        2
    } else {
        1
    };
    let first = rng.random_range(0..category.specialties.len());
    (0..count)
        .map(|p| category.specialties[(first + p) % category.specialties.len()])
        .collect()
}

/// Adds a registration's 初始注册, and its 变更注册 when it moved from `previous` to
/// `employer`, to `batch`.
fn push_changes(
    batch: &mut Batch,
    rng: &mut StdRng,
    registration_id: i64,
    issued_on: &str,
    issued_year: u32,
    previous: Option<String>,
    employer: &str,
) {
    batch.changes.push(bulk::Change {
        registration_id,
        changed_on: issued_on.to_string(),
        kind: "初始注册",
        old_employer: None,
        new_employer: Some(previous.clone().unwrap_or_else(|| employer.to_string())),
    });
    if let Some(previous) = previous {
        batch.changes.push(bulk::Change {
            registration_id,
            changed_on: date((issued_year + 2).min(2025), rng.random_range(0..336)),
            kind: "变更注册",
            old_employer: Some(previous),
            new_employer: Some(employer.to_string()),
        });
    }
}
