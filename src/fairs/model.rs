//! A job fair: the model, the staff's form and its checks, and the seats its tickets hold.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::ids::{JobFairId, UserId};
use crate::reference::regions;
use crate::schema::job_fairs;
use crate::web::forms::{FieldErrors, check_line, check_lines};

choice!(
    /// Where a fair is held: in a hall, online, or both.
    Mode in "ref_job_fair_mode" {
        OnSite => "on_site", "fair.mode.on_site",
        Online => "online", "fair.mode.online",
        Mixed => "mixed", "fair.mode.mixed",
    }
);

impl Mode {
    pub fn on_site(self) -> bool {
        self != Self::Online
    }

    pub fn online(self) -> bool {
        self != Self::OnSite
    }
}

choice!(
    /// A draft is seen by staff only; a published fair by everyone; a cancelled one stays
    /// on its page, marked, for those who registered.
    Status in "ref_job_fair_status" {
        Draft => "draft", "fair.status.draft",
        Published => "published", "fair.status.published",
        Cancelled => "cancelled", "fair.status.cancelled",
    }
);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_fairs)]
pub struct Fair {
    pub id: JobFairId,
    pub name: String,
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub opens_at: NaiveTime,
    pub closes_at: NaiveTime,
    pub mode: Mode,
    pub venue: String,
    pub kelurahan_code: Option<String>,
    pub online_url: Option<String>,
    pub capacity: i32,
    pub seats_taken: i32,
    pub booth_deadline: NaiveDate,
    pub status: Status,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Fair {
    pub fn is_published(&self) -> bool {
        self.status == Status::Published
    }

    /// Residents may register until the fair's last day.
    pub fn registration_open(&self, today: NaiveDate) -> bool {
        self.is_published() && today <= self.ends_on
    }

    /// Companies may apply for a booth until the deadline.
    pub fn booths_open(&self, today: NaiveDate) -> bool {
        self.is_published() && today <= self.booth_deadline
    }

    pub fn is_over(&self, today: NaiveDate) -> bool {
        today > self.ends_on
    }

    pub fn is_full(&self) -> bool {
        self.seats_taken >= self.capacity
    }

    /// "Aula Kantor Wali Kota, Binjai Kota, Binjai Kota" or the online platform.
    pub fn place(&self) -> String {
        match self.kelurahan_code.as_deref() {
            Some(k) => format!(
                "{}, {}",
                self.venue,
                regions::place_name(Some(k), regions::BINJAI_CODE)
            ),
            None => self.venue.clone(),
        }
    }

    /// "08.00–16.00 WIB".
    pub fn hours(&self) -> String {
        format!(
            "{}–{} WIB",
            self.opens_at.format("%H.%M"),
            self.closes_at.format("%H.%M")
        )
    }
}

/// The fair form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FairForm {
    pub name: String,
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
    pub opens_at: String,
    pub closes_at: String,
    pub mode: String,
    pub venue: String,
    pub location: String,
    pub online_url: String,
    pub capacity: String,
    pub booth_deadline: String,
    pub status: String,
}

impl FairForm {
    pub fn of(f: &Fair) -> Self {
        Self {
            name: f.name.clone(),
            description: f.description.clone(),
            starts_on: f.starts_on.to_string(),
            ends_on: f.ends_on.to_string(),
            opens_at: f.opens_at.format("%H:%M").to_string(),
            closes_at: f.closes_at.format("%H:%M").to_string(),
            mode: f.mode.as_str().to_owned(),
            venue: f.venue.clone(),
            location: f.kelurahan_code.clone().unwrap_or_default(),
            online_url: f.online_url.clone().unwrap_or_default(),
            capacity: f.capacity.to_string(),
            booth_deadline: f.booth_deadline.to_string(),
            status: f.status.as_str().to_owned(),
        }
    }

    /// A new fair opens 08.00–16.00 and starts as a draft.
    pub fn new_fair() -> Self {
        Self {
            opens_at: "08:00".into(),
            closes_at: "16:00".into(),
            mode: Mode::OnSite.as_str().into(),
            status: Status::Draft.as_str().into(),
            ..Self::default()
        }
    }
}

pub struct ValidFair {
    pub name: String,
    pub description: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub opens_at: NaiveTime,
    pub closes_at: NaiveTime,
    pub mode: Mode,
    pub venue: String,
    pub kelurahan_code: Option<&'static str>,
    pub online_url: Option<String>,
    pub capacity: i32,
    pub booth_deadline: NaiveDate,
    pub status: Status,
}

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

fn time(raw: &str) -> Option<NaiveTime> {
    let raw = raw.trim().replace('.', ":");
    NaiveTime::parse_from_str(&raw, "%H:%M").ok()
}

fn web_address(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let ok = (raw.starts_with("https://") || raw.starts_with("http://"))
        && raw.len() > "https://".len() + 3
        && raw.len() <= 300
        && !raw.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| raw.to_owned())
}

/// Checks the form; every mistake is named, by field. `seats_taken` is the tickets the fair
/// already gave out (0 for a new fair): the capacity cannot fall below them.
pub fn validate(f: &FairForm, seats_taken: i32, errors: &mut FieldErrors) -> Option<ValidFair> {
    check_line(errors, "name", f.name.trim());
    check_lines(errors, "description", f.description.trim());
    check_line(errors, "venue", f.venue.trim());
    let name = f.name.trim();
    if !(5..=150).contains(&name.chars().count()) {
        errors.add("name", "fair.error.name");
    }
    let description = f.description.trim();
    if !(20..=5000).contains(&description.chars().count()) {
        errors.add("description", "fair.error.description");
    }
    let starts_on = date(&f.starts_on);
    let ends_on = date(&f.ends_on);
    if starts_on.is_none() {
        errors.add("starts_on", "fair.error.date");
    }
    if ends_on.is_none() {
        errors.add("ends_on", "fair.error.date");
    }
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.add("ends_on", "fair.error.ends_before_start");
    }
    let opens_at = time(&f.opens_at);
    let closes_at = time(&f.closes_at);
    if opens_at.is_none() {
        errors.add("opens_at", "fair.error.time");
    }
    if closes_at.is_none() {
        errors.add("closes_at", "fair.error.time");
    }
    if let (Some(o), Some(c)) = (opens_at, closes_at)
        && c <= o
    {
        errors.add("closes_at", "fair.error.closes_before_opens");
    }
    let mode = Mode::parse(f.mode.trim());
    if mode.is_none() {
        errors.add("mode", "fair.error.mode");
    }
    let venue = f.venue.trim();
    if !(3..=200).contains(&venue.chars().count()) {
        errors.add("venue", "fair.error.venue");
    }
    let kelurahan_code = match mode {
        Some(m) if m.on_site() => {
            let k = regions::binjai_kelurahan_by_code(f.location.trim()).map(|k| k.code);
            if k.is_none() {
                errors.add("location", "fair.error.location");
            }
            k
        }
        _ => None,
    };
    let online_url = match mode {
        Some(m) if m.online() => {
            let url = web_address(&f.online_url);
            if url.is_none() {
                errors.add("online_url", "fair.error.online_url");
            }
            url
        }
        _ => None,
    };
    let capacity = f
        .capacity
        .trim()
        .replace('.', "")
        .parse::<i32>()
        .ok()
        .filter(|c| (1..=100_000).contains(c));
    match capacity {
        None => errors.add("capacity", "fair.error.capacity"),
        Some(c) if c < seats_taken => errors.add("capacity", "fair.error.capacity_below_taken"),
        Some(_) => {}
    }
    let booth_deadline = date(&f.booth_deadline);
    match (booth_deadline, starts_on) {
        (None, _) => errors.add("booth_deadline", "fair.error.date"),
        (Some(d), Some(s)) if d > s => errors.add("booth_deadline", "fair.error.booth_deadline"),
        _ => {}
    }
    let status = Status::parse(f.status.trim());
    if status.is_none() {
        errors.add("status", "fair.error.status");
    }
    if !errors.is_empty() {
        return None;
    }
    Some(ValidFair {
        name: name.to_owned(),
        description: description.to_owned(),
        starts_on: starts_on?,
        ends_on: ends_on?,
        opens_at: opens_at?,
        closes_at: closes_at?,
        mode: mode?,
        venue: venue.to_owned(),
        kelurahan_code,
        online_url,
        capacity: capacity?,
        booth_deadline: booth_deadline?,
        status: status?,
    })
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = job_fairs)]
#[diesel(treat_none_as_null = true)]
struct Fields<'a> {
    name: &'a str,
    description: &'a str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    opens_at: NaiveTime,
    closes_at: NaiveTime,
    mode: Mode,
    venue: &'a str,
    kelurahan_code: Option<&'a str>,
    online_url: Option<&'a str>,
    capacity: i32,
    booth_deadline: NaiveDate,
    status: Status,
    updated_at: NaiveDateTime,
}

fn fields(v: &ValidFair) -> Fields<'_> {
    Fields {
        name: &v.name,
        description: &v.description,
        starts_on: v.starts_on,
        ends_on: v.ends_on,
        opens_at: v.opens_at,
        closes_at: v.closes_at,
        mode: v.mode,
        venue: &v.venue,
        kelurahan_code: v.kelurahan_code,
        online_url: v.online_url.as_deref(),
        capacity: v.capacity,
        booth_deadline: v.booth_deadline,
        status: v.status,
        updated_at: Utc::now().naive_utc(),
    }
}

pub fn create(conn: &mut DbConnection, v: &ValidFair, actor: UserId) -> QueryResult<JobFairId> {
    let now = Utc::now().naive_utc();
    diesel::insert_into(job_fairs::table)
        .values((
            fields(v),
            job_fairs::created_by.eq(actor),
            job_fairs::created_at.eq(now),
        ))
        .returning(job_fairs::id)
        .get_result(conn)
}

/// Saves the form over the fair. The capacity is checked again in the UPDATE itself, so a
/// ticket given out since the form was read cannot leave more tickets than seats.
pub fn update(conn: &mut DbConnection, id: JobFairId, v: &ValidFair) -> QueryResult<bool> {
    diesel::update(
        job_fairs::table
            .find(id)
            .filter(job_fairs::seats_taken.le(v.capacity)),
    )
    .set(fields(v))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn find(conn: &mut DbConnection, id: JobFairId) -> QueryResult<Option<Fair>> {
    job_fairs::table
        .find(id)
        .select(Fair::as_select())
        .first(conn)
        .optional()
}

/// Published fairs that have not ended, soonest first; and the last `past` that have.
pub fn public_list(
    conn: &mut DbConnection,
    today: NaiveDate,
    past: i64,
) -> QueryResult<(Vec<Fair>, Vec<Fair>)> {
    let shown = job_fairs::table.filter(job_fairs::status.ne(Status::Draft.as_str()));
    let coming = shown
        .filter(job_fairs::ends_on.ge(today))
        .order((job_fairs::starts_on.asc(), job_fairs::id.asc()))
        .select(Fair::as_select())
        .load(conn)?;
    let over = shown
        .filter(job_fairs::ends_on.lt(today))
        .order((job_fairs::starts_on.desc(), job_fairs::id.desc()))
        .limit(past)
        .select(Fair::as_select())
        .load(conn)?;
    Ok((coming, over))
}

/// Every fair for the Dinas, the latest first.
pub fn staff_list(conn: &mut DbConnection) -> QueryResult<Vec<Fair>> {
    job_fairs::table
        .order((job_fairs::starts_on.desc(), job_fairs::id.desc()))
        .select(Fair::as_select())
        .load(conn)
}

/// Fairs a company may still apply to for a booth.
pub fn open_for_booths(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<Fair>> {
    job_fairs::table
        .filter(job_fairs::status.eq(Status::Published.as_str()))
        .filter(job_fairs::booth_deadline.ge(today))
        .order((job_fairs::starts_on.asc(), job_fairs::id.asc()))
        .select(Fair::as_select())
        .load(conn)
}

/// Holds the fair's row until the transaction ends, so that registrations for one fair
/// follow one another: a resident registering twice at once (a double tap) finds the first
/// ticket instead of clashing with it. SQLite's write transactions are one at a time
/// already; on PostgreSQL this is the row lock of an UPDATE that changes nothing.
pub(super) fn hold(conn: &mut DbConnection, id: JobFairId) -> QueryResult<()> {
    diesel::update(job_fairs::table.find(id))
        .set(job_fairs::seats_taken.eq(job_fairs::seats_taken))
        .execute(conn)
        .map(|_| ())
}

/// Takes one seat if one is left: one conditional UPDATE, so that two taking the last seat
/// at once cannot both have it.
pub(super) fn take_seat(conn: &mut DbConnection, id: JobFairId) -> QueryResult<bool> {
    diesel::update(
        job_fairs::table
            .find(id)
            .filter(job_fairs::seats_taken.lt(job_fairs::capacity)),
    )
    .set(job_fairs::seats_taken.eq(job_fairs::seats_taken + 1))
    .execute(conn)
    .map(|n| n == 1)
}

pub(super) fn free_seat(conn: &mut DbConnection, id: JobFairId) -> QueryResult<()> {
    diesel::update(
        job_fairs::table
            .find(id)
            .filter(job_fairs::seats_taken.gt(0)),
    )
    .set(job_fairs::seats_taken.eq(job_fairs::seats_taken - 1))
    .execute(conn)
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> FairForm {
        FairForm {
            name: "Job Fair Binjai 2027".into(),
            description: "Bursa kerja tahunan Kota Binjai dengan puluhan perusahaan.".into(),
            starts_on: "2027-03-10".into(),
            ends_on: "2027-03-11".into(),
            opens_at: "08.00".into(),
            closes_at: "16:00".into(),
            mode: "on_site".into(),
            venue: "Lapangan Merdeka".into(),
            location: "12.75.01.1001".into(),
            online_url: String::new(),
            capacity: "2.000".into(),
            booth_deadline: "2027-03-01".into(),
            status: "published".into(),
        }
    }

    fn errors_of(f: &FairForm, taken: i32) -> Vec<(&'static str, &'static str)> {
        let mut errors = FieldErrors::default();
        validate(f, taken, &mut errors);
        errors.fields().collect()
    }

    #[test]
    fn a_fair_that_ends_before_it_starts_is_refused_by_field() {
        let mut f = form();
        f.ends_on = "2027-03-09".into();
        assert_eq!(
            errors_of(&f, 0),
            [("ends_on", "fair.error.ends_before_start")]
        );
    }

    #[test]
    fn the_capacity_cannot_fall_below_the_tickets_given() {
        assert_eq!(
            errors_of(&form(), 2001),
            [("capacity", "fair.error.capacity_below_taken")]
        );
        assert!(errors_of(&form(), 2000).is_empty());
    }

    #[test]
    fn an_online_fair_needs_its_address_and_no_kelurahan() {
        let mut f = form();
        f.mode = "online".into();
        f.location = String::new();
        assert_eq!(errors_of(&f, 0), [("online_url", "fair.error.online_url")]);
        f.online_url = "https://zoom.example/j/123".into();
        assert!(errors_of(&f, 0).is_empty());
    }

    #[test]
    fn booths_close_by_the_first_day() {
        let mut f = form();
        f.booth_deadline = "2027-03-11".into();
        assert_eq!(
            errors_of(&f, 0),
            [("booth_deadline", "fair.error.booth_deadline")]
        );
    }
}
