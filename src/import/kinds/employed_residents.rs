//! Employed residents (penduduk yang bekerja) from a list: an employer's list of its
//! workers, or the national side's. One row a person's job: the person found or made by NIK
//! (checked against the sex and birth date given), the job kept once per person, employer,
//! title and start (`employment::record_listed_within`), so a list sent twice changes
//! nothing and a resident already known (as a job seeker, a JKP recipient) is not made twice.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::db::DbConnection;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::{KbjiCode, KbliCode, Nik, Sex};
use crate::employment::{self, Listed, ListedJob, Source};
use crate::import::cells::RowCells;
use crate::import::kind::{Column, ImportKind, Kind, Outcome, col};
use crate::people::Facts;
use crate::reference::kbli;

pub struct EmployedResidents;

const COLUMNS: &[Column] = &[
    col("nik", true, "import.employed.nik", "1275014402950003"),
    col("nama", true, "import.employed.nama", "Dewi Sembiring"),
    col("jenis_kelamin", false, "import.employed.jenis_kelamin", "P"),
    col(
        "tanggal_lahir",
        false,
        "import.employed.tanggal_lahir",
        "04/02/1995",
    ),
    col(
        "pemberi_kerja",
        true,
        "import.employed.pemberi_kerja",
        "PT Sumber Rezeki",
    ),
    col(
        "nib_pemberi_kerja",
        false,
        "import.employed.nib_pemberi_kerja",
        "9120001234567",
    ),
    col("jabatan", true, "import.employed.jabatan", "Kasir"),
    col("kode_kbji", false, "import.employed.kode_kbji", "5230"),
    col("kode_kbli", false, "import.employed.kode_kbli", "47111"),
    col(
        "tanggal_mulai",
        true,
        "import.employed.tanggal_mulai",
        "2026-01-05",
    ),
    col(
        "tanggal_selesai",
        false,
        "import.employed.tanggal_selesai",
        "",
    ),
    col("sumber", false, "import.employed.sumber", "pemberi kerja"),
];

/// A checked row.
pub struct Row {
    nik: Nik,
    name: String,
    sex: Option<Sex>,
    birth_date: Option<NaiveDate>,
    employer: String,
    nib: Option<String>,
    company_id: Option<CompanyId>,
    job_title: String,
    kbji: Option<KbjiCode>,
    kbli: Option<KbliCode>,
    started_on: NaiveDate,
    ended_on: Option<NaiveDate>,
    source: Source,
}

pub struct Lookups {
    today: NaiveDate,
    /// Head offices on the portal by NIB: a job there is linked to the company.
    companies: HashMap<String, CompanyId>,
    /// The KBJI codes of the portal's job titles, and every shorter group of them.
    kbji: HashSet<String>,
}

impl ImportKind for EmployedResidents {
    type Row = Row;
    type Lookups = Lookups;

    fn kind(&self) -> Kind {
        Kind::EmployedResidents
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn key_column(&self) -> &'static str {
        "nik"
    }

    fn lookups(&self, conn: &mut DbConnection) -> QueryResult<Lookups> {
        let mut companies = HashMap::new();
        for (nib, id, _) in crate::employers::companies_by_nib(conn)? {
            companies.entry(nib).or_insert(id);
        }
        let mut kbji = HashSet::new();
        for (_, code, _, _) in crate::reference::job_titles(conn)? {
            let code = code.as_str();
            let group = code.split('.').next().unwrap_or(code);
            for len in 1..=group.len() {
                kbji.insert(group[..len].to_owned());
            }
            kbji.insert(code.to_owned());
        }
        Ok(Lookups {
            today: crate::domain::calendar::today(),
            companies,
            kbji,
        })
    }

    fn parse(&self, lookups: &Lookups, row: &mut RowCells<'_>) -> Option<Row> {
        let (nik, sex, birth_date) = super::common::nik_sex_birth(
            row,
            "import.employed.error.nik_sex",
            "import.employed.error.nik_birth",
        );
        let name = row.required_text("nama");
        if name.chars().count() > 200 {
            row.problem("nama", "import.employed.error.too_long");
        }
        let employer = row.required_text("pemberi_kerja");
        if employer.chars().count() > 200 {
            row.problem("pemberi_kerja", "import.employed.error.too_long");
        }
        let nib = match row.text("nib_pemberi_kerja") {
            t if t.is_empty() => None,
            t => {
                let nib = crate::employers::parse_nib(&t);
                if nib.is_none() {
                    row.problem("nib_pemberi_kerja", "import.employed.error.nib");
                }
                nib
            }
        };
        let job_title = row.required_text("jabatan");
        if job_title.chars().count() > 200 {
            row.problem("jabatan", "import.employed.error.too_long");
        }
        for (column, text) in [
            ("nama", &name),
            ("pemberi_kerja", &employer),
            ("jabatan", &job_title),
        ] {
            if text.contains(['\n', '\r', '\t']) {
                row.problem(column, "import.employed.error.single_line");
            }
        }
        let kbji = kbji(lookups, row);
        let kbli = kbli(row);
        let started_on = row.date("tanggal_mulai");
        if started_on.is_none() && !row.has_problem("tanggal_mulai") {
            row.problem("tanggal_mulai", "import.cell.required");
        }
        if started_on.is_some_and(|d| d > lookups.today) {
            row.problem("tanggal_mulai", "import.employed.error.start_future");
        }
        let ended_on = row.date("tanggal_selesai");
        if let (Some(start), Some(end)) = (started_on, ended_on)
            && end < start
        {
            row.problem("tanggal_selesai", "import.employed.error.end_before_start");
        }
        let source = match row.text("sumber").to_lowercase().as_str() {
            "" | "pemberi kerja" | "perusahaan" | "daftar" | "import" => Some(Source::Import),
            "nasional" | "national" | "siapkerja" => Some(Source::National),
            _ => {
                row.problem("sumber", "import.employed.error.source");
                None
            }
        };
        if !row.problems.is_empty() {
            return None;
        }
        let company_id = nib.as_ref().and_then(|n| lookups.companies.get(n).copied());
        Some(Row {
            nik: nik?,
            name,
            sex,
            birth_date,
            employer,
            nib,
            company_id,
            job_title,
            kbji,
            kbli,
            started_on: started_on?,
            ended_on,
            source: source?,
        })
    }

    /// The person and the job as the register keys it: employer (NIB, else name), title and
    /// start, case aside.
    fn key(&self, row: &Row) -> String {
        let employer = row.nib.as_deref().unwrap_or(&row.employer);
        format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}",
            row.nik.as_str(),
            employer.trim().to_ascii_lowercase(),
            row.job_title.trim().to_ascii_lowercase(),
            row.started_on
        )
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
                let listed = ListedJob {
                    person: Facts {
                        nik: &r.nik,
                        name: &r.name,
                        sex: r.sex.or(Some(r.nik.sex())),
                        birth_date: r.birth_date,
                        kelurahan_code: None,
                        regency_code: None,
                        email: None,
                        phone: None,
                    },
                    employer_name: &r.employer,
                    employer_nib: r.nib.as_deref(),
                    company_id: r.company_id,
                    job_title: &r.job_title,
                    kbji_code: r.kbji.as_ref(),
                    kbli_code: r.kbli.as_ref(),
                    started_on: r.started_on,
                    ended_on: r.ended_on,
                    source: r.source,
                };
                // Inside the engine's one transaction for the whole list.
                Ok(
                    match employment::record_listed_within(conn, &listed, now)? {
                        Listed::Created(_) => Outcome::Created,
                        Listed::Updated(_) => Outcome::Updated,
                        Listed::Unchanged(_) => Outcome::Unchanged,
                    },
                )
            })
            .collect()
    }
}

/// A KBJI 2014 code of the portal's list: a group (1 to 4 digits) or a jabatan `NNNN.NN`
/// of a known group.
fn kbji(lookups: &Lookups, row: &mut RowCells<'_>) -> Option<KbjiCode> {
    let raw = row.text("kode_kbji");
    if raw.is_empty() {
        return None;
    }
    let known = KbjiCode::parse(&raw).ok().filter(|code| {
        let group = code.as_str().split('.').next().unwrap_or_default();
        lookups.kbji.contains(code.as_str()) || lookups.kbji.contains(group)
    });
    if known.is_none() {
        row.problem("kode_kbji", "import.employed.error.kbji");
    }
    known
}

/// A KBLI 2020 code: a section letter, or 2 to 5 digits of a known division.
fn kbli(row: &mut RowCells<'_>) -> Option<KbliCode> {
    let raw = row.text("kode_kbli");
    if raw.is_empty() {
        return None;
    }
    let known = KbliCode::parse(&raw).ok().filter(|code| {
        if code.is_section() {
            kbli::section(code.as_str()).is_some()
        } else {
            kbli::section_of(code.as_str()).is_some()
        }
    });
    if known.is_none() {
        row.problem("kode_kbli", "import.employed.error.kbli");
    }
    known
}
