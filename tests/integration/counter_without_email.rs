//! Issue 18, item 7: a resident without an e-mail address is served at the counter. The
//! phone identifies them (the NIK once the profile has it), no mail is sent or queued, and a
//! printed slip carries the card number and the next report date in place of the mail.

use actix_web::http::StatusCode;
use chrono::Days;
use diesel::prelude::*;

use crate::common::{seed_demo, signed_in, with_conn};
use crate::seekers::complete_profile;
use sibuser::schema::{ak1_cards, audit_log, job_seekers, mail_outbox, users};
use sibuser::seekers::ak1::jobs::run_daily;

const OPERATOR: &str = "operator@sibuser.example";
const NIK: &str = "1275015203980005";

fn outbox(app: &crate::common::TestApp) -> i64 {
    with_conn(app, |c| mail_outbox::table.count().get_result(c).unwrap())
}

fn butet(app: &crate::common::TestApp) -> Vec<(i32, Option<String>, Option<String>)> {
    with_conn(app, |c| {
        users::table
            .filter(users::full_name.eq("Butet Sinaga"))
            .select((users::id, users::email, users::phone))
            .load(c)
            .unwrap()
    })
}

db_test!(
    a_resident_without_email_is_registered_by_phone_and_takes_a_printed_slip,
    |app| {
        seed_demo(&app);
        let operator = signed_in(&app, OPERATOR).await;
        let mails_before = outbox(&app);
        let page = operator.get("/petugas/pencaker/baru").await;
        page.assert_contains("Alamat surel (boleh kosong)");
        let fields = [
            ("full_name", "Butet Sinaga"),
            ("phone", "0813-7000-1111"),
            ("email", ""),
            ("consent", "ya"),
        ];
        let res = operator.post("/petugas/pencaker/baru", &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let rows = butet(&app);
        assert_eq!(rows.len(), 1);
        let (uid, email, phone) = rows[0].clone();
        assert_eq!(email, None, "no address is made up");
        assert!(phone.is_some_and(|p| p.ends_with("70001111")));
        let profile = format!("/petugas/pencaker/{uid}/profil");
        assert_eq!(res.header("location"), Some(profile.as_str()));
        operator
            .get(&profile)
            .await
            .assert_contains("Akun dibuat tanpa surel");
        assert_eq!(outbox(&app), mails_before, "nothing is mailed");

        // The same phone again, without an address, would make a second person of one.
        operator.get("/petugas/pencaker/baru").await;
        let res = operator.post("/petugas/pencaker/baru", &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Nomor HP ini sudah terdaftar pada pencari kerja lain");
        res.assert_contains(r#"value="Butet Sinaga""#);
        assert_eq!(butet(&app).len(), 1);

        // The counter finds her by phone, written any way, and says she has no address.
        operator.get("/petugas/pencaker").await;
        let found = operator
            .post("/petugas/pencaker/cari", &[("q", "0813 7000 1111")])
            .await;
        found.assert_contains(&format!(
            r#"href="/petugas/pencaker/{uid}">Butet Sinaga</a>"#
        ));
        found.assert_contains("tanpa surel");

        // The operator completes the profile with her and issues the card.
        complete_profile(&app, &operator, &profile, NIK).await;
        let res = operator
            .post(&format!("/petugas/pencaker/{uid}/ak1/terbitkan"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let (number, due): (String, chrono::NaiveDate) = with_conn(&app, |c| {
            ak1_cards::table
                .inner_join(job_seekers::table)
                .filter(job_seekers::user_id.eq(uid))
                .select((
                    ak1_cards::number.assume_not_null(),
                    ak1_cards::next_report_due.assume_not_null(),
                ))
                .first(c)
                .unwrap()
        });

        // The slip: her card, the report she must make and when, and why it is on paper.
        let seeker_page = operator.get(&format!("/petugas/pencaker/{uid}")).await;
        seeker_page.assert_contains(&format!(r#"href="/petugas/pencaker/{uid}/tanda-bukti""#));
        let viewed_before: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("seeker.profile_viewed"))
                .count()
                .get_result(c)
                .unwrap()
        });
        let slip = operator
            .get(&format!("/petugas/pencaker/{uid}/tanda-bukti"))
            .await;
        assert_eq!(slip.status, StatusCode::OK);
        slip.assert_contains("Tanda bukti pendaftaran pencari kerja");
        slip.assert_contains(&number);
        slip.assert_contains(&sibuser::web::format::date(sibuser::web::Lang::Id, due));
        slip.assert_contains("tidak menerima pengingat lewat e-mail");
        slip.assert_contains("1275••••••••0005");
        slip.assert_lacks(NIK);
        let viewed_after: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("seeker.profile_viewed"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(
            viewed_after,
            viewed_before + 1,
            "printing the slip is a logged read"
        );

        // The reminder job passes her card without a mail, and does not come back to it.
        let mails_before = outbox(&app);
        let near = due - Days::new(3);
        let summary = with_conn(&app, |c| run_daily(c, near, "http://localhost").unwrap());
        let reminded: Option<chrono::NaiveDate> = with_conn(&app, |c| {
            ak1_cards::table
                .inner_join(job_seekers::table)
                .filter(job_seekers::user_id.eq(uid))
                .select(ak1_cards::reminded_for)
                .first(c)
                .unwrap()
        });
        assert_eq!(reminded, Some(due));
        let to_her: i64 = with_conn(&app, |c| {
            mail_outbox::table
                .filter(mail_outbox::body_text.like(format!("%{number}%")))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(to_her, 0);
        // Other demo holders due then are mailed; her claimed card is not counted as one.
        assert_eq!(outbox(&app) - mails_before, summary.reminded as i64);

        // The administrator sees the account without an address and cannot mail it a reset.
        let admin = signed_in(&app, "admin@sibuser.example").await;
        let page = admin.get(&format!("/admin/pengguna/{uid}")).await;
        page.assert_contains("tanpa surel");
        let res = admin
            .post(&format!("/admin/pengguna/{uid}/atur-ulang-sandi"), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        admin
            .get(&format!("/admin/pengguna/{uid}"))
            .await
            .assert_contains("tidak punya alamat surel");

        // Later she has an address: the operator adds it, and she is invited to set a
        // password. A mistyped or taken address comes back with what was typed.
        let form = format!("/petugas/pencaker/{uid}/surel");
        operator
            .get(&format!("/petugas/pencaker/{uid}"))
            .await
            .assert_contains(&format!(r#"href="{form}">Tambahkan alamat surel</a>"#));
        // (The profile took Siti's particulars above: the name is hers now.)
        operator
            .get(&form)
            .await
            .assert_contains("Siti Aisyah Lubis");
        let email_now = || -> Option<String> {
            with_conn(&app, |c| {
                users::table
                    .find(uid)
                    .select(users::email)
                    .first(c)
                    .unwrap()
            })
        };
        let res = operator.post(&form, &[("email", "butet@")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains(r#"value="butet@""#);
        let res = operator
            .post(&form, &[("email", "pencaker@sibuser.example")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("sudah memiliki akun");
        assert_eq!(email_now(), None, "nothing is written on a refusal");
        let res = operator
            .post(&form, &[("email", "Butet.Sinaga@warga.example")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(email_now().as_deref(), Some("butet.sinaga@warga.example"));
        let invited: i64 = with_conn(&app, |c| {
            mail_outbox::table
                .filter(mail_outbox::to_address.eq("butet.sinaga@warga.example"))
                .filter(mail_outbox::kind.eq("invitation"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(invited, 1);
        let logged: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("seeker.email_added_at_counter"))
                .filter(audit_log::subject_id.eq(uid.to_string()))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(logged, 1);
        // An account with an address has nothing to add.
        assert_eq!(operator.get(&form).await.status, StatusCode::NOT_FOUND);
    }
);
