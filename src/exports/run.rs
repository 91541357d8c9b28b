//! Writing one export: pages of rows by keyset (ids above the last one read), each passed
//! through the mask into the file as it comes, so memory holds two pages (one read, one
//! written) whatever the size. The background job and `sibuser export` both call [`write`].

use std::io;
use std::path::Path;
use std::sync::mpsc;

use diesel::QueryResult;

use super::dataset::{Emit, Page};
use super::mask::{self, Masked};
use super::request::Request;
use super::{datasets, write as files};
use crate::db::DbConnection;
use crate::web::Lang;

/// Records read per page: large enough that a page's queries cost little per row, small
/// enough that a page is a few megabytes at most.
pub const PAGE_ROWS: i64 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("reading the data: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("writing the file: {0}")]
    Io(#[from] io::Error),
}

/// How far an export has got: records read (the progress bar) and rows written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub scanned: u64,
    pub rows: u64,
}

/// Writes the export to `path`, calling `progress` after each page (its error stops the
/// export). Returns the final count.
///
/// A thread of its own writes each page while this one reads the next, so the database's
/// time and the writing's overlap instead of adding up (on PostgreSQL the server reads on
/// the other core). One page waits between them at most: memory holds two pages.
pub fn write(
    conn: &mut DbConnection,
    request: &Request,
    path: &Path,
    progress: &mut dyn FnMut(Count) -> QueryResult<()>,
) -> Result<Count, ExportError> {
    let provider = datasets::provider(request.dataset);
    let columns = provider.columns();
    let masked = !request.unmasked;
    let header = mask::header(&columns, masked);
    let mut sink = files::open(request.format, path, &header)?;
    let (pages, inbox) = mpsc::sync_channel::<Emit>(1);
    let (wrote, written) = mpsc::channel::<u64>();
    let mut count = Count::default();
    let (reading, writing) = std::thread::scope(|scope| {
        let columns = &columns;
        let writer = scope.spawn(move || -> io::Result<Box<dyn files::Sink>> {
            for emit in inbox {
                let mut rows = Masked::new(sink.as_mut(), columns, masked);
                emit(&mut rows);
                let n = rows.rows;
                if let Some(e) = sink.error() {
                    return Err(e);
                }
                // The reader may have stopped already; then nobody counts.
                let _ = wrote.send(n);
            }
            Ok(sink)
        });
        let mut after = 0;
        let reading = loop {
            let page = Page {
                filter: &request.filter,
                after,
                limit: PAGE_ROWS,
                personal: !masked,
                ids: None,
            };
            let (read, emit) = match (provider.read)(conn, &page) {
                Ok(page) => page,
                Err(e) => break Err(ExportError::Db(e)),
            };
            if pages.send(emit).is_err() {
                // The writer stopped on an error, which its result carries.
                break Ok(());
            }
            count.scanned += read.scanned;
            // Rows written so far: the page just sent is counted once it is written.
            count.rows += written.try_iter().sum::<u64>();
            if let Err(e) = progress(count) {
                break Err(ExportError::Db(e));
            }
            match read.last {
                Some(last) => after = last,
                None => break Ok(()),
            }
        };
        drop(pages);
        let writing = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the export's writer stopped")));
        (reading, writing)
    });
    let sink = writing?;
    reading?;
    count.rows += written.try_iter().sum::<u64>();
    sink.finish(&metadata(request, count.rows))?;
    Ok(count)
}

/// What an export holds, for the XLSX's second sheet (in Indonesian, as the headers).
pub fn metadata(request: &Request, rows: u64) -> Vec<(&'static str, String)> {
    let lang = Lang::Id;
    let t = |key: &str| lang.t(key).into_owned();
    let all = || t("export.meta.all");
    let period = match (request.filter.from, request.filter.to) {
        (None, None) => all(),
        (from, to) => format!(
            "{} – {}",
            from.map_or_else(|| "…".to_owned(), |d| d.to_string()),
            to.map_or_else(|| "…".to_owned(), |d| d.to_string())
        ),
    };
    let kecamatan = request.filter.kecamatan.map_or_else(all, |code| {
        let name = crate::reference::regions::get(code).map_or("", |r| r.name);
        format!("{code} {name}")
    });
    let personal = match (&request.purpose, request.unmasked) {
        (Some(purpose), true) => format!("{} {purpose}", t("export.meta.unmasked")),
        _ => t("export.meta.masked"),
    };
    vec![
        ("Data", t(request.dataset.label_key())),
        ("Periode", period),
        ("Menurut tanggal", t(request.dataset.date_key())),
        ("Kecamatan", kecamatan),
        ("Data pribadi", personal),
        ("Jumlah baris", rows.to_string()),
        (
            "Dibuat",
            crate::domain::calendar::local(chrono::Utc::now().naive_utc())
                .format("%Y-%m-%d %H:%M WIB")
                .to_string(),
        ),
        ("Sumber", t("export.meta.source")),
        (
            "Kode wilayah",
            crate::reference::regions::VERSION.to_owned(),
        ),
        ("KBJI", crate::reference::KBJI_VERSION.to_owned()),
        ("KBLI", crate::reference::KBLI_VERSION.to_owned()),
    ]
}

/// The name a downloaded export gets: `sibuser-job-seekers-2025-01-2025-12.csv`.
pub fn file_name(request: &Request) -> String {
    let mut name = format!("sibuser-{}", request.dataset.cli_name());
    if let Some(from) = request.filter.from {
        name.push_str(&format!("-{from}"));
    }
    if let Some(to) = request.filter.to {
        name.push_str(&format!("-sd-{to}"));
    }
    if let Some(k) = request.filter.kecamatan {
        name.push('-');
        name.push_str(&k.replace('.', ""));
    }
    if request.unmasked {
        name.push_str("-lengkap");
    }
    format!("{name}.{}", request.format.extension())
}

/// Runs `f` in one read transaction, so an export is the data as it stood at one moment
/// however long it takes: PostgreSQL gives a repeatable-read snapshot, and SQLite's WAL
/// keeps a reader's snapshot for its transaction. Writers are not held up on either.
///
/// On SQLite the connection reads through its small page cache instead of its memory map
/// while it exports: a full scan would otherwise map up to 256 MB of the file into the
/// process, pages that stay resident until the kernel wants them back.
pub fn snapshot<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    use diesel::{Connection, RunQueryDsl};
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    if sqlite {
        diesel::sql_query("PRAGMA mmap_size = 0").execute(conn)?;
    }
    // A reader's snapshot: it must not take SQLite's write lock as `db::transaction` does.
    #[allow(clippy::disallowed_methods)]
    let result = conn.transaction(|conn| {
        if !sqlite {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(conn)?;
        }
        f(conn)
    });
    if sqlite {
        diesel::sql_query(format!(
            "PRAGMA mmap_size = {}",
            crate::db::SQLITE_MMAP_BYTES
        ))
        .execute(conn)?;
    }
    result
}

/// What the audit log keeps of an export: everything that was asked, and the rows.
pub fn audit_detail(request: &Request, rows: Option<u64>) -> serde_json::Value {
    serde_json::json!({
        "dataset": request.dataset.as_str(),
        "format": request.format.as_str(),
        "from": request.filter.from,
        "to": request.filter.to,
        "kecamatan": request.filter.kecamatan,
        "unmasked": request.unmasked,
        "purpose": request.purpose,
        "rows": rows,
    })
}
