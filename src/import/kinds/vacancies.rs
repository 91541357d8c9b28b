//! Vacancies from a list (a job fair's, a company's own system): one row a vacancy, checked
//! by the rules of the employer's vacancy form, matched to a verified company by NIB, and
//! kept apart by the list's own id within that company. Imported vacancies wait for a
//! verifier, as those an employer sends do.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::db::DbConnection;
use crate::domain::ids::{CompanyId, UserId};
use crate::employers::VerificationStatus;
use crate::import::cells::RowCells;
use crate::import::kind::{Column, ImportKind, Kind, Outcome, col};
use crate::import::kinds::common::{self, JobTitles};
use crate::vacancies::forms::{VacancyForm, validate};
use crate::vacancies::{EmploymentType, ImportOutcome, ImportedVacancy};
use crate::web::forms::FieldErrors;

pub struct Vacancies;

const COLUMNS: &[Column] = &[
    col(
        "id_eksternal",
        true,
        "import.vacancies.id_eksternal",
        "LOKER-2026-001",
    ),
    col("nib", true, "import.vacancies.nib", "9120001234567"),
    col("judul", true, "import.vacancies.judul", "Kasir Toko"),
    col("kode_kbji", false, "import.vacancies.kode_kbji", "5230.01"),
    col("jabatan", false, "import.vacancies.jabatan", ""),
    col(
        "deskripsi",
        true,
        "import.vacancies.deskripsi",
        "Melayani pembayaran pelanggan di toko kami.",
    ),
    col(
        "persyaratan",
        true,
        "import.vacancies.persyaratan",
        "Jujur, teliti, dan ramah.",
    ),
    col(
        "pendidikan_minimal",
        true,
        "import.vacancies.pendidikan_minimal",
        "SMA/MA",
    ),
    col("jurusan", false, "import.vacancies.jurusan", ""),
    col(
        "pengalaman_bulan",
        false,
        "import.vacancies.pengalaman_bulan",
        "0",
    ),
    col(
        "keahlian",
        false,
        "import.vacancies.keahlian",
        "Komputer kasir",
    ),
    col(
        "jenis_hubungan_kerja",
        true,
        "import.vacancies.jenis_hubungan_kerja",
        "pkwt",
    ),
    col(
        "kelurahan",
        true,
        "import.vacancies.kelurahan",
        "12.75.02.1006",
    ),
    col(
        "kabupaten_kota",
        false,
        "import.vacancies.kabupaten_kota",
        "",
    ),
    col(
        "upah_minimum",
        false,
        "import.vacancies.upah_minimum",
        "3000000",
    ),
    col(
        "upah_maksimum",
        false,
        "import.vacancies.upah_maksimum",
        "3500000",
    ),
    col(
        "tampilkan_upah",
        false,
        "import.vacancies.tampilkan_upah",
        "ya",
    ),
    col(
        "kuota_laki_laki",
        false,
        "import.vacancies.kuota_laki_laki",
        "0",
    ),
    col(
        "kuota_perempuan",
        false,
        "import.vacancies.kuota_perempuan",
        "1",
    ),
    col("kuota_bebas", false, "import.vacancies.kuota_bebas", "1"),
    col(
        "ramah_disabilitas",
        false,
        "import.vacancies.ramah_disabilitas",
        "tidak",
    ),
    col("usia_minimal", false, "import.vacancies.usia_minimal", ""),
    col("usia_maksimal", false, "import.vacancies.usia_maksimal", ""),
    col("alasan_usia", false, "import.vacancies.alasan_usia", ""),
    col(
        "tanggal_buka",
        false,
        "import.vacancies.tanggal_buka",
        "2026-12-01",
    ),
    col(
        "tanggal_tutup",
        true,
        "import.vacancies.tanggal_tutup",
        "31/12/2026",
    ),
];

/// The employer form's field each column feeds, to report the form's own errors under
/// the column.
const FORM_FIELDS: &[(&str, &str)] = &[
    ("title", "judul"),
    ("job_title_id", "kode_kbji"),
    ("description", "deskripsi"),
    ("requirements", "persyaratan"),
    ("education_min", "pendidikan_minimal"),
    ("field_of_study", "jurusan"),
    ("experience_months", "pengalaman_bulan"),
    ("skills", "keahlian"),
    ("employment_type", "jenis_hubungan_kerja"),
    ("location", "kelurahan"),
    ("regency_code", "kabupaten_kota"),
    ("wage_min", "upah_minimum"),
    ("wage_max", "upah_maksimum"),
    ("quota", "kuota_bebas"),
    ("age_min", "usia_minimal"),
    ("age_max", "usia_maksimal"),
    ("age_reason", "alasan_usia"),
    ("opens_on", "tanggal_buka"),
    ("closes_on", "tanggal_tutup"),
];

pub struct Lookups {
    today: NaiveDate,
    companies: HashMap<String, (CompanyId, VerificationStatus)>,
    job_titles: JobTitles,
}

impl ImportKind for Vacancies {
    type Row = ImportedVacancy;
    type Lookups = Lookups;

    fn kind(&self) -> Kind {
        Kind::Vacancies
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn key_column(&self) -> &'static str {
        "id_eksternal"
    }

    fn lookups(&self, conn: &mut DbConnection) -> QueryResult<Lookups> {
        let mut companies = HashMap::new();
        for (nib, id, status) in crate::employers::companies_by_nib(conn)? {
            // Branches may share a NIB: the oldest record (the head office) takes the row.
            companies.entry(nib).or_insert((id, status));
        }
        Ok(Lookups {
            today: crate::domain::calendar::today(),
            companies,
            job_titles: JobTitles::load(conn)?,
        })
    }

    fn parse(&self, lookups: &Lookups, row: &mut RowCells<'_>) -> Option<ImportedVacancy> {
        let external_ref = row.required_text("id_eksternal");
        if external_ref.chars().count() > 100 {
            row.problem("id_eksternal", "import.vacancies.error.id_too_long");
        }
        let company = company(lookups, row);
        let job_title = lookups.job_titles.find(row, "kode_kbji", "jabatan", true);
        let education = common::education(row, "pendidikan_minimal", true);
        let employment_type = employment_type(row);
        let location = common::location(row, "kelurahan", "kabupaten_kota", true);
        let number = |row: &mut RowCells<'_>, column: &'static str| {
            row.integer(column)
                .map(|n| n.to_string())
                .unwrap_or_default()
        };
        let date = |row: &mut RowCells<'_>, column: &'static str| {
            row.date(column).map(|d| d.to_string()).unwrap_or_default()
        };
        let opens_on = date(row, "tanggal_buka");
        let opens_on_given = !opens_on.is_empty();
        let form = VacancyForm {
            title: row.required_text("judul"),
            job_title_id: job_title
                .as_ref()
                .map(|(id, _)| id.to_string())
                .unwrap_or_default(),
            description: row.required_text("deskripsi"),
            requirements: row.required_text("persyaratan"),
            education_min: education.map(|e| e.code().to_string()).unwrap_or_default(),
            field_of_study: row.text("jurusan"),
            experience_months: number(row, "pengalaman_bulan"),
            skills: row.text("keahlian"),
            employment_type: employment_type
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            location: location.0,
            regency_code: location.1,
            wage_min: row.text("upah_minimum"),
            wage_max: row.text("upah_maksimum"),
            show_wage: on(row.yes_no("tampilkan_upah").unwrap_or(true)),
            quota_male: number(row, "kuota_laki_laki"),
            quota_female: number(row, "kuota_perempuan"),
            quota_any: number(row, "kuota_bebas"),
            disability_friendly: on(row.yes_no("ramah_disabilitas").unwrap_or(false)),
            age_min: number(row, "usia_minimal"),
            age_max: number(row, "usia_maksimal"),
            age_reason: row.text("alasan_usia"),
            // An opening date not given is today for a new vacancy; a known one keeps its own.
            opens_on: if opens_on_given {
                opens_on
            } else {
                lookups.today.to_string()
            },
            closes_on: date(row, "tanggal_tutup"),
            action: "submit".to_owned(),
        };
        let mut errors = FieldErrors::default();
        let found_title = job_title.is_some();
        let content = validate(&form, lookups.today, job_title.map(|(_, c)| c), &mut errors);
        // The form's errors, under the columns, unless the cell already has its own.
        for (field, message) in errors.iter() {
            let column = FORM_FIELDS
                .iter()
                .find(|(f, _)| *f == field)
                .map_or("judul", |(_, c)| *c);
            let column = if column == "kode_kbji" && !found_title {
                // Reported already by `job_title`, under the column the user filled.
                continue;
            } else {
                column
            };
            // The total of the quotas means nothing while one of them is not a number.
            let quotas = ["kuota_laki_laki", "kuota_perempuan", "kuota_bebas"];
            if field == "quota" && quotas.iter().any(|q| row.has_problem(q)) {
                continue;
            }
            if !row.has_problem(column) {
                row.problem(column, message);
            }
        }
        if !row.problems.is_empty() {
            return None;
        }
        Some(ImportedVacancy {
            company_id: company?,
            external_ref,
            content: content?,
            opens_on_given,
        })
    }

    fn key(&self, row: &ImportedVacancy) -> String {
        format!("{}\u{1f}{}", row.company_id, row.external_ref)
    }

    fn write(
        &self,
        conn: &mut DbConnection,
        _: &Lookups,
        rows: &[ImportedVacancy],
        actor: Option<UserId>,
    ) -> QueryResult<Vec<Outcome>> {
        Ok(crate::vacancies::upsert_imported(conn, rows, actor)?
            .into_iter()
            .map(|outcome| match outcome {
                ImportOutcome::Created(_) => Outcome::Created,
                ImportOutcome::Updated(_) => Outcome::Updated,
                ImportOutcome::Unchanged(_) => Outcome::Unchanged,
            })
            .collect())
    }
}

fn on(yes: bool) -> String {
    if yes { "on".to_owned() } else { String::new() }
}

fn company(lookups: &Lookups, row: &mut RowCells<'_>) -> Option<CompanyId> {
    let raw = row.required_text("nib");
    if raw.is_empty() {
        return None;
    }
    let Some(nib) = crate::employers::parse_nib(&raw) else {
        row.problem("nib", "import.vacancies.error.nib");
        return None;
    };
    match lookups.companies.get(&nib) {
        None => {
            row.problem("nib", "import.vacancies.error.nib_unknown");
            None
        }
        Some((_, status)) if *status != VerificationStatus::Verified => {
            row.problem("nib", "import.vacancies.error.company_unverified");
            None
        }
        Some((id, _)) => Some(*id),
    }
}

fn employment_type(row: &mut RowCells<'_>) -> Option<EmploymentType> {
    let raw = row.required_text("jenis_hubungan_kerja").to_lowercase();
    if raw.is_empty() {
        return None;
    }
    let code = match raw.replace([' ', '-'], "_").as_str() {
        "tetap" => "pkwtt",
        "kontrak" => "pkwt",
        "paruh_waktu" => "part_time",
        "magang" => "internship",
        "harian" | "harian_lepas" => "daily",
        other => return parsed_type(row, other),
    };
    EmploymentType::parse(code)
}

fn parsed_type(row: &mut RowCells<'_>, code: &str) -> Option<EmploymentType> {
    let found = EmploymentType::parse(code);
    if found.is_none() {
        row.problem(
            "jenis_hubungan_kerja",
            "import.vacancies.error.employment_type",
        );
    }
    found
}
