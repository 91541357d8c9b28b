//! Full-text search on both backends: SQLite's FTS5 and PostgreSQL's tsvector.
//!
//! The application folds every document and every query the same way before the database
//! sees them (lower case, accents removed, anything but letters and digits turned into a
//! space). Both tokenisers then see plain words split by single spaces, so a query finds the
//! same rows on either backend; the database only matches words and prefixes.

use diesel::QueryableByName;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// At most this many words of a query are used; the rest of a pasted paragraph is ignored.
pub const MAX_TERMS: usize = 8;
/// Longer words are cut: a prefix match on the first 40 characters finds them anyway.
const MAX_TERM_CHARS: usize = 40;

/// The searchable form of a text: "Café  Administrasi-Gudang" becomes
/// "cafe administrasi gudang".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// The words of a search query, folded, each matched as a prefix of a word in the document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Terms(Vec<String>);

impl Terms {
    pub fn parse(query: &str) -> Self {
        let folded = fold(query);
        let mut terms: Vec<String> = Vec::new();
        for word in folded.split(' ').filter(|w| !w.is_empty()) {
            let word: String = word.chars().take(MAX_TERM_CHARS).collect();
            if !terms.contains(&word) {
                terms.push(word);
            }
            if terms.len() == MAX_TERMS {
                break;
            }
        }
        Self(terms)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An FTS5 MATCH expression: every term quoted (FTS5 reads `"`, `-`, `*` and `:` as
    /// syntax) and matched as a prefix; terms side by side must all match.
    pub fn fts5(&self) -> String {
        self.0
            .iter()
            .map(|t| format!("\"{}\"*", t.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A `to_tsquery('simple', …)` expression: every term a prefix, all of them required.
    /// The terms hold only letters and digits, so no tsquery operator can slip in.
    pub fn tsquery(&self) -> String {
        self.0
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & ")
    }
}

/// Where one kind of document is indexed: on PostgreSQL a narrow table of stripped
/// tsvectors (`document`) keyed by the document's id, on SQLite an FTS5 table whose rowid
/// is that id. Both hold only what the public may find, kept by triggers.
pub struct Index {
    pub pg_table: &'static str,
    pub pg_id: &'static str,
    pub fts5_table: &'static str,
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = Integer)]
    id: i32,
}

/// The ids of the indexed documents with every term as a word prefix.
pub fn matching_ids(
    conn: &mut super::DbConnection,
    index: &Index,
    terms: &Terms,
) -> QueryResult<Vec<i32>> {
    // The table names are constants; the one bound value is the only part that comes
    // from the user, and it holds nothing but folded words.
    let query = match conn {
        super::DbConnection::Pg(_) => diesel::sql_query(format!(
            "SELECT {} AS id FROM {} WHERE document @@ to_tsquery('simple', $1)",
            index.pg_id, index.pg_table
        ))
        .bind::<Text, _>(terms.tsquery()),
        super::DbConnection::Sqlite(_) => diesel::sql_query(format!(
            "SELECT rowid AS id FROM {0} WHERE {0} MATCH ?",
            index.fts5_table
        ))
        .bind::<Text, _>(terms.fts5()),
    };
    let rows: Vec<IdRow> = query.load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folding_drops_case_accents_and_punctuation() {
        assert_eq!(
            fold("Café  Administrasi-Gudang"),
            "cafe administrasi gudang"
        );
        assert_eq!(fold("  S1/D3 (Akuntansi)!  "), "s1 d3 akuntansi");
        assert_eq!(fold("ÉLAN naïve"), "elan naive");
        assert_eq!(fold("\"; DROP TABLE x; --"), "drop table x");
        assert_eq!(fold("<script>"), "script");
        assert_eq!(fold("..."), "");
    }

    #[test]
    fn queries_become_quoted_prefix_terms() {
        let terms = Terms::parse("Admin  gudang admin");
        assert_eq!(terms.fts5(), "\"admin\"* \"gudang\"*");
        assert_eq!(terms.tsquery(), "admin:* & gudang:*");
        assert!(Terms::parse(" -*: ").is_empty());
    }

    #[test]
    fn long_queries_are_cut_to_a_few_words() {
        let long = "kata ".repeat(2_000) + &"x".repeat(10_000);
        let terms = Terms::parse(&long);
        assert_eq!(
            terms.fts5(),
            format!("\"kata\"* \"{}\"*", "x".repeat(MAX_TERM_CHARS))
        );
        let many = (0..50)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(Terms::parse(&many).0.len(), MAX_TERMS);
        assert_eq!(Terms::parse(&"y".repeat(500)).0[0].len(), MAX_TERM_CHARS);
    }

    proptest! {
        #[test]
        fn terms_never_carry_query_syntax(query in ".{0,200}") {
            let terms = Terms::parse(&query);
            for t in &terms.0 {
                prop_assert!(!t.is_empty());
                prop_assert!(t.chars().all(char::is_alphanumeric));
            }
        }
    }
}
