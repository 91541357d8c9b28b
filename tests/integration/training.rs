//! Training providers, on both backends: staff keep the list, a provider's users keep its
//! contact details, and a switched-off provider's users cannot sign in.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::{seed_demo, signed_in, user_id, with_conn};
use sibuser::schema::{mail_outbox, training_providers, user_roles, users};

const OPERATOR: &str = "operator@sibuser.example";

fn provider_fields<'a>(name: &'a str, website: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("kind", "lpk"),
        ("accreditation", "B (LA-LPK)"),
        ("accreditation_number", "LA-LPK/2025/0123"),
        ("location", "12.75.02.1006"),
        ("regency_code", ""),
        ("address", "Jl. Gatot Subroto No. 12"),
        ("phone", "0813 6000 1111"),
        ("email", "info@lpkmandiri.example"),
        ("website", website),
        ("user_name", "Rina Sitepu"),
        ("user_email", email),
    ]
}

db_test!(staff_add_a_provider_whose_user_keeps_its_contacts, |app| {
    seed_demo(&app);
    let operator = signed_in(&app, OPERATOR).await;
    let list = operator.get("/petugas/pelatihan/lembaga").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("UPT Balai Latihan Kerja Kota Binjai");
    operator.get("/petugas/pelatihan/lembaga/baru").await;

    // Mistakes come back with what was typed, and nothing is written.
    let mut bad = provider_fields("LP", "lpkmandiri.example", "bukan-surel");
    bad.retain(|(k, _)| *k != "kind");
    let res = operator.post("/petugas/pelatihan/lembaga/baru", &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Isi nama lembaga",
        "Pilih jenis lembaga",
        "diawali https://",
        "Isi alamat surel yang valid",
    ] {
        res.assert_contains(message);
    }
    res.assert_contains("value=\"LA-LPK/2025/0123\"");
    // An e-mail that already has an account: nothing is kept either.
    let res = operator
        .post(
            "/petugas/pelatihan/lembaga/baru",
            &provider_fields(
                "LPK Mandiri Binjai",
                "https://lpkmandiri.example",
                "pencaker@sibuser.example",
            ),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("sudah memiliki akun");
    let count: i64 = with_conn(&app, |c| {
        training_providers::table
            .filter(training_providers::name.eq("LPK Mandiri Binjai"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(count, 0, "nothing is kept");

    let res = operator
        .post(
            "/petugas/pelatihan/lembaga/baru",
            &provider_fields(
                "LPK Mandiri Binjai",
                "https://lpkmandiri.example",
                "rina@lpkmandiri.example",
            ),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let (provider, kind): (i32, String) = with_conn(&app, |c| {
        training_providers::table
            .filter(training_providers::name.eq("LPK Mandiri Binjai"))
            .select((training_providers::id, training_providers::kind))
            .first(c)
            .unwrap()
    });
    assert_eq!(kind, "lpk");
    let rina = user_id(&app, "rina@lpkmandiri.example");
    let (role, attached): (String, Option<i32>) = with_conn(&app, |c| {
        user_roles::table
            .inner_join(users::table)
            .filter(users::id.eq(rina))
            .select((user_roles::role, users::provider_id))
            .first(c)
            .unwrap()
    });
    assert_eq!(
        (role.as_str(), attached),
        ("training_provider", Some(provider))
    );
    let invited: i64 = with_conn(&app, |c| {
        mail_outbox::table
            .filter(mail_outbox::to_address.eq("rina@lpkmandiri.example"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(invited, 1);

    // Rina signs in (her password set as the invitation would) and keeps the contacts.
    let hash = sibuser::accounts::hash_password("lpk-mandiri-binjai-2026").unwrap();
    with_conn(&app, |c| {
        diesel::update(users::table.find(rina))
            .set(users::password_hash.eq(&hash))
            .execute(c)
            .unwrap()
    });
    let browser = Browser::new(&app);
    browser
        .sign_in("rina@lpkmandiri.example", "lpk-mandiri-binjai-2026")
        .await;
    let page = browser.get("/lembaga/profil").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("LPK Mandiri Binjai");
    page.assert_contains("B (LA-LPK)");
    let mut contact = provider_fields("Nama Lain", "https://mandiri.example", "x@y.example");
    contact.retain(|(k, _)| !k.starts_with("user_"));
    for f in contact.iter_mut() {
        if f.0 == "phone" {
            f.1 = "telepon";
        }
    }
    let res = browser.post("/lembaga/profil", &contact).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("value=\"telepon\"");
    for f in contact.iter_mut() {
        if f.0 == "phone" {
            f.1 = "0813 6000 2222";
        }
    }
    let res = browser.post("/lembaga/profil", &contact).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let (name, website): (String, Option<String>) = with_conn(&app, |c| {
        training_providers::table
            .find(provider)
            .select((training_providers::name, training_providers::website))
            .first(c)
            .unwrap()
    });
    assert_eq!(
        name, "LPK Mandiri Binjai",
        "the name is the Dinas's to change"
    );
    assert_eq!(website.as_deref(), Some("https://mandiri.example"));
    // Not the staff's pages.
    assert_eq!(
        browser.get("/petugas/pelatihan/lembaga").await.status,
        StatusCode::FORBIDDEN
    );

    // Switched off: her session ends and she cannot sign in.
    operator
        .get(&format!("/petugas/pelatihan/lembaga/{provider}"))
        .await;
    let res = operator
        .post(
            &format!("/petugas/pelatihan/lembaga/{provider}/status"),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_ne!(browser.get("/lembaga/profil").await.status, StatusCode::OK);
    let again = Browser::new(&app);
    let res = again
        .sign_in("rina@lpkmandiri.example", "lpk-mandiri-binjai-2026")
        .await;
    assert_ne!(res.status, StatusCode::SEE_OTHER);
    operator
        .get(&format!("/petugas/pelatihan/lembaga/{provider}"))
        .await
        .assert_contains("Nonaktif");
});

db_test!(only_a_providers_users_see_its_profile, |app| {
    seed_demo(&app);
    for who in ["pencaker@sibuser.example", "perusahaan@sibuser.example"] {
        let b = signed_in(&app, who).await;
        assert_eq!(
            b.get("/lembaga/profil").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    let demo = signed_in(&app, "lembaga@sibuser.example").await;
    demo.get("/lembaga/profil")
        .await
        .assert_contains("UPT Balai Latihan Kerja Kota Binjai");
});

fn programme_fields<'a>(job: &'a str, starts: &'a str, ends: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", "Pelatihan Pengelasan SMAW"),
        ("field", "las"),
        (
            "description",
            "Pengelasan dasar dengan las busur manual untuk pemula, praktik di bengkel.",
        ),
        ("requirements", "Sehat jasmani."),
        ("education_min", "3"),
        ("job_title_ids", job),
        ("age_min", ""),
        ("age_max", ""),
        ("age_reason", ""),
        ("registration_opens_on", "2027-01-02"),
        ("registration_closes_on", "2027-01-25"),
        ("starts_on", starts),
        ("ends_on", ends),
        ("hours", "240"),
        ("mode", "in_person"),
        ("place", "Bengkel las BLK Binjai"),
        ("location", "12.75.01.1008"),
        ("regency_code", ""),
        ("quota", "16"),
        ("cost_kind", "free"),
        ("cost", ""),
        ("funding", "apbd"),
        ("certificate", "bnsp"),
    ]
}

db_test!(a_provider_writes_publishes_and_runs_a_programme, |app| {
    use sibuser::schema::{
        training_programme_events, training_programme_job_titles, training_programmes,
    };
    seed_demo(&app);
    let job = crate::vacancies::cashier_id(&app);
    let blk = signed_in(&app, "lembaga@sibuser.example").await;
    assert_eq!(blk.get("/lembaga/program").await.status, StatusCode::OK);
    blk.get("/lembaga/program/baru").await;

    // Dates that end before they start, and a paid course with no cost: refused with the
    // input kept, nothing written.
    let mut bad = programme_fields(&job, "2027-02-01", "2027-01-15");
    for f in bad.iter_mut() {
        if f.0 == "cost_kind" {
            f.1 = "paid";
        }
    }
    let res = blk.post("/lembaga/program/baru", &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Tanggal selesai tidak boleh sebelum tanggal mulai");
    res.assert_contains("Isi biaya per peserta");
    res.assert_contains("value=\"2027-01-15\"");
    let smaw = || {
        with_conn(&app, |c| {
            training_programmes::table
                .filter(training_programmes::title.eq("Pelatihan Pengelasan SMAW"))
                .count()
                .get_result::<i64>(c)
                .unwrap()
        })
    };
    assert_eq!(smaw(), 0);

    let mut good = programme_fields(&job, "2027-02-01", "2027-03-15");
    good.push(("action", "publish"));
    let res = blk.post("/lembaga/program/baru", &good).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let (id, status): (i32, String) = with_conn(&app, |c| {
        training_programmes::table
            .filter(training_programmes::title.eq("Pelatihan Pengelasan SMAW"))
            .select((training_programmes::id, training_programmes::status))
            .first(c)
            .unwrap()
    });
    assert_eq!(status, "published");
    let titles: i64 = with_conn(&app, |c| {
        training_programme_job_titles::table
            .filter(training_programme_job_titles::programme_id.eq(id))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(titles, 1);

    // Corrected while published.
    let page = blk.get(&format!("/lembaga/program/{id}")).await;
    page.assert_contains("Dibuka untuk pendaftaran");
    let mut more = programme_fields(&job, "2027-02-01", "2027-03-15");
    for f in more.iter_mut() {
        if f.0 == "quota" {
            f.1 = "20";
        }
    }
    let res = blk.post(&format!("/lembaga/program/{id}"), &more).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let quota: i32 = with_conn(&app, |c| {
        training_programmes::table
            .find(id)
            .select(training_programmes::quota)
            .first(c)
            .unwrap()
    });
    assert_eq!(quota, 20);

    // Running, then finished; it never goes back, and is no longer edited.
    for to in ["running", "finished"] {
        blk.get(&format!("/lembaga/program/{id}")).await;
        let res = blk
            .post(&format!("/lembaga/program/{id}/status"), &[("ke", to)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    blk.get(&format!("/lembaga/program/{id}")).await;
    blk.post(
        &format!("/lembaga/program/{id}/status"),
        &[("ke", "published")],
    )
    .await;
    let page = blk.get(&format!("/lembaga/program/{id}")).await;
    page.assert_contains("tidak dapat diubah ke sana");
    page.assert_contains("tidak diubah lagi");
    let res = blk.post(&format!("/lembaga/program/{id}"), &more).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    blk.get(&format!("/lembaga/program/{id}"))
        .await
        .assert_contains("Program ini tidak dapat diubah lagi");
    let kinds: Vec<String> = with_conn(&app, |c| {
        training_programme_events::table
            .filter(training_programme_events::programme_id.eq(id))
            .order(training_programme_events::id)
            .select(training_programme_events::status)
            .load(c)
            .unwrap()
    });
    assert_eq!(kinds, ["draft", "published", "running", "finished"]);

    // Another provider finds nothing at its address.
    let operator = signed_in(&app, OPERATOR).await;
    operator.get("/petugas/pelatihan/lembaga/baru").await;
    operator
        .post(
            "/petugas/pelatihan/lembaga/baru",
            &provider_fields("LPK Mandiri Binjai", "", "rina@lpkmandiri.example"),
        )
        .await;
    let rina = user_id(&app, "rina@lpkmandiri.example");
    let hash = sibuser::accounts::hash_password("lpk-mandiri-binjai-2026").unwrap();
    with_conn(&app, |c| {
        diesel::update(users::table.find(rina))
            .set(users::password_hash.eq(&hash))
            .execute(c)
            .unwrap()
    });
    let other = Browser::new(&app);
    other
        .sign_in("rina@lpkmandiri.example", "lpk-mandiri-binjai-2026")
        .await;
    assert_eq!(
        other.get(&format!("/lembaga/program/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    other
        .get("/lembaga/program")
        .await
        .assert_lacks("Pengelasan SMAW");
    other.get("/lembaga/program").await;
    let res = other
        .post(
            &format!("/lembaga/program/{id}/status"),
            &[("ke", "cancelled")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
});

db_test!(demo_programmes_follow_their_dates, |app| {
    use chrono::NaiveDate;
    use sibuser::schema::{training_programme_events, training_programmes};
    seed_demo(&app);
    let today = sibuser::domain::calendar::today();
    type Row = (i32, String, NaiveDate, NaiveDate, NaiveDate);
    let rows: Vec<Row> = with_conn(&app, |c| {
        training_programmes::table
            .select((
                training_programmes::id,
                training_programmes::status,
                training_programmes::starts_on,
                training_programmes::ends_on,
                training_programmes::registration_closes_on,
            ))
            .load(c)
            .unwrap()
    });
    assert!(rows.len() > 30, "{} demo programmes", rows.len());
    let events: Vec<(i32, String, chrono::NaiveDateTime)> = with_conn(&app, |c| {
        training_programme_events::table
            .order(training_programme_events::id)
            .select((
                training_programme_events::programme_id,
                training_programme_events::status,
                training_programme_events::occurred_at,
            ))
            .load(c)
            .unwrap()
    });
    let mut seen = std::collections::BTreeSet::new();
    for (id, status, starts, ends, closes) in &rows {
        seen.insert(status.clone());
        let mine: Vec<_> = events.iter().filter(|e| e.0 == *id).collect();
        assert_eq!(mine[0].1, "draft", "programme {id}");
        assert_eq!(
            &mine.last().unwrap().1,
            status,
            "programme {id} ends in its status"
        );
        assert!(
            mine.windows(2).all(|w| w[0].2 <= w[1].2),
            "programme {id} in order"
        );
        match status.as_str() {
            "finished" => assert!(*ends < today),
            "running" => assert!(*starts <= today && today <= *ends),
            "registration_closed" => assert!(*closes < today && today < *starts),
            "published" => assert!(*closes >= today),
            _ => {}
        }
    }
    for status in ["finished", "running", "published"] {
        assert!(seen.contains(status), "no {status} programme in {seen:?}");
    }
    // The demo provider's list is alive.
    let blk = signed_in(&app, "lembaga@sibuser.example").await;
    blk.get("/lembaga/program")
        .await
        .assert_contains("Pelatihan ");
});
