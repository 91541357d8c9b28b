//! The GOV.UK error pattern on the portal's forms (issue 18, item 4): a form sent with
//! mistakes comes back with "Kesalahan: " before the page's title, a summary at the top
//! whose links lead to each field, and each field's message above the field.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use sibuser::schema::vacancies;

use crate::common::browser::Browser;
use crate::common::{TestResponse, seed_demo, signed_in, with_conn};

/// Checks the pattern on a page with errors; returns the fields the summary links to.
fn assert_error_pattern(res: &TestResponse, what: &str) -> Vec<String> {
    let body = &res.body;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{what}: {body}"
    );
    assert!(
        body.contains("<title>Kesalahan: "),
        "{what}: the title says there are errors"
    );
    let start = body
        .find("<div class=\"error-summary\"")
        .unwrap_or_else(|| panic!("{what}: no error summary"));
    let summary = &body[start..start + body[start..].find("</div>").unwrap()];
    assert!(
        summary.contains("autofocus"),
        "{what}: the summary takes the focus"
    );
    let targets: Vec<String> = summary
        .split("href=\"#")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect();
    assert!(!targets.is_empty(), "{what}: the summary links its fields");
    for target in &targets {
        let field = body
            .find(&format!(" id=\"{target}\""))
            .unwrap_or_else(|| panic!("{what}: the summary links #{target}, which is not there"));
        let message = body
            .find(&format!(
                "<small id=\"{target}-error\" class=\"field-error\">"
            ))
            .unwrap_or_else(|| panic!("{what}: no message for {target}"));
        let opening = &body[body[..field].rfind('<').unwrap()..field];
        if opening.starts_with("<fieldset") {
            // A group: its message comes after its legend, inside it.
            let end = field + body[field..].find("</fieldset>").unwrap();
            assert!(
                field < message && message < end,
                "{what}: {target}'s message is in its group"
            );
        } else {
            assert!(
                message < field,
                "{what}: {target}'s message is above the field"
            );
        }
    }
    targets
}

db_test!(
    every_form_with_mistakes_links_its_messages_to_the_fields,
    |app| {
        seed_demo(&app);

        let visitor = Browser::new(&app);
        let res = visitor.submit("/daftar", "/daftar", &[]).await;
        let fields = assert_error_pattern(&res, "sign-up");
        for field in ["full_name", "email", "password", "consent"] {
            assert!(
                fields.iter().any(|f| f == field),
                "sign-up: {field} in {fields:?}"
            );
        }
        let res = visitor
            .submit("/daftar/perusahaan", "/daftar/perusahaan", &[])
            .await;
        assert_error_pattern(&res, "employer sign-up");

        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let res = employer
            .submit(
                "/perusahaan/lowongan/baru",
                "/perusahaan/lowongan/baru",
                &[
                    ("age_min", "dua"),
                    ("wage_min", "banyak"),
                    ("closes_on", "kemarin"),
                ],
            )
            .await;
        let fields = assert_error_pattern(&res, "vacancy");
        for field in ["title", "age_min", "wage_min", "closes_on"] {
            assert!(
                fields.iter().any(|f| f == field),
                "vacancy: {field} in {fields:?}"
            );
        }
        // What was typed comes back.
        res.assert_contains("value=\"dua\"");

        let seeker = signed_in(&app, "pencaker@sibuser.example").await;
        let res = seeker
            .submit(
                "/pencaker/profil/data-diri",
                "/pencaker/profil/data-diri",
                &[("nik", "123")],
            )
            .await;
        let fields = assert_error_pattern(&res, "seeker profile");
        assert!(fields.iter().any(|f| f == "nik"), "{fields:?}");

        let operator = signed_in(&app, "operator@sibuser.example").await;
        let res = operator
            .submit("/petugas/pencaker/baru", "/petugas/pencaker/baru", &[])
            .await;
        assert_error_pattern(&res, "counter registration");

        let admin = signed_in(&app, "admin@sibuser.example").await;
        let res = admin
            .submit("/admin/pengguna/baru", "/admin/pengguna/baru", &[])
            .await;
        assert_error_pattern(&res, "new staff user");

        let provider = signed_in(&app, "lembaga@sibuser.example").await;
        let res = provider
            .submit("/lembaga/program/baru", "/lembaga/program/baru", &[])
            .await;
        assert_error_pattern(&res, "new programme");

        // A decision with none chosen: the group of choices is the field.
        let submitted: i32 = with_conn(&app, |c| {
            vacancies::table
                .filter(vacancies::status.eq("submitted"))
                .select(vacancies::id)
                .first(c)
                .expect("a demo vacancy waits for a verifier")
        });
        let verifier = signed_in(&app, "verifikator@sibuser.example").await;
        let page = format!("/petugas/verifikasi/lowongan/{submitted}");
        let res = verifier.submit(&page, &page, &[]).await;
        let fields = assert_error_pattern(&res, "vacancy decision");
        assert!(fields.iter().any(|f| f == "keputusan"), "{fields:?}");

        // A page without errors has neither the summary nor the prefix.
        let fine = seeker.get("/pencaker/profil/data-diri").await;
        fine.assert_lacks("error-summary");
        fine.assert_lacks("<title>Kesalahan");
    }
);
