//! People by NIK (issue 14): one person however many records name them, linked to a
//! resident's profile only when that is safe, on both backends.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::{TestApp, seed_demo, signed_in, user_id, with_conn};
use crate::seekers::complete_profile;
use sibuser::domain::{Email, Nik, Sex};
use sibuser::people::{self, Facts, Source};
use sibuser::schema::{audit_log, people as people_table};
use sibuser::seekers::person_link;

/// Siti's NIK in the profile `complete_profile` fills in (born 12 March 1998, female).
pub(crate) const SITI: &str = "1275015203980001";

fn nik() -> Nik {
    Nik::parse(SITI).unwrap()
}

fn people_with_nik(app: &TestApp) -> i64 {
    with_conn(app, |c| {
        people_table::table
            .filter(people_table::nik.eq(SITI))
            .count()
            .get_result(c)
            .unwrap()
    })
}

fn seeker_id(app: &TestApp) -> sibuser::seekers::JobSeekerId {
    let uid = user_id(app, "pencaker@sibuser.example");
    with_conn(app, |c| {
        sibuser::seekers::find_by_user(c, uid.into())
            .unwrap()
            .unwrap()
            .id
    })
}

/// A JKP list the Dinas imported named Siti, before she had an account.
fn known_from_a_list(app: &TestApp) -> people::PersonId {
    with_conn(app, |c| {
        let email = Email::parse("siti.lubis@contoh.example").unwrap();
        people::record(
            c,
            &Facts {
                nik: &nik(),
                name: "SITI A LUBIS",
                sex: Some(Sex::Female),
                birth_date: None,
                kelurahan_code: None,
                regency_code: Some("12.75"),
                email: Some(&email),
                phone: None,
            },
            Source::Import,
            "jkp:1",
            chrono::Utc::now().naive_utc(),
        )
        .unwrap()
        .id
    })
}

fn sources(app: &TestApp, id: people::PersonId) -> Vec<Source> {
    with_conn(app, |c| {
        people::origins(c, id)
            .unwrap()
            .into_iter()
            .map(|o| o.source)
            .collect()
    })
}

db_test!(a_new_nik_makes_one_person_linked_at_once, |app| {
    seed_demo(&app);
    let siti = signed_in(&app, "pencaker@sibuser.example").await;
    complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
    // Saving again (the resident edits the profile) adds no person and no origin.
    complete_profile(&app, &siti, "/pencaker/profil", SITI).await;

    assert_eq!(people_with_nik(&app), 1);
    let seeker = seeker_id(&app);
    let person = with_conn(&app, |c| person_link::person_of(c, seeker).unwrap())
        .expect("a NIK nobody else named is linked at once");
    let known = with_conn(&app, |c| people::find(c, person).unwrap().unwrap());
    assert_eq!(known.name, "Siti Aisyah Lubis");
    assert_eq!(known.sex, Some(Sex::Female));
    assert_eq!(known.source, Source::Portal);
    assert_eq!(sources(&app, person), vec![Source::Portal]);

    // The resident's own-data copy says what the Dinas holds about the person, and whence.
    let res = siti.get("/pencaker/data-saya.json").await;
    let data: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(data["person"]["person"]["nik"], SITI);
    assert_eq!(data["person"]["origins"][0]["source"], "portal");
});

db_test!(a_nik_known_from_a_list_waits_for_the_counter, |app| {
    seed_demo(&app);
    let person = known_from_a_list(&app);
    let siti = signed_in(&app, "pencaker@sibuser.example").await;
    complete_profile(&app, &siti, "/pencaker/profil", SITI).await;

    // Typing a NIK the Dinas knows opens nothing: the link waits, and the resident is
    // told nothing a stranger could use.
    let seeker = seeker_id(&app);
    assert_eq!(
        people_with_nik(&app),
        1,
        "no second person for the same NIK"
    );
    with_conn(&app, |c| {
        assert_eq!(person_link::person_of(c, seeker).unwrap(), None);
        assert_eq!(person_link::waiting_for(c, seeker).unwrap(), Some(person));
    });
    siti.get("/pencaker/profil")
        .await
        .assert_lacks("dikenal Dinas");

    // The operator sees where the Dinas knows the person from, and that the card waits.
    let uid = user_id(&app, "pencaker@sibuser.example");
    let operator = signed_in(&app, "operator@sibuser.example").await;
    let page = operator.get(&format!("/petugas/pencaker/{uid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("sudah dikenal Dinas dari");
    page.assert_contains("daftar yang diimpor Dinas");
    let res = operator
        .post(
            &format!("/petugas/pencaker/{uid}/ak1/terbitkan"),
            &[("note", "")],
        )
        .await;
    assert_ne!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    let cards: i64 = with_conn(&app, |c| {
        sibuser::schema::ak1_cards::table
            .filter(sibuser::schema::ak1_cards::job_seeker_id.eq(seeker))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(cards, 0, "no card on a NIK not yet checked against the KTP");

    // The KTP matches: the profile is that person, now checked at the counter.
    let res = operator
        .post(&format!("/petugas/pencaker/{uid}/penduduk/cocok"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(people_with_nik(&app), 1);
    with_conn(&app, |c| {
        assert_eq!(person_link::person_of(c, seeker).unwrap(), Some(person));
        let known = people::find(c, person).unwrap().unwrap();
        assert_eq!(known.source, Source::Counter);
        assert_eq!(
            known.name, "Siti Aisyah Lubis",
            "the counter outranks a list"
        );
        assert_eq!(
            known.email.as_ref().map(|e| e.as_str()),
            Some("siti.lubis@contoh.example"),
            "what only the list knew is kept"
        );
        let settled: i64 = audit_log::table
            .filter(audit_log::action.eq("seeker.person_settled"))
            .count()
            .get_result(c)
            .unwrap();
        assert_eq!(settled, 1);
    });
    assert_eq!(sources(&app, person), vec![Source::Import, Source::Counter]);
    operator
        .get(&format!("/petugas/pencaker/{uid}"))
        .await
        .assert_lacks("sudah dikenal Dinas dari");
});

db_test!(a_ktp_that_differs_drops_the_typed_nik, |app| {
    seed_demo(&app);
    let person = known_from_a_list(&app);
    let siti = signed_in(&app, "pencaker@sibuser.example").await;
    complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
    let uid = user_id(&app, "pencaker@sibuser.example");
    let operator = signed_in(&app, "operator@sibuser.example").await;
    operator.get(&format!("/petugas/pencaker/{uid}")).await;
    let res = operator
        .post(
            &format!("/petugas/pencaker/{uid}/penduduk/tidak-cocok"),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let seeker = seeker_id(&app);
    with_conn(&app, |c| {
        assert_eq!(person_link::link_of(c, seeker).unwrap(), None);
        let profile = sibuser::seekers::find_by_user(c, uid.into())
            .unwrap()
            .unwrap();
        assert_eq!(
            profile.nik, None,
            "the resident enters the NIK on the KTP again"
        );
    });
    // The list's person is untouched.
    assert_eq!(sources(&app, person), vec![Source::Import]);
});

db_test!(
    erasing_an_account_keeps_a_person_only_other_records_name,
    |app| {
        seed_demo(&app);
        let siti = signed_in(&app, "pencaker@sibuser.example").await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
        assert_eq!(people_with_nik(&app), 1);
        siti.get("/pencaker/hapus-akun").await;
        let res = siti
            .post(
                "/pencaker/hapus-akun",
                &[
                    ("password", sibuser::demo::DEMO_PASSWORD),
                    ("konfirmasi", "HAPUS"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(
            people_with_nik(&app),
            0,
            "a person only the erased profile named goes with it"
        );
    }
);

db_test!(a_person_a_list_names_outlives_the_erased_account, |app| {
    seed_demo(&app);
    let person = known_from_a_list(&app);
    let siti = signed_in(&app, "pencaker@sibuser.example").await;
    complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
    let uid = user_id(&app, "pencaker@sibuser.example");
    let operator = signed_in(&app, "operator@sibuser.example").await;
    operator.get(&format!("/petugas/pencaker/{uid}")).await;
    operator
        .post(&format!("/petugas/pencaker/{uid}/penduduk/cocok"), &[])
        .await;
    siti.get("/pencaker/hapus-akun").await;
    let res = siti
        .post(
            "/pencaker/hapus-akun",
            &[
                ("password", sibuser::demo::DEMO_PASSWORD),
                ("konfirmasi", "HAPUS"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(people_with_nik(&app), 1);
    assert_eq!(sources(&app, person), vec![Source::Import]);
});

db_test!(facts_follow_the_most_trusted_source, |app| {
    let now = chrono::Utc::now().naive_utc();
    let nik = nik();
    let facts = |name: &'static str, regency: Option<&'static str>| Facts {
        nik: &nik,
        name,
        sex: Some(Sex::Female),
        birth_date: None,
        kelurahan_code: None,
        regency_code: regency,
        email: None,
        phone: None,
    };
    with_conn(&app, |c| {
        let first = people::record(
            c,
            &facts("Siti Aisyah", None),
            Source::National,
            "national:9",
            now,
        )
        .unwrap();
        assert!(first.created);
        // A list says something else: the national name stands, a blank is filled.
        let second = people::record(
            c,
            &facts("SITI A", Some("12.75")),
            Source::Import,
            "jkp:1",
            now,
        )
        .unwrap();
        assert_eq!(
            (second.id, second.created, second.updated),
            (first.id, false, true)
        );
        let known = people::find(c, first.id).unwrap().unwrap();
        assert_eq!(known.name, "Siti Aisyah");
        assert_eq!(known.regency_code.as_deref(), Some("12.75"));
        assert_eq!(known.source, Source::National);
        // The same list again changes nothing and adds no origin.
        let again = people::record(
            c,
            &facts("SITI A", Some("12.75")),
            Source::Import,
            "jkp:1",
            now,
        )
        .unwrap();
        assert!(!again.created && !again.updated);
        assert_eq!(people::origins(c, first.id).unwrap().len(), 2);
        // When the last record naming the person goes, so does the person.
        people::forget_origin(c, first.id, "jkp:1").unwrap();
        assert!(people::find(c, first.id).unwrap().is_some());
        people::forget_origin(c, first.id, "national:9").unwrap();
        assert!(people::find(c, first.id).unwrap().is_none());
    });
});

/// The mails of the e-mailed check, newest last: (to, body).
fn person_checks(app: &TestApp) -> Vec<(String, String)> {
    use sibuser::schema::mail_outbox;
    with_conn(app, |c| {
        mail_outbox::table
            .filter(mail_outbox::kind.eq("person_check"))
            .order(mail_outbox::id)
            .select((mail_outbox::to_address, mail_outbox::body_text))
            .load(c)
            .unwrap()
    })
}

/// Another demo job seeker, signed in.
async fn another_seeker(app: &TestApp) -> crate::common::browser::Browser<'_> {
    use sibuser::schema::{user_roles, users};
    let email: String = with_conn(app, |c| {
        users::table
            .inner_join(user_roles::table)
            .filter(user_roles::role.eq("job_seeker"))
            .filter(users::email.ne("pencaker@sibuser.example"))
            .order(users::id)
            .select(users::email.assume_not_null())
            .first(c)
            .unwrap()
    });
    signed_in(app, &email).await
}

db_test!(the_persons_own_address_confirms_a_waiting_link, |app| {
    seed_demo(&app);
    let person = known_from_a_list(&app);
    let siti = signed_in(&app, "pencaker@sibuser.example").await;
    complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
    // The link went to the address on the Dinas's record, not to the account's, and
    // names neither the person nor the NIK.
    let mails = person_checks(&app);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "siti.lubis@contoh.example");
    assert!(!mails[0].1.contains(SITI) && !mails[0].1.contains("Siti"));
    let link = crate::accounts::link_path(&mails[0].1, "/konfirmasi-penduduk/");
    // Saving the profile again does not mail again the same day.
    complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
    assert_eq!(person_checks(&app).len(), 1);

    // Opened without the account (a mail scanner, or the person on another device):
    // it changes nothing and asks to sign in to the account that typed the NIK.
    let stranger = crate::common::browser::Browser::new(&app);
    let page = stranger.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Masuk ke akun itu");
    page.assert_lacks("Ya, tautkan");
    // Another resident's account cannot use it either.
    let other = another_seeker(&app).await;
    other.get(&link).await.assert_lacks("Ya, tautkan");
    let res = other.post(&link, &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let seeker = seeker_id(&app);
    with_conn(&app, |c| {
        assert_eq!(person_link::waiting_for(c, seeker).unwrap(), Some(person));
    });

    // Siti, signed in, confirms: her profile is that person.
    let page = siti.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Ya, tautkan ke akun saya");
    let res = siti.submit(&link, &link, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    with_conn(&app, |c| {
        assert_eq!(person_link::person_of(c, seeker).unwrap(), Some(person));
        let confirmed: i64 = audit_log::table
            .filter(audit_log::action.eq("seeker.person_confirmed_by_email"))
            .count()
            .get_result(c)
            .unwrap();
        assert_eq!(confirmed, 1);
    });
    assert_eq!(sources(&app, person), vec![Source::Import, Source::Portal]);
    assert_eq!(people_with_nik(&app), 1);
    // The link works once.
    assert_eq!(siti.get(&link).await.status, StatusCode::GONE);
});

db_test!(
    an_account_with_the_address_on_record_is_linked_at_once,
    |app| {
        seed_demo(&app);
        let person = with_conn(&app, |c| {
            let email = Email::parse("pencaker@sibuser.example").unwrap();
            people::record(
                c,
                &Facts {
                    nik: &nik(),
                    name: "SITI A LUBIS",
                    sex: Some(Sex::Female),
                    birth_date: None,
                    kelurahan_code: None,
                    regency_code: Some("12.75"),
                    email: Some(&email),
                    phone: None,
                },
                Source::Import,
                "jkp:2",
                chrono::Utc::now().naive_utc(),
            )
            .unwrap()
            .id
        });
        let siti = signed_in(&app, "pencaker@sibuser.example").await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
        // She confirmed this address when she signed up: that is the check.
        let seeker = seeker_id(&app);
        with_conn(&app, |c| {
            assert_eq!(person_link::person_of(c, seeker).unwrap(), Some(person));
        });
        assert!(person_checks(&app).is_empty(), "nothing to mail");
    }
);

db_test!(
    a_person_without_an_address_waits_for_the_counter_alone,
    |app| {
        seed_demo(&app);
        let person = with_conn(&app, |c| {
            people::record(
                c,
                &Facts {
                    nik: &nik(),
                    name: "SITI A LUBIS",
                    sex: Some(Sex::Female),
                    birth_date: None,
                    kelurahan_code: None,
                    regency_code: Some("12.75"),
                    email: None,
                    phone: None,
                },
                Source::Import,
                "jkp:3",
                chrono::Utc::now().naive_utc(),
            )
            .unwrap()
            .id
        });
        let siti = signed_in(&app, "pencaker@sibuser.example").await;
        complete_profile(&app, &siti, "/pencaker/profil", SITI).await;
        let seeker = seeker_id(&app);
        with_conn(&app, |c| {
            assert_eq!(person_link::waiting_for(c, seeker).unwrap(), Some(person));
        });
        assert!(person_checks(&app).is_empty());
    }
);
