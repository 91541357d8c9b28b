//! The change feed of the shared data sets (issue 16): every record once, an edit moved to
//! the end, `since`, tombstones for an erased person, reading by ids, and on PostgreSQL a
//! late commit that is not skipped.

use std::collections::BTreeSet;

use diesel::prelude::*;
use sibuser::db::DbConnection;
use sibuser::exports::dataset::{Cell, Page, Rows};
use sibuser::exports::{Dataset, Filter, datasets};
use sibuser::interop::feed::{self, Change};

use crate::common::{Backend, TestApp, seed_demo, with_conn};

/// Every record of a data set as its export reads it (the exports' own list of ids).
fn record_ids(c: &mut DbConnection, dataset: Dataset) -> BTreeSet<i32> {
    let provider = datasets::provider(dataset);
    let filter = Filter::default();
    let mut ids = BTreeSet::new();
    let mut after = 0;
    loop {
        let page = Page {
            filter: &filter,
            after,
            limit: 500,
            personal: false,
            ids: None,
        };
        let (read, emit) = (provider.read)(c, &page).unwrap();
        ids.extend(first_cells(emit));
        match read.last {
            Some(last) => after = last,
            None => return ids,
        }
    }
}

/// The first cell of each row a page writes: the record's id.
fn first_cells(emit: sibuser::exports::dataset::Emit) -> Vec<i32> {
    struct Firsts {
        ids: Vec<i32>,
        at_start: bool,
    }
    impl Rows for Firsts {
        fn cell(&mut self, cell: Cell<'_>) {
            if self.at_start
                && let Cell::Int(id) = cell
            {
                self.ids.push(i32::try_from(id).unwrap());
            }
            self.at_start = false;
        }
        fn end_row(&mut self) {
            self.at_start = true;
        }
    }
    let mut out = Firsts {
        ids: Vec::new(),
        at_start: true,
    };
    emit(&mut out);
    out.ids
}

/// On PostgreSQL, waits until no transaction that wrote the feed is older than one still
/// running anywhere on the server (other tests' transactions hold the feed back for a
/// moment); SQLite has nothing to wait for.
pub(crate) fn settle(app: &TestApp) {
    if app.backend != Backend::Postgres {
        return;
    }
    #[derive(QueryableByName)]
    struct Held {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    for _ in 0..600 {
        let held: Held = with_conn(app, |c| {
            diesel::sql_query(
                "SELECT count(*) AS n FROM record_versions \
                 WHERE xid >= pg_snapshot_xmin(pg_current_snapshot())",
            )
            .get_result(c)
            .unwrap()
        });
        if held.n == 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    #[derive(QueryableByName, Debug)]
    #[allow(dead_code)]
    struct Holder {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        datname: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        state: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        since: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        query: Option<String>,
    }
    let holders: Vec<Holder> = with_conn(app, |c| {
        diesel::sql_query(
            "SELECT datname::text, state, xact_start::text AS since, left(query, 200) AS query \
             FROM pg_stat_activity WHERE backend_xid IS NOT NULL ORDER BY xact_start",
        )
        .load(c)
        .unwrap()
    });
    panic!("the feed stayed held back by a running transaction: {holders:#?}");
}

/// Every change of a data set, paged through with the cursor.
fn all_changes(
    app: &TestApp,
    dataset: Dataset,
    since: Option<chrono::NaiveDateTime>,
) -> Vec<Change> {
    settle(app);
    with_conn(app, |c| {
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let page = feed::page(c, dataset, after, since, 37).unwrap();
            let Some(last) = page.last() else {
                return out;
            };
            after = last.seq;
            out.extend(page);
        }
    })
}

fn last_change(app: &TestApp, dataset: Dataset) -> Change {
    *all_changes(app, dataset, None).last().expect("a change")
}

/// A new vacancy, a copy of the first published one.
fn new_vacancy(c: &mut DbConnection) -> i32 {
    copy_of_vacancy(
        c,
        "(SELECT min(id) FROM vacancies WHERE status = 'published')",
    )
}

/// A new vacancy, a copy of the one `which` (an SQL expression) names; its id.
pub(crate) fn copy_of_vacancy(c: &mut DbConnection, which: &str) -> i32 {
    const COLUMNS: &str = "company_id, title, kbji_code, job_title_id, description, requirements, \
        education_min, field_of_study, experience_months, skills, employment_type, kelurahan_code, \
        regency_code, wage_min, wage_max, show_wage, quota_male, quota_female, quota_any, \
        disability_friendly, age_min, age_max, age_reason, opens_on, closes_on, status, status_note, \
        status_changed_at, filled_male, filled_female, created_by, created_at, updated_at, \
        published_at, search_text, revision";
    diesel::sql_query(format!(
        "INSERT INTO vacancies ({COLUMNS}) SELECT {COLUMNS} FROM vacancies WHERE id = {which}"
    ))
    .execute(c)
    .unwrap();
    use sibuser::schema::vacancies;
    vacancies::table
        .select(diesel::dsl::max(vacancies::id))
        .first::<Option<i32>>(c)
        .unwrap()
        .unwrap()
}

/// A new WLKP report, as if from the national system, a copy of the first one.
fn new_wlkp_report(c: &mut DbConnection) -> i32 {
    diesel::sql_query(
        "INSERT INTO wlkp_reports (company_id, nib, period_year, report_trigger, source, \
         external_id, status, revision, created_at, status_changed_at) \
         SELECT company_id, nib, period_year, report_trigger, 'national', 'feed-test', status, \
         revision, created_at, status_changed_at FROM wlkp_reports \
         WHERE id = (SELECT min(id) FROM wlkp_reports)",
    )
    .execute(c)
    .unwrap();
    use sibuser::schema::wlkp_reports;
    wlkp_reports::table
        .select(diesel::dsl::max(wlkp_reports::id))
        .first::<Option<i32>>(c)
        .unwrap()
        .unwrap()
}

/// A new job seeker with an empty profile.
fn new_seeker(c: &mut DbConnection, email: &str) -> (i32, i32) {
    let user = sibuser::accounts::create_user(
        c,
        &sibuser::accounts::NewUser::staff(
            &sibuser::domain::Email::parse(email).unwrap(),
            "Rina Feed",
            "!",
            &[sibuser::domain::Role::JobSeeker],
        ),
    )
    .unwrap();
    let seeker = sibuser::seekers::history::ensure_profile(c, user).unwrap();
    (user.get(), seeker.get())
}

db_test!(the_feed_holds_every_record_of_each_data_set_once, |app| {
    seed_demo(&app);
    for dataset in Dataset::ALL {
        let changes = all_changes(&app, dataset, None);
        let seqs: Vec<i64> = changes.iter().map(|c| c.seq).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "{dataset:?}: seq rises"
        );
        let live: Vec<i32> = changes
            .iter()
            .filter(|c| !c.deleted)
            .map(|c| c.record_id)
            .collect();
        let unique: BTreeSet<i32> = live.iter().copied().collect();
        assert_eq!(unique.len(), live.len(), "{dataset:?}: a record twice");
        let want = with_conn(&app, |c| record_ids(c, dataset));
        assert_eq!(unique, want, "{dataset:?}");
        assert!(!want.is_empty(), "{dataset:?}: the demo has records");
        let head = with_conn(&app, |c| feed::head(c, dataset).unwrap());
        assert_eq!(head, *seqs.last().unwrap(), "{dataset:?}: head");
    }
});

db_test!(
    new_records_join_the_end_and_an_edit_moves_them_there,
    |app| {
        seed_demo(&app);
        // A new job seeker, vacancy and WLKP report are each their data set's last change.
        let (_, seeker) = with_conn(&app, |c| new_seeker(c, "rina.feed@example.com"));
        let first = last_change(&app, Dataset::JobSeekers);
        assert_eq!((first.record_id, first.deleted), (seeker, false));
        let vacancy = with_conn(&app, new_vacancy);
        assert_eq!(last_change(&app, Dataset::Vacancies).record_id, vacancy);
        let report = with_conn(&app, new_wlkp_report);
        let wlkp = last_change(&app, Dataset::Wlkp);
        assert_eq!((wlkp.record_id, wlkp.deleted), (report, false));

        // An older vacancy edited comes after the new one, with a later seq and time.
        let (older, before) = {
            let all = all_changes(&app, Dataset::Vacancies, None);
            let c = all[0];
            (c.record_id, c)
        };
        with_conn(&app, |c| {
            diesel::sql_query(format!(
                "UPDATE vacancies SET title = title || ' (diperbarui)' WHERE id = {older}"
            ))
            .execute(c)
            .unwrap();
        });
        let after = last_change(&app, Dataset::Vacancies);
        assert_eq!(after.record_id, older);
        assert!(after.seq > before.seq);
        assert!(after.changed_at >= before.changed_at);
        let all = all_changes(&app, Dataset::Vacancies, None);
        assert_eq!(
            all.iter().filter(|c| c.record_id == older).count(),
            1,
            "the edit replaces the record's change"
        );

        // A card of the new seeker's is a change of the job seeker's record.
        with_conn(&app, |c| {
            diesel::sql_query(format!(
                "UPDATE job_seekers SET field_of_study = 'Akuntansi' WHERE id = {seeker}"
            ))
            .execute(c)
            .unwrap();
        });
        let edited = last_change(&app, Dataset::JobSeekers);
        assert_eq!(edited.record_id, seeker);
        assert!(edited.seq > first.seq);

        // A deleted vacancy is a tombstone.
        with_conn(&app, |c| {
            diesel::sql_query(format!("DELETE FROM vacancies WHERE id = {vacancy}"))
                .execute(c)
                .unwrap();
        });
        let gone = last_change(&app, Dataset::Vacancies);
        assert_eq!((gone.record_id, gone.deleted), (vacancy, true));
    }
);

db_test!(since_leaves_out_older_changes, |app| {
    seed_demo(&app);
    let all = all_changes(&app, Dataset::Vacancies, None);
    let latest = all.iter().map(|c| c.changed_at).max().unwrap();
    let recent = all_changes(&app, Dataset::Vacancies, Some(latest));
    assert!(!recent.is_empty());
    assert!(recent.iter().all(|c| c.changed_at >= latest));
    let want = all.iter().filter(|c| c.changed_at >= latest).count();
    assert_eq!(recent.len(), want);
    // A change made now is after any earlier `since`.
    let vacancy = with_conn(&app, new_vacancy);
    let recent = all_changes(&app, Dataset::Vacancies, Some(latest));
    assert!(recent.iter().any(|c| c.record_id == vacancy));
});

db_test!(an_erased_persons_job_seeker_record_is_a_tombstone, |app| {
    seed_demo(&app);
    let (user, seeker) = with_conn(&app, |c| new_seeker(c, "hapus.feed@example.com"));
    let today = sibuser::domain::calendar::today();
    with_conn(&app, |c| {
        sibuser::personal_data::anonymise(c, user.into(), today).unwrap()
    });
    let change = last_change(&app, Dataset::JobSeekers);
    assert_eq!((change.record_id, change.deleted), (seeker, true));
    // A later write to the profile does not bring the person back.
    with_conn(&app, |c| {
        diesel::sql_query(format!(
            "UPDATE job_seekers SET updated_at = updated_at WHERE id = {seeker}"
        ))
        .execute(c)
        .unwrap();
    });
    let again = last_change(&app, Dataset::JobSeekers);
    assert_eq!((again.record_id, again.deleted), (seeker, true));
});

db_test!(a_provider_reads_exactly_the_ids_it_is_given, |app| {
    seed_demo(&app);
    for dataset in Dataset::ALL {
        let all: Vec<i32> = with_conn(&app, |c| record_ids(c, dataset))
            .into_iter()
            .collect();
        // Every third record, and one that does not exist.
        let mut wanted: Vec<i32> = all.iter().copied().step_by(3).collect();
        let expected: BTreeSet<i32> = wanted.iter().copied().collect();
        wanted.push(i32::MAX);
        let filter = Filter::default();
        let got = with_conn(&app, |c| {
            let page = Page {
                filter: &filter,
                after: i32::MAX - 1,
                limit: 10_000,
                personal: true,
                ids: Some(&wanted),
            };
            let (_, emit) = (datasets::provider(dataset).read)(c, &page).unwrap();
            first_cells(emit)
        });
        let got_set: BTreeSet<i32> = got.iter().copied().collect();
        assert_eq!(got.len(), got_set.len(), "{dataset:?}: a record twice");
        assert_eq!(got_set, expected, "{dataset:?}");
    }
});

/// PostgreSQL: a transaction still open holds back the changes committed after it began,
/// so a consumer never pages past the seq its late commit lands on.
#[actix_web::test]
async fn a_late_commit_is_not_skipped_on_postgres() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    seed_demo(&app);
    let cursor = last_change(&app, Dataset::JobSeekers).seq;
    // Two job seekers: nothing but their own rows is locked by an edit (a vacancy's edit
    // bumps the search's version counter, one row for all).
    let (first, second): (i32, i32) = with_conn(&app, |c| {
        use sibuser::schema::job_seekers;
        let ids: Vec<i32> = job_seekers::table
            .order(job_seekers::id)
            .limit(2)
            .select(job_seekers::id)
            .load(c)
            .unwrap();
        (ids[0], ids[1])
    });
    let edit = |id: i32| format!("UPDATE job_seekers SET skills = skills || ' *' WHERE id = {id}");
    // A transaction opens and changes the first, and stays open.
    let mut open = app.conn();
    diesel::sql_query("BEGIN").execute(&mut *open).unwrap();
    diesel::sql_query(edit(first)).execute(&mut *open).unwrap();
    // Another changes the second and commits.
    with_conn(&app, |c| {
        diesel::sql_query(edit(second)).execute(c).unwrap()
    });
    let seen = with_conn(&app, |c| {
        feed::page(c, Dataset::JobSeekers, cursor, None, 100).unwrap()
    });
    assert!(
        seen.iter().all(|c| c.record_id != second),
        "a change committed after an open transaction began waits for it"
    );
    let head = with_conn(&app, |c| feed::head(c, Dataset::JobSeekers).unwrap());
    assert!(head <= cursor, "the head waits too");
    diesel::sql_query("COMMIT").execute(&mut *open).unwrap();
    drop(open);
    let seen: Vec<i32> = all_changes(&app, Dataset::JobSeekers, None)
        .into_iter()
        .filter(|c| c.seq > cursor)
        .map(|c| c.record_id)
        .collect();
    // Both are after the cursor, the late commit first: its transaction is the older.
    assert_eq!(seen, vec![first, second]);
}
