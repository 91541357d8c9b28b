//! JKP recipients from BPJS Ketenagakerjaan's list (or the national side's): one row a
//! person's loss of work, the person found or made by NIK, the record kept once per person
//! and dismissal date (`jkp::model::record_listed`), so a list sent twice changes nothing.

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::domain::{Email, Nik, Phone, Sex};
use crate::import::cells::RowCells;
use crate::import::kind::{Column, ImportKind, Kind, Outcome, col};
use crate::jkp::model::{self as jkp, Listed, Reason, Source};
use crate::people::Facts;

pub struct Jkp;

const COLUMNS: &[Column] = &[
    col("nik", true, "import.jkp.nik", "1275016505900002"),
    col("nama", true, "import.jkp.nama", "Rina Ginting"),
    col("jenis_kelamin", false, "import.jkp.jenis_kelamin", "P"),
    col(
        "tanggal_lahir",
        false,
        "import.jkp.tanggal_lahir",
        "1990-05-25",
    ),
    col("telepon", false, "import.jkp.telepon", "081260001234"),
    col("email", false, "import.jkp.email", ""),
    col(
        "pemberi_kerja",
        true,
        "import.jkp.pemberi_kerja",
        "PT Tekstil Sumatera Binjai",
    ),
    col(
        "nib_pemberi_kerja",
        false,
        "import.jkp.nib_pemberi_kerja",
        "9120001000011",
    ),
    col("tanggal_phk", true, "import.jkp.tanggal_phk", "30/09/2026"),
    col("alasan_phk", true, "import.jkp.alasan_phk", "efisiensi"),
    col(
        "manfaat_mulai",
        false,
        "import.jkp.manfaat_mulai",
        "2026-10-01",
    ),
    col(
        "manfaat_sampai",
        false,
        "import.jkp.manfaat_sampai",
        "2027-03-31",
    ),
    col("sumber", false, "import.jkp.sumber", "bpjs"),
];

/// A checked row.
pub struct Row {
    nik: Nik,
    name: String,
    sex: Option<Sex>,
    birth_date: Option<NaiveDate>,
    phone: Option<Phone>,
    email: Option<Email>,
    employer: String,
    nib: Option<String>,
    terminated_on: NaiveDate,
    reason: Reason,
    benefit_from: Option<NaiveDate>,
    benefit_until: Option<NaiveDate>,
    source: Source,
}

pub struct Lookups {
    today: NaiveDate,
}

/// The reason as BPJS's lists write it (Indonesian words) or as the portal codes it.
fn reason(raw: &str) -> Option<Reason> {
    let word = raw.trim().to_lowercase();
    Reason::parse(&word).or(match word.as_str() {
        "efisiensi" => Some(Reason::Efficiency),
        "perusahaan tutup" | "tutup" | "penutupan perusahaan" => Some(Reason::Closure),
        "pailit" => Some(Reason::Bankruptcy),
        "penggabungan" | "merger" | "pengambilalihan" | "akuisisi" => Some(Reason::Merger),
        "force majeure" | "keadaan memaksa" => Some(Reason::ForceMajeure),
        "pkwt berakhir" | "phk sebelum pkwt berakhir" => Some(Reason::ContractEnded),
        "lainnya" | "lain-lain" => Some(Reason::Other),
        _ => None,
    })
}

impl ImportKind for Jkp {
    type Row = Row;
    type Lookups = Lookups;

    fn kind(&self) -> Kind {
        Kind::Jkp
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn key_column(&self) -> &'static str {
        "nik"
    }

    fn lookups(&self, _: &mut DbConnection) -> QueryResult<Lookups> {
        Ok(Lookups {
            today: crate::domain::calendar::today(),
        })
    }

    fn parse(&self, lookups: &Lookups, row: &mut RowCells<'_>) -> Option<Row> {
        let (nik, sex, birth_date) = super::common::nik_sex_birth(
            row,
            "import.jkp.error.nik_sex",
            "import.jkp.error.nik_birth",
        );
        let name = row.required_text("nama");
        if name.chars().count() > 200 {
            row.problem("nama", "import.jkp.error.too_long");
        }
        let phone = match row.text("telepon") {
            t if t.is_empty() => None,
            t => Phone::parse(&t)
                .map_err(|_| row.problem("telepon", "import.jkp.error.phone"))
                .ok(),
        };
        let email = match row.text("email") {
            t if t.is_empty() => None,
            t => Email::parse(&t)
                .map_err(|_| row.problem("email", "import.jkp.error.email"))
                .ok(),
        };
        let employer = row.required_text("pemberi_kerja");
        if employer.chars().count() > 200 {
            row.problem("pemberi_kerja", "import.jkp.error.too_long");
        }
        let nib = match row.text("nib_pemberi_kerja") {
            t if t.is_empty() => None,
            t => {
                let nib = crate::employers::parse_nib(&t);
                if nib.is_none() {
                    row.problem("nib_pemberi_kerja", "import.jkp.error.nib");
                }
                nib
            }
        };
        let terminated_on = row.date("tanggal_phk");
        if terminated_on.is_some_and(|d| d > lookups.today) {
            row.problem("tanggal_phk", "import.jkp.error.future");
        }
        if terminated_on.is_none() && !row.has_problem("tanggal_phk") {
            row.problem("tanggal_phk", "import.cell.required");
        }
        let raw_reason = row.required_text("alasan_phk");
        let reason = reason(&raw_reason);
        if reason.is_none() && !raw_reason.is_empty() {
            row.problem("alasan_phk", "import.jkp.error.reason");
        }
        let benefit_from = row.date("manfaat_mulai");
        let benefit_until = row.date("manfaat_sampai");
        if let (Some(from), Some(until)) = (benefit_from, benefit_until)
            && until < from
        {
            row.problem("manfaat_sampai", "import.jkp.error.benefit_order");
        }
        let source = match row.text("sumber").to_lowercase().as_str() {
            "" | "bpjs" | "bpjs ketenagakerjaan" => Some(Source::Bpjs),
            "nasional" | "national" | "siapkerja" => Some(Source::National),
            _ => {
                row.problem("sumber", "import.jkp.error.source");
                None
            }
        };
        if name.is_empty() || employer.is_empty() || !row.problems.is_empty() {
            return None;
        }
        Some(Row {
            nik: nik?,
            name,
            sex,
            birth_date,
            phone,
            email,
            employer,
            nib,
            terminated_on: terminated_on?,
            reason: reason?,
            benefit_from,
            benefit_until,
            source: source?,
        })
    }

    fn key(&self, row: &Row) -> String {
        format!("{}\u{1f}{}", row.nik.as_str(), row.terminated_on)
    }

    fn write(
        &self,
        conn: &mut DbConnection,
        _: &Lookups,
        rows: &[Row],
        _actor: Option<UserId>,
    ) -> QueryResult<Vec<Outcome>> {
        let now = chrono::Utc::now().naive_utc();
        rows.iter()
            .map(|r| {
                let listed = Listed {
                    person: Facts {
                        nik: &r.nik,
                        name: &r.name,
                        sex: r.sex.or(Some(r.nik.sex())),
                        birth_date: r.birth_date,
                        kelurahan_code: None,
                        regency_code: None,
                        email: r.email.as_ref(),
                        phone: r.phone.as_ref(),
                    },
                    last_employer_name: &r.employer,
                    last_employer_nib: r.nib.as_deref(),
                    terminated_on: r.terminated_on,
                    reason: r.reason,
                    benefit_from: r.benefit_from,
                    benefit_until: r.benefit_until,
                    source: r.source,
                };
                // Inside the engine's one transaction for the whole list.
                Ok(match jkp::record_listed_within(conn, &listed, now)? {
                    jkp::Outcome::Created(_) => Outcome::Created,
                    jkp::Outcome::Known(_) => Outcome::Unchanged,
                })
            })
            .collect()
    }
}
