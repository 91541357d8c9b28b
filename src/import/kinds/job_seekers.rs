//! Job seekers from the Dinas's own register (kept before the portal, or at another
//! office): one row a resident by NIK, checked by the rules of the AK/I form, perhaps with
//! the AK/I card issued then, which keeps its own number and dates. A NIK already on a
//! profile keeps that profile and only gains the card; see `seekers::imported`.
//!
//! A person with several past cards has one row per card: the natural key is the NIK and
//! the card number.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::QueryResult;

use super::common::{self, JobTitles};
use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::domain::{Ak1Number, Email, Nik};
use crate::import::cells::RowCells;
use crate::import::kind::{Column, ImportKind, Kind, Outcome, col};
use crate::seekers::ak1::model::{PastCard, Status};
use crate::seekers::ak1::rules;
use crate::seekers::forms::{ProfileForm, validate};
use crate::seekers::imported::{self, ImportedSeeker, Known};
use crate::web::forms::FieldErrors;

pub struct JobSeekers;

const COLUMNS: &[Column] = &[
    col("nik", true, "import.job_seekers.nik", "1275016505900002"),
    col("nama", true, "import.job_seekers.nama", "Rina Ginting"),
    col(
        "email",
        true,
        "import.job_seekers.email",
        "rina.ginting@example.com",
    ),
    col(
        "telepon",
        false,
        "import.job_seekers.telepon",
        "081260001234",
    ),
    col(
        "jenis_kelamin",
        false,
        "import.job_seekers.jenis_kelamin",
        "P",
    ),
    col(
        "tempat_lahir",
        false,
        "import.job_seekers.tempat_lahir",
        "Binjai",
    ),
    col(
        "tanggal_lahir",
        true,
        "import.job_seekers.tanggal_lahir",
        "1990-05-25",
    ),
    col(
        "status_perkawinan",
        false,
        "import.job_seekers.status_perkawinan",
        "belum kawin",
    ),
    col("agama", false, "import.job_seekers.agama", "islam"),
    col(
        "alamat",
        false,
        "import.job_seekers.alamat",
        "Jl. Sudirman No. 5",
    ),
    col(
        "kelurahan",
        false,
        "import.job_seekers.kelurahan",
        "12.75.02.1006",
    ),
    col(
        "kabupaten_kota",
        false,
        "import.job_seekers.kabupaten_kota",
        "",
    ),
    col(
        "pendidikan",
        false,
        "import.job_seekers.pendidikan",
        "SMA/MA",
    ),
    col("jurusan", false, "import.job_seekers.jurusan", "IPA"),
    col(
        "keahlian",
        false,
        "import.job_seekers.keahlian",
        "Komputer perkantoran",
    ),
    col(
        "kode_kbji_dicari",
        false,
        "import.job_seekers.kode_kbji_dicari",
        "5230.01",
    ),
    col(
        "jabatan_dicari",
        false,
        "import.job_seekers.jabatan_dicari",
        "",
    ),
    col(
        "upah_diharapkan",
        false,
        "import.job_seekers.upah_diharapkan",
        "3000000",
    ),
    col("disabilitas", false, "import.job_seekers.disabilitas", ""),
    col(
        "nomor_ak1",
        false,
        "import.job_seekers.nomor_ak1",
        "1275-2025-000412",
    ),
    col(
        "tanggal_terbit_ak1",
        false,
        "import.job_seekers.tanggal_terbit_ak1",
        "14/03/2025",
    ),
    col(
        "status_ak1",
        false,
        "import.job_seekers.status_ak1",
        "aktif",
    ),
    col(
        "tanggal_berakhir_ak1",
        false,
        "import.job_seekers.tanggal_berakhir_ak1",
        "",
    ),
];

/// The profile form's field each column feeds, to report the form's own errors under
/// the column.
const FORM_FIELDS: &[(&str, &str)] = &[
    ("full_name", "nama"),
    ("phone", "telepon"),
    ("nik", "nik"),
    ("sex", "jenis_kelamin"),
    ("birth_place", "tempat_lahir"),
    ("birth_date", "tanggal_lahir"),
    ("marital_status", "status_perkawinan"),
    ("religion", "agama"),
    ("address", "alamat"),
    ("location", "kelurahan"),
    ("regency_code", "kabupaten_kota"),
    ("education_level", "pendidikan"),
    ("field_of_study", "jurusan"),
    ("skills", "keahlian"),
    ("desired_job_title_id", "kode_kbji_dicari"),
    ("desired_wage", "upah_diharapkan"),
    ("disability", "disabilitas"),
];

/// The AK/I number of Kota Binjai's cards begins with its Kemendagri code.
const BINJAI_CARD_REGENCY: &str = "1275";

pub struct Lookups {
    today: NaiveDate,
    known: Known,
    job_titles: JobTitles,
    /// What earlier rows of this file hold, for what only the file as a whole can tell: an
    /// address given for two NIKs, two active cards for one NIK.
    seen: RefCell<Seen>,
}

#[derive(Default)]
struct Seen {
    emails: HashMap<String, Nik>,
    active: HashSet<Nik>,
}

/// A checked row.
pub struct Row {
    seeker: ImportedSeeker,
    /// The card number, or empty: with the NIK, the natural key.
    card_key: String,
}

fn marital_status(raw: &str) -> Option<&'static str> {
    Some(match raw.trim().to_lowercase().as_str() {
        "single" | "belum kawin" | "belum menikah" | "lajang" => "single",
        "married" | "kawin" | "menikah" => "married",
        "divorced" | "cerai hidup" | "cerai" => "divorced",
        "widowed" | "cerai mati" | "janda" | "duda" => "widowed",
        _ => return None,
    })
}

fn religion(raw: &str) -> Option<&'static str> {
    Some(match raw.trim().to_lowercase().as_str() {
        "islam" => "islam",
        "protestant" | "kristen" | "kristen protestan" | "protestan" => "protestant",
        "catholic" | "katolik" | "kristen katolik" => "catholic",
        "hindu" => "hindu",
        "buddhist" | "buddha" | "budha" => "buddhist",
        "confucian" | "konghucu" | "khonghucu" => "confucian",
        "other" | "kepercayaan" | "penghayat kepercayaan" | "lainnya" => "other",
        _ => return None,
    })
}

fn card_status(raw: &str) -> Option<Status> {
    Some(match raw.trim().to_lowercase().as_str() {
        "" | "aktif" | "active" => Status::Active,
        "ditempatkan" | "bekerja" | "placed" => Status::Placed,
        "kedaluwarsa" | "kadaluarsa" | "habis" | "expired" => Status::Expired,
        "gugur" | "tidak lapor" | "lapsed" => Status::Lapsed,
        "dicabut" | "ditarik" | "dibatalkan" | "withdrawn" => Status::Withdrawn,
        _ => return None,
    })
}

impl JobSeekers {
    /// The card columns, when the row has a card: its number, dates and state, checked
    /// against each other, against today and against the cards the portal holds.
    fn card(
        &self,
        lookups: &Lookups,
        row: &mut RowCells<'_>,
        nik: Option<&Nik>,
    ) -> Option<PastCard> {
        let raw_number = row.text("nomor_ak1");
        let issued_on = row.date("tanggal_terbit_ak1");
        let raw_status = row.text("status_ak1");
        let ended_on = row.date("tanggal_berakhir_ak1");
        if raw_number.is_empty() {
            if issued_on.is_some() || !raw_status.is_empty() || ended_on.is_some() {
                row.problem("nomor_ak1", "import.job_seekers.error.card_number_missing");
            }
            return None;
        }
        let number = match Ak1Number::parse(&raw_number) {
            Ok(n) if n.regency() == BINJAI_CARD_REGENCY => Some(n),
            Ok(_) => {
                row.problem("nomor_ak1", "import.job_seekers.error.card_regency");
                None
            }
            Err(_) => {
                row.problem("nomor_ak1", "import.job_seekers.error.card_number");
                None
            }
        };
        if issued_on.is_none() && !row.has_problem("tanggal_terbit_ak1") {
            row.problem("tanggal_terbit_ak1", "import.cell.required");
        }
        let status = card_status(&raw_status);
        if status.is_none() {
            row.problem("status_ak1", "import.job_seekers.error.card_status");
        }
        let (number, issued_on, status) = (number?, issued_on?, status?);
        let today = lookups.today;
        if issued_on > today {
            row.problem("tanggal_terbit_ak1", "import.job_seekers.error.future");
        } else if number.year() != Some(chrono::Datelike::year(&issued_on)) {
            row.problem("tanggal_terbit_ak1", "import.job_seekers.error.card_year");
        }
        let valid_until = rules::valid_until(issued_on);
        let ended_on = match status {
            Status::Active => {
                if ended_on.is_some() {
                    row.problem(
                        "tanggal_berakhir_ak1",
                        "import.job_seekers.error.active_ended",
                    );
                }
                if valid_until < today {
                    row.problem("status_ak1", "import.job_seekers.error.active_expired");
                }
                None
            }
            // A card ends the day after its last valid day, as the daily job dates it.
            Status::Expired => {
                let end = valid_until + chrono::Days::new(1);
                if end > today {
                    row.problem("status_ak1", "import.job_seekers.error.not_expired");
                }
                if ended_on.is_some_and(|d| d != end) {
                    row.problem(
                        "tanggal_berakhir_ak1",
                        "import.job_seekers.error.expired_on",
                    );
                }
                Some(end)
            }
            _ => match ended_on {
                None => {
                    if !row.has_problem("tanggal_berakhir_ak1") {
                        row.problem(
                            "tanggal_berakhir_ak1",
                            "import.job_seekers.error.ended_missing",
                        );
                    }
                    None
                }
                Some(d) if d < issued_on || d > valid_until || d > today => {
                    row.problem(
                        "tanggal_berakhir_ak1",
                        "import.job_seekers.error.ended_range",
                    );
                    None
                }
                Some(d) => Some(d),
            },
        };
        if let Some(holder) = lookups.known.cards.get(number.as_str())
            && holder.as_ref() != nik
        {
            row.problem("nomor_ak1", "import.job_seekers.error.card_taken");
        }
        let stored = lookups.known.cards.contains_key(number.as_str());
        if status == Status::Active
            && !stored
            && let Some(nik) = nik
        {
            if lookups.known.niks.get(nik).copied().unwrap_or(false) {
                row.problem("status_ak1", "import.job_seekers.error.card_open");
            } else if lookups.seen.borrow().active.contains(nik) {
                row.problem("status_ak1", "import.job_seekers.error.card_open_in_file");
            }
        }
        Some(PastCard {
            number,
            issued_on,
            status,
            ended_on,
        })
    }
}

impl ImportKind for JobSeekers {
    type Row = Row;
    type Lookups = Lookups;

    fn kind(&self) -> Kind {
        Kind::JobSeekers
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn key_column(&self) -> &'static str {
        "nik"
    }

    fn lookups(&self, conn: &mut DbConnection) -> QueryResult<Lookups> {
        Ok(Lookups {
            today: crate::domain::calendar::today(),
            known: imported::known(conn)?,
            job_titles: JobTitles::load(conn)?,
            seen: RefCell::default(),
        })
    }

    fn parse(&self, lookups: &Lookups, row: &mut RowCells<'_>) -> Option<Row> {
        let nik = common::nik(row);
        let on_profile = nik
            .as_ref()
            .is_some_and(|n| lookups.known.niks.contains_key(n));
        let raw_email = row.required_text("email");
        let email = match Email::parse(&raw_email) {
            Ok(email) => Some(email),
            Err(_) if raw_email.is_empty() => None,
            Err(_) => {
                row.problem("email", "import.job_seekers.error.email");
                None
            }
        };
        // A NIK already on a profile keeps its account: the address is not used.
        if let (Some(email), Some(nik), false) = (&email, &nik, on_profile) {
            match lookups.known.emails.get(email.as_str()) {
                Some(Some(holder)) if holder == nik => {}
                Some(_) => row.problem("email", "import.job_seekers.error.email_taken"),
                None => {}
            }
            if lookups
                .seen
                .borrow()
                .emails
                .get(email.as_str())
                .is_some_and(|other| other != nik)
            {
                row.problem("email", "import.job_seekers.error.email_in_file");
            }
        }
        let sex = common::sex(row, "jenis_kelamin").or(nik.as_ref().map(Nik::sex));
        let birth_date = row.date("tanggal_lahir");
        if birth_date.is_none() && !row.has_problem("tanggal_lahir") {
            row.problem("tanggal_lahir", "import.cell.required");
        }
        let marital = row.text("status_perkawinan");
        let marital_code = marital_status(&marital);
        if !marital.is_empty() && marital_code.is_none() {
            row.problem(
                "status_perkawinan",
                "import.job_seekers.error.marital_status",
            );
        }
        let faith = row.text("agama");
        let religion_code = religion(&faith);
        if !faith.is_empty() && religion_code.is_none() {
            row.problem("agama", "import.job_seekers.error.religion");
        }
        let education = common::education(row, "pendidikan", false);
        let (location, regency_code) = common::location(row, "kelurahan", "kabupaten_kota", false);
        let job_title = lookups
            .job_titles
            .find(row, "kode_kbji_dicari", "jabatan_dicari", false);
        let wage = match row.integer("upah_diharapkan") {
            Some(n) if n < 0 => {
                row.problem("upah_diharapkan", "import.job_seekers.error.negative");
                String::new()
            }
            Some(n) => n.to_string(),
            None => String::new(),
        };
        let form = ProfileForm {
            full_name: row.required_text("nama"),
            phone: row.text("telepon"),
            nik: nik
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default(),
            sex: sex.map(|s| s.code().to_owned()).unwrap_or_default(),
            birth_place: row.text("tempat_lahir"),
            birth_date: birth_date.map(|d| d.to_string()).unwrap_or_default(),
            marital_status: marital_code.unwrap_or_default().to_owned(),
            religion: religion_code.unwrap_or_default().to_owned(),
            address: row.text("alamat"),
            location,
            regency_code,
            education_level: education.map(|e| e.code().to_string()).unwrap_or_default(),
            field_of_study: row.text("jurusan"),
            skills: row.text("keahlian"),
            desired_job_title_id: job_title
                .as_ref()
                .map(|(id, _)| id.to_string())
                .unwrap_or_default(),
            desired_wage: wage,
            disability: row.text("disabilitas"),
        };
        let card = self.card(lookups, row, nik.as_ref());
        let mut errors = FieldErrors::default();
        let profile = validate(&form, lookups.today, |_| true, &mut errors);
        for (field, message) in errors.iter() {
            let column = FORM_FIELDS
                .iter()
                .find(|(f, _)| *f == field)
                .map_or("nama", |(_, c)| *c);
            // A NIK the form refuses for want of a birth date: the date's cell says so.
            if field == "nik" && (nik.is_none() || birth_date.is_none()) {
                continue;
            }
            if !row.has_problem(column) {
                row.problem(column, message);
            }
        }
        if !row.problems.is_empty() {
            return None;
        }
        let (nik, email, profile) = (nik?, email?, profile?);
        let mut seen = lookups.seen.borrow_mut();
        seen.emails
            .entry(email.as_str().to_owned())
            .or_insert_with(|| nik.clone());
        if card.as_ref().is_some_and(|c| c.status == Status::Active) {
            seen.active.insert(nik.clone());
        }
        Some(Row {
            card_key: card
                .as_ref()
                .map(|c| c.number.as_str().to_owned())
                .unwrap_or_default(),
            seeker: ImportedSeeker {
                email,
                nik,
                profile,
                card,
            },
        })
    }

    fn key(&self, row: &Row) -> String {
        format!("{}\u{1f}{}", row.seeker.nik.as_str(), row.card_key)
    }

    fn write(
        &self,
        conn: &mut DbConnection,
        lookups: &Lookups,
        rows: &[Row],
        actor: Option<UserId>,
    ) -> QueryResult<Vec<Outcome>> {
        rows.iter()
            .map(|r| {
                Ok(
                    match imported::record_imported(conn, &r.seeker, actor, lookups.today)? {
                        imported::Outcome::Created(_) => Outcome::Created,
                        imported::Outcome::CardAdded(_) => Outcome::Updated,
                        imported::Outcome::Known(_) => Outcome::Unchanged,
                    },
                )
            })
            .collect()
    }
}
