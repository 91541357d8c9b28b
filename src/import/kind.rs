//! What an import kind is: the one trait a module implements to take a list in bulk.
//!
//! A kind is one file under `import/kinds/` (see `kinds/vacancies.rs`): its columns, with
//! Indonesian names and a description each; how one row becomes a typed row (each mistake a
//! problem with its column); the row's natural key, which finds duplicates in a file and
//! makes a second import of the same file change nothing; and how a valid row is written,
//! through the functions of the module that owns the table. The engine does the rest:
//! reading the file, matching headers, line numbers, duplicates, progress, one transaction.
//! A new kind is added to [`super::importer`].

use diesel::QueryResult;

use super::cells::RowCells;
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::ids::UserId;

choice!(
    /// What a file holds; the same names as the exports (`sibuser import KIND`).
    Kind in "ref_import_kind" {
        JobSeekers => "job_seekers", "import.kind.job_seekers",
        Companies => "companies", "import.kind.companies",
        Vacancies => "vacancies", "import.kind.vacancies",
        EmployedResidents => "employed_residents", "import.kind.employed_residents",
        Jkp => "jkp", "import.kind.jkp",
        Wlkp => "wlkp", "import.kind.wlkp",
    }
);

impl Kind {
    /// The name on the command line and in URLs: `job-seekers`, `employed-residents`.
    pub fn cli_name(self) -> &'static str {
        match self {
            Self::JobSeekers => "job-seekers",
            Self::Companies => "companies",
            Self::Vacancies => "vacancies",
            Self::EmployedResidents => "employed-residents",
            Self::Jkp => "jkp",
            Self::Wlkp => "wlkp",
        }
    }

    pub fn from_cli_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.cli_name() == name)
    }
}

/// One column of a kind's template.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header, in Indonesian, lower case with underscores (`tanggal_tutup`). A file's
    /// header matches it whatever its case, spaces or underscores.
    pub name: &'static str,
    pub required: bool,
    /// The translation key of what the column holds, for the template page.
    pub description_key: &'static str,
    /// The value in the template's example row.
    pub example: &'static str,
}

/// A column of a kind's template (a `const` helper for the kinds' column lists).
pub const fn col(
    name: &'static str,
    required: bool,
    description_key: &'static str,
    example: &'static str,
) -> Column {
    Column {
        name,
        required,
        description_key,
        example,
    }
}

/// What writing one valid row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// One kind of list the portal imports.
pub trait ImportKind: Sync {
    /// A row once checked: everything its write needs.
    type Row;
    /// What checking needs from the database, read once per file (a map of companies by
    /// NIB, the job titles), so that a row costs no query to check.
    type Lookups;

    fn kind(&self) -> Kind;
    fn columns(&self) -> &'static [Column];
    fn lookups(&self, conn: &mut DbConnection) -> QueryResult<Self::Lookups>;
    /// The row, or `None` with its problems in `row.problems`.
    fn parse(&self, lookups: &Self::Lookups, row: &mut RowCells<'_>) -> Option<Self::Row>;
    /// The natural key (a NIK, a NIB, a company and an external id), as the text two rows
    /// share when they are the same record.
    fn key(&self, row: &Self::Row) -> String;
    /// The column a duplicate row is reported under.
    fn key_column(&self) -> &'static str;
    /// Writes valid rows through the owning module, inside the engine's transaction: a
    /// batch of up to [`super::engine::WRITE_BATCH`] rows with distinct keys, so that a kind
    /// may insert them in one statement; one outcome per row, in order.
    fn write(
        &self,
        conn: &mut DbConnection,
        lookups: &Self::Lookups,
        rows: &[Self::Row],
        actor: Option<UserId>,
    ) -> QueryResult<Vec<Outcome>>;
}
