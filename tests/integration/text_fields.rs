//! Names and other text are text: control characters and bidi overrides are refused beside
//! their field, with the form again as typed, and a NUL anywhere is never a 500 on
//! PostgreSQL (which cannot store one).

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::accounts::{employer_fields, signup_fields};
use crate::common::browser::Browser;
use crate::common::{seed_demo, signed_in, with_conn};
use sibuser::schema::{companies, users};

const HIDDEN: &str = "Isian ini berisi karakter tersembunyi";

fn users_with_email(app: &crate::common::TestApp, email: &str) -> i64 {
    with_conn(app, |c| {
        users::table
            .filter(users::email.eq(email))
            .count()
            .get_result(c)
            .unwrap()
    })
}

fn with<'a>(
    mut fields: Vec<(&'a str, &'a str)>,
    name: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    for field in fields.iter_mut() {
        if field.0 == name {
            field.1 = value;
        }
    }
    fields
}

db_test!(a_name_with_hidden_characters_is_refused_at_sign_up, |app| {
    for name in [
        "Siti\0Aisyah",
        "Siti \u{1b}[31mAisyah",
        "Siti\u{7}",
        "Siti \u{202E}hasyiA",
    ] {
        let browser = Browser::new(&app);
        let res = browser
            .submit(
                "/daftar",
                "/daftar",
                &with(signup_fields("siti.kontrol@contoh.id"), "full_name", name),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        res.assert_contains(HIDDEN);
        res.assert_contains(r#"aria-describedby="full_name-error""#);
        // The other fields as typed (never the passwords).
        res.assert_contains(r#"value="siti.kontrol@contoh.id""#);
        res.assert_contains(r#"value="0812-3456-7890""#);
        assert_eq!(
            users_with_email(&app, "siti.kontrol@contoh.id"),
            0,
            "{name:?}: no account"
        );
    }
    // In English too.
    let browser = Browser::new(&app);
    browser.set_cookie("lang", "en");
    let res = browser
        .submit(
            "/daftar",
            "/daftar",
            &with(
                signup_fields("siti.kontrol@contoh.id"),
                "full_name",
                "Siti\0",
            ),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("This field holds hidden characters");
    // The same name without them is taken.
    let res = Browser::new(&app)
        .submit(
            "/daftar",
            "/daftar",
            &signup_fields("siti.kontrol@contoh.id"),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
});

db_test!(company_names_and_invited_names_are_text, |app| {
    let browser = Browser::new(&app);
    let fields = employer_fields("hrd@kontrol.example", "1234567890123", "12.75.01.1008");
    let res = browser
        .submit(
            "/daftar/perusahaan",
            "/daftar/perusahaan",
            &with(fields, "company_name", "CV \u{202E}ayaJ nataubmaR"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(HIDDEN);
    res.assert_contains(r#"aria-describedby="company_name-error""#);
    res.assert_contains("Jl. Jenderal Sudirman No. 12");
    assert_eq!(users_with_email(&app, "hrd@kontrol.example"), 0);
    let companies: i64 = with_conn(&app, |c| {
        companies::table
            .filter(companies::nib.eq("1234567890123"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(companies, 0, "no company");

    seed_demo(&app);
    let owner = signed_in(&app, "perusahaan@sibuser.example").await;
    owner.get("/perusahaan/pengguna").await;
    let res = owner
        .post(
            "/perusahaan/pengguna",
            &[
                ("full_name", "Dedi\0Saragih"),
                ("email", "dedi@rekan.example"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(HIDDEN);
    res.assert_contains(r#"value="dedi@rekan.example""#);
    assert_eq!(users_with_email(&app, "dedi@rekan.example"), 0);
});

db_test!(a_seekers_profile_takes_only_text, |app| {
    seed_demo(&app);
    let seeker = signed_in(&app, "pencaker@sibuser.example").await;
    let name_before: String = with_conn(&app, |c| {
        users::table
            .filter(users::email.eq("pencaker@sibuser.example"))
            .select(users::full_name)
            .first(c)
            .unwrap()
    });
    seeker.get("/pencaker/profil/data-diri").await;
    let res = seeker
        .post(
            "/pencaker/profil/data-diri",
            &[
                ("full_name", "Siti\u{202E}siwuL"),
                ("birth_place", "Binjai\0"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(r#"aria-describedby="full_name-error""#);
    res.assert_contains(HIDDEN);
    let res = seeker
        .post(
            "/pencaker/profil/pendidikan-pekerjaan",
            &[
                ("field_of_study", "Akuntansi\nManajemen"),
                ("skills", "Kasir\nPembukuan"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Isian ini harus satu baris");
    // What was typed is there to correct, the skills' line break included.
    res.assert_contains("Kasir\nPembukuan");
    let name_after: String = with_conn(&app, |c| {
        users::table
            .filter(users::email.eq("pencaker@sibuser.example"))
            .select(users::full_name)
            .first(c)
            .unwrap()
    });
    assert_eq!(name_after, name_before, "nothing saved");

    // A row of the work history, likewise.
    let res = seeker
        .post(
            "/pencaker/profil/pengalaman",
            &[
                ("exp_employer", "CV Rambutan\0Jaya"),
                ("exp_position", "Kasir"),
                ("exp_from", "2019"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains(HIDDEN);
});

db_test!(a_nul_in_any_field_is_never_a_server_error, |app| {
    seed_demo(&app);
    let visitor = Browser::new(&app);
    for path in [
        "/lowongan?q=kasir%00",
        "/lowongan?q=%00&kecamatan=%00&hal=%00",
        "/pelatihan?q=%00",
        "/masuk?next=%00",
    ] {
        let res = visitor.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
    }
    for path in [
        "/verifikasi/abc%00",
        "/atur-sandi/abc%00",
        "/undangan/abc%00",
        "/lowongan/1%00",
    ] {
        let res = visitor.get(path).await;
        assert!(!res.status.is_server_error(), "{path}: {}", res.status);
    }
    // A password or an e-mail address with a NUL is only wrong.
    let res = visitor
        .submit(
            "/masuk",
            "/masuk",
            &[
                ("email", "pencaker@sibuser.example\0"),
                ("password", "demo\0"),
            ],
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
    let res = visitor
        .submit("/lupa-sandi", "/lupa-sandi", &[("email", "a\0@b.example")])
        .await;
    assert!(!res.status.is_server_error(), "{}", res.status);

    // Signed in: the counter's search, the staff lists' filters.
    let operator = signed_in(&app, "operator@sibuser.example").await;
    for path in [
        "/petugas/pencaker?q=%00",
        "/admin/pengguna?q=%00",
        "/petugas/pelatihan/program?q=%00",
    ] {
        let res = operator.get(path).await;
        assert!(!res.status.is_server_error(), "{path}: {}", res.status);
    }
    let seeker = signed_in(&app, "pencaker@sibuser.example").await;
    seeker.get("/lowongan").await;
    let res = seeker
        .post(
            "/pencaker/peringatan",
            &[("kueri", "q=kasir%00"), ("frekuensi", "daily")],
        )
        .await;
    assert!(!res.status.is_server_error(), "{}", res.status);
});
