//! Issue 19, item 3: the server killed with SIGKILL in the middle of a thousand concurrent
//! applications, and started again on the same database. Every application the portal
//! acknowledged is there exactly once, with its first event and its audit entry; nothing is
//! half-written; and the residents whose request got no answer can simply send it again.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::prelude::*;
use sibuser::schema::{application_events, applications, audit_log, job_seekers, users, vacancies};

use crate::common::served::{Served, Visitor, url_text};
use crate::common::{Backend, TestDb};

const APPLICATIONS: usize = 1_000;
/// Connections sending at once.
const CONCURRENCY: usize = 32;
/// The kill comes after this many acknowledgements, with the rest in flight or waiting.
const KILL_AFTER: usize = 300;

#[test]
fn sqlite() {
    killed_during_applications(Backend::Sqlite);
}

#[test]
fn postgres() {
    killed_during_applications(Backend::Postgres);
}

/// (resident's e-mail, vacancy id)
type Pair = (String, i32);

/// Residents of the demo who may apply, and open vacancies they have not applied to yet:
/// `n` pairs, spread so that each resident applies to many vacancies and each vacancy gets
/// many applications at once.
fn pairs(conn: &mut sibuser::db::DbConnection, n: usize) -> Vec<Pair> {
    let today = sibuser::domain::calendar::today();
    let open: Vec<i32> = vacancies::table
        .filter(vacancies::status.eq("published"))
        .filter(vacancies::closes_on.ge(today))
        .order(vacancies::id)
        .select(vacancies::id)
        .load(conn)
        .unwrap();
    // Residents whose card request went through: their profile is complete.
    let residents: Vec<(String, i32)> = users::table
        .inner_join(job_seekers::table)
        .filter(users::email_verified_at.is_not_null())
        .filter(users::is_active.eq(true))
        .filter(job_seekers::nik.is_not_null())
        .order(users::id)
        .select((users::email.assume_not_null(), job_seekers::id))
        .load(conn)
        .unwrap();
    let taken: BTreeSet<(i32, i32)> = applications::table
        .select((applications::job_seeker_id, applications::vacancy_id))
        .load::<(i32, i32)>(conn)
        .unwrap()
        .into_iter()
        .collect();
    let mut out = Vec::new();
    for vacancy in &open {
        for (email, seeker) in &residents {
            if !taken.contains(&(*seeker, *vacancy)) {
                out.push((email.clone(), *vacancy));
            }
        }
    }
    assert!(
        out.len() >= n,
        "the demo offers {} new (resident, vacancy) pairs ({} residents, {} open vacancies), not {n}",
        out.len(),
        residents.len(),
        open.len()
    );
    out.truncate(n);
    out
}

/// Copies of an open vacancy, so that the demo's residents have enough to apply to.
fn more_open_vacancies(conn: &mut sibuser::db::DbConnection, copies: usize) {
    let open: i32 = vacancies::table
        .filter(vacancies::status.eq("published"))
        .filter(vacancies::closes_on.ge(sibuser::domain::calendar::today()))
        .select(vacancies::id)
        .first(conn)
        .unwrap();
    for _ in 0..copies {
        crate::feed::copy_of_vacancy(conn, &open.to_string());
    }
}

/// Each resident signed in once, on their own visitor; only residents the portal lets
/// apply (the form answers 200) are kept.
fn sign_in_all(base: &str, pairs: &[Pair]) -> HashMap<String, Visitor> {
    let mut visitors = HashMap::new();
    for (email, vacancy) in pairs {
        if visitors.contains_key(email) {
            continue;
        }
        let visitor = Visitor::new();
        visitor.sign_in(base, email, sibuser::demo::DEMO_PASSWORD);
        // The form page gives the session's CSRF token.
        let form = visitor
            .get(&format!("{base}/lowongan/{vacancy}/lamar"))
            .unwrap();
        assert_eq!(form.status, 200, "{email} may not apply: {}", form.body);
        visitors.insert(email.clone(), visitor);
    }
    visitors
}

fn apply(visitor: &Visitor, base: &str, vacancy: i32) -> Result<u16, String> {
    visitor
        .post(
            &format!("{base}/lowongan/{vacancy}/lamar"),
            &[("catatan", "Saya siap bekerja.")],
        )
        .map(|a| a.status)
}

fn killed_during_applications(backend: Backend) {
    let Some(db) = TestDb::create(backend) else {
        return;
    };
    let url = db.url();
    let data = tempfile::tempdir().unwrap();
    let mut server = Served::start(&url_text(&url), data.path(), &[]);
    let pool = sibuser::db::connect(&url, 2).unwrap();
    more_open_vacancies(&mut pool.get().unwrap(), 10);
    let pairs = pairs(&mut pool.get().unwrap(), APPLICATIONS);
    let visitors = sign_in_all(&server.base, &pairs);
    let before: i64 = applications::table
        .count()
        .get_result(&mut pool.get().unwrap())
        .unwrap();

    // A thousand applications on 32 connections; the server dies after the 300th answer.
    let next = AtomicUsize::new(0);
    let acknowledged = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<(usize, Result<u16, String>)>> = Mutex::default();
    let base = server.base.clone();
    let killer = Mutex::new(&mut server);
    std::thread::scope(|scope| {
        for _ in 0..CONCURRENCY {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((email, vacancy)) = pairs.get(i) else {
                        return;
                    };
                    let result = apply(&visitors[email], &base, *vacancy);
                    if result == Ok(303)
                        && acknowledged.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER
                    {
                        killer.lock().unwrap().kill();
                    }
                    outcomes.lock().unwrap().push((i, result));
                }
            });
        }
    });
    let outcomes = outcomes.into_inner().unwrap();
    let acked: BTreeSet<usize> = outcomes
        .iter()
        .filter(|(_, r)| *r == Ok(303))
        .map(|(i, _)| *i)
        .collect();
    let unanswered = outcomes.iter().filter(|(_, r)| r.is_err()).count();
    let other: Vec<&(usize, Result<u16, String>)> = outcomes
        .iter()
        .filter(|(_, r)| matches!(r, Ok(s) if *s != 303))
        .collect();
    if !other.is_empty() {
        let log = killer.into_inner().unwrap().log();
        let from = (log.len().saturating_sub(4000)..log.len())
            .find(|i| log.is_char_boundary(*i))
            .unwrap_or(0);
        let tail = &log[from..];
        panic!("{backend:?}: answers besides 303: {other:?}\n{tail}");
    }
    assert!(
        acked.len() >= KILL_AFTER && unanswered > 0,
        "{backend:?}: the kill came mid-way ({} acknowledged, {unanswered} unanswered)",
        acked.len()
    );

    // Started again on the same database and data directory (the same session key).
    drop(server);
    let server = Served::start(&url_text(&url), data.path(), &[]);
    let mut conn = pool.get().unwrap();
    let stored = |conn: &mut sibuser::db::DbConnection| -> HashMap<Pair, i64> {
        let rows: Vec<(String, i32)> = applications::table
            .inner_join(job_seekers::table.inner_join(users::table))
            .filter(applications::note.eq("Saya siap bekerja."))
            .select((users::email.assume_not_null(), applications::vacancy_id))
            .load(conn)
            .unwrap();
        let mut counts = HashMap::new();
        for pair in rows {
            *counts.entry(pair).or_insert(0) += 1;
        }
        counts
    };
    let counts = stored(&mut conn);
    for i in &acked {
        assert_eq!(
            counts.get(&pairs[*i]),
            Some(&1),
            "{backend:?}: acknowledged application {:?} stored once",
            pairs[*i]
        );
    }
    assert_whole(&mut conn, backend);

    // Whoever got no answer sends again: a second copy is refused, a lost one is made.
    for (i, result) in &outcomes {
        if result.is_err() {
            let (email, vacancy) = &pairs[*i];
            let status = apply(&visitors[email], &server.base, *vacancy).unwrap();
            assert!(
                status == 303 || status == 409,
                "{backend:?}: sending again answered {status}"
            );
        }
    }
    // And those never sent go now.
    let sent: BTreeSet<usize> = outcomes.iter().map(|(i, _)| *i).collect();
    for (i, (email, vacancy)) in pairs.iter().enumerate() {
        if !sent.contains(&i) {
            assert_eq!(apply(&visitors[email], &server.base, *vacancy), Ok(303));
        }
    }
    let counts = stored(&mut conn);
    for pair in &pairs {
        assert_eq!(
            counts.get(pair),
            Some(&1),
            "{backend:?}: {pair:?} exactly once"
        );
    }
    let after: i64 = applications::table.count().get_result(&mut conn).unwrap();
    assert_eq!(after - before, APPLICATIONS as i64, "{backend:?}");
    assert_whole(&mut conn, backend);
}

/// No half-written application: each has its first event and the audit entry of its
/// sending, and no event or entry points at an application that is not there.
fn assert_whole(conn: &mut sibuser::db::DbConnection, backend: Backend) {
    let ids: BTreeSet<i32> = applications::table
        .filter(applications::note.eq("Saya siap bekerja."))
        .select(applications::id)
        .load::<i32>(conn)
        .unwrap()
        .into_iter()
        .collect();
    let received: Vec<i32> = application_events::table
        .filter(application_events::stage.eq("received"))
        .filter(application_events::application_id.eq_any(&ids))
        .select(application_events::application_id)
        .load(conn)
        .unwrap();
    assert_eq!(
        received.iter().copied().collect::<BTreeSet<_>>(),
        ids,
        "{backend:?}: every application has its received event"
    );
    assert_eq!(received.len(), ids.len(), "{backend:?}: and only one");
    let audited: BTreeSet<i32> = audit_log::table
        .filter(audit_log::action.eq("application.submitted"))
        .select(audit_log::subject_id.assume_not_null())
        .load::<String>(conn)
        .unwrap()
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    assert!(
        ids.is_subset(&audited),
        "{backend:?}: every application's sending is in the audit log"
    );
    let orphans: i64 = application_events::table
        .left_join(applications::table)
        .filter(applications::id.nullable().is_null())
        .count()
        .get_result(conn)
        .unwrap();
    assert_eq!(orphans, 0, "{backend:?}: no event without its application");
}
