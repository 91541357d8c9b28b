//! Companies as WLKP and OSS see them (the Dinas's own register, an OSS extract): one row a
//! head office, known by its NIB, or a branch (`cabang` = ya), known by its head office's
//! NIB and its own name; the head office must be on the portal already or earlier in the
//! same file. Written through `employers::imported`: a new company waits for a verifier, a
//! changed one keeps what the list leaves blank, and a change of KBLI codes is recorded from
//! today in the company's KBLI history.

use std::cell::RefCell;
use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::domain::{Email, KbliCode, Npp, Phone};
use crate::employers::forms::OUTSIDE_BINJAI;
use crate::employers::imported::{self, Imported, ImportedCompany, branch_key};
use crate::employers::kbli::{KbliCodes, parse_kelompok};
use crate::employers::{InvestmentStatus, LegalForm};
use crate::import::cells::RowCells;
use crate::import::kind::{Column, ImportKind, Kind, Outcome, col};
use crate::reference::regions::{self, RegionLevel};

pub struct Companies;

const COLUMNS: &[Column] = &[
    col("nib", true, "import.companies.nib", "9120001234567"),
    col("nama", true, "import.companies.nama", "PT Sumber Rezeki"),
    col("cabang", false, "import.companies.cabang", "tidak"),
    col("npwp", false, "import.companies.npwp", ""),
    col(
        "alamat",
        true,
        "import.companies.alamat",
        "Jl. Sudirman No. 10",
    ),
    col(
        "kelurahan",
        false,
        "import.companies.kelurahan",
        "12.75.02.1006",
    ),
    col(
        "kabupaten_kota",
        false,
        "import.companies.kabupaten_kota",
        "",
    ),
    col("kbli", true, "import.companies.kbli", "47111;10792"),
    col("bentuk_usaha", false, "import.companies.bentuk_usaha", "PT"),
    col(
        "status_modal",
        false,
        "import.companies.status_modal",
        "PMDN",
    ),
    col("npp", false, "import.companies.npp", "12345678"),
    col(
        "tanggal_berdiri",
        false,
        "import.companies.tanggal_berdiri",
        "2015-03-01",
    ),
    col("telepon", false, "import.companies.telepon", "0618820001"),
    col("email", false, "import.companies.email", ""),
    col("situs_web", false, "import.companies.situs_web", ""),
];

/// At most this many codes besides the primary one, as on the profile.
const MAX_OTHER_CODES: usize = 20;

pub struct Lookups {
    today: NaiveDate,
    /// The NIBs of head offices on the portal.
    heads: HashSet<String>,
    /// The NIBs of good head-office rows read so far in this file: a branch may follow its
    /// head office in the same file.
    heads_in_file: RefCell<HashSet<String>>,
}

impl ImportKind for Companies {
    type Row = ImportedCompany;
    type Lookups = Lookups;

    fn kind(&self) -> Kind {
        Kind::Companies
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn key_column(&self) -> &'static str {
        "nib"
    }

    fn lookups(&self, conn: &mut DbConnection) -> QueryResult<Lookups> {
        Ok(Lookups {
            today: crate::domain::calendar::today(),
            heads: crate::employers::companies_by_nib(conn)?
                .into_iter()
                .map(|(nib, _, _)| nib)
                .collect(),
            heads_in_file: RefCell::new(HashSet::new()),
        })
    }

    fn parse(&self, lookups: &Lookups, row: &mut RowCells<'_>) -> Option<ImportedCompany> {
        let raw_nib = row.required_text("nib");
        let nib = match crate::employers::parse_nib(&raw_nib) {
            Some(nib) => Some(nib),
            None if raw_nib.is_empty() => None,
            None => {
                row.problem("nib", "import.companies.error.nib");
                None
            }
        };
        let branch = row.yes_no("cabang").unwrap_or(false);
        let name = row.required_text("nama");
        if !name.is_empty() && !(2..=150).contains(&name.chars().count()) {
            row.problem("nama", "import.companies.error.name");
        }
        let npwp = match row.text("npwp") {
            t if t.is_empty() => None,
            t => {
                let npwp = crate::employers::parse_npwp(&t);
                if npwp.is_none() {
                    row.problem("npwp", "import.companies.error.npwp");
                }
                npwp
            }
        };
        let address = row.required_text("alamat");
        if !address.is_empty() && !(5..=300).contains(&address.chars().count()) {
            row.problem("alamat", "import.companies.error.address");
        }
        let place = place(row);
        let kbli = codes(row, branch);
        let legal_form = legal_form(row);
        let investment_status = investment_status(row);
        let npp = match row.text("npp") {
            t if t.is_empty() => None,
            t => Npp::parse(&t)
                .map_err(|_| row.problem("npp", "import.companies.error.npp"))
                .ok(),
        };
        let founded_on = row.date("tanggal_berdiri");
        if founded_on.is_some_and(|d| d > lookups.today) {
            row.problem("tanggal_berdiri", "import.companies.error.founded_future");
        }
        let phone = match row.text("telepon") {
            t if t.is_empty() => None,
            t => Phone::parse(&t)
                .map_err(|_| row.problem("telepon", "import.companies.error.phone"))
                .ok(),
        };
        let email = match row.text("email") {
            t if t.is_empty() => None,
            t => Email::parse(&t)
                .map_err(|_| row.problem("email", "import.companies.error.email"))
                .ok(),
        };
        let website = match row.text("situs_web") {
            t if t.is_empty() => None,
            t => {
                let website = crate::employers::profile::parse_website(&t);
                if website.is_none() {
                    row.problem("situs_web", "import.companies.error.website");
                }
                website
            }
        };
        for (column, text) in [("nama", &name), ("alamat", &address)] {
            if text.contains(['\n', '\r', '\t']) {
                row.problem(column, "import.companies.error.single_line");
            }
        }
        if let Some(nib) = &nib
            && branch
            && !lookups.heads.contains(nib)
            && !lookups.heads_in_file.borrow().contains(nib)
        {
            row.problem("nib", "import.companies.error.no_head_office");
        }
        if !row.problems.is_empty() {
            return None;
        }
        let nib = nib?;
        let (kelurahan_code, regency_code) = place?;
        if !branch {
            lookups.heads_in_file.borrow_mut().insert(nib.clone());
        }
        Some(ImportedCompany {
            nib,
            branch,
            name,
            npwp,
            address,
            kelurahan_code,
            regency_code,
            kbli,
            legal_form,
            investment_status,
            npp,
            founded_on,
            phone,
            email,
            website,
        })
    }

    fn key(&self, row: &ImportedCompany) -> String {
        if row.branch {
            format!("{}\u{1f}{}", row.nib, branch_key(&row.name))
        } else {
            row.nib.clone()
        }
    }

    fn write(
        &self,
        conn: &mut DbConnection,
        _: &Lookups,
        rows: &[ImportedCompany],
        actor: Option<UserId>,
    ) -> QueryResult<Vec<Outcome>> {
        Ok(imported::record_imported_within(conn, rows, actor)?
            .into_iter()
            .map(|outcome| match outcome {
                Imported::Created(_) => Outcome::Created,
                Imported::Updated(_) => Outcome::Updated,
                Imported::Unchanged(_) => Outcome::Unchanged,
            })
            .collect())
    }
}

/// The kelurahan in Binjai (its code or its name), or the regency elsewhere (its code, such
/// as 12.71, or its name, such as Kota Medan); one of the two is needed.
fn place(row: &mut RowCells<'_>) -> Option<(Option<&'static str>, &'static str)> {
    let kelurahan = row.text("kelurahan");
    let regency = row.text("kabupaten_kota");
    if row.has_problem("kelurahan") || row.has_problem("kabupaten_kota") {
        return None;
    }
    if !kelurahan.is_empty() && !kelurahan.eq_ignore_ascii_case(OUTSIDE_BINJAI) {
        let wanted = kelurahan.to_lowercase();
        let found = regions::binjai_kelurahan_by_code(&kelurahan)
            .or_else(|| regions::binjai_kelurahan().find(|k| k.name.to_lowercase() == wanted));
        return match found {
            Some(k) => Some((Some(k.code), regions::BINJAI_CODE)),
            None => {
                row.problem("kelurahan", "import.companies.error.kelurahan");
                None
            }
        };
    }
    if regency.is_empty() {
        row.problem("kelurahan", "import.companies.error.place_missing");
        return None;
    }
    let wanted = regency.to_lowercase();
    let found = regions::get(&regency)
        .filter(|r| r.level == RegionLevel::Regency)
        .or_else(|| {
            let mut named = regions::all()
                .iter()
                .filter(|r| r.level == RegionLevel::Regency && r.name.to_lowercase() == wanted);
            // A name two regencies share says nothing: the code is needed then.
            match (named.next(), named.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        });
    match found {
        Some(r) if r.code == regions::BINJAI_CODE => {
            row.problem("kelurahan", "import.companies.error.kelurahan_in_binjai");
            None
        }
        Some(r) => Some((None, r.code)),
        None => {
            row.problem("kabupaten_kota", "import.companies.error.regency");
            None
        }
    }
}

/// The 5-digit KBLI 2020 codes, the first the primary one; separated by `;`, `,`, `/` or
/// spaces. Needed for a head office; a branch without codes takes its head office's section.
fn codes(row: &mut RowCells<'_>, branch: bool) -> Option<KbliCodes> {
    let raw = if branch {
        row.text("kbli")
    } else {
        row.required_text("kbli")
    };
    let mut parsed: Vec<KbliCode> = Vec::new();
    for part in raw
        .split(|c: char| matches!(c, ';' | ',' | '/') || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        match parse_kelompok(part) {
            Some(code) if !parsed.contains(&code) => parsed.push(code),
            Some(_) => {}
            None => {
                row.problem_with(
                    "kbli",
                    "import.companies.error.kbli",
                    Some(part.chars().take(20).collect()),
                );
                return None;
            }
        }
    }
    let mut parsed = parsed.into_iter();
    let primary = parsed.next()?;
    let others: Vec<KbliCode> = parsed.collect();
    if others.len() > MAX_OTHER_CODES {
        row.problem("kbli", "import.companies.error.kbli_too_many");
        return None;
    }
    Some(KbliCodes { primary, others })
}

/// The legal form as registers write it (PT, CV, UD…) or as the portal codes it.
fn legal_form(row: &mut RowCells<'_>) -> Option<LegalForm> {
    let raw = row.text("bentuk_usaha");
    if raw.is_empty() {
        return None;
    }
    let word: String = raw
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '(' | ')'))
        .collect();
    let found = LegalForm::parse(&word).or(match word.as_str() {
        "perseroanterbatas" | "ptperorangan" => Some(LegalForm::Pt),
        "persekutuankomanditer" | "komanditer" => Some(LegalForm::Cv),
        "fa" | "persekutuanfirma" => Some(LegalForm::Firma),
        "ud" | "usahadagang" | "po" | "usahaperorangan" => Some(LegalForm::Perorangan),
        "persero" | "perum" => Some(LegalForm::Bumn),
        "perumda" | "perusahaandaerah" | "pd" => Some(LegalForm::Bumd),
        "lainnya" | "lain-lain" | "lainlain" => Some(LegalForm::Other),
        _ => None,
    });
    if found.is_none() {
        row.problem("bentuk_usaha", "import.companies.error.legal_form");
    }
    found
}

fn investment_status(row: &mut RowCells<'_>) -> Option<InvestmentStatus> {
    let raw = row.text("status_modal").to_lowercase();
    if raw.is_empty() {
        return None;
    }
    let found = InvestmentStatus::parse(&raw).or(match raw.as_str() {
        "asing" | "penanaman modal asing" => Some(InvestmentStatus::Pma),
        "dalam negeri" | "penanaman modal dalam negeri" => Some(InvestmentStatus::Pmdn),
        _ => None,
    });
    if found.is_none() {
        row.problem("status_modal", "import.companies.error.investment_status");
    }
    found
}
