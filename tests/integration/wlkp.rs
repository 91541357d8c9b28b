//! WLKP: what a company's profile holds for it (KBLI history, branches) and the reports an
//! employer files and a verifier accepts or returns.

use actix_web::http::StatusCode;
use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use crate::common::{TestApp, seed_demo, signed_in, with_conn};
use crate::reviewed_versions::decide;
use sibuser::domain::calendar;
use sibuser::domain::ids::{CompanyId, UserId};
use sibuser::schema::{
    companies, mail_outbox, users, wlkp_report_events, wlkp_reports, wlkp_revisions,
};
use sibuser::wlkp::{Figures, ImportedReport, Outcome, Trigger, record_imported};

const EMPLOYER: &str = "perusahaan@sibuser.example";
const VERIFIER: &str = "verifikator@sibuser.example";

fn own_company(app: &TestApp) -> CompanyId {
    with_conn(app, |c| {
        users::table
            .filter(users::email.eq(EMPLOYER))
            .select(users::company_id)
            .first::<Option<CompanyId>>(c)
            .unwrap()
            .unwrap()
    })
}

fn nib_of(app: &TestApp, company: CompanyId) -> String {
    with_conn(app, |c| {
        companies::table
            .find(company)
            .select(companies::nib)
            .first::<Option<String>>(c)
            .unwrap()
            .unwrap()
    })
}

/// The profile with everything a report needs.
fn complete_profile() -> Vec<(&'static str, &'static str)> {
    vec![
        ("company_name", "CV Rambutan Manis"),
        ("nib", "1111122222333"),
        ("npwp", ""),
        ("kbli_section", "I"),
        ("location", "12.75.02.1006"),
        ("address", "Jl. Jenderal Sudirman No. 8"),
        ("size_band", "small"),
        ("contact_phone", "0618821234"),
        ("contact_email", "hrd@rambutan.co.id"),
        ("website", ""),
        ("description", ""),
        ("legal_form", "cv"),
        ("investment_status", "pmdn"),
        ("npp", "1234 5678"),
        ("founded_on", "2015-03-01"),
        ("kbli_primary", "56101"),
        ("kbli_others", "47111, 10792"),
    ]
}

/// Seven workers, told the same three ways.
fn figures(period: &'static str, action: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("period_year", period),
        ("trigger", "annual"),
        ("l_wni_pkwtt", "3"),
        ("l_wni_pkwt", "1"),
        ("p_wni_pkwtt", "2"),
        ("p_wni_outsourced", "1"),
        ("edu_4", "4"),
        ("edu_5", "2"),
        ("edu_10", "1"),
        ("age_20_29", "5"),
        ("age_30_44", "2"),
        ("disabled", "1"),
        ("apprentices", "2"),
        ("lowest_wage", "2.950.000"),
        ("bpjs_tk", "7"),
        ("bpjs_kes", "6"),
        ("aksi", action),
    ]
}

fn reports_of(app: &TestApp, company: CompanyId) -> Vec<(i32, String, i32)> {
    with_conn(app, |c| {
        wlkp_reports::table
            .filter(wlkp_reports::company_id.eq(company))
            .order(wlkp_reports::id)
            .select((
                wlkp_reports::id,
                wlkp_reports::status,
                wlkp_reports::revision,
            ))
            .load(c)
            .unwrap()
    })
}

fn events_of(app: &TestApp, report: i32) -> Vec<String> {
    with_conn(app, |c| {
        wlkp_report_events::table
            .filter(wlkp_report_events::report_id.eq(report))
            .order(wlkp_report_events::id)
            .select(wlkp_report_events::status)
            .load(c)
            .unwrap()
    })
}

fn report_id_in(location: &str) -> i32 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

async fn file_and_submit(app: &TestApp) -> i32 {
    let employer = signed_in(app, EMPLOYER).await;
    let res = employer
        .submit(
            "/perusahaan/profil",
            "/perusahaan/profil",
            &complete_profile(),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = employer
        .submit(
            "/perusahaan/wlkp/baru",
            "/perusahaan/wlkp/baru",
            &figures("2025", "kirim"),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    report_id_in(res.header("location").unwrap())
}

db_test!(an_employer_files_a_report_that_staff_accept, |app| {
    seed_demo(&app);
    let company = own_company(&app);
    let employer = signed_in(&app, EMPLOYER).await;

    // The profile lacks what WLKP needs: a report can be drafted but not sent.
    let list = employer.get("/perusahaan/wlkp").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("Sebelum mengirim laporan, lengkapi data perusahaan berikut");
    let res = employer
        .submit(
            "/perusahaan/wlkp/baru",
            "/perusahaan/wlkp/baru",
            &figures("2025", "kirim"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Laporan belum dapat dikirim");
    res.assert_contains("name=\"lowest_wage\" value=\"2.950.000\"");
    assert!(reports_of(&app, company).is_empty());

    // The profile completed, the section follows the main KBLI code.
    let res = employer
        .post("/perusahaan/profil", &complete_profile())
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = employer.get("/perusahaan/profil").await;
    page.assert_contains("value=\"12345678\"");
    page.assert_contains("Riwayat KBLI");
    let today = calendar::today();
    let code = with_conn(&app, |c| {
        sibuser::employers::kbli_on(c, company, today).unwrap()
    });
    assert_eq!(code.as_deref(), Some("56101"));

    let res = employer
        .submit(
            "/perusahaan/wlkp/baru",
            "/perusahaan/wlkp/baru",
            &figures("2025", "kirim"),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = report_id_in(res.header("location").unwrap());
    employer
        .get(&format!("/perusahaan/wlkp/{id}"))
        .await
        .assert_contains("Dikirim, menunggu pemeriksaan");

    // The verifier's queue has it; accepting it tells the company.
    let verifier = signed_in(&app, VERIFIER).await;
    let queue = verifier.get("/petugas/wlkp").await;
    assert_eq!(queue.status, StatusCode::OK);
    queue.assert_contains(&format!("/petugas/wlkp/{id}\""));
    queue.assert_contains("CV Rambutan Manis");
    let path = format!("/petugas/wlkp/{id}");
    let res = decide(&verifier, &path, &[("keputusan", "terima"), ("alasan", "")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        reports_of(&app, company),
        vec![(id, "accepted".to_owned(), 1)]
    );
    assert_eq!(events_of(&app, id), ["draft", "submitted", "accepted"]);
    let mail: String = with_conn(&app, |c| {
        mail_outbox::table
            .filter(mail_outbox::kind.eq("wlkp_decision"))
            .select(mail_outbox::to_address)
            .first(c)
            .unwrap()
    });
    assert_eq!(mail, EMPLOYER);
    employer
        .get("/perusahaan/wlkp")
        .await
        .assert_contains("Diterima");
    // One report per year and reason.
    let res = employer
        .post("/perusahaan/wlkp/baru", &figures("2025", "simpan"))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Perusahaan sudah punya laporan untuk tahun dan alasan ini.");
    assert_eq!(reports_of(&app, company).len(), 1);
    // The company's history for staff.
    verifier
        .get(&format!("/petugas/wlkp/perusahaan/{company}"))
        .await
        .assert_contains(&format!("/petugas/wlkp/{id}\""));
});

db_test!(totals_that_disagree_are_refused_with_the_form_back, |app| {
    seed_demo(&app);
    let company = own_company(&app);
    let employer = signed_in(&app, EMPLOYER).await;
    let mut fields = figures("2025", "simpan");
    // Eight by education, seven by contract and age.
    fields.retain(|(k, _)| *k != "edu_10");
    fields.push(("edu_10", "2"));
    fields.push(("p_wna_pkwt", "dua"));
    let res = employer
        .submit("/perusahaan/wlkp/baru", "/perusahaan/wlkp/baru", &fields)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Isi dengan bilangan bulat 0 atau lebih.");
    res.assert_contains("name=\"p_wna_pkwt\" value=\"dua\"");
    assert!(reports_of(&app, company).is_empty());

    fields.retain(|(k, _)| *k != "p_wna_pkwt");
    let res = employer.post("/perusahaan/wlkp/baru", &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Jumlah menurut pendidikan harus sama dengan jumlah tenaga kerja");
    res.assert_lacks("Jumlah menurut kelompok umur harus sama");
    res.assert_contains("id=\"edu_10\" name=\"edu_10\" value=\"2\"");
    assert!(reports_of(&app, company).is_empty());
});

db_test!(a_returned_report_is_corrected_into_a_new_revision, |app| {
    seed_demo(&app);
    let company = own_company(&app);
    let id = file_and_submit(&app).await;
    let employer = signed_in(&app, EMPLOYER).await;

    // Sent: frozen.
    let mut changed = figures("2025", "simpan");
    changed.retain(|(k, _)| *k != "bpjs_kes");
    changed.push(("bpjs_kes", "7"));
    let own = format!("/perusahaan/wlkp/{id}");
    let page = employer.get(&own).await;
    page.assert_lacks("name=\"aksi\"");
    let res = employer.post(&own, &changed).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reports_of(&app, company),
        vec![(id, "submitted".to_owned(), 1)]
    );

    let verifier = signed_in(&app, VERIFIER).await;
    let path = format!("/petugas/wlkp/{id}");
    let note = "Peserta BPJS Kesehatan belum sesuai dengan data BPJS.";
    let res = decide(
        &verifier,
        &path,
        &[("keputusan", "tolak"), ("alasan", "salah")],
    )
    .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a note is needed"
    );
    let res = decide(
        &verifier,
        &path,
        &[("keputusan", "tolak"), ("alasan", note)],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    let page = employer.get(&format!("/perusahaan/wlkp/{id}")).await;
    page.assert_contains(note);
    let mut fixed = figures("2025", "kirim");
    fixed.retain(|(k, _)| *k != "bpjs_kes");
    fixed.push(("bpjs_kes", "7"));
    let res = employer
        .post(&format!("/perusahaan/wlkp/{id}"), &fixed)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    assert_eq!(
        reports_of(&app, company),
        vec![(id, "submitted".to_owned(), 2)]
    );
    assert_eq!(
        events_of(&app, id),
        ["draft", "submitted", "returned", "draft", "submitted"]
    );
    let revisions: Vec<(i32, i32, bool)> = with_conn(&app, |c| {
        wlkp_revisions::table
            .filter(wlkp_revisions::report_id.eq(id))
            .order(wlkp_revisions::revision)
            .select((
                wlkp_revisions::revision,
                wlkp_revisions::bpjs_kes,
                wlkp_revisions::submitted_at.is_not_null(),
            ))
            .load(c)
            .unwrap()
    });
    assert_eq!(revisions, vec![(1, 6, true), (2, 7, true)]);
    // Staff see both revisions.
    let page = verifier.get(&path).await;
    page.assert_contains("Revisi 1");
    page.assert_contains("Revisi 2");
});

fn add_employer(app: &TestApp, email: &str) -> UserId {
    with_conn(app, |c| {
        let company = sibuser::employers::create_company(
            c,
            &sibuser::employers::NewCompany {
                name: "PT Lain Sekali",
                nib: Some("9999988888777"),
                npwp: None,
                kbli_section: &sibuser::domain::KbliCode::parse("G").unwrap(),
                address: "Jl. Lain No. 1",
                kelurahan_code: Some("12.75.02.1006"),
                regency_code: "12.75",
            },
        )
        .unwrap();
        let hash = sibuser::accounts::hash_password(sibuser::demo::DEMO_PASSWORD).unwrap();
        let email = sibuser::domain::Email::parse(email).unwrap();
        sibuser::accounts::create_user(
            c,
            &sibuser::accounts::NewUser {
                company_id: Some(company),
                is_company_owner: true,
                email_verified: true,
                ..sibuser::accounts::NewUser::staff(
                    &email,
                    "Budi Lain",
                    &hash,
                    &[sibuser::domain::Role::Employer],
                )
            },
        )
        .unwrap()
    })
}

db_test!(another_employer_cannot_see_or_change_a_report, |app| {
    seed_demo(&app);
    let id = file_and_submit(&app).await;
    add_employer(&app, "lain@contoh.co.id");
    let other = signed_in(&app, "lain@contoh.co.id").await;
    let path = format!("/perusahaan/wlkp/{id}");
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    other.get("/perusahaan/wlkp").await.assert_lacks(&path);
    let res = other.post(&path, &figures("2025", "kirim")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // Nor the staff pages.
    assert_eq!(
        other.get(&format!("/petugas/wlkp/{id}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(events_of(&app, id), ["draft", "submitted"]);
});

fn national(nib: &str, reported_on: NaiveDate, external_id: &str) -> ImportedReport {
    let mut figures = Figures::default();
    figures.headcount[0][0][0] = 4;
    figures.education[4] = 4;
    figures.ages[1] = 4;
    figures.lowest_wage = Some(sibuser::domain::Rupiah::new(3_000_000).unwrap());
    ImportedReport {
        nib: nib.to_owned(),
        period_year: 2025,
        trigger: Trigger::Annual,
        external_id: external_id.to_owned(),
        reported_on,
        figures,
    }
}

fn verify(app: &TestApp, company: CompanyId) {
    with_conn(app, |c| {
        sibuser::employers::set_status(
            c,
            company,
            sibuser::employers::VerificationStatus::Verified,
            None,
            None,
        )
        .unwrap()
    });
}

db_test!(
    a_national_report_is_recorded_once_beside_the_portal_ones,
    |app| {
        seed_demo(&app);
        let company = own_company(&app);
        let nib = nib_of(&app, company);
        let day = calendar::today() - Days::new(30);
        let first = with_conn(&app, |c| {
            record_imported(c, &national(&nib, day, "WLKP-77")).unwrap()
        });
        let Outcome::Recorded(id) = first else {
            panic!("{first:?}")
        };
        let again = with_conn(&app, |c| {
            record_imported(c, &national(&nib, day, "WLKP-77")).unwrap()
        });
        assert_eq!(again, Outcome::AlreadyRecorded(id));
        assert_eq!(
            reports_of(&app, company),
            vec![(id.get(), "accepted".to_owned(), 1)]
        );

        let mut bad = national(&nib, day, "WLKP-78");
        bad.figures.ages[1] = 3;
        let refused = with_conn(&app, |c| record_imported(c, &bad).unwrap());
        assert_eq!(
            refused,
            Outcome::Refused(vec![("age_total", "wlkp.error.age_total")])
        );
        let mut bad = national("12345", day, "WLKP-79");
        bad.period_year = 1999;
        let refused = with_conn(&app, |c| record_imported(c, &bad).unwrap());
        assert_eq!(
            refused,
            Outcome::Refused(vec![
                ("nib", "company.error.nib"),
                ("period_year", "wlkp.error.period")
            ])
        );
        assert_eq!(reports_of(&app, company).len(), 1);

        // The employer sees it, labelled as national.
        let employer = signed_in(&app, EMPLOYER).await;
        employer
            .get("/perusahaan/wlkp")
            .await
            .assert_contains("WLKP nasional");
    }
);

db_test!(a_reminder_is_queued_once_per_due_date, |app| {
    seed_demo(&app);
    let company = own_company(&app);
    verify(&app, company);
    let today = calendar::today();
    // Accepted a year ago less five days: due in five days.
    let reported = today - Days::new(360);
    let nib = nib_of(&app, company);
    with_conn(&app, |c| {
        record_imported(c, &national(&nib, reported, "WLKP-1")).unwrap()
    });
    let due = sibuser::wlkp::due::due_dates(&mut app.conn())
        .unwrap()
        .into_iter()
        .find(|d| d.company.id == company)
        .unwrap()
        .due_on;
    assert!((due - today).num_days() <= 7, "{due}");

    let reminders = |app: &TestApp| -> i64 {
        with_conn(app, |c| {
            mail_outbox::table
                .filter(mail_outbox::kind.eq("wlkp_reminder"))
                .filter(mail_outbox::to_address.eq(EMPLOYER))
                .count()
                .get_result(c)
                .unwrap()
        })
    };
    with_conn(&app, |c| {
        sibuser::wlkp::due::remind(c, today, "https://sibuser.example").unwrap()
    });
    assert_eq!(reminders(&app), 1);
    with_conn(&app, |c| {
        sibuser::wlkp::due::remind(c, today, "https://sibuser.example").unwrap()
    });
    with_conn(&app, |c| {
        sibuser::wlkp::due::remind(c, today + Days::new(1), "https://sibuser.example").unwrap()
    });
    assert_eq!(reminders(&app), 1, "queued once, not twice");
});

db_test!(the_overdue_list_shows_a_company_past_its_due_date, |app| {
    seed_demo(&app);
    let company = own_company(&app);
    verify(&app, company);
    let nib = nib_of(&app, company);
    let reported = calendar::today() - Days::new(400);
    with_conn(&app, |c| {
        record_imported(c, &national(&nib, reported, "WLKP-2")).unwrap()
    });
    let name: String = with_conn(&app, |c| {
        companies::table
            .find(company)
            .select(companies::name)
            .first(c)
            .unwrap()
    });
    let verifier = signed_in(&app, VERIFIER).await;
    let page = verifier.get("/petugas/wlkp/terlambat").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains(&format!("/petugas/wlkp/perusahaan/{company}\">{name}</a>"));

    // Once a new report waits for review, the company has done its part.
    file_and_submit(&app).await;
    verifier
        .get("/petugas/wlkp/terlambat")
        .await
        .assert_lacks(&format!("/petugas/wlkp/perusahaan/{company}\""));
});

db_test!(
    a_branch_shares_the_nib_and_a_second_head_office_is_refused,
    |app| {
        seed_demo(&app);
        let head = own_company(&app);
        let nib = nib_of(&app, head);
        let actor = crate::common::user_id(&app, VERIFIER);
        let registered = with_conn(&app, |c| {
            let email = sibuser::domain::Email::parse("cabang@rambutan.co.id").unwrap();
            sibuser::employers::branches::register(
                c,
                head,
                &sibuser::employers::branches::NewBranch {
                    name: "Rambutan Manis Cabang Timur",
                    address: "Jl. Samanhudi No. 3",
                    kelurahan_code: Some("12.75.04.1001"),
                    regency_code: "12.75",
                    owner_email: &email,
                    owner_name: "Sari Cabang",
                },
                &sibuser::accounts::invitation::Inviter {
                    user_id: UserId::new(actor),
                    address: "127.0.0.1",
                    lang: sibuser::web::Lang::Id,
                    base_url: "https://sibuser.example",
                },
            )
            .unwrap()
        });
        let sibuser::employers::branches::Registered::Branch(branch) = registered else {
            panic!("{registered:?}")
        };
        let (branch_nib, head_office): (Option<String>, Option<CompanyId>) = with_conn(&app, |c| {
            companies::table
                .find(branch)
                .select((companies::nib, companies::head_office_id))
                .first(c)
                .unwrap()
        });
        assert_eq!(branch_nib.as_deref(), Some(nib.as_str()));
        assert_eq!(head_office, Some(head));
        // Its first user was invited to it.
        let user_company: Option<CompanyId> = with_conn(&app, |c| {
            users::table
                .filter(users::email.eq("cabang@rambutan.co.id"))
                .select(users::company_id)
                .first(c)
                .unwrap()
        });
        assert_eq!(user_company, Some(branch));

        // A second head office with the NIB: refused by the check and by the database.
        assert!(with_conn(&app, |c| sibuser::employers::nib_taken(c, &nib).unwrap()));
        let second = with_conn(&app, |c| {
            sibuser::employers::create_company(
                c,
                &sibuser::employers::NewCompany {
                    name: "PT Kembar",
                    nib: Some(&nib),
                    npwp: None,
                    kbli_section: &sibuser::domain::KbliCode::parse("G").unwrap(),
                    address: "Jl. Kembar No. 2",
                    kelurahan_code: Some("12.75.02.1006"),
                    regency_code: "12.75",
                },
            )
        });
        assert!(second.is_err(), "two head offices with one NIB");
    }
);

db_test!(kbli_on_a_past_date_gives_the_code_of_that_date, |app| {
    seed_demo(&app);
    let company = own_company(&app);
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let codes = |primary: &str, others: &[&str]| sibuser::employers::kbli::KbliCodes {
        primary: sibuser::employers::kbli::parse_kelompok(primary).unwrap(),
        others: others
            .iter()
            .map(|c| sibuser::employers::kbli::parse_kelompok(c).unwrap())
            .collect(),
    };
    with_conn(&app, |c| {
        use sibuser::employers::kbli::record;
        assert!(
            record(
                c,
                company,
                Some(&codes("47111", &["56101"])),
                day(2024, 1, 15),
                None
            )
            .unwrap()
        );
        // The same codes again change nothing.
        assert!(
            !record(
                c,
                company,
                Some(&codes("47111", &["56101"])),
                day(2024, 6, 1),
                None
            )
            .unwrap()
        );
        // The other code becomes the main one in March 2026.
        assert!(
            record(
                c,
                company,
                Some(&codes("56101", &["47111"])),
                day(2026, 3, 1),
                None
            )
            .unwrap()
        );
        let mut on = |d| {
            sibuser::employers::kbli_on(c, company, d)
                .unwrap()
                .map(|k| k.to_string())
        };
        assert_eq!(on(day(2023, 12, 31)), None);
        assert_eq!(on(day(2024, 1, 15)).as_deref(), Some("47111"));
        assert_eq!(on(day(2026, 2, 28)).as_deref(), Some("47111"));
        assert_eq!(on(day(2026, 3, 1)).as_deref(), Some("56101"));
        // The section follows the main code; the history keeps all three periods.
        let section: String = companies::table
            .find(company)
            .select(companies::kbli_section)
            .first(c)
            .unwrap();
        assert_eq!(section, "I");
        assert_eq!(
            sibuser::employers::kbli::history(c, company).unwrap().len(),
            4
        );
    });
});

db_test!(the_head_offices_owner_registers_a_branch, |app| {
    seed_demo(&app);
    let head = own_company(&app);
    let owner = signed_in(&app, EMPLOYER).await;
    let page = owner.get("/perusahaan/cabang").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Belum ada kantor cabang.");
    let mut fields = vec![
        ("branch_name", "Rambutan Manis Cabang Timur"),
        ("location", "12.75.04.1001"),
        ("regency_code", ""),
        ("address", "Jl. Samanhudi No. 3"),
        ("full_name", "Sari Cabang"),
        ("email", "bukan-surel"),
    ];
    let res = owner.post("/perusahaan/cabang", &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("value=\"Rambutan Manis Cabang Timur\"");
    fields.retain(|(k, _)| *k != "email");
    fields.push(("email", "cabang@rambutan.co.id"));
    let res = owner.post("/perusahaan/cabang", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let branches: Vec<(String, Option<String>)> = with_conn(&app, |c| {
        companies::table
            .filter(companies::head_office_id.eq(head))
            .select((companies::name, companies::nib))
            .load(c)
            .unwrap()
    });
    assert_eq!(
        branches,
        vec![(
            "Rambutan Manis Cabang Timur".to_owned(),
            Some(nib_of(&app, head))
        )]
    );
    owner
        .get("/perusahaan/cabang")
        .await
        .assert_contains("Rambutan Manis Cabang Timur");
    let invited: i64 = with_conn(&app, |c| {
        mail_outbox::table
            .filter(mail_outbox::to_address.eq("cabang@rambutan.co.id"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(invited, 1);
    // It waits for verification like any company, marked as a branch.
    let verifier = signed_in(&app, VERIFIER).await;
    verifier
        .get("/petugas/verifikasi/perusahaan")
        .await
        .assert_contains("Kantor cabang dari");
});

db_test!(a_verifier_sets_a_companys_wlkp_facts, |app| {
    seed_demo(&app);
    let company = own_company(&app);
    let verifier = signed_in(&app, VERIFIER).await;
    let page_path = format!("/petugas/verifikasi/perusahaan/{company}");
    let action = format!("{page_path}/wlkp");
    let mut fields = vec![
        ("legal_form", "pt"),
        ("investment_status", "pma"),
        ("npp", "123"),
        ("founded_on", "2010-05-20"),
        ("kbli_primary", "47111"),
        ("kbli_others", ""),
    ];
    let res = verifier.submit(&page_path, &action, &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("NPP terdiri atas 8 angka.");
    res.assert_contains("value=\"47111\"");
    fields.retain(|(k, _)| *k != "npp");
    fields.push(("npp", "87654321"));
    let res = verifier.post(&action, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let (npp, section): (Option<String>, String) = with_conn(&app, |c| {
        companies::table
            .find(company)
            .select((companies::npp, companies::kbli_section))
            .first(c)
            .unwrap()
    });
    assert_eq!(npp.as_deref(), Some("87654321"));
    assert_eq!(section, "G", "the section follows the main KBLI code");
    verifier
        .get(&page_path)
        .await
        .assert_contains("Perseroan Terbatas (PT)");
});

db_test!(a_company_that_reported_its_closing_is_due_nothing, |app| {
    seed_demo(&app);
    let company = own_company(&app);
    verify(&app, company);
    let nib = nib_of(&app, company);
    let today = calendar::today();
    let overdue = |app: &TestApp| -> bool {
        with_conn(app, |c| {
            sibuser::wlkp::due::overdue(c, today)
                .unwrap()
                .iter()
                .any(|d| d.company.id == company)
        })
    };
    with_conn(&app, |c| {
        record_imported(c, &national(&nib, today - Days::new(400), "WLKP-3")).unwrap()
    });
    assert!(overdue(&app));
    let mut closing = national(&nib, today - Days::new(380), "WLKP-4");
    closing.trigger = Trigger::Closing;
    with_conn(&app, |c| record_imported(c, &closing).unwrap());
    assert!(!overdue(&app));
    assert_eq!(
        with_conn(&app, |c| sibuser::wlkp::due::due_for(c, company).unwrap()),
        None
    );
});
