//! Job fairs (issue 20), on both backends: the Dinas creates a fair, companies apply for
//! booths with their vacancies and staff decide them, the fair's page lists the companies
//! (with Event JSON-LD and a calendar file), and residents take tickets up to the capacity,
//! then wait, a cancelled ticket going to the one who waited longest.

use actix_web::http::StatusCode;
use chrono::Duration;
use diesel::prelude::*;

use crate::common::browser::Browser;
use crate::common::{TestApp, seed_demo, signed_in, with_conn};
use crate::vacancies::{new_vacancy, owner_company, publish, verify_company};
use sibuser::schema::{
    audit_log, job_fair_booths, job_fair_ticket_events, job_fair_tickets, job_fairs, mail_outbox,
    users, vacancies,
};

const OPERATOR: &str = "operator@sibuser.example";
const VERIFIER: &str = "verifikator@sibuser.example";
const EMPLOYER: &str = "perusahaan@sibuser.example";
const SITI: &str = "pencaker@sibuser.example";
const SITI_NIK: &str = "1275015203980001";

fn day(offset: i64) -> String {
    (sibuser::domain::calendar::today() + Duration::days(offset)).to_string()
}

fn fair_fields<'a>(
    name: &'a str,
    capacity: &'a str,
    days: &'a [String; 3],
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        (
            "description",
            "Bursa kerja Dinas Ketenagakerjaan: puluhan perusahaan, wawancara di tempat.",
        ),
        ("starts_on", days[0].as_str()),
        ("ends_on", days[1].as_str()),
        ("opens_at", "08:00"),
        ("closes_at", "16:00"),
        ("mode", "on_site"),
        ("venue", "Gedung Serbaguna Binjai"),
        ("location", "12.75.01.1001"),
        ("online_url", ""),
        ("capacity", capacity),
        ("booth_deadline", days[2].as_str()),
        ("status", "published"),
    ]
}

/// The operator creates a published fair through the form: in `starts` days, two days
/// long, booths until the day before; returns its id.
async fn create_fair(app: &TestApp, name: &str, capacity: &str, starts: i64) -> i32 {
    create_fair_with_booths_until(app, name, capacity, starts, starts - 1).await
}

async fn create_fair_with_booths_until(
    app: &TestApp,
    name: &str,
    capacity: &str,
    starts: i64,
    booths_until: i64,
) -> i32 {
    let operator = signed_in(app, OPERATOR).await;
    operator.get("/petugas/bursa-kerja/baru").await;
    let days = [day(starts), day(starts + 1), day(booths_until)];
    let res = operator
        .post(
            "/petugas/bursa-kerja/baru",
            &fair_fields(name, capacity, &days),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    with_conn(app, |c| {
        job_fairs::table
            .filter(job_fairs::name.eq(name))
            .select(job_fairs::id)
            .first(c)
            .unwrap()
    })
}

fn fairs_count(app: &TestApp) -> i64 {
    with_conn(app, |c| job_fairs::table.count().get_result(c).unwrap())
}

db_test!(
    a_fair_that_ends_before_it_starts_is_refused_with_the_form_kept,
    |app| {
        seed_demo(&app);
        let operator = signed_in(&app, OPERATOR).await;
        operator.get("/petugas/bursa-kerja/baru").await;
        let before = fairs_count(&app);
        let days = [day(10), day(8), day(5)];
        let res = operator
            .post(
                "/petugas/bursa-kerja/baru",
                &fair_fields("Job Fair Terbalik", "500", &days),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tanggal selesai tidak boleh sebelum tanggal mulai.");
        res.assert_contains(r#"value="Job Fair Terbalik""#);
        res.assert_contains(r#"value="Gedung Serbaguna Binjai""#);
        assert_eq!(fairs_count(&app), before, "nothing written");

        // Online without its address, and a capacity that is not a number.
        let days = [day(10), day(11), day(5)];
        let mut fields = fair_fields("Job Fair Daring", "banyak", &days);
        fields.retain(|(k, _)| *k != "mode");
        fields.push(("mode", "online"));
        let res = operator.post("/petugas/bursa-kerja/baru", &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("alamat acara daring");
        res.assert_contains("Masukkan kapasitas pengunjung");
        assert_eq!(fairs_count(&app), before);

        // A verifier decides booths but does not organise fairs.
        let verifier = signed_in(&app, VERIFIER).await;
        assert_eq!(
            verifier.get("/petugas/bursa-kerja/baru").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            verifier.get("/petugas/bursa-kerja").await.status,
            StatusCode::OK
        );
    }
);

/// A verified demo company other than the demo employer's, with an open vacancy: its
/// user's e-mail and the vacancy.
fn second_company(app: &TestApp) -> (String, i32) {
    let today = sibuser::domain::calendar::today();
    with_conn(app, |c| {
        users::table
            .inner_join(vacancies::table.on(vacancies::company_id.nullable().eq(users::company_id)))
            .filter(users::email.like("%@perusahaan.example"))
            .filter(vacancies::status.eq("published"))
            .filter(vacancies::closes_on.ge(today))
            .order(vacancies::id)
            .select((users::email.assume_not_null(), vacancies::id))
            .first(c)
            .unwrap()
    })
}

fn booth_status(app: &TestApp, fair: i32, company: i32) -> String {
    with_conn(app, |c| {
        job_fair_booths::table
            .filter(job_fair_booths::fair_id.eq(fair))
            .filter(job_fair_booths::company_id.eq(company))
            .select(job_fair_booths::status)
            .first(c)
            .unwrap()
    })
}

fn company_of(app: &TestApp, email: &str) -> i32 {
    with_conn(app, |c| {
        users::table
            .filter(users::email.eq(email))
            .select(users::company_id.assume_not_null())
            .first(c)
            .unwrap()
    })
}

db_test!(
    two_companies_get_booths_and_the_fair_page_lists_them,
    |app| {
        seed_demo(&app);
        let fair = create_fair(&app, "Job Fair Binjai Maret", "300", 14).await;

        // The demo employer brings a vacancy of its own, published for the test.
        let own = owner_company(&app);
        verify_company(&app, own);
        let employer = signed_in(&app, EMPLOYER).await;
        let cashier = new_vacancy(&app, &employer, "submit").await;
        publish(&app, cashier);
        let page = employer.get("/perusahaan/bursa-kerja").await;
        page.assert_contains("Job Fair Binjai Maret");
        let form = format!("/perusahaan/bursa-kerja/{fair}");
        employer
            .get(&form)
            .await
            .assert_contains(&format!(r#"value="{cashier}""#));
        // Nothing ticked: a message, and nothing written.
        let res = employer
            .post(&form, &[("note", "Butuh listrik 900 VA")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Pilih paling sedikit satu lowongan");
        res.assert_contains("Butuh listrik 900 VA");
        // Another company's vacancy cannot be brought.
        let (other_email, other_vacancy) = second_company(&app);
        let res = employer
            .post(
                &form,
                &[("vacancy", &other_vacancy.to_string()), ("note", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = employer
            .post(
                &form,
                &[("vacancy", &cashier.to_string()), ("note", "Butuh listrik")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(booth_status(&app, fair, own), "applied");

        // The second company, verified.
        let other = company_of(&app, &other_email);
        verify_company(&app, other);
        let rival = signed_in(&app, &other_email).await;
        rival.get(&form).await;
        let res = rival
            .post(
                &form,
                &[("vacancy", &other_vacancy.to_string()), ("note", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        // A company the Dinas has not verified gets no booth.
        let unverified: (String, i32) = with_conn(&app, |c| {
            users::table
                .inner_join(
                    sibuser::schema::companies::table.on(sibuser::schema::companies::id
                        .nullable()
                        .eq(users::company_id)),
                )
                .filter(sibuser::schema::companies::verification_status.ne("verified"))
                .select((
                    users::email.assume_not_null(),
                    sibuser::schema::companies::id,
                ))
                .first(c)
                .unwrap()
        });
        let stranger = signed_in(&app, &unverified.0).await;
        stranger.get(&form).await;
        let res = stranger
            .post(
                &form,
                &[("vacancy", &other_vacancy.to_string()), ("note", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Hanya perusahaan yang sudah diverifikasi");
        let booths: i64 = with_conn(&app, |c| {
            job_fair_booths::table
                .filter(job_fair_booths::company_id.eq(unverified.1))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(booths, 0);

        // Nothing shows on the fair's page before a decision.
        let public = Browser::new(&app);
        let page = public.get(&format!("/bursa-kerja/{fair}")).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("Daftar perusahaan akan diumumkan di sini.");

        // The verifier approves both, with their stands; a refusal needs its reason.
        let verifier = signed_in(&app, VERIFIER).await;
        let booths_page = format!("/petugas/bursa-kerja/{fair}/stan");
        verifier
            .get(&booths_page)
            .await
            .assert_contains("Butuh listrik");
        let ids: Vec<(i32, i32)> = with_conn(&app, |c| {
            job_fair_booths::table
                .filter(job_fair_booths::fair_id.eq(fair))
                .order(job_fair_booths::id)
                .select((job_fair_booths::id, job_fair_booths::company_id))
                .load(c)
                .unwrap()
        });
        let res = verifier
            .post(
                &format!("{booths_page}/{}", ids[0].0),
                &[("decision", "reject"), ("reason", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tulis alasan penolakan");
        assert_eq!(booth_status(&app, fair, ids[0].1), "applied");
        for (n, (booth, _)) in ids.iter().enumerate() {
            let stand = format!("A{}", n + 1);
            let res = verifier
                .post(
                    &format!("{booths_page}/{booth}"),
                    &[("decision", "approve"), ("stand", &stand)],
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        assert_eq!(booth_status(&app, fair, own), "approved");
        assert_eq!(booth_status(&app, fair, other), "approved");
        let told: i64 = with_conn(&app, |c| {
            mail_outbox::table
                .filter(mail_outbox::kind.eq("fair_news"))
                .filter(mail_outbox::to_address.eq(EMPLOYER))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(told, 1, "the company hears of its booth");
        let decided: i64 = with_conn(&app, |c| {
            audit_log::table
                .filter(audit_log::action.eq("job_fair_booth.decided"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(decided, 2);

        // The public page lists both companies with their vacancies, its Event JSON-LD and
        // the calendar file.
        let page = public.get(&format!("/bursa-kerja/{fair}")).await;
        page.assert_contains(&format!(r#"href="/lowongan/{cashier}""#));
        page.assert_contains(&format!(r#"href="/lowongan/{other_vacancy}""#));
        page.assert_contains(r#""@type":"Event""#);
        page.assert_contains("OfflineEventAttendanceMode");
        page.assert_contains("Nomor stan A1");
        // Each vacancy is still found as usual, marked with the fair.
        public
            .get(&format!("/lowongan/{cashier}"))
            .await
            .assert_contains("Di bursa kerja: Job Fair Binjai Maret");
        let ics = public
            .get(&format!("/bursa-kerja/{fair}/kalender.ics"))
            .await;
        assert_eq!(ics.status, StatusCode::OK);
        assert_eq!(
            ics.header("content-type"),
            Some("text/calendar; charset=utf-8")
        );
        assert_eq!(ics.body.matches("BEGIN:VEVENT").count(), 2, "one a day");
        assert!(ics.body.contains("SUMMARY:Job Fair Binjai Maret"));
        public
            .get("/bursa-kerja")
            .await
            .assert_contains(&format!(r#"href="/bursa-kerja/{fair}""#));
    }
);

fn ticket_of(app: &TestApp, fair: i32, email: &str) -> Option<(i32, String, String)> {
    with_conn(app, |c| {
        job_fair_tickets::table
            .inner_join(sibuser::schema::job_seekers::table.inner_join(users::table))
            .filter(job_fair_tickets::fair_id.eq(fair))
            .filter(users::email.eq(email))
            .select((
                job_fair_tickets::id,
                job_fair_tickets::number,
                job_fair_tickets::status,
            ))
            .first(c)
            .optional()
            .unwrap()
    })
}

fn another_seeker(app: &TestApp) -> String {
    with_conn(app, |c| {
        users::table
            .inner_join(sibuser::schema::job_seekers::table)
            .filter(users::email.like("%@warga.example"))
            .order(users::id)
            .select(users::email.assume_not_null())
            .first(c)
            .unwrap()
    })
}

db_test!(
    tickets_go_up_to_the_capacity_and_a_cancelled_one_goes_to_the_waiting,
    |app| {
        seed_demo(&app);
        let fair = create_fair(&app, "Job Fair Kecil", "1", 7).await;
        let register = format!("/bursa-kerja/{fair}/daftar");

        let siti = signed_in(&app, SITI).await;
        let page = siti.get(&format!("/bursa-kerja/{fair}")).await;
        page.assert_contains("Ambil tiket gratis");
        let res = siti.post(&register, &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (siti_ticket, number, status) = ticket_of(&app, fair, SITI).unwrap();
        assert_eq!(status, "registered");
        assert!(number.starts_with(&format!("BK{fair}-")), "{number}");
        let ticket_page = format!("/pencaker/bursa-kerja/{siti_ticket}");
        assert_eq!(res.header("location"), Some(ticket_page.as_str()));
        let page = siti.get(&ticket_page).await;
        page.assert_contains(&number);
        page.assert_contains("<svg");
        // Again: the same ticket, not a second one.
        siti.get(&format!("/bursa-kerja/{fair}")).await;
        let res = siti.post(&register, &[]).await;
        assert_eq!(res.header("location"), Some(ticket_page.as_str()));

        // The fair is full: the next resident waits.
        let other = another_seeker(&app);
        let budi = signed_in(&app, &other).await;
        budi.get(&format!("/bursa-kerja/{fair}"))
            .await
            .assert_contains("Masuk daftar tunggu");
        budi.post(&register, &[]).await;
        let (budi_ticket, _, status) = ticket_of(&app, fair, &other).unwrap();
        assert_eq!(status, "waitlisted");
        let page = budi
            .get(&format!("/pencaker/bursa-kerja/{budi_ticket}"))
            .await;
        page.assert_contains("Urutan Anda di daftar tunggu: 1.");
        assert!(
            !page.body.contains("<svg"),
            "no QR code for a place on the list"
        );
        // Someone else's ticket is not found.
        assert_eq!(budi.get(&ticket_page).await.status, StatusCode::NOT_FOUND);

        // Siti gives hers back: Budi gets the seat and is told.
        let mails_before: i64 = with_conn(&app, |c| {
            mail_outbox::table
                .filter(mail_outbox::kind.eq("fair_news"))
                .count()
                .get_result(c)
                .unwrap()
        });
        siti.get(&ticket_page).await;
        let res = siti.post(&format!("{ticket_page}/batal"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(ticket_of(&app, fair, SITI).unwrap().2, "cancelled");
        assert_eq!(ticket_of(&app, fair, &other).unwrap().2, "registered");
        let (taken, mails): (i32, i64) = with_conn(&app, |c| {
            (
                job_fairs::table
                    .find(fair)
                    .select(job_fairs::seats_taken)
                    .first(c)
                    .unwrap(),
                mail_outbox::table
                    .filter(mail_outbox::kind.eq("fair_news"))
                    .count()
                    .get_result(c)
                    .unwrap(),
            )
        });
        assert_eq!(taken, 1, "the seat changed hands, it did not multiply");
        assert_eq!(mails, mails_before + 1);

        // Every move is a dated event with what the report groups by.
        let events: Vec<(String, Option<String>)> = with_conn(&app, |c| {
            job_fair_ticket_events::table
                .inner_join(job_fair_tickets::table)
                .filter(job_fair_tickets::fair_id.eq(fair))
                .order(job_fair_ticket_events::id)
                .select((job_fair_ticket_events::kind, job_fair_ticket_events::sex))
                .load(c)
                .unwrap()
        });
        let kinds: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(kinds, ["registered", "waitlisted", "cancelled", "promoted"]);
        assert_eq!(events[0].1, None, "Siti had not said yet");
        let budi_sex: Option<String> = with_conn(&app, |c| {
            sibuser::schema::job_seekers::table
                .inner_join(users::table)
                .filter(users::email.eq(&other))
                .select(sibuser::schema::job_seekers::sex)
                .first(c)
                .unwrap()
        });
        assert!(budi_sex.is_some());
        assert_eq!(events[1].1, budi_sex, "the other resident, as they were");

        // Registering again after cancelling: the fair is full again, so Siti waits.
        siti.get(&format!("/bursa-kerja/{fair}")).await;
        siti.post(&register, &[]).await;
        let (again, again_number, status) = ticket_of(&app, fair, SITI).unwrap();
        assert_eq!((again, status.as_str()), (siti_ticket, "waitlisted"));
        assert_eq!(again_number, number, "the same ticket keeps its number");

        // Staff and employers hold no tickets.
        let operator = signed_in(&app, OPERATOR).await;
        assert_eq!(
            operator.post(&register, &[]).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

db_test!(
    a_visitor_checked_in_at_the_door_is_interviewed_placed_and_counted,
    |app| {
        seed_demo(&app);
        // Today's fair, booths until today.
        let fair = create_fair_with_booths_until(&app, "Job Fair Hari Ini", "100", 0, 0).await;
        let other_fair = create_fair(&app, "Job Fair Bulan Depan", "100", 30).await;
        let own = owner_company(&app);
        verify_company(&app, own);
        let employer = signed_in(&app, EMPLOYER).await;
        let cashier = new_vacancy(&app, &employer, "submit").await;
        publish(&app, cashier);
        let form = format!("/perusahaan/bursa-kerja/{fair}");
        employer.get(&form).await;
        let res = employer
            .post(&form, &[("vacancy", &cashier.to_string()), ("note", "")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // The interview page opens only once the booth is approved.
        let interviews = format!("/perusahaan/bursa-kerja/{fair}/wawancara");
        assert_eq!(
            employer.get(&interviews).await.status,
            StatusCode::NOT_FOUND
        );
        let booth: i32 = with_conn(&app, |c| {
            job_fair_booths::table
                .filter(job_fair_booths::fair_id.eq(fair))
                .select(job_fair_booths::id)
                .first(c)
                .unwrap()
        });
        let operator = signed_in(&app, OPERATOR).await;
        operator
            .get(&format!("/petugas/bursa-kerja/{fair}/stan"))
            .await;
        let res = operator
            .post(
                &format!("/petugas/bursa-kerja/{fair}/stan/{booth}"),
                &[("decision", "approve"), ("stand", "B7")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);

        // Siti, her profile complete, registers, and holds a ticket for next month's fair too.
        let siti = signed_in(&app, SITI).await;
        crate::seekers::complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        siti.get(&format!("/bursa-kerja/{fair}")).await;
        siti.post(&format!("/bursa-kerja/{fair}/daftar"), &[]).await;
        siti.get(&format!("/bursa-kerja/{other_fair}")).await;
        siti.post(&format!("/bursa-kerja/{other_fair}/daftar"), &[])
            .await;
        let (_, number, _) = ticket_of(&app, fair, SITI).unwrap();
        let (_, other_number, _) = ticket_of(&app, other_fair, SITI).unwrap();

        // At the door: a mistyped number, the other fair's ticket, then hers, then hers again.
        let door = format!("/petugas/bursa-kerja/{fair}/pintu");
        let page = operator.get(&door).await;
        // The one page (with the booth's) that may open the camera.
        assert_eq!(
            page.header("permissions-policy"),
            Some("camera=(self), microphone=(), geolocation=(), payment=()")
        );
        assert_eq!(
            operator
                .get("/petugas/bursa-kerja")
                .await
                .header("permissions-policy"),
            Some("camera=(), microphone=(), geolocation=(), payment=()")
        );
        page.assert_contains("data-ticket-scan");
        page.assert_contains("Pindai dengan kamera");
        let res = operator.post(&door, &[("number", "BK999-ZZZZZZ")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tidak ada tiket dengan nomor BK999-ZZZZZZ");
        res.assert_contains(r#"value="BK999-ZZZZZZ""#);
        let res = operator.post(&door, &[("number", &other_number)]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tiket ini untuk bursa kerja lain: Job Fair Bulan Depan.");
        // Typed as a person would: lower case, with spaces.
        let typed = format!(" {} ", number.to_lowercase());
        let res = operator.post(&door, &[("number", &typed)]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.assert_contains("Silakan masuk");
        res.assert_contains("Siti");
        let res = operator.post(&door, &[("number", &number)]).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        res.assert_contains("Tiket ini sudah dipakai masuk pada");
        // Next month's door is not open today.
        let res = operator
            .post(
                &format!("/petugas/bursa-kerja/{other_fair}/pintu"),
                &[("number", &other_number)],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let check_ins: i64 = with_conn(&app, |c| {
            job_fair_ticket_events::table
                .inner_join(job_fair_tickets::table)
                .filter(job_fair_tickets::fair_id.eq(fair))
                .filter(job_fair_ticket_events::kind.eq("checked_in"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(check_ins, 1, "one visit, however often the ticket is shown");

        // The employer interviews her for the cashier job: an application by the fair.
        employer.get(&interviews).await;
        let res = employer
            .post(
                &interviews,
                &[("number", &other_number), ("vacancy", ""), ("note", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tiket ini untuk bursa kerja lain.");
        let res = employer
            .post(
                &interviews,
                &[
                    ("number", &number),
                    ("vacancy", &cashier.to_string()),
                    ("note", "Cocok"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (app_id, channel, from_fair): (i32, String, Option<i32>) = with_conn(&app, |c| {
            sibuser::schema::applications::table
                .filter(sibuser::schema::applications::vacancy_id.eq(cashier))
                .select((
                    sibuser::schema::applications::id,
                    sibuser::schema::applications::channel,
                    sibuser::schema::applications::job_fair_id,
                ))
                .first(c)
                .unwrap()
        });
        assert_eq!((channel.as_str(), from_fair), ("job_fair", Some(fair)));
        employer.get(&interviews).await.assert_contains("Siti");

        // Accepted from the pipeline: the placement carries the fair as its channel.
        let start = sibuser::domain::calendar::today() + chrono::Days::new(14);
        employer
            .get(&format!("/perusahaan/lowongan/{cashier}/pelamar"))
            .await;
        let res = employer
            .post(
                &format!("/perusahaan/lowongan/{cashier}/pelamar"),
                &[
                    ("id", &app_id.to_string()),
                    ("tahap", "accepted"),
                    ("catatan", ""),
                    ("mulai", &start.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let by_fair: i64 = with_conn(&app, |c| {
            sibuser::schema::ipk_facts::table
                .filter(sibuser::schema::ipk_facts::flow.eq("placement"))
                .filter(sibuser::schema::ipk_facts::channel.eq("job_fair"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(by_fair, 1, "the IPK figures see the fair");

        // The fair's report shows what it achieved.
        let verifier = signed_in(&app, VERIFIER).await;
        let report = verifier
            .get(&format!("/petugas/bursa-kerja/{fair}/laporan"))
            .await;
        assert_eq!(report.status, StatusCode::OK);
        let figure = |label: &str| -> String {
            let at = report.body.find(label).unwrap_or_else(|| panic!("{label}"));
            let rest = &report.body[at..];
            let dd = rest.find("<dd>").unwrap() + 4;
            rest[dd..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect()
        };
        assert_eq!(figure("Pengunjung</dt>"), "1");
        assert_eq!(figure("Perusahaan peserta</dt>"), "1");
        assert_eq!(figure("Wawancara di stan</dt>"), "1");
        assert_eq!(figure("Lamaran dari bursa kerja</dt>"), "1");
        assert_eq!(figure("Ditempatkan dalam 1 bulan</dt>"), "1");
        assert_eq!(figure("Ditempatkan dalam 3 bulan</dt>"), "1");
        report.assert_lacks("Siti");
        // Residents and companies do not read it.
        assert_eq!(
            siti.get(&format!("/petugas/bursa-kerja/{fair}/laporan"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
);

db_test!(
    the_demo_has_a_fair_held_with_its_visitors_and_one_coming,
    |app| {
        seed_demo(&app);
        let public = Browser::new(&app);
        let list = public.get("/bursa-kerja").await;
        list.assert_contains("Bursa Kerja Binjai Awal Tahun 2027");
        list.assert_contains("Job Fair Kota Binjai 2026");
        let ids: Vec<(i32, String, i32)> = with_conn(&app, |c| {
            job_fairs::table
                .order(job_fairs::starts_on)
                .select((job_fairs::id, job_fairs::name, job_fairs::seats_taken))
                .load(c)
                .unwrap()
        });
        assert_eq!(ids.len(), 2);
        let (past, coming) = (ids[0].0, ids[1].0);
        let page = public.get(&format!("/bursa-kerja/{coming}")).await;
        page.assert_contains("Nomor stan A1");
        page.assert_contains("/lowongan/");
        // The seats held are the tickets given.
        let tickets: i64 = with_conn(&app, |c| {
            job_fair_tickets::table
                .filter(job_fair_tickets::fair_id.eq(past))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(i64::from(ids[0].2), tickets);
        // The past fair's report counts its visitors by sex, every one of them somewhere.
        let walidata = signed_in(&app, "walidata@sibuser.example").await;
        let report = walidata
            .get(&format!("/petugas/bursa-kerja/{past}/laporan"))
            .await;
        assert_eq!(report.status, StatusCode::OK);
        let visits: i64 = with_conn(&app, |c| {
            job_fair_ticket_events::table
                .inner_join(job_fair_tickets::table)
                .filter(job_fair_tickets::fair_id.eq(past))
                .filter(job_fair_ticket_events::kind.eq("checked_in"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert!(visits > 20, "{visits} visitors");
        report.assert_contains(&format!("<dd>{visits} <small>"));
    }
);

db_test!(
    a_walk_in_is_registered_at_the_door_by_nik_until_the_fair_is_full,
    |app| {
        seed_demo(&app);
        let fair = create_fair_with_booths_until(&app, "Job Fair Pintu", "2", 0, 0).await;
        let siti = signed_in(&app, SITI).await;
        crate::seekers::complete_profile(&app, &siti, "/pencaker/profil", SITI_NIK).await;
        let operator = signed_in(&app, OPERATOR).await;
        let door = format!("/petugas/bursa-kerja/{fair}/pintu");
        let walk_in = format!("{door}/tanpa-tiket");
        operator
            .get(&door)
            .await
            .assert_contains("Pengunjung tanpa tiket");
        let users_now = || with_conn(&app, |c| users::table.count().get_result::<i64>(c).unwrap());
        let before = users_now();

        // A NIK that is no NIK.
        let res = operator.post(&walk_in, &[("nik", "12345")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Masukkan NIK yang benar");
        res.assert_contains(r#"value="12345""#);

        // Siti is known by her NIK: in at once, by a ticket made at the door.
        let res = operator.post(&walk_in, &[("nik", SITI_NIK)]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.assert_contains("Silakan masuk");
        res.assert_contains("Siti");
        let source: String = with_conn(&app, |c| {
            job_fair_tickets::table
                .filter(job_fair_tickets::fair_id.eq(fair))
                .select(job_fair_tickets::source)
                .first(c)
                .unwrap()
        });
        assert_eq!(source, "door");
        let res = operator.post(&walk_in, &[("nik", SITI_NIK)]).await;
        assert_eq!(res.status, StatusCode::CONFLICT);

        // A NIK the portal does not know needs the rest of the form; a birth date that
        // disagrees with the NIK is refused; nothing is written meanwhile.
        let new_nik = "1275014507990003";
        let res = operator.post(&walk_in, &[("nik", new_nik)]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Masukkan tanggal lahir.");
        res.assert_contains("Pilih pendidikan terakhir.");
        let fields = |birth: &'static str| {
            vec![
                ("nik", new_nik),
                ("full_name", "Rina Br Ginting"),
                ("birth_date", birth),
                ("phone", "0813-7000-2222"),
                ("education_level", "4"),
                ("consent", "ya"),
            ]
        };
        let res = operator.post(&walk_in, &fields("1999-07-06")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tanggal lahir tidak cocok dengan NIK.");
        res.assert_contains(r#"value="Rina Br Ginting""#);
        assert_eq!(users_now(), before, "nothing written");
        let res = operator.post(&walk_in, &fields("1999-07-05")).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.assert_contains("Rina Br Ginting");
        assert_eq!(users_now(), before + 1);
        let (email, sex, education, linked): (Option<String>, Option<String>, Option<i16>, i64) =
            with_conn(&app, |c| {
                let (email, sex, education, seeker): (
                    Option<String>,
                    Option<String>,
                    Option<i16>,
                    i32,
                ) = users::table
                    .inner_join(sibuser::schema::job_seekers::table)
                    .filter(users::full_name.eq("Rina Br Ginting"))
                    .select((
                        users::email,
                        sibuser::schema::job_seekers::sex,
                        sibuser::schema::job_seekers::education_level,
                        sibuser::schema::job_seekers::id,
                    ))
                    .first(c)
                    .unwrap();
                let linked = sibuser::schema::job_seeker_people::table
                    .filter(sibuser::schema::job_seeker_people::job_seeker_id.eq(seeker))
                    .filter(sibuser::schema::job_seeker_people::confirmed.eq(true))
                    .count()
                    .get_result(c)
                    .unwrap();
                (email, sex, education, linked)
            });
        assert_eq!(email, None, "no address is made up");
        assert_eq!((sex.as_deref(), education), (Some("P"), Some(4)));
        assert_eq!(
            linked, 1,
            "the person by NIK, confirmed by the KTP at the door"
        );

        // Two seats, two visitors: the next one without a ticket is turned away.
        let res = operator
            .post(
                &walk_in,
                &[
                    ("nik", "1275011203000004"),
                    ("full_name", "Budi Tarigan"),
                    ("birth_date", "2000-03-12"),
                    ("phone", "0813-7000-3333"),
                    ("education_level", "3"),
                    ("consent", "ya"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        res.assert_contains("Tempat sudah penuh");
        let door_tickets: i64 = with_conn(&app, |c| {
            job_fair_tickets::table
                .filter(job_fair_tickets::fair_id.eq(fair))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(door_tickets, 2);
        assert_eq!(
            users_now(),
            before + 1,
            "turned away, nothing of Budi written"
        );
    }
);
