//! One pull round (docs/national-sync.md §4): for each set, ask the national side for what
//! changed after the cursor, check the signed answer, log it, and merge each record by its
//! external id (then NIK or NIB) in its own transaction, so a record that fails is parked
//! whole and the rest go on. A record that names a local one which disagrees (the same NIK
//! with another birth date, the same NIB with another name) waits for the data steward.
//! Records this portal pushed come back too: they are compared, never applied.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime, Utc};

use super::contract::{self, PullAnswer, PullItem, PullRequest, PullSet, kind};
use super::exchange_log::{self, Direction, Message};
use super::fields::Fields;
use super::forwarded;
use super::link::Link;
use super::pulled::{self, Landing, Pulled, Resolution, State, Waiting};
use super::vacancies;
use crate::db::DbConnection;
use crate::domain::{Email, Nik, Phone, Sex};
use crate::exports::Dataset;
use crate::interop::records;
use crate::jkp::model::{self as jkp, Listed, Reason};
use crate::people::Facts;
use crate::reference::regions;
use crate::sharing::{Masking, PartnerId, partners};
use crate::wlkp::figures::{
    Figures, NATIONAL_AGE_FIELDS, NATIONAL_EDUCATION_FIELDS, NATIONAL_HEADCOUNT_FIELDS,
};
use crate::wlkp::imported::{self, ImportedReport};
use crate::wlkp::model::Trigger;

/// What a pull of one set did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SetReport {
    pub answers: u64,
    pub items: u64,
    /// National records now in the portal (made, or merged into a local one).
    pub merged: u64,
    /// Already here at this version.
    pub unchanged: u64,
    pub conflicts: u64,
    pub parked: u64,
    pub withdrawn: u64,
    /// This portal's own records as the national side holds them: the same as here, or not.
    pub own_equal: u64,
    pub own_differs: u64,
}

/// What a round did, by set.
#[derive(Debug, Default, Clone)]
pub struct PullReport {
    pub sets: Vec<(PullSet, SetReport)>,
    /// Sets whose pull stopped on an error, with it.
    pub errors: Vec<(PullSet, String)>,
}

/// Pulls every set, at most `max_answers` answers each.
pub fn round(conn: &mut DbConnection, link: &Link, max_answers: u64) -> anyhow::Result<PullReport> {
    let partner_id = PartnerId::new(link.settings.partner_id);
    let grants: HashMap<Dataset, Masking> = partners::grants(conn, partner_id)?
        .into_iter()
        .map(|g| (g.dataset, g.masking))
        .collect();
    let mut report = PullReport::default();
    for set in PullSet::ALL {
        let mut r = SetReport::default();
        let token = crate::web::session::random_token();
        let now = Utc::now().naive_utc();
        if !pulled::take(conn, set, &token, lease(link), now)? {
            // Another instance is pulling this set now.
            continue;
        }
        let outcome = pull_set(conn, link, set, &token, &grants, max_answers, &mut r);
        let error = match &outcome {
            Ok(()) => None,
            Err(e) => Some(format!("{e:#}")),
        };
        if let Some(e) = &error {
            tracing::warn!(set = set.as_str(), error = %e, "national pull failed");
            report.errors.push((set, e.clone()));
        }
        pulled::release(conn, set, &token, error.as_deref())?;
        report.sets.push((set, r));
    }
    Ok(report)
}

fn lease(link: &Link) -> Duration {
    super::outbox::lease(link.settings.timeout) + Duration::minutes(5)
}

fn pull_set(
    conn: &mut DbConnection,
    link: &Link,
    set: PullSet,
    token: &str,
    grants: &HashMap<Dataset, Masking>,
    max_answers: u64,
    report: &mut SetReport,
) -> anyhow::Result<()> {
    let kind = kind::pull(set.as_str());
    let peer = link.api.peer().to_owned();
    while report.answers < max_answers {
        let request = PullRequest {
            protocol: contract::PROTOCOL.into(),
            request_id: format!(
                "{}-pull-{}",
                contract::ORIGIN,
                &crate::web::session::random_token()[..16]
            ),
            origin: contract::ORIGIN.into(),
            set,
            region: regions::BINJAI_CODE.into(),
            cursor: pulled::cursor(conn, set)?,
            limit: contract::MAX_PULL_ITEMS
                .min(link.settings.batch_size as u32)
                .max(1),
        };
        let body = serde_json::to_vec(&request)?;
        let seal = link.signer.seal(&kind, &request.request_id, &body);
        crate::db::transaction(conn, |conn| {
            exchange_log::append(
                conn,
                &[Message {
                    direction: Direction::Sent,
                    kind: &kind,
                    peer: &peer,
                    seal: &seal,
                    body: &body,
                }],
            )
        })?;
        let reply = link
            .api
            .post(&contract::path::pull(set.as_str()), &body, &seal)
            .map_err(|e| anyhow::anyhow!("no answer: {e}"))?;
        if reply.status != 200 {
            match serde_json::from_slice::<contract::Problem>(&reply.body) {
                Ok(p) => anyhow::bail!("HTTP {}: {} ({})", reply.status, p.title, p.code),
                Err(_) => anyhow::bail!("HTTP {}", reply.status),
            }
        }
        let Some(reply_seal) = reply.seal else {
            anyhow::bail!("the answer is not signed");
        };
        if reply_seal.message_id != request.request_id {
            anyhow::bail!("the answer is signed for another request");
        }
        link.theirs
            .check(&kind, &reply_seal, &reply.body)
            .map_err(|e| anyhow::anyhow!("the answer's signature: {e}"))?;
        // Signed by the national side: kept whatever it holds, as proof of what it sent.
        crate::db::transaction(conn, |conn| {
            exchange_log::append(
                conn,
                &[Message {
                    direction: Direction::Received,
                    kind: &kind,
                    peer: &peer,
                    seal: &reply_seal,
                    body: &reply.body,
                }],
            )
        })?;
        // Where, not what: serde's message may quote a value, and this one is logged and
        // shown on the sync page.
        let answer: PullAnswer = serde_json::from_slice(&reply.body).map_err(|e| {
            anyhow::anyhow!(
                "the answer is malformed (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        if answer.request_id != request.request_id || answer.set != set {
            anyhow::bail!("the answer is for another request");
        }
        report.answers += 1;
        report.items += answer.items.len() as u64;
        let (own, national): (Vec<&PullItem>, Vec<&PullItem>) = answer
            .items
            .iter()
            .partition(|i| i.origin == contract::ORIGIN);
        compare_own(conn, set, &own, grants, report)?;
        for item in national {
            apply_item(conn, set, token, item, link, report)?;
        }
        let now = Utc::now().naive_utc();
        pulled::advance(
            conn,
            set,
            token,
            answer.next_cursor.as_deref().or(request.cursor.as_deref()),
            answer.items.len() as i64,
            now,
        )?;
        if !answer.has_more || answer.items.is_empty() {
            break;
        }
    }
    Ok(())
}

fn apply_item(
    conn: &mut DbConnection,
    set: PullSet,
    token: &str,
    item: &PullItem,
    link: &Link,
    report: &mut SetReport,
) -> anyhow::Result<()> {
    let landed = crate::db::transaction(conn, |conn| {
        let now = Utc::now().naive_utc();
        // Written first, so that on SQLite the transaction holds the write lock before it
        // reads (a read-then-write transaction fails when another writer went between).
        if !pulled::take(conn, set, token, lease(link), now)? {
            return Err(diesel::result::Error::RollbackTransaction);
        }
        let prior = pulled::find(conn, set, &item.external_id)?;
        land(conn, set, item, prior.as_ref(), None, now)
    });
    match landed {
        Ok(Some(l)) => count(report, &l),
        Ok(None) => report.unchanged += 1,
        Err(diesel::result::Error::RollbackTransaction) => {
            anyhow::bail!("the pull's lease was taken by another instance")
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

fn count(report: &mut SetReport, landing: &Landing) {
    match landing {
        Landing::Merged(_) => report.merged += 1,
        Landing::Conflict(_) => report.conflicts += 1,
        Landing::Parked(_) => report.parked += 1,
        Landing::Withdrawn => report.withdrawn += 1,
    }
}

/// Applies one national record in the caller's transaction: what became of it, or `None`
/// when nothing changed (a version already applied, a record the data steward refused).
fn land(
    conn: &mut DbConnection,
    set: PullSet,
    item: &PullItem,
    prior: Option<&Pulled>,
    decision: Option<Resolution>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<Landing>> {
    if let Some(p) = prior {
        let same_version = item.version <= p.version;
        if p.state == State::Rejected || (same_version && decision.is_none()) {
            return Ok(None);
        }
    }
    // A decision holds for the record's later versions too.
    let decision = decision.or(prior.and_then(|p| p.resolution));
    let merged_into = prior
        .filter(|p| p.state == State::Merged)
        .and_then(|p| p.local_id);
    let landing = if item.deleted {
        match set {
            PullSet::Vacancies => vacancies::withdraw(conn, &item.external_id, now)?,
            PullSet::Applications => {
                if let Some(id) = merged_into {
                    forwarded::withdraw(conn, id)?;
                }
            }
            PullSet::Jkp | PullSet::Wlkp => {}
        }
        Landing::Withdrawn
    } else {
        let record = item.record.clone().unwrap_or(serde_json::Value::Null);
        match set {
            PullSet::Vacancies => match vacancies::incoming(&record, &item.origin) {
                Ok(v) => Landing::Merged(vacancies::store(
                    conn,
                    &item.external_id,
                    item.version,
                    &v,
                    now,
                )?),
                Err(p) => parked(p, &record),
            },
            PullSet::Jkp => land_jkp(conn, &record, merged_into, decision, now)?,
            PullSet::Wlkp => land_wlkp(conn, item, &record, merged_into.is_some(), decision)?,
            PullSet::Applications => {
                forwarded::land(conn, &item.external_id, &record, merged_into, now)?
            }
        }
    };
    let text = item
        .record
        .as_ref()
        .map(serde_json::Value::to_string)
        .unwrap_or_default();
    pulled::land(
        conn,
        set,
        &item.external_id,
        item.version,
        &text,
        &landing,
        now,
    )?;
    Ok(Some(landing))
}

pub(super) fn parked(
    (field, problem): super::fields::Problem,
    record: &serde_json::Value,
) -> Landing {
    let value = record.get(&field).and_then(|v| match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.chars().take(200).collect()),
        other => Some(other.to_string().chars().take(200).collect()),
    });
    Landing::Parked(Waiting {
        problem,
        field: Some(field),
        local_value: None,
        national_value: value,
    })
}

/// A pulled JKP recipient (§8's `jkp` fields).
struct JkpIn {
    nik: Nik,
    name: String,
    sex: Sex,
    birth_date: Option<chrono::NaiveDate>,
    kelurahan: Option<String>,
    email: Option<Email>,
    phone: Option<Phone>,
    employer: String,
    employer_nib: Option<String>,
    terminated_on: chrono::NaiveDate,
    reason: Reason,
    benefit_from: Option<chrono::NaiveDate>,
    benefit_until: Option<chrono::NaiveDate>,
}

fn jkp_in(record: &serde_json::Value) -> Result<JkpIn, super::fields::Problem> {
    let mut f = Fields::of(record)?;
    let nik = f.optional("nik").and_then(|raw| {
        Nik::parse(&raw)
            .ok()
            .or_else(|| f.problem("nik", "national.pull.error.nik"))
    });
    if nik.is_none() {
        f.require("nik");
    }
    let name = f.text("nama", true, 200);
    let sex = f.optional("jenis_kelamin").and_then(|raw| {
        Sex::from_code(&raw.to_uppercase())
            .or_else(|| f.problem("jenis_kelamin", "national.pull.error.unknown_code"))
    });
    // Not checked against the NIK's digits, as a list typed here is: the national side's
    // facts come from Dukcapil, where an older NIK may not spell the birth date. A birth
    // date that differs from the one held here is a conflict for the data steward.
    let birth_date = f.date("tanggal_lahir", false);
    let kelurahan = f.optional("kode_kelurahan").and_then(|code| {
        let inside = code.starts_with(&format!("{}.", regions::BINJAI_CODE))
            && code.len() == "12.75.01.1001".len()
            && regions::get(&code).is_some();
        if inside {
            Some(code)
        } else {
            f.problem("kode_kelurahan", "national.pull.error.unknown_code")
        }
    });
    let email = f.optional("surel").and_then(|raw| {
        Email::parse(&raw)
            .ok()
            .or_else(|| f.problem("surel", "import.jkp.error.email"))
    });
    let phone = f.optional("telepon").and_then(|raw| {
        Phone::parse(&raw)
            .ok()
            .or_else(|| f.problem("telepon", "import.jkp.error.phone"))
    });
    let employer = f.text("pemberi_kerja_terakhir", true, 200);
    let employer_nib = f.optional("nib_pemberi_kerja_terakhir").and_then(|raw| {
        crate::employers::parse_nib(&raw)
            .or_else(|| f.problem("nib_pemberi_kerja_terakhir", "national.pull.error.nib"))
    });
    let terminated_on = f.date("tanggal_phk", true);
    if terminated_on.is_some_and(|d| d > crate::domain::calendar::today()) {
        f.problem::<()>("tanggal_phk", "import.jkp.error.future");
    }
    let reason = f.optional("alasan_phk").and_then(|raw| {
        Reason::parse(&raw).or_else(|| f.problem("alasan_phk", "national.pull.error.unknown_code"))
    });
    if reason.is_none() {
        f.require("alasan_phk");
    }
    let benefit_from = f.date("manfaat_mulai", false);
    let benefit_until = f.date("manfaat_sampai", false);
    if let (Some(a), Some(b)) = (benefit_from, benefit_until)
        && b < a
    {
        f.problem::<()>("manfaat_sampai", "import.jkp.error.benefit_order");
    }
    f.done()?;
    let required = |field: &str| (field.to_owned(), "national.pull.error.required");
    let nik = nik.ok_or_else(|| required("nik"))?;
    Ok(JkpIn {
        sex: sex.unwrap_or(nik.sex()),
        nik,
        name,
        birth_date,
        kelurahan,
        email,
        phone,
        employer,
        employer_nib,
        terminated_on: terminated_on.ok_or_else(|| required("tanggal_phk"))?,
        reason: reason.ok_or_else(|| required("alasan_phk"))?,
        benefit_from,
        benefit_until,
    })
}

fn land_jkp(
    conn: &mut DbConnection,
    record: &serde_json::Value,
    merged_into: Option<i32>,
    decision: Option<Resolution>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Landing> {
    let r = match jkp_in(record) {
        Ok(r) => r,
        Err(p) => return Ok(parked(p, record)),
    };
    let mut birth_date = r.birth_date;
    if merged_into.is_none()
        && let Some(known) = crate::people::model::by_nik(conn, &r.nik)?
        && let (Some(ours), Some(theirs)) = (known.birth_date, r.birth_date)
        && ours != theirs
    {
        match decision {
            None => {
                return Ok(Landing::Conflict(Waiting {
                    problem: "national.conflict.birth_date",
                    field: Some("tanggal_lahir".into()),
                    local_value: Some(ours.to_string()),
                    national_value: Some(theirs.to_string()),
                }));
            }
            // The same person, and our birth date is right: the rest merges.
            Some(Resolution::KeepLocal) => birth_date = None,
            Some(_) => {}
        }
    }
    let listed = Listed {
        person: Facts {
            nik: &r.nik,
            name: &r.name,
            sex: Some(r.sex),
            birth_date,
            kelurahan_code: r.kelurahan.as_deref(),
            regency_code: r.kelurahan.as_ref().map(|_| regions::BINJAI_CODE),
            email: r.email.as_ref(),
            phone: r.phone.as_ref(),
        },
        last_employer_name: &r.employer,
        last_employer_nib: r.employer_nib.as_deref(),
        terminated_on: r.terminated_on,
        reason: r.reason,
        benefit_from: r.benefit_from,
        benefit_until: r.benefit_until,
        source: jkp::Source::National,
    };
    if let Some(id) = merged_into {
        let id = crate::domain::ids::JkpRecipientId::new(id);
        if jkp::correct_listed_within(conn, id, &listed, now)? {
            return Ok(Landing::Merged(id.get()));
        }
    }
    Ok(Landing::Merged(
        match jkp::record_listed_within(conn, &listed, now)? {
            jkp::Outcome::Created(id) | jkp::Outcome::Known(id) => id.get(),
        },
    ))
}

/// A pulled WLKP report (§8's `wlkp` fields).
fn wlkp_in(
    item: &PullItem,
    record: &serde_json::Value,
) -> Result<(ImportedReport, String), super::fields::Problem> {
    let mut f = Fields::of(record)?;
    let nib = f.optional("nib").and_then(|raw| {
        crate::employers::parse_nib(&raw).or_else(|| f.problem("nib", "national.pull.error.nib"))
    });
    if nib.is_none() {
        f.require("nib");
    }
    let name = f.text("nama_perusahaan", false, 200);
    let year = f.integer("tahun").and_then(|y| i32::try_from(y).ok());
    if year.is_none() {
        f.require("tahun");
    }
    let trigger = f.optional("jenis_laporan").and_then(|raw| {
        Trigger::parse(&raw)
            .or_else(|| f.problem("jenis_laporan", "national.pull.error.unknown_code"))
    });
    if trigger.is_none() {
        f.require("jenis_laporan");
    }
    let reported_on = f.date("tanggal_lapor", true);
    let mut figures = Figures::default();
    for (s, by_citizenship) in NATIONAL_HEADCOUNT_FIELDS.iter().enumerate() {
        for (c, by_contract) in by_citizenship.iter().enumerate() {
            for (k, field) in by_contract.iter().enumerate() {
                figures.headcount[s][c][k] = small(&mut f, field);
            }
        }
    }
    for (i, field) in NATIONAL_EDUCATION_FIELDS.iter().enumerate() {
        figures.education[i] = small(&mut f, field);
    }
    for (i, field) in NATIONAL_AGE_FIELDS.iter().enumerate() {
        figures.ages[i] = small(&mut f, field);
    }
    figures.disabled = small(&mut f, "disabilitas");
    figures.apprentices = small(&mut f, "magang");
    figures.bpjs_tk = small(&mut f, "bpjs_ketenagakerjaan");
    figures.bpjs_kes = small(&mut f, "bpjs_kesehatan");
    figures.lowest_wage = f.rupiah("upah_terendah");
    f.done()?;
    let required = |field: &str| (field.to_owned(), "national.pull.error.required");
    let report = ImportedReport {
        nib: nib.ok_or_else(|| required("nib"))?,
        period_year: year.ok_or_else(|| required("tahun"))?,
        trigger: trigger.ok_or_else(|| required("jenis_laporan"))?,
        external_id: item.external_id.clone(),
        reported_on: reported_on.ok_or_else(|| required("tanggal_lapor"))?,
        figures,
    };
    if let Some((field, key)) = imported::check(&report).into_iter().next() {
        // Named as the national record names it, for the data steward.
        let field = match field {
            "period_year" => "tahun",
            "reported_on" => "tanggal_lapor",
            "education_total" => "pend_*",
            "age_total" => "usia_*",
            "disabled" => "disabilitas",
            "bpjs_tk" => "bpjs_ketenagakerjaan",
            "bpjs_kes" => "bpjs_kesehatan",
            "lowest_wage" => "upah_terendah",
            other => other,
        };
        return Err((field.to_owned(), key));
    }
    Ok((report, name))
}

fn small(f: &mut Fields<'_>, field: &str) -> i32 {
    f.integer(field)
        .and_then(|n| i32::try_from(n).ok())
        .unwrap_or(0)
}

fn land_wlkp(
    conn: &mut DbConnection,
    item: &PullItem,
    record: &serde_json::Value,
    merged_before: bool,
    decision: Option<Resolution>,
) -> diesel::QueryResult<Landing> {
    let (report, name) = match wlkp_in(item, record) {
        Ok(r) => r,
        Err(p) => return Ok(parked(p, record)),
    };
    if !merged_before
        && decision.is_none()
        && !name.is_empty()
        && let Some(company) = crate::employers::head_office_by_nib(conn, &report.nib)?
        && let Some(known) = crate::employers::find_company(conn, company)?
        && !same_company_name(&known.name, &name)
    {
        return Ok(Landing::Conflict(Waiting {
            problem: "national.conflict.company_name",
            field: Some("nama_perusahaan".into()),
            local_value: Some(known.name),
            national_value: Some(name),
        }));
    }
    Ok(match imported::record_imported_within(conn, &report)? {
        imported::Outcome::Recorded(id)
        | imported::Outcome::Revised(id)
        | imported::Outcome::AlreadyRecorded(id) => Landing::Merged(id.get()),
        imported::Outcome::Refused(errors) => {
            let (field, key) = errors
                .into_iter()
                .next()
                .unwrap_or(("nib", "wlkp.error.period"));
            parked((field.to_owned(), key), record)
        }
    })
}

/// Whether two names are the same company's: the same words, whatever their case,
/// punctuation and legal form (`PT. Maju Jaya` and `Maju Jaya, PT`).
pub fn same_company_name(a: &str, b: &str) -> bool {
    fn words(name: &str) -> Vec<String> {
        let lower = name.to_lowercase();
        let mut words: Vec<String> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .filter(|w| {
                !matches!(
                    *w,
                    "pt" | "cv" | "tbk" | "persero" | "ud" | "perum" | "koperasi"
                )
            })
            .map(str::to_owned)
            .collect();
        words.sort();
        words
    }
    words(a) == words(b)
}

/// Counts this portal's own records as the national side holds them: the same as the
/// portal would send them now, or not (a change not yet pushed, or a copy gone wrong).
fn compare_own(
    conn: &mut DbConnection,
    set: PullSet,
    items: &[&PullItem],
    grants: &HashMap<Dataset, Masking>,
    report: &mut SetReport,
) -> anyhow::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let dataset = match set {
        PullSet::Vacancies => Dataset::Vacancies,
        PullSet::Jkp => Dataset::Jkp,
        PullSet::Wlkp => Dataset::Wlkp,
        // Applications are never pushed: none of them is the portal's own.
        PullSet::Applications => {
            report.own_differs += items.len() as u64;
            return Ok(());
        }
    };
    let ids: Vec<i32> = items
        .iter()
        .filter_map(|i| i.record_id.and_then(|id| i32::try_from(id).ok()))
        .collect();
    let masking = grants.get(&dataset).copied().unwrap_or(Masking::Masked);
    let ours = records::objects(conn, dataset, &ids, masking)?;
    for item in items {
        let mine = item
            .record_id
            .and_then(|id| i32::try_from(id).ok())
            .and_then(|id| ours.get(&id))
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok());
        let equal = match (mine, &item.record) {
            (Some(mine), Some(theirs)) => !item.deleted && mine == *theirs,
            (None, None) => item.deleted,
            _ => false,
        };
        if equal {
            report.own_equal += 1;
        } else {
            report.own_differs += 1;
        }
    }
    Ok(())
}

/// The origin of a record applied again from what was kept (the kept record has its own
/// `sumber`).
const ORIGIN_UNKNOWN: &str = "national";

/// Checks a parked record again as it was pulled (a code list moved on since): false when
/// it is not parked (any more).
pub fn retry(conn: &mut DbConnection, id: i32) -> diesel::QueryResult<bool> {
    crate::db::transaction(conn, |conn| {
        let now = Utc::now().naive_utc();
        let Some(p) = pulled::find_by_id(conn, id)?.filter(|p| p.state == State::Parked) else {
            return Ok(false);
        };
        land(conn, p.set, &kept_item(&p), None, None, now)?;
        Ok(true)
    })
}

/// The data steward's decision on a waiting record, applied to what was pulled, in one
/// transaction: the record as it waited, or `None` when it no longer waits.
pub fn resolve(
    conn: &mut DbConnection,
    id: i32,
    resolution: Resolution,
    by: crate::domain::ids::UserId,
    note: &str,
) -> diesel::QueryResult<Option<Pulled>> {
    crate::db::transaction(conn, |conn| {
        let now = Utc::now().naive_utc();
        let Some(p) = pulled::find_by_id(conn, id)? else {
            return Ok(None);
        };
        if !pulled::resolve(conn, id, resolution, by, note, now)? {
            return Ok(None);
        }
        if resolution != Resolution::Rejected {
            land(conn, p.set, &kept_item(&p), Some(&p), Some(resolution), now)?;
        }
        Ok(Some(p))
    })
}

/// A waiting record as the pull kept it, to apply again.
fn kept_item(p: &Pulled) -> PullItem {
    PullItem {
        external_id: p.external_id.clone(),
        origin: ORIGIN_UNKNOWN.into(),
        record_id: None,
        version: p.version,
        deleted: false,
        record: p
            .record
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
    }
}
