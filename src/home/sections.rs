//! What each role's part of the home page holds, read from the modules that own the data.

use diesel::QueryResult;

use crate::applications::Stage;
use crate::db::DbConnection;
use crate::domain::ids::{CompanyId, ProgrammeId, ProviderId, UserId, VacancyId};
use crate::employers::VerificationStatus;
use crate::seekers::ak1::holder::Holder;
use crate::seekers::ak1::model::Status as CardStatus;
use crate::seekers::ak1::view::CardView;
use crate::seekers::forms;
use crate::vacancies::VacancyStatus;
use crate::web::Lang;

/// A next step: where to go and what to do there, as a translation key.
pub struct Step {
    pub href: &'static str,
    pub key: &'static str,
}

pub struct SeekerHome {
    /// "5 dari 7 bagian sudah diisi".
    pub progress: String,
    pub parts_done: usize,
    pub parts: usize,
    /// The open card, or else the latest one.
    pub card: Option<CardView>,
    /// Applications at each of the four steps, as the seeker's tracker names them.
    pub steps: [(&'static str, i64); 4],
    pub applications: i64,
    pub next: Vec<Step>,
}

impl SeekerHome {
    pub fn load(
        conn: &mut DbConnection,
        user_id: UserId,
        lang: Lang,
        today: chrono::NaiveDate,
    ) -> QueryResult<Self> {
        let holder = Holder::load(conn, user_id)?;
        let by_stage = match &holder.profile {
            Some(p) => crate::applications::model::stage_counts_of_seeker(conn, p.id)?,
            None => Vec::new(),
        };
        // The tracker's four step names; the last is "Hasil" until there is an outcome.
        let mut steps = Stage::Received.tracker().map(|(key, _)| (key, 0));
        for (stage, n) in by_stage {
            steps[stage.step()].1 += n;
        }
        let card = crate::seekers::ak1::view::cards(&holder.cards, &holder.events, lang, today)
            .into_iter()
            .next();
        let mut next = Vec::new();
        if !holder.missing.is_empty() {
            next.push(Step {
                href: "/pencaker/profil",
                key: "my_home.seeker.next.profile",
            });
        }
        match card.as_ref().map(|c| c.status) {
            Some(CardStatus::Requested) => next.push(Step {
                href: "/pencaker/ak1",
                key: "my_home.seeker.next.card_waiting",
            }),
            Some(CardStatus::Active)
                if card
                    .as_ref()
                    .and_then(|c| c.report.as_ref())
                    .is_some_and(|r| r.open) =>
            {
                next.push(Step {
                    href: "/pencaker/ak1",
                    key: "my_home.seeker.next.report",
                })
            }
            Some(CardStatus::Active) => {}
            _ if holder.missing.is_empty() => next.push(Step {
                href: "/pencaker/ak1",
                key: "my_home.seeker.next.ask_card",
            }),
            _ => {}
        }
        next.push(Step {
            href: "/lowongan",
            key: "my_home.seeker.next.search",
        });
        let parts_done = forms::PARTS - holder.missing.len();
        Ok(Self {
            progress: lang.tf(
                "seeker.profile.progress",
                &[
                    ("done", &parts_done.to_string()),
                    ("parts", &forms::PARTS.to_string()),
                ],
            ),
            parts_done,
            parts: forms::PARTS,
            card,
            applications: steps.iter().map(|(_, n)| n).sum(),
            steps,
            next,
        })
    }
}

pub struct EmployerVacancy {
    pub id: VacancyId,
    pub title: String,
    pub status: VacancyStatus,
    pub applicants: i64,
    pub new_applicants: i64,
}

pub struct EmployerHome {
    pub company: String,
    pub verification: VerificationStatus,
    pub note: Option<String>,
    /// Vacancies still being written, reviewed or open, newest first.
    pub vacancies: Vec<EmployerVacancy>,
    pub new_applicants: i64,
}

/// At most this many vacancies on the home page; the vacancy list has them all.
const VACANCIES_SHOWN: usize = 10;

impl EmployerHome {
    pub fn load(conn: &mut DbConnection, company_id: CompanyId) -> QueryResult<Option<Self>> {
        let Some(company) = crate::employers::find_company(conn, company_id)? else {
            return Ok(None);
        };
        let current: Vec<_> = crate::vacancies::list_for_company(conn, company_id, None)?
            .into_iter()
            .filter(|v| {
                matches!(
                    v.status(),
                    VacancyStatus::Draft
                        | VacancyStatus::Submitted
                        | VacancyStatus::Published
                        | VacancyStatus::Rejected
                )
            })
            .take(VACANCIES_SHOWN)
            .collect();
        let ids: Vec<VacancyId> = current.iter().map(|v| v.id).collect();
        let counts = crate::applications::model::applicant_counts(conn, &ids)?;
        let vacancies: Vec<EmployerVacancy> = current
            .into_iter()
            .map(|v| {
                let (applicants, new_applicants) = counts.get(&v.id).copied().unwrap_or_default();
                EmployerVacancy {
                    id: v.id,
                    status: v.status(),
                    title: v.title,
                    applicants,
                    new_applicants,
                }
            })
            .collect();
        Ok(Some(Self {
            company: company.name,
            verification: company.verification_status,
            note: company.verification_note,
            new_applicants: vacancies.iter().map(|v| v.new_applicants).sum(),
            vacancies,
        }))
    }

    pub fn is_pending(&self) -> bool {
        self.verification == VerificationStatus::Pending
    }

    pub fn is_rejected(&self) -> bool {
        self.verification == VerificationStatus::Rejected
    }
}

pub struct ProviderProgramme {
    pub id: ProgrammeId,
    pub title: String,
    pub status_key: &'static str,
    pub open_decisions: i64,
}

/// The provider's programmes not yet finished or cancelled, with the enrolments waiting for a
/// decision.
pub fn provider_programmes(
    conn: &mut DbConnection,
    provider: ProviderId,
) -> QueryResult<Vec<ProviderProgramme>> {
    let programmes: Vec<_> = crate::training::programmes::of_provider(conn, provider)?
        .into_iter()
        .filter(|p| !p.status().next().is_empty())
        .collect();
    let ids: Vec<ProgrammeId> = programmes.iter().map(|p| p.id).collect();
    let pending = crate::training::enrolment::pending_counts(conn, &ids)?;
    Ok(programmes
        .into_iter()
        .map(|p| ProviderProgramme {
            open_decisions: pending.get(&p.id).copied().unwrap_or(0),
            status_key: p.status().label_key(),
            id: p.id,
            title: p.title,
        })
        .collect())
}

/// What the exchange with the national system leaves for the data steward.
pub struct StewardHome {
    /// Records the push gave up on after its retries.
    pub parked: i64,
    /// National records waiting for a decision.
    pub pulled_waiting: i64,
}

impl StewardHome {
    pub fn load(conn: &mut DbConnection) -> QueryResult<Self> {
        let now = chrono::Utc::now().naive_utc();
        Ok(Self {
            parked: crate::national::outbox::counts(conn, now)?.parked,
            pulled_waiting: crate::national::pulled::waiting(conn, 0, 0)?.1,
        })
    }
}
