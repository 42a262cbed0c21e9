//! 人员资格查询 against both backends: the rules, the masking, paging, the generator, the
//! importer, and the per-client limit over HTTP.

use crate::common::{DATA_KEY, TestDb};
use app::registry::query::{QualificationQuery, ValidQuery};
use app::registry::repo;

async fn demo(db: &TestDb) {
    server::cli::demo::load_if_empty(&db.pool, DATA_KEY)
        .await
        .expect("demo data");
}

async fn search(db: &TestDb, query: QualificationQuery) -> app::registry::SearchResults {
    let valid: ValidQuery = query.validate().expect("valid query");
    repo::search(&db.pool, DATA_KEY, &valid, query.page())
        .await
        .expect("search")
}

#[tokio::test]
async fn exact_id_number_finds_every_registration_masked() {
    for db in TestDb::all().await {
        demo(&db).await;
        let found = search(
            &db,
            QualificationQuery {
                id_number: "110105198003150039".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(found.total, 2, "{}", db.label);
        assert!(
            found
                .rows
                .iter()
                .all(|r| r.name == "王建国" && r.id_number_masked == "110105********0039"),
            "{}",
            db.label
        );
        let json = serde_json::to_string(&found).unwrap();
        assert!(
            !json.contains("110105198003150039"),
            "{}: full ID number in results",
            db.label
        );
        db.close().await;
    }
}

/// A search by 查询凭据 finds the key's matches in one statement, and nothing for a key that
/// is expired, unknown or holds a refusal (the server then asks why), on both backends.
#[tokio::test]
async fn a_live_search_key_finds_its_matches_and_no_other_key_does() {
    for db in TestDb::all().await {
        demo(&db).await;
        let now = 1_800_000_000;
        let digest = app::domain::person::id_digest(DATA_KEY, "110105198003150039");
        let key = repo::create_search_key(&db.pool, Ok(&digest), now)
            .await
            .unwrap();
        let found = repo::search_by_key(&db.pool, &key, now + 60, 1)
            .await
            .unwrap()
            .expect("the live key's matches");
        assert_eq!(found.total, 2, "{}", db.label);
        assert!(
            found
                .rows
                .iter()
                .all(|r| r.id_number_masked == "110105********0039")
        );
        // The same as searching the digest itself.
        let direct = repo::search(&db.pool, DATA_KEY, &ValidQuery::IdDigest(digest.clone()), 1)
            .await
            .unwrap();
        assert_eq!(found, direct, "{}", db.label);
        // Expired, unknown, a refusal, a number nobody holds: nothing (and no error).
        let late = now + repo::SEARCH_KEY_SECONDS + 1;
        assert!(
            repo::search_by_key(&db.pool, &key, late, 1)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            repo::search_by_key(&db.pool, "0123456789abcdef0123456789abcdef", now, 1)
                .await
                .unwrap()
                .is_none()
        );
        let refused = repo::create_search_key(&db.pool, Err("今日查询次数已达上限"), now)
            .await
            .unwrap();
        assert!(
            repo::search_by_key(&db.pool, &refused, now, 1)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            repo::resolve_search_key(&db.pool, &refused, now)
                .await
                .unwrap(),
            Some(Err("今日查询次数已达上限".to_string()))
        );
        let nobody = app::domain::person::id_digest(DATA_KEY, "11010519491231002X");
        let none = repo::create_search_key(&db.pool, Ok(&nobody), now)
            .await
            .unwrap();
        assert!(
            repo::search_by_key(&db.pool, &none, now, 1)
                .await
                .unwrap()
                .is_none()
        );
        // What the server then answers is what searching that digest gives.
        let direct = repo::search(&db.pool, DATA_KEY, &ValidQuery::IdDigest(nobody), 1)
            .await
            .unwrap();
        assert_eq!(repo::no_results(), direct, "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn registration_or_seal_number_alone_is_enough() {
    for db in TestDb::all().await {
        demo(&db).await;
        let found = search(
            &db,
            QualificationQuery {
                reg_no: "建[造]11531000001".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(found.rows.len(), 1, "{}", db.label);
        assert_eq!(found.rows[0].name, "李秀英");
        assert_eq!(found.rows[0].id_number_masked, "310104********0044");
        let by_seal = search(
            &db,
            QualificationQuery {
                reg_no: "京11000001".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(by_seal.rows.len(), 1, "{}: seal number", db.label);
        assert_eq!(by_seal.rows[0].category, "注册监理工程师");
        db.close().await;
    }
}

#[tokio::test]
async fn name_with_category_or_employer_prefix() {
    for db in TestDb::all().await {
        demo(&db).await;
        let found = search(
            &db,
            QualificationQuery {
                name: "王建国".into(),
                category: "一级注册建造师".into(),
                ..Default::default()
            },
        )
        .await;
        let row = found
            .rows
            .iter()
            .find(|r| r.registration_no == "京1112010000001")
            .expect("王建国");
        assert_eq!(row.specialties, "建筑工程、市政公用工程", "{}", db.label);

        let found = search(
            &db,
            QualificationQuery {
                name: "王".into(),
                employer: "中建示范".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(found.total, 2, "{}: prefix of name and employer", db.label);
        assert!(found.rows.iter().all(|r| r.name.starts_with('王')));

        let none = search(
            &db,
            QualificationQuery {
                name: "王建国".into(),
                employer: "不存在的单位".into(),
                ..Default::default()
            },
        )
        .await;
        assert!(none.rows.is_empty() && none.total == 0, "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn results_are_paged_and_counts_are_capped() {
    for db in TestDb::all().await {
        app::registry::generate::generate(&db.pool, DATA_KEY, 3_000, 9, |_| {})
            .await
            .unwrap();
        let query = QualificationQuery {
            name: "王".into(),
            category: "一级注册建造师".into(),
            ..Default::default()
        };
        let first = search(&db, query.clone()).await;
        assert!(first.total > 10, "{}: {} matches", db.label, first.total);
        assert_eq!(first.rows.len(), 10);
        let second = search(
            &db,
            QualificationQuery {
                page: 2,
                ..query.clone()
            },
        )
        .await;
        assert_eq!(second.page, 2);
        assert!(
            second.rows.iter().all(|r| !first.rows.contains(r)),
            "{}: pages overlap",
            db.label
        );
        let beyond = search(
            &db,
            QualificationQuery {
                page: 10_000,
                ..query
            },
        )
        .await;
        assert_eq!(
            beyond.page,
            beyond.page_count(),
            "{}: page clamped to the last",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn detail_shows_specialties_and_changes() {
    for db in TestDb::all().await {
        demo(&db).await;
        let found = search(
            &db,
            QualificationQuery {
                reg_no: "京1112010000001".into(),
                ..Default::default()
            },
        )
        .await;
        let detail = repo::detail(&db.pool, &found.rows[0].public_id)
            .await
            .unwrap()
            .expect("detail");
        assert_eq!(detail.employer, "中建示范建设有限公司");
        assert_eq!(detail.employer_credit_code, "91110000MA01ABCD1M");
        assert_eq!(detail.gender, "男");
        assert_eq!(detail.specialties.len(), 2, "{}", db.label);
        assert_eq!(
            detail.changes.first().map(|c| c.kind.as_str()),
            Some("延续注册"),
            "{}: newest first",
            db.label
        );
        assert!(detail.changes.iter().any(|c| c.kind == "变更注册"
            && c.old_employer.as_deref() == Some("北京宏达建设工程有限公司")));
        assert!(
            repo::detail(&db.pool, "00000000000000000000000000000000")
                .await
                .unwrap()
                .is_none()
        );
        db.close().await;
    }
}

#[tokio::test]
async fn the_generator_is_deterministic_and_ids_are_valid() {
    let a = TestDb::sqlite().await;
    let b = TestDb::sqlite().await;
    for db in [&a, &b] {
        let done = app::registry::generate::generate(&db.pool, DATA_KEY, 500, 7, |_| {})
            .await
            .unwrap();
        assert_eq!(done.persons, 500);
        assert!(done.registrations >= 500);
    }
    let numbers = |db: &TestDb| {
        let pool = db.pool.clone();
        async move {
            use sqlx::Row;
            sqlx::query("SELECT registration_no, person_name FROM registrations ORDER BY id")
                .fetch_all(&pool)
                .await
                .unwrap()
                .iter()
                .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(numbers(&a).await, numbers(&b).await);
    a.close().await;
    b.close().await;
}

/// The load tests' inputs read real rows on both backends: `server registry sample`'s
/// registrations (each as the registry holds it) and the holders the load-test accounts are
/// made for (`server demo load-accounts`: only those whose generated number the registry
/// confirms).
#[tokio::test]
async fn the_load_tests_samples_are_real_registrations_and_holders() {
    for db in TestDb::all().await {
        app::registry::generate::generate(&db.pool, DATA_KEY, 60, 42, |_| {})
            .await
            .unwrap();
        let sampled = app::registry::sample::registrations(&db.pool, 10)
            .await
            .unwrap();
        assert_eq!(sampled.len(), 10, "{}", db.label);
        for s in &sampled {
            let found: (i64, String, String, String) = sqlx::query_as(
                "SELECT person_id, person_name, category, employer FROM registrations \
                 WHERE registration_no = $1",
            )
            .bind(&s.registration_no)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            assert_eq!(
                found,
                (
                    s.person_id,
                    s.name.clone(),
                    s.category.clone(),
                    s.employer.clone()
                ),
                "{}",
                db.label
            );
        }
        let holders = app::registry::sample::holders(&db.pool, 5).await.unwrap();
        assert_eq!(holders.len(), 5, "{}", db.label);
        assert!(holders.windows(2).all(|w| w[0].person_id < w[1].person_id));
        assert!(
            holders
                .iter()
                .all(|h| h.id_number_masked.contains('*') && h.id_number_digest.len() == 64)
        );
        let passwords = app::platform::passwords::PasswordHasher::new(1);
        let ids =
            server::cli::demo::load_test_accounts(&db.pool, DATA_KEY, &passwords, 3, 1_800_000_000)
                .await
                .unwrap();
        assert_eq!(ids.len(), 3, "{}", db.label);
        db.close().await;
    }
}

#[tokio::test]
async fn registrations_from_before_migration_14_get_their_holders_masked_id_number() {
    for db in TestDb::all_empty().await {
        server::db::migrate_up_to(&db.pool, 13).await.unwrap();
        // A person and a registration as release 13 wrote them.
        let id = app::domain::IdNumber::compose(110105, 1980, 5, 17, 123).unwrap();
        sqlx::query(
            "INSERT INTO persons (id, public_id, name, name_masked, gender, birth_date, birth_sealed, \
             id_number_masked, id_number_digest, created_at) \
             VALUES (7, 'p7', '欧阳明华', '欧**', '男', '', 's', $1, $2, 0)",
        )
        .bind(id.masked())
        .bind(app::domain::person::id_digest(DATA_KEY, id.as_str()))
        .execute(&db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO registrations (id, public_id, person_id, person_name, category, registration_no, \
             seal_no, certificate_no, employer, employer_credit_code, issued_on, valid_until, specialty_names) \
             VALUES (9, 'r9', 7, '欧阳明华', '一级注册建造师', '京1112008200900001', '京1112008200900001', \
             '00012345', '测试建设工程有限公司', '91110000MA01ABCD1M', '2024-01-01', '2027-12-31', '建筑工程')",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        server::db::migrate(&db.pool).await.unwrap();
        let found = search(
            &db,
            QualificationQuery {
                name: "欧阳".into(),
                category: "一级注册建造师".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(found.rows.len(), 1, "{}", db.label);
        assert_eq!(found.rows[0].id_number_masked, id.masked(), "{}", db.label);
        db.close().await;
    }
}

/// Every index of the database, with its definition (as the catalogue gives it).
async fn index_definitions(db: &TestDb) -> Vec<(String, String)> {
    use sqlx::Row;
    let sql = if db.label == "sqlite" {
        "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name"
    } else {
        "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"
    };
    sqlx::query(sql)
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect()
}

#[tokio::test]
async fn a_bulk_load_defers_the_registrys_indexes_and_a_stopped_one_gets_them_at_the_next_start() {
    for db in TestDb::all().await {
        app::registry::generate::generate(&db.pool, DATA_KEY, 300, 5, |_| {})
            .await
            .unwrap();
        let before = index_definitions(&db).await;
        assert!(
            before.iter().any(|(n, _)| n == "persons_id_number_digest"),
            "{}: {before:?}",
            db.label
        );
        // A load into an empty registry drops the secondary indexes, and keeps what it dropped.
        let deferred = app::registry::bulk::defer_indexes(&db.pool).await.unwrap();
        let during = index_definitions(&db).await;
        assert!(deferred >= 6, "{}: {deferred}", db.label);
        assert_eq!(during.len() + deferred, before.len(), "{}", db.label);
        for kept in ["persons_id_number_digest", "registrations_category_name"] {
            assert!(
                !during.iter().any(|(n, _)| n == kept),
                "{}: {kept} still there",
                db.label
            );
        }
        // Keys and UNIQUE constraints stay: they guard the rows as they go in.
        let duplicate = sqlx::query(
            "INSERT INTO registrations (id, public_id, person_id, person_name, category, registration_no, seal_no, \
             certificate_no, employer, employer_credit_code, issued_on, valid_until, specialty_names) \
             SELECT id + 1000000, public_id || 'x', person_id, person_name, category, registration_no, seal_no, \
             certificate_no, employer, employer_credit_code, issued_on, valid_until, specialty_names \
             FROM registrations WHERE id = 1",
        )
        .execute(&db.pool)
        .await;
        assert!(
            duplicate.is_err(),
            "{}: a duplicate 注册编号 went in",
            db.label
        );
        // The load stops here; the next start builds what it deferred before serving.
        let built = app::registry::bulk::build_deferred_indexes(&db.pool)
            .await
            .unwrap();
        assert_eq!(built, deferred, "{}", db.label);
        assert_eq!(index_definitions(&db).await, before, "{}", db.label);
        assert_eq!(
            app::registry::bulk::build_deferred_indexes(&db.pool)
                .await
                .unwrap(),
            0,
            "{}: nothing left to build",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn the_importer_loads_good_rows_and_reports_bad_ones() {
    for db in TestDb::all().await {
        let csv = "姓名,身份证号,注册类别,注册编号,执业印章号,证书编号,注册单位,统一社会信用代码,发证日期,有效期至,注册专业\n\
            赵敏,440103198811120026,一级注册建造师,粤1442016000001,,00201600001,广东宏达建设工程有限公司,91440101190488712H,2016-05-01,2028-04-30,建筑工程:2028-04-30;机电工程:2027-12-31\n\
            赵敏,440103198811120026,注册监理工程师,44000001,,00201600002,广东宏达建设工程有限公司,91440101190488712X,2016-05-01,2028-04-30,房屋建筑工程\n\
            钱坤,440103198811120022,一级注册建造师,粤1442016000002,,00201600003,某公司,91110000MA01ABCD1M,2016-05-01,2028-04-30,建筑工程\n\
            孙丽,440103198811120034,注册魔法师,X1,,1,某公司,91110000MA01ABCD1M,2016-05-01,2028-04-30,建筑工程\n";
        let report = app::registry::import::import(&db.pool, DATA_KEY, csv.as_bytes())
            .await
            .unwrap();
        // Line 3's credit code has a bad check character, so 赵敏 comes in with one registration.
        assert_eq!(report.persons, 1, "{}: {:?}", db.label, report.rejected);
        assert_eq!(report.registrations, 1, "{}", db.label);
        let lines: Vec<u64> = report.rejected.iter().map(|r| r.0).collect();
        assert_eq!(lines, [3, 4, 5], "{}: {:?}", db.label, report.rejected);
        assert!(report.rejected[0].1.contains("统一社会信用代码"));
        assert!(report.rejected[1].1.contains("身份证号"));
        assert!(report.rejected[2].1.contains("注册类别"));
        let found = search(
            &db,
            QualificationQuery {
                reg_no: "粤1442016000001".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(found.rows[0].specialties, "建筑工程、机电工程");
        let again = app::registry::import::import(&db.pool, DATA_KEY, csv.as_bytes())
            .await
            .unwrap();
        assert_eq!(
            again.persons, 0,
            "{}: re-import skips people already there",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn name_counts_are_remembered_for_a_while() {
    use app::platform::count_cache::CountCache;
    let db = TestDb::sqlite().await;
    demo(&db).await;
    let cache = CountCache::new(std::time::Duration::from_secs(60));
    let query = QualificationQuery {
        name: "王".into(),
        employer: "中建示范".into(),
        ..Default::default()
    };
    let valid = query.validate().unwrap();
    let first = repo::search_with_counts(&db.pool, DATA_KEY, &valid, 1, Some(&cache))
        .await
        .unwrap();
    assert_eq!(first.total, 2);
    // A third match arrives; the remembered count stands, the uncached count sees it.
    let person = app::registry::NewPerson::citizen(
        "王小明",
        app::domain::IdNumber::compose(110105, 1990, 1, 1, 11).unwrap(),
    );
    let mut registration = server::cli::demo::demo_registration_for_tests();
    registration.registration_no = "京1112020000099".into();
    repo::add_person(&db.pool, DATA_KEY, &person, &[registration])
        .await
        .unwrap();
    let cached = repo::search_with_counts(&db.pool, DATA_KEY, &valid, 1, Some(&cache))
        .await
        .unwrap();
    assert_eq!(cached.total, 2);
    assert_eq!(cached.rows.len(), 3, "the rows themselves are always fresh");
    assert_eq!(
        repo::search(&db.pool, DATA_KEY, &valid, 1)
            .await
            .unwrap()
            .total,
        3
    );
    db.close().await;
}

#[tokio::test]
async fn the_generator_refuses_a_production_database() {
    for db in TestDb::all().await {
        app::platform::deployment::repo::mark_if_unmarked(
            &db.pool,
            app::platform::deployment::PRODUCTION,
            0,
        )
        .await
        .unwrap();
        let refused = app::registry::generate::generate(&db.pool, DATA_KEY, 10, 1, |_| {}).await;
        let Err(e) = refused else {
            panic!("{}: generated persons into a production database", db.label);
        };
        assert!(e.to_string().contains("生产环境"), "{}: {e}", db.label);
        assert!(!repo::has_persons(&db.pool).await.unwrap(), "{}", db.label);
        db.close().await;
    }
}
