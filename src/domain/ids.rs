//! One id type per entity table, so that the compiler refuses a `VacancyId` where a
//! `CompanyId` belongs. Each is the table's integer key and nothing more: it is stored and
//! read through diesel as the column's own SQL type on either backend, shown as the plain
//! number (URLs, templates, JSON), and read from a request only when it is a positive
//! number, as every key the database hands out is.
//!
//! The owning module re-exports its ids (`vacancies::VacancyId`); a new table declares its id
//! here with one line of [`id_type!`].

/// Declares an id newtype over the key's Rust integer (`i32` for `Integer`, `i64` for
/// `BigInt`), with what it needs to be a diesel column value (on any backend whose integer
/// type does it, which covers SQLite, PostgreSQL and their `MultiBackend`), a path segment
/// or form field (`Deserialize`), and a map key (`Hash`, `Ord`).
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident($raw:ty): $sql:ident) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            serde::Serialize,
            diesel::AsExpression,
            diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::$sql)]
        #[serde(transparent)]
        pub struct $name($raw);

        impl $name {
            /// The id of a row the database handed out (or a test made up): no check, as the
            /// compiler has already fixed which table it belongs to.
            pub const fn new(raw: $raw) -> Self {
                Self(raw)
            }

            /// The number, for the few places that need it bare (a URL, a log field).
            pub const fn get(self) -> $raw {
                self.0
            }
        }

        impl From<$raw> for $name {
            fn from(raw: $raw) -> Self {
                Self(raw)
            }
        }

        impl From<$name> for $raw {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidId;

            fn from_str(s: &str) -> Result<Self, InvalidId> {
                s.parse::<$raw>()
                    .ok()
                    .filter(|raw| *raw > 0)
                    .map(Self)
                    .ok_or(InvalidId)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <$raw>::deserialize(d)?;
                if raw > 0 {
                    Ok(Self(raw))
                } else {
                    Err(serde::de::Error::custom(InvalidId))
                }
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::$sql, DB> for $name
        where
            DB: diesel::backend::Backend,
            $raw: diesel::serialize::ToSql<diesel::sql_types::$sql, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <$raw as diesel::serialize::ToSql<diesel::sql_types::$sql, DB>>::to_sql(&self.0, out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::$sql, DB> for $name
        where
            DB: diesel::backend::Backend,
            $raw: diesel::deserialize::FromSql<diesel::sql_types::$sql, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                <$raw as diesel::deserialize::FromSql<diesel::sql_types::$sql, DB>>::from_sql(bytes)
                    .map(Self)
            }
        }
    };
}

/// A request named an id that no row can have: not a number, or not positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an id: ids are positive whole numbers")]
pub struct InvalidId;

id_type!(
    /// `users.id` (owner `accounts`).
    UserId(i32): Integer
);
id_type!(
    /// `user_sessions.id` (owner `accounts`).
    SessionId(i32): Integer
);
id_type!(
    /// `audit_log.id` (owner `audit`), the one `BigInt` key.
    AuditEntryId(i64): BigInt
);
id_type!(
    /// `mail_outbox.id` (owner `mail`).
    MailId(i32): Integer
);
id_type!(
    /// `companies.id` (owner `employers`).
    CompanyId(i32): Integer
);
id_type!(
    /// `vacancies.id` (owner `vacancies`).
    VacancyId(i32): Integer
);
id_type!(
    /// `job_seekers.id` (owner `seekers`): the profile, not the user who holds it.
    JobSeekerId(i32): Integer
);
id_type!(
    /// `ak1_cards.id` (owner `seekers::ak1`).
    Ak1CardId(i32): Integer
);
id_type!(
    /// `applications.id` (owner `applications`).
    ApplicationId(i32): Integer
);
id_type!(
    /// `placements.id` (owner `applications`).
    PlacementId(i32): Integer
);
id_type!(
    /// `job_alerts.id` (owner `alerts`).
    JobAlertId(i32): Integer
);
id_type!(
    /// `kbji_occupations.id` (owner `reference`): a KBJI job title.
    JobTitleId(i32): Integer
);
id_type!(
    /// `training_providers.id` (owner `training`).
    ProviderId(i32): Integer
);
id_type!(
    /// `training_programmes.id` (owner `training`).
    ProgrammeId(i32): Integer
);
id_type!(
    /// `training_enrolments.id` (owner `training`).
    EnrolmentId(i32): Integer
);
id_type!(
    /// `employed_residents.id` (owner `employment`): one person's one job.
    EmploymentId(i32): Integer
);
id_type!(
    /// `jkp_recipients.id` (owner `jkp`): one person's one loss of work.
    JkpRecipientId(i32): Integer
);
id_type!(
    /// `people.id` (owner `people`): a resident known by NIK, with or without an account.
    PersonId(i32): Integer
);
id_type!(
    /// `company_kbli.id` (owner `employers`): one KBLI code of a company over a period.
    CompanyKbliId(i32): Integer
);
id_type!(
    /// `wlkp_reports.id` (owner `wlkp`).
    WlkpReportId(i32): Integer
);
id_type!(
    /// `wlkp_revisions.id` (owner `wlkp`): one revision of a report's figures.
    WlkpRevisionId(i32): Integer
);
id_type!(
    /// `import_runs.id` (owner `import`): one uploaded file and its check and write.
    ImportRunId(i32): Integer
);
id_type!(
    /// `file_jobs.id` (owner `exports`): a background job that writes a file to download.
    FileJobId(i32): Integer
);
id_type!(
    /// `exports.id` (owner `exports`): one export of a data set, as asked for.
    ExportId(i32): Integer
);
id_type!(
    /// `partners.id` (owner `sharing`): a partner the Dinas shares data with.
    PartnerId(i32): Integer
);
id_type!(
    /// `api_keys.id` (owner `sharing`): an API key issued to a partner.
    ApiKeyId(i32): Integer
);
id_type!(
    /// `job_fairs.id` (owner `fairs`): a job fair (bursa kerja) the Dinas holds.
    JobFairId(i32): Integer
);
id_type!(
    /// `job_fair_booths.id` (owner `fairs`): a company's booth at a fair.
    BoothId(i32): Integer
);
id_type!(
    /// `job_fair_tickets.id` (owner `fairs`): a resident's ticket to a fair.
    TicketId(i32): Integer
);
id_type!(
    /// `job_fair_interviews.id` (owner `fairs`): an interview recorded at a booth.
    InterviewId(i32): Integer
);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Form {
        id: VacancyId,
    }

    fn from_form(body: &str) -> Result<VacancyId, serde_urlencoded::de::Error> {
        serde_urlencoded::from_str::<Form>(body).map(|f| f.id)
    }

    #[test]
    fn reads_a_positive_number_from_a_form_or_json() {
        assert_eq!(from_form("id=42").unwrap(), VacancyId::new(42));
        assert_eq!(
            serde_json::from_str::<VacancyId>("7").unwrap(),
            VacancyId::new(7)
        );
        assert_eq!(
            serde_json::from_str::<AuditEntryId>("9000000000")
                .unwrap()
                .get(),
            9_000_000_000
        );
    }

    #[test]
    fn refuses_garbage_zero_and_negative() {
        for body in [
            "id=",
            "id=abc",
            "id=4x",
            "id=1.5",
            "id=0",
            "id=-3",
            "id=99999999999",
        ] {
            assert!(from_form(body).is_err(), "{body} was taken as an id");
        }
        assert!(serde_json::from_str::<UserId>("0").is_err());
        assert!(serde_json::from_str::<UserId>("\"5\"").is_err());
        assert_eq!("12".parse::<CompanyId>(), Ok(CompanyId::new(12)));
        assert_eq!("-12".parse::<CompanyId>(), Err(InvalidId));
        assert_eq!(" 12".parse::<CompanyId>(), Err(InvalidId));
    }

    #[actix_web::test]
    async fn a_path_that_is_no_id_is_not_found() {
        use actix_web::{App, HttpResponse, test, web};
        let app = test::init_service(App::new().route(
            "/{id}",
            web::get().to(|id: web::Path<VacancyId>| async move {
                HttpResponse::Ok().body(id.into_inner().to_string())
            }),
        ))
        .await;
        for (path, status) in [("/5", 200), ("/0", 404), ("/-5", 404), ("/abc", 404)] {
            let res =
                test::call_service(&app, test::TestRequest::get().uri(path).to_request()).await;
            assert_eq!(res.status().as_u16(), status, "{path}");
        }
    }

    #[test]
    fn shows_and_stores_as_the_bare_number() {
        assert_eq!(ProgrammeId::new(31).to_string(), "31");
        assert_eq!(serde_json::to_string(&EnrolmentId::new(31)).unwrap(), "31");
        assert_eq!(i32::from(ApplicationId::new(8)), 8);
    }
}
