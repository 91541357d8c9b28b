//! Closed lists of codes (statuses, event kinds, stages): each Rust enum and its reference
//! table in the database hold the same codes on both backends, and a code the portal does
//! not know is an error when read back, never a plausible guess.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::Text;
use sibuser::domain::code::StoredCode;

use crate::common::{TestApp, seed_demo, with_conn};

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    name: String,
}

fn list<T: StoredCode>() -> (&'static str, BTreeSet<String>) {
    (
        T::TABLE,
        T::all().iter().map(|c| c.as_str().to_owned()).collect(),
    )
}

/// Every stored list of codes the portal has.
fn every_list() -> Vec<(&'static str, BTreeSet<String>)> {
    use sibuser::{accounts, alerts, applications, employers, reference, seekers, training};
    vec![
        list::<sibuser::domain::Role>(),
        list::<sibuser::web::Lang>(),
        list::<reference::regions::RegionLevel>(),
        list::<sibuser::domain::Sex>(),
        list::<sibuser::domain::AgeGroup>(),
        list::<sibuser::ipk::Flow>(),
        list::<sibuser::ipk::Reason>(),
        list::<accounts::tokens::Purpose>(),
        list::<accounts::sessions::EndReason>(),
        list::<sibuser::mail::MailKind>(),
        list::<employers::VerificationStatus>(),
        list::<applications::Channel>(),
        list::<employers::SizeBand>(),
        list::<employers::LegalForm>(),
        list::<employers::InvestmentStatus>(),
        list::<sibuser::wlkp::Trigger>(),
        list::<sibuser::wlkp::Status>(),
        list::<sibuser::wlkp::Source>(),
        list::<sibuser::vacancies::VacancyStatus>(),
        list::<sibuser::vacancies::EmploymentType>(),
        list::<sibuser::vacancies::VacancyEventKind>(),
        list::<seekers::MaritalStatus>(),
        list::<seekers::Religion>(),
        list::<seekers::history::LanguageLevel>(),
        list::<seekers::ak1::model::Status>(),
        list::<seekers::ak1::model::EventKind>(),
        list::<applications::stage::Stage>(),
        list::<applications::placement::Kind>(),
        list::<alerts::model::Frequency>(),
        list::<training::providers::Kind>(),
        list::<training::programmes::Mode>(),
        list::<training::programmes::Funding>(),
        list::<training::programmes::Certificate>(),
        list::<training::programmes::Status>(),
        list::<training::enrolment::Status>(),
        list::<sibuser::people::Source>(),
        list::<sibuser::employment::Source>(),
        list::<sibuser::jkp::model::Source>(),
        list::<sibuser::jkp::model::Reason>(),
        list::<sibuser::jkp::model::EventKind>(),
        list::<sibuser::jkp::model::CounsellingResult>(),
        list::<sibuser::import::Kind>(),
        list::<sibuser::import::Status>(),
        list::<sibuser::exports::Dataset>(),
        list::<sibuser::exports::Format>(),
        list::<sibuser::exports::queue::Kind>(),
        list::<sibuser::exports::queue::Status>(),
        list::<sibuser::sharing::PartnerKind>(),
        list::<sibuser::sharing::Masking>(),
        list::<sibuser::fairs::Mode>(),
        list::<sibuser::fairs::Status>(),
        list::<sibuser::fairs::BoothStatus>(),
        list::<sibuser::fairs::TicketStatus>(),
        list::<sibuser::fairs::Source>(),
        list::<sibuser::fairs::EventKind>(),
    ]
}

fn names(conn: &mut sibuser::db::DbConnection, sql: &str) -> BTreeSet<String> {
    diesel::sql_query(sql)
        .load::<Row>(conn)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect()
}

fn reference_tables(app: &TestApp, conn: &mut sibuser::db::DbConnection) -> BTreeSet<String> {
    let sql = match app.backend {
        crate::common::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ref\\_%' ESCAPE '\\'"
        }
        crate::common::Backend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name LIKE 'ref\\_%' ESCAPE '\\'"
        }
    };
    names(conn, sql)
}

db_test!(every_list_of_codes_matches_its_reference_table, |app| {
    with_conn(&app, |c| {
        let lists = every_list();
        for (table, codes) in &lists {
            let stored = names(c, &format!("SELECT code AS name FROM {table}"));
            assert_eq!(&stored, codes, "{table} and its enum differ");
        }
        let named: BTreeSet<String> = lists.iter().map(|l| l.0.to_owned()).collect();
        assert_eq!(named.len(), lists.len(), "two enums name the same table");
        assert_eq!(
            reference_tables(&app, c),
            named,
            "each ref_ table has one enum and each enum its table"
        );
    });
});

db_test!(a_column_takes_only_the_codes_of_its_list, |app| {
    seed_demo(&app);
    with_conn(&app, |c| {
        use sibuser::schema::vacancies;
        let id: i32 = vacancies::table.select(vacancies::id).first(c).unwrap();
        let refused = diesel::update(vacancies::table.find(id))
            .set(vacancies::status.eq("archived"))
            .execute(c);
        assert!(
            refused.is_err(),
            "a code outside ref_vacancy_status was stored"
        );
    });
});

db_test!(
    a_code_the_portal_does_not_know_is_an_error_not_a_guess,
    |app| {
        seed_demo(&app);
        with_conn(&app, |c| {
            use sibuser::schema::vacancies;
            // A code added to the table (by a newer release, or by hand) before the enum knows it.
            diesel::sql_query("INSERT INTO ref_vacancy_status (code) VALUES ('archived')")
                .execute(c)
                .unwrap();
            let id: sibuser::vacancies::VacancyId =
                vacancies::table.select(vacancies::id).first(c).unwrap();
            diesel::update(vacancies::table.find(id))
                .set(vacancies::status.eq("archived"))
                .execute(c)
                .unwrap();
            let err = sibuser::vacancies::find(c, id).expect_err("an unknown status was read");
            // The whole chain, as the error log writes it (`{:#}`), names the value and the list.
            let logged = format!("{:#}", anyhow::Error::from(err));
            assert!(
                logged.contains("\"archived\" is not a known VacancyStatus (ref_vacancy_status)"),
                "{logged}"
            );
        });
    }
);

db_test!(
    an_unknown_value_about_a_person_stays_out_of_the_error,
    |app| {
        seed_demo(&app);
        with_conn(&app, |c| {
            use sibuser::schema::job_seekers;
            diesel::sql_query("INSERT INTO ref_religion (code) VALUES ('kepercayaan-lokal')")
                .execute(c)
                .unwrap();
            let id: sibuser::domain::ids::JobSeekerId =
                job_seekers::table.select(job_seekers::id).first(c).unwrap();
            diesel::update(job_seekers::table.find(id))
                .set(job_seekers::religion.eq("kepercayaan-lokal"))
                .execute(c)
                .unwrap();
            let err = sibuser::seekers::find(c, id).expect_err("an unknown religion was read");
            let logged = format!("{:#}", anyhow::Error::from(err));
            assert!(
                logged.contains("a stored value is not a known Religion (ref_religion)"),
                "{logged}"
            );
            assert!(!logged.contains("kepercayaan-lokal"), "{logged}");
        });
    }
);
