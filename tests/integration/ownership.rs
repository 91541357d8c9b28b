//! One owner per table. Every table has one module that writes it; other modules call that
//! module's functions, and read across features through its queries. This test reads the
//! source text of `src/` (as `routes.rs` reads the route table) and fails when a module
//! names a table it does not own: a diesel path (`schema::users`, `use crate::schema::{…}`,
//! `users::table`, `users::dsl`) or raw SQL in a string (`FROM users`, `'users'`), unless
//! the use is on the commented allow-list below.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every table, and the top-level module that owns it. A new table needs a line here
/// (the test checks that `src/schema.rs` has no table without one).
const OWNERS: &[(&str, &str)] = &[
    // Reference data, loaded by migrations and `reference::load`; read-only to the rest.
    ("app_meta", "reference"),
    ("regions", "reference"),
    ("kbji_major_groups", "reference"),
    ("kbji_occupations", "reference"),
    ("kbli_sections", "reference"),
    ("kbli_divisions", "reference"),
    ("education_levels", "reference"),
    // People, their roles, sign-in and the limits on mail and guessing.
    ("users", "accounts"),
    ("user_roles", "accounts"),
    ("user_tokens", "accounts"),
    ("user_sessions", "accounts"),
    ("external_identities", "accounts"),
    ("login_throttle", "accounts"),
    ("throttle_events", "accounts"),
    ("audit_log", "audit"),
    ("mail_outbox", "mail"),
    ("companies", "employers"),
    ("company_events", "employers"),
    ("company_kbli", "employers"),
    // WLKP reports (issue 14).
    ("wlkp_reports", "wlkp"),
    ("wlkp_revisions", "wlkp"),
    ("wlkp_revision_education", "wlkp"),
    ("wlkp_report_events", "wlkp"),
    ("wlkp_reminders", "wlkp"),
    ("vacancies", "vacancies"),
    ("vacancy_events", "vacancies"),
    // The search indexes' version counters: moved by triggers, read by the one search
    // engine's versioned cache (`search::cache`).
    ("search_versions", "search"),
    // The full-text indexes (not in schema.rs: kept by triggers, queried as raw SQL
    // through `db::fulltext::matching_ids` with the owner's `Index`).
    ("vacancy_search", "vacancies"),
    ("vacancy_fts", "vacancies"),
    ("programme_search", "training"),
    ("programme_fts", "training"),
    ("job_seekers", "seekers"),
    ("job_seeker_education", "seekers"),
    ("job_seeker_training", "seekers"),
    ("job_seeker_experience", "seekers"),
    ("job_seeker_languages", "seekers"),
    // The AK/I card (seekers::ak1).
    ("ak1_cards", "seekers"),
    ("ak1_events", "seekers"),
    ("ak1_serials", "seekers"),
    ("applications", "applications"),
    ("application_events", "applications"),
    ("placements", "applications"),
    ("job_alerts", "alerts"),
    ("job_alert_stop_links", "alerts"),
    ("training_providers", "training"),
    ("training_programmes", "training"),
    ("training_programme_job_titles", "training"),
    ("training_programme_events", "training"),
    ("training_enrolments", "training"),
    ("training_enrolment_events", "training"),
    ("training_attendance", "training"),
    // People by NIK, and which person a job-seeker profile is.
    ("people", "people"),
    ("person_origins", "people"),
    ("job_seeker_people", "seekers"),
    ("employed_residents", "employment"),
    ("jkp_recipients", "jkp"),
    ("jkp_events", "jkp"),
    // Bulk imports: the uploaded runs and their bad cells.
    ("person_link_checks", "seekers"),
    // The IPK ledger and its closed months.
    ("ipk_facts", "ipk"),
    ("ipk_closed_months", "ipk"),
    ("ipk_backfills", "ipk"),
    // The stock kept at the end of each closed month, and the reports signed off.
    ("ipk_stocks", "ipk"),
    ("ipk_month_sums", "ipk"),
    ("ipk_signoffs", "ipk"),
    ("import_runs", "import"),
    ("import_problems", "import"),
    // Exports of the data sets and the queue of file jobs that writes them (issue 15).
    ("exports", "exports"),
    ("file_jobs", "exports"),
    // Data-sharing partners, their grants and API keys (issue 16, item 2).
    ("partners", "sharing"),
    ("partner_grants", "sharing"),
    ("api_keys", "sharing"),
    ("api_key_scopes", "sharing"),
    // Partner users and the out-log (issue 16, item 2): `sharing::users`, `sharing::out_log`.
    ("partner_users", "sharing"),
    ("sharing_out_log", "sharing"),
    // The change feed of the shared data sets (issue 16): written by triggers on the
    // owners' tables (as `search_versions`), read by `interop::feed` alone.
    ("record_versions", "interop"),
    // The exchange with the national system (issue 17): the push queue (also written by
    // the `sync_capture` trigger on `record_versions`) and the signed exchange log.
    ("sync_state", "national"),
    ("sync_outbox", "national"),
    ("exchange_log", "national"),
    ("exchange_log_head", "national"),
    // The pull (issue 17, item 2): where each set stands, the national records seen and
    // the ones waiting for the data steward, and the national job board's vacancies.
    ("sync_pull_state", "national"),
    ("sync_pulled", "national"),
    ("national_vacancies", "national"),
    // Job fairs (issue 20): the fairs, booths and the vacancies they bring, tickets and
    // their dated events, interviews at the booths.
    ("job_fairs", "fairs"),
    ("job_fair_booths", "fairs"),
    ("job_fair_booth_vacancies", "fairs"),
    ("job_fair_tickets", "fairs"),
    ("job_fair_ticket_events", "fairs"),
    ("job_fair_interviews", "fairs"),
];

/// Uses of another module's table that stay, each with its reason: (a file or a folder
/// under `src/`, the table, why). Anything else moves into the owner's functions. An entry
/// that no longer matches a use fails the test too, so the list only shrinks.
const ALLOWED: &[(&str, &str, &str)] = &[
    // Read-only. "Resync everything" queues every record of the change feed in one
    // INSERT ... SELECT: a million records one call at a time would take minutes.
    (
        "national/outbox.rs",
        "record_versions",
        "resync copies the feed into the queue in one statement",
    ),
    // The demo seeder writes a whole city in bulk (multi-row inserts with ids it chose);
    // going through each owner's one-row functions would take minutes at `--scale city`.
    // It is a tool that fills an empty database, not a feature.
    ("demo/", "*", "bulk seeding of an empty database"),
    // Read-only. A page of search hits (`load_hits`, on every search and home page) shows
    // each vacancy with its company's name in one query; a second query per page on the
    // hottest path buys nothing.
    (
        "vacancies/search.rs",
        "companies",
        "hot path: search hits with the company name",
    ),
    // Read-only. `decide` publishes only while the company is verified, as a subquery of
    // the same UPDATE: checked in a separate query, a company suspended in between would
    // still get its vacancy published. `headings` and `submitted_queue` join for the
    // company's name, the read model other modules use instead of joining themselves.
    (
        "vacancies/model.rs",
        "companies",
        "publish only for a verified company, atomically",
    ),
    // Read-only. The digest worker picks the due alerts of active, confirmed accounts in
    // one batch query; filtered afterwards, alerts of inactive or unconfirmed accounts
    // (never claimed, so always due) would fill every batch and starve the rest. (A
    // subquery from `accounts` would do, but diesel's MultiConnection cannot bind a boxed
    // subquery: it has no `QueryFragment` for each backend.)
    (
        "alerts/digest.rs",
        "job_seekers",
        "due alerts of mailable accounts, one batch",
    ),
    (
        "alerts/digest.rs",
        "users",
        "due alerts of mailable accounts, one batch",
    ),
    // Read-only. The counter's search matches a name or e-mail (accounts) or a NIK
    // (seekers) in one query with one order and one limit; run apart, the limit would
    // cut the wrong rows. The queue beside it joins for the same columns.
    (
        "seekers/counter/find.rs",
        "users",
        "one search over name, e-mail and NIK",
    ),
    (
        "seekers/counter/find.rs",
        "user_roles",
        "one search over name, e-mail and NIK",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Use {
    /// The file, relative to `src/`.
    file: String,
    table: String,
}

#[test]
fn every_table_in_the_schema_has_an_owner() {
    let schema = std::fs::read_to_string(src().join("schema.rs")).unwrap();
    let owned: BTreeSet<&str> = OWNERS.iter().map(|(t, _)| *t).collect();
    let missing: Vec<String> = schema_tables(&schema)
        .into_iter()
        .filter(|t| !owned.contains(t.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "tables without an owner in OWNERS: {missing:?}"
    );
}

#[test]
fn modules_name_only_their_own_tables() {
    let owner: BTreeMap<&str, &str> = OWNERS.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut trespass = Vec::new();
    let mut used_allowances = BTreeSet::new();
    for path in files {
        let file = path
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if file == "schema.rs" {
            continue;
        }
        let module = module_of(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        for table in tables_named(&text, &owner) {
            if owner.get(table.as_str()) == Some(&module) {
                continue;
            }
            match ALLOWED
                .iter()
                .position(|(place, t, _)| allows(place, t, &file, &table))
            {
                Some(i) => {
                    used_allowances.insert(i);
                }
                None => trespass.push(Use {
                    file: file.clone(),
                    table,
                }),
            }
        }
    }
    let stale: Vec<&(&str, &str, &str)> = ALLOWED
        .iter()
        .enumerate()
        .filter(|(i, _)| !used_allowances.contains(i))
        .map(|(_, a)| a)
        .collect();
    assert!(
        trespass.is_empty(),
        "these modules name tables they do not own; call the owner's functions instead \
         (or, for a read-only join on a hot path, add a commented line to ALLOWED):\n{}",
        trespass
            .iter()
            .map(|u| format!(
                "  src/{} names `{}` (owned by {})",
                u.file,
                u.table,
                owner[u.table.as_str()]
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        stale.is_empty(),
        "allow-list entries that match no use any more: {stale:?}"
    );
}

/// The scan finds each form a table can be named in, and nothing in comments.
#[test]
fn the_scan_finds_diesel_paths_and_raw_sql() {
    let owner: BTreeMap<&str, &str> = OWNERS.iter().copied().collect();
    let found = |text: &str| tables_named(text, &owner);
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        found("use crate::schema::{\n    users,\n    vacancies as v, job_alerts::dsl::*,\n};"),
        set(&["job_alerts", "users", "vacancies"])
    );
    assert_eq!(
        found("let n = crate::schema::companies::table.count();"),
        set(&["companies"])
    );
    assert_eq!(found("use sibuser::schema::users;"), set(&["users"]));
    assert_eq!(
        found("accounts::users::table.find(1); mail_outbox::dsl::id"),
        set(&["mail_outbox", "users"])
    );
    assert_eq!(
        found(r#"diesel::sql_query("UPDATE users SET x = 1 FROM placements")"#),
        set(&["placements", "users"])
    );
    assert_eq!(
        found(r##"sql_query(r#"select setval(pg_get_serial_sequence('vacancies', 'id'))"#)"##),
        set(&["vacancies"])
    );
    assert_eq!(
        found("// users::table is read from users here\n/* schema::users */ let users = 1;"),
        set(&[])
    );
    assert_eq!(
        found(r#"t!("users from the table"); let s = "the users"; let c = '"';"#),
        set(&[])
    );
    assert_eq!(found("fn f<'a>(users: &'a str) {}"), set(&[]));
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `accounts/admin/mod.rs` is in `accounts`,
/// `jobs.rs` is `jobs`.
fn module_of(file: &str) -> &str {
    let first = file.split('/').next().unwrap();
    first.strip_suffix(".rs").unwrap_or(first)
}

fn allows(place: &str, table: &str, file: &str, named: &str) -> bool {
    (table == "*" || table == named)
        && if place.ends_with('/') {
            file.starts_with(place)
        } else {
            file == place
        }
}

fn schema_tables(schema: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in schema.match_indices("table! {") {
        let rest = schema[i + "table! {".len()..].trim_start();
        let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        out.push(name);
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The known tables a source text names, in code or in SQL inside its strings.
fn tables_named(text: &str, owner: &BTreeMap<&str, &str>) -> BTreeSet<String> {
    let (code, strings) = split_source(text);
    let mut out = BTreeSet::new();
    let known = |name: &str| owner.contains_key(name).then(|| name.to_owned());
    // `schema::name` and `schema::{a, b as c, d::dsl::*}`.
    for (i, _) in code.match_indices("schema::") {
        let rest = code[i + "schema::".len()..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(group.len(), |(j, _)| j);
            for item in top_level_items(&group[..end]) {
                let name: String = item.trim().chars().take_while(|c| is_ident(*c)).collect();
                out.extend(known(&name));
            }
        } else if rest.starts_with('*') {
            // A glob brings in every table.
            out.extend(owner.keys().map(|t| t.to_string()));
        } else {
            let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            out.extend(known(&name));
        }
    }
    // `name::table`, `name::dsl`, `name::all_columns`: a table reached through any path.
    for table in owner.keys() {
        for tail in ["::table", "::dsl", "::all_columns"] {
            let needle = format!("{table}{tail}");
            for (i, _) in code.match_indices(&needle) {
                let before = code[..i].chars().next_back();
                let after = code[i + needle.len()..].chars().next();
                if !before.is_some_and(is_ident) && !after.is_some_and(is_ident) {
                    out.insert(table.to_string());
                }
            }
        }
    }
    // Raw SQL: a table after FROM, JOIN, INTO, UPDATE or TABLE, or quoted as 'name'.
    for s in &strings {
        let words: Vec<&str> = s
            .split(|c: char| !is_ident(c))
            .filter(|w| !w.is_empty())
            .collect();
        for pair in words.windows(2) {
            let keyword = pair[0].to_ascii_lowercase();
            if ["from", "join", "into", "update", "table", "exists"].contains(&keyword.as_str()) {
                out.extend(known(pair[1]).filter(|_| looks_like_sql(s)));
            }
        }
        for table in owner.keys() {
            if s.contains(&format!("'{table}'")) {
                out.insert(table.to_string());
            }
        }
    }
    out
}

/// A string that reads as SQL rather than prose: it has an SQL verb in capitals, or is
/// lower-case SQL that starts with one.
fn looks_like_sql(s: &str) -> bool {
    let verbs = [
        "SELECT", "UPDATE", "INSERT", "DELETE", "CREATE", "DROP", "ALTER", "WITH",
    ];
    let upper = s.split(|c: char| !is_ident(c)).any(|w| verbs.contains(&w));
    let first = s
        .split(|c: char| !is_ident(c))
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_ascii_uppercase();
    upper || verbs.contains(&first.as_str())
}

/// The comma-separated items of a `use` group, not splitting inside nested braces.
fn top_level_items(group: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

/// The code of a Rust source text without comments and with every string literal
/// emptied, and the string literals' contents apart.
fn split_source(text: &str) -> (String, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let (mut code, mut strings) = (String::with_capacity(text.len()), Vec::new());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            code.push(' ');
        } else if c == 'r'
            && matches!(next, Some('"') | Some('#'))
            && !code.chars().next_back().is_some_and(is_ident)
        {
            // A raw string: r"…", r#"…"#, with as many hashes closing as opening.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                code.push(c);
                i += 1;
                continue;
            }
            j += 1;
            let start = j;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                    break;
                }
                j += 1;
            }
            strings.push(chars[start..j.min(chars.len())].iter().collect());
            code.push_str("\"\"");
            i = j + 1 + hashes;
        } else if c == '"' {
            let mut j = i + 1;
            let mut s = String::new();
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                    if let Some(&e) = chars.get(j) {
                        s.push(if e == 'n' { '\n' } else { e });
                    }
                } else {
                    s.push(chars[j]);
                }
                j += 1;
            }
            strings.push(s);
            code.push_str("\"\"");
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('a', '\'', '\u{41}') or a lifetime ('a).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                code.push_str("' '");
                i = j + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                code.push_str("' '");
                i += 3;
            } else {
                code.push(c);
                i += 1;
            }
        } else {
            code.push(c);
            i += 1;
        }
    }
    (code, strings)
}
