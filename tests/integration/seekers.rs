//! Job seekers' profiles, on both backends.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::{seed_demo, signed_in, with_conn};
use sibuser::schema::{audit_log, job_seekers, users};

/// Another demo job seeker's login (not Siti's).
pub(crate) fn other_seeker(app: &crate::common::TestApp) -> String {
    with_conn(app, |c| {
        users::table
            .filter(users::email.like("%@warga.example"))
            .select(users::email.assume_not_null())
            .first(c)
            .unwrap()
    })
}

/// A complete profile for Siti, born 12 March 1998: her NIK's day is 12 + 40.
pub(crate) fn complete(nik: &str) -> Vec<(&str, &str)> {
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

pub(crate) fn with(
    fields: &[(&'static str, &'static str)],
    key: &str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    fields
        .iter()
        .map(|(k, v)| (*k, if *k == key { value } else { *v }))
        .collect()
}

/// Fills in every part of the signed-in seeker's profile (Siti's particulars, with `nik`).
pub(crate) async fn complete_profile(
    app: &crate::common::TestApp,
    seeker: &crate::common::browser::Browser<'_>,
    base: &str,
    nik: &str,
) {
    let job: String = with_conn(app, |c| {
        sibuser::schema::kbji_occupations::table
            .filter(sibuser::schema::kbji_occupations::title_id.eq("Kasir"))
            .select(sibuser::schema::kbji_occupations::id)
            .first::<i32>(c)
            .unwrap()
            .to_string()
    });
    let fields: Vec<(&str, &str)> = complete(nik)
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                if k == "desired_job_title_id" {
                    job.as_str()
                } else {
                    v
                },
            )
        })
        .collect();
    let res = save_profile(seeker, base, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// The profile's form pages, and the fields each sends.
pub(crate) const PAGES: [(&str, &[&str]); 3] = [
    (
        "data-diri",
        &[
            "full_name",
            "nik",
            "sex",
            "birth_place",
            "birth_date",
            "marital_status",
            "religion",
        ],
    ),
    (
        "alamat-kontak",
        &["phone", "location", "regency_code", "address"],
    ),
    (
        "pendidikan-pekerjaan",
        &[
            "education_level",
            "field_of_study",
            "skills",
            "desired_job_title_id",
            "desired_wage",
            "disability",
        ],
    ),
];

/// Saves `fields` as a resident would: each page that holds one of them is opened and sent
/// with its share. Returns the first refusal, or the last page's answer.
pub(crate) async fn save_profile(
    seeker: &crate::common::browser::Browser<'_>,
    base: &str,
    fields: &[(&str, &str)],
) -> crate::common::TestResponse {
    let mut last = None;
    for (slug, names) in PAGES {
        let share: Vec<(&str, &str)> = fields
            .iter()
            .filter(|(k, _)| names.contains(k))
            .copied()
            .collect();
        if share.is_empty() {
            continue;
        }
        let page = format!("{base}/{slug}");
        let form = seeker.get(&page).await;
        assert_eq!(form.status, StatusCode::OK, "{page}");
        let res = seeker.post(&page, &share).await;
        if res.status != StatusCode::SEE_OTHER {
            return res;
        }
        last = Some(res);
    }
    last.expect("fields of the profile's pages")
}

db_test!(a_job_seeker_completes_the_profile_page_by_page, |app| {
    seed_demo(&app);
    let seeker = signed_in(&app, "pencaker@sibuser.example").await;
    let page = seeker.get("/pencaker/profil").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("0 dari 3 bagian wajib sudah selesai.");
    // Each part is a page of its own, and the card cannot be asked for yet.
    page.assert_contains(r#"href="/pencaker/profil/data-diri""#);
    page.assert_contains(r#"href="/pencaker/profil/pendidikan""#);
    page.assert_contains(
        r#"<div id="task-kartu-status" class="task-status tag tag-grey">Belum bisa dimulai</div>"#,
    );
    page.assert_contains("<span>Minta kartu AK/I</span>");
    page.assert_contains("Selesaikan dulu semua bagian wajib di atas.");

    // Only part of it at first: saved, and the list says what is left.
    let res = save_profile(
        &seeker,
        "/pencaker/profil",
        &[
            ("full_name", "Siti Aisyah Lubis"),
            ("location", "12.75.01.1008"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header("location"), Some("/pencaker/profil"));
    let page = seeker.get("/pencaker/profil").await;
    page.assert_contains("Profil tersimpan.");
    page.assert_contains("0 dari 3 bagian wajib sudah selesai.");
    page.assert_contains(r#"<div id="task-alamat-kontak-status" class="task-status tag tag-blue">Belum lengkap</div>"#);
    page.assert_contains("Belum diisi: Alamat");

    let job: String = with_conn(&app, |c| {
        sibuser::schema::kbji_occupations::table
            .filter(sibuser::schema::kbji_occupations::title_id.eq("Kasir"))
            .select(sibuser::schema::kbji_occupations::id)
            .first::<i32>(c)
            .unwrap()
            .to_string()
    });
    let fields: Vec<(&str, &str)> = complete("1275015203980001")
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                if k == "desired_job_title_id" {
                    job.as_str()
                } else {
                    v
                },
            )
        })
        .collect();
    let res = save_profile(&seeker, "/pencaker/profil", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = seeker.get("/pencaker/profil").await;
    page.assert_contains("3 dari 3 bagian wajib sudah selesai.");
    page.assert_contains(r#"<div id="task-data-diri-status" class="task-status">Selesai</div>"#);
    // Now the card can be asked for.
    page.assert_contains(
        r#"<a href="/pencaker/ak1" aria-describedby="task-kartu-status">Minta kartu AK/I</a>"#,
    );

    // One page saved again keeps what the others hold, whatever else is posted with it.
    seeker.get("/pencaker/profil/alamat-kontak").await;
    let res = seeker
        .post(
            "/pencaker/profil/alamat-kontak",
            &[
                ("phone", "0812-6000-1234"),
                ("location", "12.75.01.1008"),
                ("address", "Jl. Gatot Subroto No. 7"),
                ("nik", "1275015203980002"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let (nik, wage, phone, address): (Option<String>, Option<i64>, Option<String>, Option<String>) =
        with_conn(&app, |c| {
            job_seekers::table
                .inner_join(users::table)
                .filter(users::email.eq("pencaker@sibuser.example"))
                .select((
                    job_seekers::nik,
                    job_seekers::desired_wage,
                    users::phone,
                    job_seekers::address,
                ))
                .first(c)
                .unwrap()
        });
    assert_eq!(nik.as_deref(), Some("1275015203980001"));
    assert_eq!(wage, Some(3_200_000));
    assert!(phone.is_some_and(|p| p.ends_with("1234")));
    assert_eq!(address.as_deref(), Some("Jl. Gatot Subroto No. 7"));
    // Each save is in the audit log, without the values: two pages, three, then one.
    let entries: Vec<Option<String>> = with_conn(&app, |c| {
        audit_log::table
            .filter(audit_log::action.eq("seeker.profile_changed"))
            .select(audit_log::detail)
            .load(c)
            .unwrap()
    });
    assert_eq!(entries.len(), 6);
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
        let res = save_profile(&seeker, "/pencaker/profil", &with(&base, field, value)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        res.assert_contains(message);
        res.assert_contains(r#"value="Binjai""#);
        res.assert_contains(&format!(
            "value=\"{}\"",
            if field == "nik" {
                value
            } else {
                "1275015203980001"
            }
        ));
    }
    let saved: i64 = with_conn(&app, |c| {
        job_seekers::table
            .inner_join(users::table)
            .filter(users::email.eq("pencaker@sibuser.example"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(saved, 0, "nothing is saved from a form with mistakes");

    // A NIK already registered by another job seeker.
    with_conn(&app, |c| {
        let other: i32 = job_seekers::table
            .inner_join(users::table)
            .filter(users::email.like("%@warga.example"))
            .select(job_seekers::id)
            .first(c)
            .unwrap();
        diesel::update(job_seekers::table.find(other))
            .set(job_seekers::nik.eq("1275015203980001"))
            .execute(c)
            .unwrap();
    });
    // The resident typing it is told nothing a stranger could use (the counter settles
    // it with the KTP: see security.rs); the operator, with the KTP in hand, is told.
    let res = save_profile(&seeker, "/pencaker/profil", &base).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    seeker
        .get("/pencaker/profil")
        .await
        .assert_lacks("NIK ini sudah terdaftar pada akun lain");
    let uid = crate::common::user_id(&app, "pencaker@sibuser.example");
    let operator = signed_in(&app, "operator@sibuser.example").await;
    let at_counter = format!("/petugas/pencaker/{uid}/profil");
    let res = save_profile(&operator, &at_counter, &base).await;
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
        let shown = [
            "SMK Negeri 1 Binjai · Akuntansi · 2016 · 85",
            "Operator Komputer · BLK Binjai · 2018 · BNSP-123",
            "Kasir · CV Rambutan Jaya · 2019–",
            "Inggris · Cukup untuk bekerja",
        ];
        for ((section, fields), text) in adds.into_iter().zip(shown) {
            let page = format!("/pencaker/profil/{section}");
            seeker.get(&page).await.assert_contains("Belum ada.");
            let res = seeker.post(&page, fields).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{section}: {}", res.body);
            // Back on the same page, for the next one.
            assert_eq!(res.header("location"), Some(page.as_str()));
            let again = seeker.get(&page).await;
            again.assert_contains(text);
            again.assert_contains("Tambahkan lagi bila ada");
        }
        let list = seeker.get("/pencaker/profil").await;
        for section in ["pendidikan", "pelatihan", "pengalaman", "bahasa"] {
            list.assert_contains(&format!(
                r#"<div id="task-{section}-status" class="task-status">Selesai</div>"#
            ));
        }

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
        let other = signed_in(&app, &other_seeker(&app)).await;
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
        let page = seeker.get("/pencaker/profil/bahasa").await;
        page.assert_contains("Dihapus.");
        page.assert_lacks("Inggris · Cukup untuk bekerja");
        // An unknown section is no page at all; the photo and the CV are sent as files.
        assert_eq!(
            seeker.get("/pencaker/profil/lainnya").await.status,
            StatusCode::NOT_FOUND
        );
        for slug in ["lainnya", "foto", "cv"] {
            let res = seeker.post(&format!("/pencaker/profil/{slug}"), &[]).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{slug}");
        }
    }
);

/// A one-page PDF, with an extra entry in its catalog if given.
/// A plain one-page PDF, as a CV.
pub(crate) fn plain_pdf() -> Vec<u8> {
    pdf(None)
}

fn pdf(extra: Option<(&str, lopdf::Object)>) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    if let Some((key, value)) = extra {
        catalog.set(key, value);
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Uploads `bytes` as the CV the way a browser does (multipart, CSRF token in the URL).
async fn upload(
    browser: &crate::common::browser::Browser<'_>,
    name: &str,
    bytes: &[u8],
) -> crate::common::TestResponse {
    upload_to(browser, "/pencaker/cv", name, bytes).await
}

/// Uploads a file to `target` from the profile page's form.
pub(crate) async fn upload_to(
    browser: &crate::common::browser::Browser<'_>,
    target: &str,
    name: &str,
    bytes: &[u8],
) -> crate::common::TestResponse {
    // Each file has its page of the profile, with the form that sends it.
    let form = match target {
        "/pencaker/foto" => "/pencaker/profil/foto",
        _ => "/pencaker/profil/cv",
    };
    let page = browser.get(form).await;
    let token = crate::common::browser::csrf_token_in(&page.body).unwrap();
    let boundary = "----sibuserboundary";
    // The token is the form's first field, as the page's hidden input puts it.
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    browser
        .send(
            actix_web::test::TestRequest::post()
                .uri(target)
                .insert_header((
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                ))
                .set_payload(body),
        )
        .await
}

/// The stored name of the demo resident's CV.
pub(crate) fn cv_file(app: &crate::common::TestApp) -> Option<String> {
    with_conn(app, |c| {
        job_seekers::table
            .inner_join(users::table)
            .filter(users::email.eq("pencaker@sibuser.example"))
            .select(job_seekers::cv_file)
            .first::<Option<String>>(c)
            .optional()
            .unwrap()
            .flatten()
    })
}

db_test!(
    a_cv_is_a_checked_pdf_seen_only_by_its_owner_and_staff,
    |app| {
        use lopdf::{Object, dictionary};
        seed_demo(&app);
        let cv_dir = app.portal.state.settings.data_dir().join("cv");
        let seeker = signed_in(&app, "pencaker@sibuser.example").await;

        // Refused, each with its reason, and nothing stored.
        let script = Object::Dictionary(dictionary! {
            "S" => "JavaScript", "JS" => Object::string_literal("app.alert(1)"),
        });
        let mut huge = pdf(None);
        huge.resize(3 * 1024 * 1024, b' ');
        let refusals: [(&str, Vec<u8>, &str); 3] = [
            (
                "cv.pdf",
                b"MZ\x90\x00\x03 this is a program".to_vec(),
                "bukan PDF",
            ),
            (
                "cv.pdf",
                pdf(Some(("OpenAction", script))),
                "berisi konten aktif",
            ),
            ("cv.pdf", huge, "terlalu besar"),
        ];
        for (name, bytes, message) in refusals {
            let res = upload(&seeker, name, &bytes).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{message}");
            assert_eq!(res.header("location"), Some("/pencaker/profil/cv"));
            seeker
                .get("/pencaker/profil/cv")
                .await
                .assert_contains(message);
            assert_eq!(cv_file(&app), None, "{message}: nothing is stored");
        }

        // A plain PDF is taken and listed.
        let good = pdf(None);
        let res = upload(&seeker, "CV Siti.pdf", &good).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = seeker.get("/pencaker/profil/cv").await;
        page.assert_contains("CV tersimpan.");
        page.assert_contains("CV Siti.pdf");
        let first = cv_file(&app).expect("stored");
        assert!(cv_dir.join(&first).exists());
        let own = seeker.get("/pencaker/cv").await;
        assert_eq!(own.status, StatusCode::OK);
        assert_eq!(own.header("content-type"), Some("application/pdf"));

        // Staff may read it, and the reading is in the audit log; an employer may not.
        let owner: i32 = with_conn(&app, |c| {
            users::table
                .filter(users::email.eq("pencaker@sibuser.example"))
                .select(users::id)
                .first(c)
                .unwrap()
        });
        let operator = signed_in(&app, "operator@sibuser.example").await;
        let res = operator.get(&format!("/petugas/pencaker/{owner}/cv")).await;
        assert_eq!(res.status, StatusCode::OK);
        let reads: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("seeker.cv_downloaded"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(reads, 2, "the seeker's own download and the operator's");
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let res = employer.get(&format!("/petugas/pencaker/{owner}/cv")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // Another seeker only ever gets their own (they have none).
        let other = signed_in(&app, &other_seeker(&app)).await;
        assert_eq!(
            other.get("/pencaker/cv").await.status,
            StatusCode::NOT_FOUND
        );

        // Replacing removes the old file; deleting removes the new one.
        let res = upload(&seeker, "CV baru.pdf", &pdf(None)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let second = cv_file(&app).expect("replaced");
        assert_ne!(first, second);
        assert!(!cv_dir.join(&first).exists());
        seeker.get("/pencaker/profil").await;
        let res = seeker.post("/pencaker/cv/hapus", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(cv_file(&app), None);
        assert!(!cv_dir.join(&second).exists());
    }
);
