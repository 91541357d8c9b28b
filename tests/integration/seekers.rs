//! Job seekers' profiles, on both backends.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::{seed_demo, signed_in, with_conn};
use sibuser::schema::{audit_log, job_seekers, users};

/// A complete profile for Siti, born 12 March 1998: her NIK's day is 12 + 40.
fn complete(nik: &str) -> Vec<(&str, &str)> {
    vec![
        ("full_name", "Siti Aisyah Lubis"),
        ("phone", "0812-6000-1234"),
        ("nik", nik),
        ("sex", "P"),
        ("birth_place", "Binjai"),
        ("birth_date", "1998-03-12"),
        ("marital_status", "single"),
        ("religion", "islam"),
        ("address", "Jl. Samanhudi No. 5"),
        ("location", "12.75.01.1008"),
        ("regency_code", ""),
        ("education_level", "5"),
        ("field_of_study", "Akuntansi"),
        ("skills", "Microsoft Excel, pembukuan"),
        ("desired_job_title_id", ""),
        ("desired_wage", "3.200.000"),
        ("disability", ""),
    ]
}

fn with(
    fields: &[(&'static str, &'static str)],
    key: &str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    fields
        .iter()
        .map(|(k, v)| (*k, if *k == key { value } else { *v }))
        .collect()
}

db_test!(a_job_seeker_completes_the_profile_step_by_step, |app| {
    seed_demo(&app);
    let seeker = signed_in(&app, "pencaker@sibuser.example").await;
    let page = seeker.get("/pencaker/profil").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("0 dari 12 bagian sudah diisi");

    // Only part of it at first: saved, and the page says what is left.
    let res = seeker
        .post(
            "/pencaker/profil",
            &[
                ("full_name", "Siti Aisyah Lubis"),
                ("location", "12.75.01.1008"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = seeker.get("/pencaker/profil").await;
    page.assert_contains("Profil tersimpan.");
    page.assert_contains("1 dari 12 bagian sudah diisi");
    page.assert_contains("Tanggal lahir");

    let job: String = with_conn(&app, |c| {
        sibuser::schema::kbji_occupations::table
            .filter(sibuser::schema::kbji_occupations::title_id.eq("Kasir"))
            .select(sibuser::schema::kbji_occupations::id)
            .first::<i32>(c)
            .unwrap()
            .to_string()
    });
    let mut fields: Vec<(&str, String)> = complete("1275015203980001")
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect();
    for f in fields.iter_mut() {
        if f.0 == "desired_job_title_id" {
            f.1 = job.clone();
        }
    }
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = seeker.post("/pencaker/profil", &refs).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = seeker.get("/pencaker/profil").await;
    page.assert_contains("12 dari 12 bagian sudah diisi");
    page.assert_contains("Profil Anda lengkap");
    let (nik, wage, phone): (Option<String>, Option<i64>, Option<String>) = with_conn(&app, |c| {
        job_seekers::table
            .inner_join(users::table)
            .filter(users::email.eq("pencaker@sibuser.example"))
            .select((job_seekers::nik, job_seekers::desired_wage, users::phone))
            .first(c)
            .unwrap()
    });
    assert_eq!(nik.as_deref(), Some("1275015203980001"));
    assert_eq!(wage, Some(3_200_000));
    assert!(phone.is_some_and(|p| p.ends_with("1234")));
    // Each save is in the audit log, without the values.
    let entries: Vec<Option<String>> = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.eq("seeker.profile_changed"))
            .select(audit_log::detail)
            .load(c)
            .unwrap()
    });
    assert_eq!(entries.len(), 2);
    assert!(
        entries
            .iter()
            .all(|d| !d.as_deref().unwrap_or("").contains("1275015203980001"))
    );
});

db_test!(wrong_niks_get_a_precise_message_and_keep_the_input, |app| {
    seed_demo(&app);
    let seeker = signed_in(&app, "pencaker@sibuser.example").await;
    let base = complete("1275015203980001");
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "nik",
            "127501520398001",
            "NIK terdiri atas 16 angka",
            "15 digits",
        ),
        (
            "nik",
            "12750152039800011",
            "NIK terdiri atas 16 angka",
            "17 digits",
        ),
        (
            "nik",
            "1275017302980001",
            "bukan tanggal lahir yang valid",
            "impossible date",
        ),
        (
            "birth_date",
            "1998-03-13",
            "Tanggal lahir dalam NIK tidak sama",
            "birth date differs",
        ),
        (
            "sex",
            "L",
            "Jenis kelamin dalam NIK tidak sama",
            "sex differs",
        ),
        (
            "birth_date",
            "2030-01-01",
            "tidak boleh di masa depan",
            "future birth",
        ),
    ];
    for (field, value, message, what) in cases {
        seeker.get("/pencaker/profil").await;
        let res = seeker
            .post("/pencaker/profil", &with(&base, field, value))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        res.assert_contains(message);
        res.assert_contains("Jl. Samanhudi No. 5</textarea>");
        res.assert_contains(&format!(
            "value=\"{}\"",
            if field == "nik" {
                value
            } else {
                "1275015203980001"
            }
        ));
    }
    let saved: i64 = with_conn(&app, |c| job_seekers::table.count().get_result(c).unwrap());
    assert_eq!(saved, 0, "nothing is saved from a form with mistakes");

    // A NIK already registered by another job seeker.
    with_conn(&app, |c| {
        let other: i32 = users::table
            .filter(users::email.like("%@warga.example"))
            .select(users::id)
            .first(c)
            .unwrap();
        let now = chrono::Utc::now().naive_utc();
        diesel::insert_into(job_seekers::table)
            .values((
                job_seekers::user_id.eq(other),
                job_seekers::nik.eq("1275015203980001"),
                job_seekers::created_at.eq(now),
                job_seekers::updated_at.eq(now),
            ))
            .execute(c)
            .unwrap();
    });
    seeker.get("/pencaker/profil").await;
    let res = seeker.post("/pencaker/profil", &base).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("NIK ini sudah terdaftar pada akun lain");
});

db_test!(
    education_training_experience_and_languages_are_rows_of_the_profile,
    |app| {
        seed_demo(&app);
        let seeker = signed_in(&app, "pencaker@sibuser.example").await;
        seeker.get("/pencaker/profil").await;
        let adds: [(&str, &[(&str, &str)]); 4] = [
            (
                "pendidikan",
                &[
                    ("edu_level", "5"),
                    ("edu_institution", "SMK Negeri 1 Binjai"),
                    ("edu_field", "Akuntansi"),
                    ("edu_year", "2016"),
                    ("edu_grade", "85"),
                ],
            ),
            (
                "pelatihan",
                &[
                    ("trn_name", "Operator Komputer"),
                    ("trn_provider", "BLK Binjai"),
                    ("trn_year", "2018"),
                    ("trn_certificate", "BNSP-123"),
                ],
            ),
            (
                "pengalaman",
                &[
                    ("exp_position", "Kasir"),
                    ("exp_employer", "CV Rambutan Jaya"),
                    ("exp_from", "2019"),
                    ("exp_to", ""),
                ],
            ),
            (
                "bahasa",
                &[("lang_name", "Inggris"), ("lang_level", "working")],
            ),
        ];
        for (section, fields) in adds {
            let res = seeker
                .post(&format!("/pencaker/profil/{section}"), fields)
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{section}: {}", res.body);
        }
        let page = seeker.get("/pencaker/profil").await;
        page.assert_contains("SMK Negeri 1 Binjai · Akuntansi · 2016 · 85");
        page.assert_contains("Operator Komputer · BLK Binjai · 2018 · BNSP-123");
        page.assert_contains("Kasir · CV Rambutan Jaya · 2019–");
        page.assert_contains("Inggris · Cukup untuk bekerja");

        // A mistake comes back with the message and what was typed; nothing is added.
        let res = seeker
            .post(
                "/pencaker/profil/pengalaman",
                &[
                    ("exp_position", "Pramuniaga"),
                    ("exp_employer", "UD Maju"),
                    ("exp_from", "2021"),
                    ("exp_to", "2020"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tahun selesai tidak boleh sebelum tahun mulai");
        res.assert_contains(r#"value="Pramuniaga""#);
        res.assert_lacks("Pramuniaga · UD Maju");

        // Another seeker cannot remove Siti's row, whatever id they try.
        let row: i32 = with_conn(&app, |c| {
            sibuser::schema::job_seeker_languages::table
                .select(sibuser::schema::job_seeker_languages::id)
                .first(c)
                .unwrap()
        });
        let other_email: String = with_conn(&app, |c| {
            users::table
                .filter(users::email.like("%@warga.example"))
                .select(users::email)
                .first(c)
                .unwrap()
        });
        let other = signed_in(&app, &other_email).await;
        other.get("/akun").await;
        let res = other
            .post(&format!("/pencaker/profil/bahasa/{row}/hapus"), &[])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // Siti can.
        seeker.get("/pencaker/profil").await;
        let res = seeker
            .post(&format!("/pencaker/profil/bahasa/{row}/hapus"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        seeker
            .get("/pencaker/profil")
            .await
            .assert_lacks("Inggris · Cukup untuk bekerja");
        // An unknown section is no page at all.
        let res = seeker.post("/pencaker/profil/lainnya", &[]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
);
