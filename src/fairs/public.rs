//! The fairs as everyone sees them: the list of coming and past fairs, each fair's page with
//! its companies and their vacancies (with schema.org Event JSON-LD), and its calendar file.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use serde_json::json;

use super::booths::{self, BoothStatus};
use super::model::{self, Fair, Mode, Status};
use super::staff::dates;
use crate::domain::ids::{CompanyId, JobFairId};
use crate::reference::regions;
use crate::vacancies::OpenVacancy;
use crate::web::respond::render;
use crate::web::{AppError, AppState, Lang, PageCtx};

/// How many past fairs the list shows.
const PAST_SHOWN: i64 = 12;

/// Where a fair stands today, for its badge.
pub fn phase_key(f: &Fair, today: NaiveDate) -> &'static str {
    match f.status {
        Status::Cancelled => "fair.phase.cancelled",
        Status::Draft => "fair.status.draft",
        Status::Published if today > f.ends_on => "fair.phase.over",
        Status::Published if today >= f.starts_on => "fair.phase.running",
        Status::Published => "fair.phase.coming",
    }
}

pub struct Listed {
    pub fair: Fair,
    pub dates: String,
    pub place: String,
    pub phase_key: &'static str,
}

fn listed(lang: Lang, today: NaiveDate, fair: Fair) -> Listed {
    Listed {
        dates: dates(lang, &fair),
        place: fair.place(),
        phase_key: phase_key(&fair, today),
        fair,
    }
}

#[derive(Template)]
#[template(path = "fairs/list.html")]
struct ListPage {
    ctx: PageCtx,
    coming: Vec<Listed>,
    past: Vec<Listed>,
}

pub async fn list(ctx: PageCtx, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let today = crate::domain::calendar::today();
    let (coming, past) = state
        .db(move |conn| Ok(model::public_list(conn, today, PAST_SHOWN)?))
        .await?;
    let lang = ctx.lang;
    render(
        &ListPage {
            coming: coming.into_iter().map(|f| listed(lang, today, f)).collect(),
            past: past.into_iter().map(|f| listed(lang, today, f)).collect(),
            ctx,
        },
        StatusCode::OK,
    )
}

pub struct Exhibitor {
    pub company_id: CompanyId,
    pub company: String,
    pub stand: Option<String>,
    pub vacancies: Vec<OpenVacancy>,
}

#[derive(Template)]
#[template(path = "fairs/page.html")]
struct FairPage {
    ctx: PageCtx,
    fair: Fair,
    dates: String,
    place: String,
    phase_key: &'static str,
    exhibitors: Vec<Exhibitor>,
    vacancy_count: usize,
    registration_open: bool,
    /// The visitor's own ticket to this fair, if they hold one.
    own_ticket: Option<crate::domain::ids::TicketId>,
    url: String,
    json_ld: Option<String>,
}

/// A fair as the public may see it: published or cancelled, never a draft.
fn shown(conn: &mut crate::db::DbConnection, id: JobFairId) -> Result<Fair, AppError> {
    model::find(conn, id)?
        .filter(|f| f.status != Status::Draft)
        .ok_or(AppError::NotFound)
}

/// The approved booths of a fair with the vacancies they bring that are open today.
pub fn exhibitors(
    conn: &mut crate::db::DbConnection,
    fair: JobFairId,
    today: NaiveDate,
) -> Result<Vec<Exhibitor>, AppError> {
    let approved: Vec<_> = booths::of_fair(conn, fair)?
        .into_iter()
        .filter(|b| b.status == BoothStatus::Approved)
        .collect();
    let ids: Vec<_> = approved.iter().map(|b| b.id).collect();
    let brought = booths::vacancies_of_booths(conn, &ids)?;
    let all: Vec<_> = brought.values().flatten().copied().collect();
    let open = crate::vacancies::open_among(conn, &all, today)?;
    let companies: Vec<CompanyId> = approved.iter().map(|b| b.company_id).collect();
    let names = crate::employers::company_names(conn, &companies)?;
    let mut out: Vec<Exhibitor> = approved
        .into_iter()
        .map(|b| {
            let mine = brought.get(&b.id).cloned().unwrap_or_default();
            Exhibitor {
                company: names.get(&b.company_id).cloned().unwrap_or_default(),
                vacancies: open
                    .iter()
                    .filter(|(c, v)| *c == b.company_id && mine.contains(&v.0))
                    .map(|(_, v)| v.clone())
                    .collect(),
                company_id: b.company_id,
                stand: b.stand,
            }
        })
        .collect();
    out.sort_by(|a, b| a.company.cmp(&b.company));
    Ok(out)
}

pub async fn page(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let today = crate::domain::calendar::today();
    let user = ctx.user.as_ref().map(|u| u.id);
    let (fair, exhibitors, own_ticket) = state
        .db(move |conn| {
            let fair = shown(conn, id)?;
            let exhibitors = exhibitors(conn, id, today)?;
            let own = match user {
                Some(u) => match crate::seekers::find_by_user(conn, u)? {
                    Some(p) => super::tickets::of_seeker_at(conn, id, p.id)?
                        .filter(|t| t.status != super::tickets::TicketStatus::Cancelled)
                        .map(|t| t.id),
                    None => None,
                },
                None => None,
            };
            Ok((fair, exhibitors, own))
        })
        .await?;
    let url = format!("{}/bursa-kerja/{}", state.settings.base_url, fair.id);
    let json_ld = fair
        .is_published()
        .then(|| event_json_ld(&fair, &exhibitors, &url));
    render(
        &FairPage {
            dates: dates(ctx.lang, &fair),
            place: fair.place(),
            phase_key: phase_key(&fair, today),
            vacancy_count: exhibitors.iter().map(|e| e.vacancies.len()).sum(),
            registration_open: fair.registration_open(today),
            own_ticket,
            exhibitors,
            url,
            json_ld,
            fair,
            ctx,
        },
        StatusCode::OK,
    )
}

/// schema.org Event, with its place (or the online address), its organiser and the
/// companies that exhibit. In Indonesian, the language of the fair.
fn event_json_ld(f: &Fair, exhibitors: &[Exhibitor], url: &str) -> String {
    let start = |d: NaiveDate| format!("{}T{}:00+07:00", d, f.opens_at.format("%H:%M"));
    let end = |d: NaiveDate| format!("{}T{}:00+07:00", d, f.closes_at.format("%H:%M"));
    let place = || {
        let street = f
            .kelurahan_code
            .as_deref()
            .and_then(regions::binjai_kelurahan_by_code)
            .map(|k| format!("Kelurahan {}", k.name));
        let mut address = json!({
            "@type": "PostalAddress",
            "addressLocality": "Kota Binjai",
            "addressRegion": "Sumatera Utara",
            "addressCountry": "ID",
        });
        if let Some(street) = street {
            address["streetAddress"] = json!(street);
        }
        json!({ "@type": "Place", "name": f.venue, "address": address })
    };
    let online = || json!({ "@type": "VirtualLocation", "url": f.online_url });
    let (attendance, location) = match f.mode {
        Mode::OnSite => ("OfflineEventAttendanceMode", place()),
        Mode::Online => ("OnlineEventAttendanceMode", online()),
        Mode::Mixed => ("MixedEventAttendanceMode", json!([place(), online()])),
    };
    let status = match f.status {
        Status::Cancelled => "EventCancelled",
        _ => "EventScheduled",
    };
    let mut event = json!({
        "@context": "https://schema.org/",
        "@type": "Event",
        "name": f.name,
        "description": f.description,
        "url": url,
        "inLanguage": "id",
        "startDate": start(f.starts_on),
        "endDate": end(f.ends_on),
        "eventStatus": format!("https://schema.org/{status}"),
        "eventAttendanceMode": format!("https://schema.org/{attendance}"),
        "location": location,
        "isAccessibleForFree": true,
        "maximumAttendeeCapacity": f.capacity,
        "organizer": {
            "@type": "GovernmentOrganization",
            "name": "Dinas Ketenagakerjaan Kota Binjai",
        },
        "offers": {
            "@type": "Offer",
            "price": 0,
            "priceCurrency": "IDR",
            "availability": if f.is_full() {
                "https://schema.org/SoldOut"
            } else {
                "https://schema.org/InStock"
            },
            "url": url,
        },
    });
    if !exhibitors.is_empty() {
        event["performer"] = json!(
            exhibitors
                .iter()
                .map(|e| json!({ "@type": "Organization", "name": e.company }))
                .collect::<Vec<_>>()
        );
    }
    crate::web::format::script_json(&event)
}

/// The fair as a calendar file: one event a day, at the fair's hours in WIB (written in
/// UTC, which every calendar reads), with a UID that stays the same, so that a second
/// download updates the first instead of doubling it.
pub fn calendar(f: &Fair, base_url: &str) -> String {
    let wib = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    let utc = |d: NaiveDate, t: chrono::NaiveTime| {
        wib.from_local_datetime(&d.and_time(t))
            .single()
            .map(|at| at.with_timezone(&Utc))
    };
    let url = format!("{base_url}/bursa-kerja/{}", f.id);
    let stamp = Utc.from_utc_datetime(&f.updated_at);
    let mut cal = Calendar::new();
    cal.name(&f.name);
    let mut day = f.starts_on;
    while day <= f.ends_on {
        let mut event = Event::new();
        event
            .uid(&format!(
                "bursa-kerja-{}-{}@sibuser",
                f.id,
                day.format("%Y%m%d")
            ))
            .timestamp(stamp)
            .summary(&f.name)
            .description(&format!("{}\n\n{url}", f.description))
            .location(&match (&f.mode, &f.online_url) {
                (Mode::Online, Some(u)) => u.clone(),
                _ => f.place(),
            })
            .url(&url);
        if let (Some(s), Some(e)) = (utc(day, f.opens_at), utc(day, f.closes_at)) {
            event.starts(s).ends(e);
        }
        if f.status == Status::Cancelled {
            event.status(icalendar::EventStatus::Cancelled);
        }
        cal.push(event.done());
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    cal.done().to_string()
}

pub async fn ics(
    state: web::Data<AppState>,
    id: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let fair = state.db(move |conn| shown(conn, id)).await?;
    let body = calendar(&fair, &state.settings.base_url);
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"bursa-kerja-{}.ics\"", fair.id),
        ))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn fair() -> Fair {
        let d = |day| NaiveDate::from_ymd_opt(2027, 3, day).unwrap();
        Fair {
            id: JobFairId::new(3),
            name: "Job Fair Binjai, 2027; hari kerja".into(),
            description: "Bursa kerja tahunan".into(),
            starts_on: d(10),
            ends_on: d(11),
            opens_at: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            closes_at: NaiveTime::from_hms_opt(16, 0, 0).unwrap(),
            mode: Mode::OnSite,
            venue: "Lapangan Merdeka".into(),
            kelurahan_code: Some("12.75.01.1001".into()),
            online_url: None,
            capacity: 100,
            seats_taken: 0,
            booth_deadline: d(1),
            status: Status::Published,
            created_by: None,
            created_at: d(1).and_hms_opt(0, 0, 0).unwrap(),
            updated_at: d(1).and_hms_opt(0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn the_calendar_has_one_event_a_day_at_the_hours_in_utc() {
        let ics = calendar(&fair(), "https://sibuser.example");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
        // 08.00 WIB is 01.00 UTC.
        assert!(ics.contains("DTSTART:20270310T010000Z"), "{ics}");
        assert!(ics.contains("DTEND:20270311T090000Z"), "{ics}");
        assert!(ics.contains("UID:bursa-kerja-3-20270311@sibuser"), "{ics}");
        // RFC 5545 escapes commas and semicolons in text.
        assert!(
            ics.contains("SUMMARY:Job Fair Binjai\\, 2027\\; hari kerja"),
            "{ics}"
        );
        assert!(ics.contains("\r\n"), "lines end in CRLF");
    }

    #[test]
    fn a_cancelled_fair_says_so_in_the_calendar_and_the_json_ld() {
        let mut f = fair();
        f.status = Status::Cancelled;
        assert!(calendar(&f, "https://x.example").contains("STATUS:CANCELLED"));
        assert!(event_json_ld(&f, &[], "https://x.example").contains("EventCancelled"));
    }
}
