//! What a verifier reviewed is what gets published, on both backends: a decision names the
//! revision the verifier was shown and fails once the vacancy or company has changed; an
//! employer's edit takes a vacancy out of the queue; a verified company that changes its
//! contact details is reviewed again before residents see them.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::{TestApp, TestResponse, seed_demo, signed_in, with_conn};
use crate::vacancies::{
    cashier_id, dates, fields, new_vacancy, owner_company, post, publish, status_of,
};
use sibuser::schema::{audit_log, companies, mail_outbox, vacancies, vacancy_events};

const EMPLOYER: &str = "perusahaan@sibuser.example";
const VERIFIER: &str = "verifikator@sibuser.example";

/// The revision a verifier's decision form carries (empty when the page has no form).
pub(crate) fn revision_on(html: &str) -> String {
    let marker = "name=\"revisi\" value=\"";
    html.find(marker)
        .map(|start| {
            html[start + marker.len()..]
                .chars()
                .take_while(|c| *c != '"')
                .collect()
        })
        .unwrap_or_default()
}

/// Opens the decision page and decides on what it shows, as a verifier does.
pub(crate) async fn decide(
    verifier: &Browser<'_>,
    path: &str,
    choice: &[(&str, &str)],
) -> TestResponse {
    let page = verifier.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    let revision = revision_on(&page.body);
    let mut form = choice.to_vec();
    form.push(("revisi", revision.as_str()));
    verifier.post(path, &form).await
}

fn events_of(app: &TestApp, id: i32) -> Vec<String> {
    with_conn(app, |c| {
        vacancy_events::table
            .filter(vacancy_events::vacancy_id.eq(id))
            .order(vacancy_events::id)
            .select(vacancy_events::status)
            .load(c)
            .unwrap()
    })
}

fn mails_about_publishing(app: &TestApp) -> i64 {
    with_conn(app, |c| {
        mail_outbox::table
            .filter(mail_outbox::to_address.eq(EMPLOYER))
            .filter(mail_outbox::subject.like("%tayang%"))
            .count()
            .get_result(c)
            .unwrap()
    })
}

db_test!(
    an_edit_after_the_verifier_opened_a_vacancy_voids_the_decision,
    |app| {
        seed_demo(&app);
        crate::vacancies::verify_company(&app, owner_company(&app));
        let employer = signed_in(&app, EMPLOYER).await;
        let id = new_vacancy(&app, &employer, "submit").await;
        let path = format!("/petugas/verifikasi/lowongan/{id}");
        let verifier = signed_in(&app, VERIFIER).await;
        let seen = verifier.get(&path).await;
        seen.assert_contains("Kasir Toko Roti");
        let old = revision_on(&seen.body);
        let mails_before = mails_about_publishing(&app);

        // The employer rewrites the vacancy and sends it again while the verifier reads.
        let (opens, closes) = dates();
        let own = format!("/perusahaan/lowongan/{id}");
        employer
            .get(&own)
            .await
            .assert_contains("sedang menunggu pemeriksaan");
        let mut changed = fields(&cashier_id(&app), &opens, &closes, "submit");
        changed[0].1 = "Kasir Malam, kirim CV lewat WhatsApp".into();
        let res = post(&employer, &own, &changed).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        employer
            .get("/perusahaan/lowongan")
            .await
            .assert_contains("petugas memeriksa versi baru ini");

        // Approving (or rejecting) what was shown before is refused, and nothing is published.
        for choice in [
            [("keputusan", "tayangkan"), ("alasan", "")],
            [
                ("keputusan", "tolak"),
                ("alasan", "Upah tidak sesuai UMK Binjai."),
            ],
        ] {
            let mut form = choice.to_vec();
            form.push(("revisi", old.as_str()));
            let res = verifier.post(&path, &form).await;
            assert_eq!(status_of(&app, id), "submitted", "{choice:?} was not taken");
            assert_eq!(res.status, StatusCode::SEE_OTHER);
            assert_eq!(res.header("location"), Some(path.as_str()));
            let again = verifier.get(&path).await;
            again.assert_contains("Lowongan diubah setelah Anda membukanya; periksa lagi");
            again.assert_contains("Kasir Malam, kirim CV lewat WhatsApp");
        }
        assert_eq!(events_of(&app, id), ["submitted", "submitted"]);
        let published_at: Option<chrono::NaiveDateTime> = with_conn(&app, |c| {
            vacancies::table
                .find(id)
                .select(vacancies::published_at)
                .first(c)
                .unwrap()
        });
        assert_eq!(published_at, None);
        assert_eq!(mails_about_publishing(&app), mails_before);
        let public = Browser::new(&app);
        assert_eq!(
            public.get(&format!("/lowongan/{id}")).await.status,
            StatusCode::NOT_FOUND
        );

        // Decided on the version now shown, it is published as shown.
        let res = decide(
            &verifier,
            &path,
            &[("keputusan", "tayangkan"), ("alasan", "")],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, id), "published");
        public
            .get(&format!("/lowongan/{id}"))
            .await
            .assert_contains("Kasir Malam, kirim CV lewat WhatsApp");
    }
);

db_test!(
    an_employer_edit_takes_a_submitted_vacancy_back_to_draft,
    |app| {
        seed_demo(&app);
        crate::vacancies::verify_company(&app, owner_company(&app));
        let employer = signed_in(&app, EMPLOYER).await;
        let id = new_vacancy(&app, &employer, "submit").await;
        let verifier = signed_in(&app, VERIFIER).await;
        let queue_link = format!("/petugas/verifikasi/lowongan/{id}\"");
        verifier
            .get("/petugas/verifikasi/lowongan")
            .await
            .assert_contains(&queue_link);
        let path = format!("/petugas/verifikasi/lowongan/{id}");
        let seen = revision_on(&verifier.get(&path).await.body);

        let (opens, closes) = dates();
        let own = format!("/perusahaan/lowongan/{id}");
        employer.get(&own).await;
        let mut changed = fields(&cashier_id(&app), &opens, &closes, "draft");
        changed[0].1 = "Kasir Toko Roti (shift pagi)".into();
        let res = post(&employer, &own, &changed).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(status_of(&app, id), "draft");
        employer
            .get("/perusahaan/lowongan")
            .await
            .assert_contains("ditarik dari pemeriksaan dan kembali menjadi draf");
        // A dated event, and an audit entry naming the new revision.
        assert_eq!(events_of(&app, id), ["submitted", "draft"]);
        let detail: String = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("vacancy.changed"))
                .filter(audit_log::subject_id.eq(id.to_string()))
                .select(audit_log::detail.assume_not_null())
                .first(c)
                .unwrap()
        });
        assert!(detail.contains("\"status\":\"draft\""), "{detail}");

        // Gone from the queue; the page the verifier still has open cannot publish it.
        verifier
            .get("/petugas/verifikasi/lowongan")
            .await
            .assert_lacks(&queue_link);
        let res = verifier
            .post(
                &path,
                &[
                    ("keputusan", "tayangkan"),
                    ("alasan", ""),
                    ("revisi", seen.as_str()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        verifier
            .get(&path)
            .await
            .assert_contains("Lowongan diubah setelah Anda membukanya");
        assert_eq!(status_of(&app, id), "draft");
    }
);

/// The profile form as the employer fills it, with the company's own NIB.
fn profile<'a>(nib: &'a str, website: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("company_name", "CV Rambutan Jaya"),
        ("nib", nib),
        ("npwp", ""),
        ("kbli_section", "I"),
        ("location", "12.75.02.1006"),
        ("address", "Jl. Jenderal Sudirman No. 8"),
        ("size_band", "small"),
        ("contact_phone", phone),
        ("contact_email", "hrd@rambutanjaya.co.id"),
        ("website", website),
        ("description", "Rumah makan khas Binjai."),
    ]
}

fn company_status(app: &TestApp, id: i32) -> String {
    with_conn(app, |c| {
        companies::table
            .find(id)
            .select(companies::verification_status)
            .first(c)
            .unwrap()
    })
}

db_test!(
    a_verified_company_that_changes_its_website_is_reviewed_again,
    |app| {
        seed_demo(&app);
        let company = owner_company(&app);
        let nib: String = with_conn(&app, |c| {
            companies::table
                .find(company)
                .select(companies::nib.assume_not_null())
                .first(c)
                .unwrap()
        });
        let employer = signed_in(&app, EMPLOYER).await;
        let verifier = signed_in(&app, VERIFIER).await;
        let review = format!("/petugas/verifikasi/perusahaan/{company}");

        // Completed while waiting, then verified as it stands.
        employer.get("/perusahaan/profil").await;
        let res = employer
            .post(
                "/perusahaan/profil",
                &profile(&nib, "rambutanjaya.co.id", "061 882 1234"),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = decide(
            &verifier,
            &review,
            &[("keputusan", "setujui"), ("alasan", "")],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(company_status(&app, company), "verified");
        let vacancy = new_vacancy(&app, &employer, "submit").await;
        publish(&app, vacancy);
        let public = Browser::new(&app);
        public
            .get(&format!("/perusahaan/{company}"))
            .await
            .assert_contains("https://rambutanjaya.co.id");
        public
            .get(&format!("/lowongan/{vacancy}"))
            .await
            .assert_contains("hrd@rambutanjaya.co.id");

        // A new website: back to review, with a dated event and the changed field audited.
        let fake = "rambutan-jaya-rekrutmen.example";
        employer.get("/perusahaan/profil").await;
        let res = employer
            .post("/perusahaan/profil", &profile(&nib, fake, "061 882 1234"))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(company_status(&app, company), "pending");
        employer
            .get("/perusahaan/profil")
            .await
            .assert_contains("perusahaan diverifikasi ulang");
        let history: Vec<String> = with_conn(&app, |c| {
            sibuser::employers::company_events(c, company.into())
                .unwrap()
                .into_iter()
                .map(|e| e.status.as_str().to_owned())
                .collect()
        });
        assert_eq!(history.last().map(String::as_str), Some("pending"));
        let detail: String = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("company.profile_changed"))
                .filter(audit_log::subject_id.eq(company.to_string()))
                .order(audit_log::id.desc())
                .select(audit_log::detail.assume_not_null())
                .first(c)
                .unwrap()
        });
        assert!(detail.contains("\"changed\":[\"website\"]"), "{detail}");

        // Residents see neither the new website nor any contact until a verifier has seen it;
        // the published vacancy stays, a new one waits.
        assert_eq!(
            public.get(&format!("/perusahaan/{company}")).await.status,
            StatusCode::NOT_FOUND
        );
        let page = public.get(&format!("/lowongan/{vacancy}")).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_lacks(fake);
        page.assert_lacks("hrd@rambutanjaya.co.id");
        let waiting = new_vacancy(&app, &employer, "submit").await;
        let res = decide(
            &verifier,
            &format!("/petugas/verifikasi/lowongan/{waiting}"),
            &[("keputusan", "tayangkan"), ("alasan", "")],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, waiting), "submitted");

        // In the verifier's queue, showing the new website; a change made while the verifier
        // reads voids the approval.
        verifier
            .get("/petugas/verifikasi/perusahaan")
            .await
            .assert_contains(&format!("{review}\""));
        let seen = verifier.get(&review).await;
        seen.assert_contains(&format!("https://{fake}"));
        let old = revision_on(&seen.body);
        employer.get("/perusahaan/profil").await;
        employer
            .post("/perusahaan/profil", &profile(&nib, fake, "061 882 9999"))
            .await;
        let res = verifier
            .post(
                &review,
                &[
                    ("keputusan", "setujui"),
                    ("alasan", ""),
                    ("revisi", old.as_str()),
                ],
            )
            .await;
        assert_eq!(res.header("location"), Some(review.as_str()));
        verifier
            .get(&review)
            .await
            .assert_contains("Profil perusahaan diubah setelah Anda membukanya; periksa lagi");
        assert_eq!(company_status(&app, company), "pending");

        // Approved as now shown: the new website is published.
        let res = decide(
            &verifier,
            &review,
            &[("keputusan", "setujui"), ("alasan", "")],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(company_status(&app, company), "verified");
        let page = public.get(&format!("/perusahaan/{company}")).await;
        page.assert_contains(&format!("https://{fake}"));
        page.assert_contains("0618829999");
        public
            .get(&format!("/lowongan/{vacancy}"))
            .await
            .assert_contains("hrd@rambutanjaya.co.id");
    }
);
