//! Value types at the database boundary: a stored value that its type would not parse
//! (written around the types, here with raw SQL) makes the page fail with an error for the
//! log, never show a plausible value.

use actix_web::http::StatusCode;
use diesel::RunQueryDsl;

use crate::common::{TestApp, seed_demo, signed_in, with_conn};
use crate::vacancies::{new_vacancy, owner_company, publish, verify_company};

fn raw(app: &TestApp, sql: &str) {
    with_conn(app, |c| diesel::sql_query(sql).execute(c).expect(sql));
}

async fn assert_fails_without_showing(app: &TestApp, path: &str, stored: &str) {
    let res = app.get(path).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
    res.assert_contains("Kode rujukan untuk petugas");
    res.assert_lacks(stored);
}

db_test!(
    a_stored_value_of_the_wrong_shape_is_an_error_not_a_page,
    |app| {
        seed_demo(&app);
        let company = owner_company(&app);
        verify_company(&app, company);
        let employer = signed_in(&app, "perusahaan@sibuser.example").await;
        let vacancy = new_vacancy(&app, &employer, "submit").await;
        publish(&app, vacancy);
        let (company_page, vacancy_page) = (
            format!("/perusahaan/{company}"),
            format!("/lowongan/{vacancy}"),
        );
        assert_eq!(app.get(&company_page).await.status, StatusCode::OK);
        assert_eq!(app.get(&vacancy_page).await.status, StatusCode::OK);

        // An e-mail address without '@', then one not in its normal (lowercase) form.
        for stored in ["humas.binjai", "Humas@Binjai.example"] {
            raw(
                &app,
                &format!("UPDATE companies SET contact_email = '{stored}' WHERE id = {company}"),
            );
            assert_fails_without_showing(&app, &company_page, stored).await;
        }
        raw(
            &app,
            &format!("UPDATE companies SET contact_email = NULL WHERE id = {company}"),
        );
        assert_eq!(app.get(&company_page).await.status, StatusCode::OK);

        // A KBJI code of the wrong shape.
        raw(
            &app,
            &format!("UPDATE vacancies SET kbji_code = '52X0' WHERE id = {vacancy}"),
        );
        assert_fails_without_showing(&app, &vacancy_page, "52X0").await;
    }
);
