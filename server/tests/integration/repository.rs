//! The same repository code against both backends: what one writes, the other reads the same.

use crate::common::{DATA_KEY, TestDb};
use app::domain::specialty::Specialty;
use app::domain::{CreditCode, IdNumber};
use app::registry::NewPerson;
use app::registry::NewRegistration;
use app::registry::RegistrationChange;
use app::registry::query::ValidQuery;
use app::registry::repo;

fn registration(no: &str) -> NewRegistration {
    NewRegistration {
        category: "一级注册建造师".into(),
        registration_no: no.into(),
        seal_no: no.into(),
        certificate_no: "00012345".into(),
        employer: "测试建设工程有限公司".into(),
        employer_credit_code: CreditCode::parse("91110000MA01ABCD1M").unwrap(),
        issued_on: "2024-01-01".into(),
        valid_until: "2027-12-31".into(),
        specialties: vec![
            Specialty {
                name: "建筑工程".into(),
                valid_until: "2027-12-31".into(),
            },
            Specialty {
                name: "市政公用工程".into(),
                valid_until: "2028-06-30".into(),
            },
        ],
        changes: vec![RegistrationChange {
            changed_on: "2024-01-01".into(),
            kind: "初始注册".into(),
            old_employer: None,
            new_employer: Some("测试建设工程有限公司".into()),
        }],
    }
}

#[tokio::test]
async fn registry_round_trip_on_every_backend() {
    for db in TestDb::all().await {
        let id = IdNumber::compose(110105, 1980, 5, 17, 123).unwrap();
        let person = NewPerson::citizen("欧阳明华", id.clone());
        let public_id = repo::add_person(
            &db.pool,
            DATA_KEY,
            &person,
            &[registration("京1112008200900001")],
        )
        .await
        .unwrap_or_else(|e| panic!("{}: add_person: {e}", db.label));
        assert_eq!(public_id.len(), 32, "{}", db.label);

        assert_eq!(
            repo::count_persons(&db.pool).await.unwrap(),
            1,
            "{}",
            db.label
        );
        let query = ValidQuery::RegistrationNo("京1112008200900001".into());
        let results = repo::search(&db.pool, DATA_KEY, &query, 1).await.unwrap();
        let found = results
            .rows
            .first()
            .unwrap_or_else(|| panic!("{}: registration not found", db.label));
        assert_eq!(found.name, "欧阳明华", "{}", db.label);
        assert_eq!(found.id_number_masked, id.masked(), "{}", db.label);
        assert!(
            !found.id_number_masked.contains(&id.as_str()[6..14]),
            "{}: birth date leaked",
            db.label
        );
        assert_eq!(found.specialties, "建筑工程、市政公用工程", "{}", db.label);
        assert_eq!(found.category, "一级注册建造师", "{}", db.label);

        assert!(
            repo::person_exists(&db.pool, DATA_KEY, &id.clone().into())
                .await
                .unwrap(),
            "{}",
            db.label
        );
        let other = IdNumber::compose(110105, 1980, 5, 17, 124).unwrap();
        assert!(
            !repo::person_exists(&db.pool, DATA_KEY, &other.clone().into())
                .await
                .unwrap(),
            "{}",
            db.label
        );
        let missing = ValidQuery::RegistrationNo("不存在".into());
        assert!(
            repo::search(&db.pool, DATA_KEY, &missing, 1)
                .await
                .unwrap()
                .rows
                .is_empty(),
            "{}",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn a_duplicate_registration_number_rolls_back_the_whole_person() {
    for db in TestDb::all().await {
        let first = NewPerson::citizen("张伟", IdNumber::compose(110105, 1982, 3, 14, 31).unwrap());
        repo::add_person(
            &db.pool,
            DATA_KEY,
            &first,
            &[registration("京1110000000000001")],
        )
        .await
        .unwrap();
        let second =
            NewPerson::citizen("李娜", IdNumber::compose(310104, 1986, 11, 2, 42).unwrap());
        let err = repo::add_person(
            &db.pool,
            DATA_KEY,
            &second,
            &[registration("京1110000000000001")],
        )
        .await;
        assert!(
            err.is_err(),
            "{}: duplicate registration number accepted",
            db.label
        );
        assert_eq!(
            repo::count_persons(&db.pool).await.unwrap(),
            1,
            "{}: partial write kept",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn migrations_are_idempotent_and_demo_data_loads_once() {
    for db in TestDb::all().await {
        server::db::migrate(&db.pool)
            .await
            .expect("second migration run is a no-op");
        let added = server::cli::demo::load_if_empty(&db.pool, DATA_KEY)
            .await
            .unwrap();
        assert!(added >= 300, "{}", db.label);
        assert_eq!(
            server::cli::demo::load_if_empty(&db.pool, DATA_KEY)
                .await
                .unwrap(),
            0,
            "{}",
            db.label
        );
        assert_eq!(
            repo::count_persons(&db.pool).await.unwrap(),
            added as i64,
            "{}",
            db.label
        );
        db.close().await;
    }
}

#[tokio::test]
async fn sqlite_connections_use_wal_and_foreign_keys() {
    let db = TestDb::sqlite().await;
    let mut conn = db.pool.acquire().await.unwrap();
    use sqlx::Row;
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode.to_lowercase(), "wal");
    let fk: i64 = sqlx::query("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(fk, 1);
    let timeout: i64 = sqlx::query("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(timeout, 5000);
    drop(conn);
    db.close().await;
}

/// A migration that takes longer than a request may (five seconds on PostgreSQL) still runs
/// to its end when a server starts: here migration 14 waits six seconds for a lock.
#[tokio::test]
async fn a_long_migration_is_not_cut_off_by_the_serving_time_limit() {
    use sqlx::{Connection, Executor};
    let Some(db) = TestDb::all_empty()
        .await
        .into_iter()
        .find(|d| d.label == "postgres")
    else {
        return;
    };
    server::db::migrate_up_to(&db.pool, 13).await.unwrap();
    let mut holder = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    holder.execute("BEGIN").await.unwrap();
    holder
        .execute("LOCK TABLE registrations IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let url = db.url.clone();
    let starting = tokio::spawn(async move { server::db::connect_serving(&url).await });
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    assert!(
        !starting.is_finished(),
        "the migration did not wait for the lock"
    );
    holder.execute("COMMIT").await.unwrap();
    let pool = starting
        .await
        .unwrap()
        .expect("the server's pool after a six-second migration");
    pool.close().await;
    holder.close().await.unwrap();
    db.close().await;
}

/// Issue 30's migration: the people and accounts kept before it are 居民身份证 holders, their
/// digests untouched, on both databases.
#[tokio::test]
async fn people_and_accounts_from_before_document_kinds_are_resident_id_holders() {
    use sqlx::Row;
    for db in TestDb::all_empty().await {
        server::db::migrate_up_to(&db.pool, 26).await.unwrap();
        // The generator's rows name the columns of before (the demo's named people now have
        // kinds of their own).
        let added = app::registry::generate::generate(&db.pool, DATA_KEY, 20, 7, |_| {})
            .await
            .unwrap();
        assert!(added.persons > 0, "{}", db.label);
        sqlx::query(
            "INSERT INTO accounts (public_id, kind, login_key, person_digest, name, \
             id_number_masked, phone, password_hash, created_at, password_changed_at) \
             VALUES ('a1', 'person', 'P:d1', 'd1', '王建国', '110105********0039', \
             '13900139000', 'x', 0, 0), ('a2', 'person', 'P:d2', 'd2', '陈美玲', \
             '810000********0034', '13900139001', 'x', 0, 0)",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let before: Vec<String> =
            sqlx::query_scalar("SELECT id_number_digest FROM persons ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        server::db::migrate(&db.pool).await.unwrap();
        let after = sqlx::query("SELECT id_kind, id_number_digest FROM persons ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        assert_eq!(after.len(), before.len());
        for (row, digest) in after.iter().zip(&before) {
            assert_eq!(row.get::<String, _>(0), "resident_id", "{}", db.label);
            assert_eq!(&row.get::<String, _>(1), digest, "digests untouched");
        }
        // A 港澳台 address code was a 居住证 taken for a 居民身份证: labelled as what it is.
        let kinds: Vec<String> =
            sqlx::query_scalar("SELECT id_kind FROM accounts ORDER BY public_id")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(kinds, ["resident_id", "residence_permit"], "{}", db.label);
        db.close().await;
    }
}
