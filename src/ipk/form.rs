//! The ministry's IPK forms as data (issue 15, item 2): a form file says which rows and
//! columns the paper form has and which of the portal's figures go in each cell, so a new
//! or changed form from the ministry is a new file, not a new release.
//!
//! The forms the portal ships with are in `ipk-forms/` of the source tree, built into the
//! binary. A file of the same code in `<data dir>/ipk-forms/` replaces one of them, and a
//! file of a new code adds a form; they are read on every request, so a changed file is
//! used at once. A file that cannot be used is reported by name and reason; the others
//! still work.
//!
//! A cell is where a row and a column meet: each may say what is counted (`measure`),
//! whose (`sex`) and which codes of a group (`match`, such as the age groups "15-19" or
//! the education levels 0 to 2). A row with no `measure` takes its column's, and so on; a
//! cell that names no codes of a group counts them all, which is how totals are written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::web::i18n::Lang;

/// Text in both languages of the portal.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Text {
    pub id: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        }
    }
}

/// What a part of a form counts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Job seekers on the register (stock and flows).
    Seekers,
    /// Vacant positions, in persons (stock and flows).
    Positions,
    /// Placements (a flow only).
    Placements,
}

/// A figure of a cell.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// On the register at the end of the period before.
    Carried,
    Registered,
    /// Placed (job seekers) or filled (positions).
    Placed,
    Removed,
    /// Carried plus registered.
    TotalIn,
    /// Placed plus removed.
    TotalOut,
    /// On the register at the end of the period.
    Remaining,
    /// Placements.
    Count,
}

impl Measure {
    fn fits(self, source: Source) -> bool {
        (self == Self::Count) == (source == Source::Placements)
    }
}

/// Whose figure: men, women, positions open to either (or people whose sex was not
/// recorded), or all of them.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SexOf {
    Male,
    Female,
    Either,
    All,
}

/// A group a cell can be narrowed by, as the ledger records it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    /// "15-19", "20-29", "30-44", "45-54", "55+".
    AgeGroup,
    /// The education level's code, "0" (no schooling) to "12" (S3).
    Education,
    /// The KBJI 2014 major group, "0" to "9".
    KbjiMajor,
    /// The KBLI 2020 section, "A" to "U".
    KbliSection,
    /// "AKL", "AKAD" or "AKAN".
    InterWork,
}

/// The code that stands for every code of a group that no other row or column of the part
/// names, and for a group not recorded: so the rows of a form always add up to its total.
pub const OTHER: &str = "*other*";

/// A row or a column: its number and label as printed, and what it narrows a cell to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The number or letter printed beside it ("1", "A"), if any.
    #[serde(default)]
    pub no: Option<String>,
    pub label: Text,
    /// A heading over several columns ("15-19" over its L and P), printed once.
    #[serde(default)]
    pub group: Option<Text>,
    #[serde(default)]
    pub measure: Option<Measure>,
    #[serde(default)]
    pub sex: Option<SexOf>,
    #[serde(default, rename = "match")]
    pub codes: BTreeMap<Dim, Vec<String>>,
    /// A sum printed in bold, such as a total row.
    #[serde(default)]
    pub total: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    #[serde(default)]
    pub title: Option<Text>,
    pub source: Source,
    /// What the row labels' column is headed, such as "Golongan umur".
    pub row_heading: Text,
    pub rows: Vec<Line>,
    pub columns: Vec<Line>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// "III/1".
    pub code: String,
    pub title: Text,
    /// Where the layout comes from, such as the guideline's number.
    pub edition: String,
    pub parts: Vec<Part>,
}

impl Form {
    /// The code as it appears in a URL: "iii-1".
    pub fn slug(&self) -> String {
        slug_of(&self.code)
    }

    /// Why the form cannot be used, if it cannot.
    fn check(&self) -> Result<(), String> {
        if self.code.trim().is_empty() || self.slug().is_empty() {
            return Err("the form has no code".into());
        }
        if self.parts.is_empty() {
            return Err("the form has no parts".into());
        }
        for (p, part) in self.parts.iter().enumerate() {
            let p = p + 1;
            if part.rows.is_empty() || part.columns.is_empty() {
                return Err(format!("part {p} has no rows or no columns"));
            }
            for row in &part.rows {
                for column in &part.columns {
                    let measure = row.measure.or(column.measure);
                    let Some(measure) = measure else {
                        return Err(format!(
                            "part {p}: neither row '{}' nor column '{}' says what is counted",
                            row.label.id, column.label.id
                        ));
                    };
                    if !measure.fits(part.source) {
                        return Err(format!(
                            "part {p}: row '{}', column '{}': {measure:?} is not a figure of {:?}",
                            row.label.id, column.label.id, part.source
                        ));
                    }
                }
            }
            for line in part.rows.iter().chain(&part.columns) {
                if line.codes.values().any(Vec::is_empty) {
                    return Err(format!(
                        "part {p}: '{}' matches an empty list of codes",
                        line.label.id
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Part {
    /// The codes the part's rows and columns name for each group, for [`OTHER`].
    pub fn named_codes(&self) -> BTreeMap<Dim, BTreeSet<&str>> {
        let mut named: BTreeMap<Dim, BTreeSet<&str>> = BTreeMap::new();
        for line in self.rows.iter().chain(&self.columns) {
            for (dim, codes) in &line.codes {
                named
                    .entry(*dim)
                    .or_default()
                    .extend(codes.iter().map(String::as_str).filter(|c| *c != OTHER));
            }
        }
        named
    }
}

pub fn slug_of(code: &str) -> String {
    code.chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            '/' | '-' | ' ' | '.' => Some('-'),
            _ => None,
        })
        .collect()
}

/// A form file that could not be used: its name and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub file: String,
    pub reason: String,
}

/// The forms in use, in order of code, and the files that could not be used.
#[derive(Debug, Clone)]
pub struct Forms {
    pub forms: Vec<Form>,
    pub broken: Vec<Broken>,
}

impl Forms {
    pub fn find(&self, slug: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.slug() == slug)
    }
}

/// The forms the portal ships with.
const BUILT_IN: &[(&str, &str)] = &[
    ("III-1.json", include_str!("../../ipk-forms/III-1.json")),
    ("III-2.json", include_str!("../../ipk-forms/III-2.json")),
    ("III-3.json", include_str!("../../ipk-forms/III-3.json")),
    ("III-4.json", include_str!("../../ipk-forms/III-4.json")),
    ("III-5.json", include_str!("../../ipk-forms/III-5.json")),
    ("III-6.json", include_str!("../../ipk-forms/III-6.json")),
    ("III-7.json", include_str!("../../ipk-forms/III-7.json")),
    ("III-8.json", include_str!("../../ipk-forms/III-8.json")),
];

fn parse(name: &str, text: &str) -> Result<Form, Broken> {
    let broken = |reason: String| Broken {
        file: name.to_owned(),
        reason,
    };
    let form: Form = serde_json::from_str(text).map_err(|e| broken(e.to_string()))?;
    form.check().map_err(broken)?;
    Ok(form)
}

/// The forms the portal ships with (a broken one is a bug the tests catch).
pub fn built_in() -> Vec<Form> {
    BUILT_IN
        .iter()
        .filter_map(|(name, text)| parse(name, text).ok())
        .collect()
}

/// The built-in forms, with those in `<data_dir>/ipk-forms/` over them.
pub fn load(data_dir: &Path) -> Forms {
    let mut by_slug: BTreeMap<String, Form> = BTreeMap::new();
    let mut broken = Vec::new();
    for (name, text) in BUILT_IN {
        match parse(name, text) {
            Ok(form) => {
                by_slug.insert(form.slug(), form);
            }
            Err(b) => broken.push(b),
        }
    }
    let dir = data_dir.join("ipk-forms");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| Broken {
                file: name.clone(),
                reason: e.to_string(),
            })
            .and_then(|text| parse(&name, &text));
        match parsed {
            Ok(form) => {
                by_slug.insert(form.slug(), form);
            }
            Err(b) => broken.push(b),
        }
    }
    let mut forms: Vec<Form> = by_slug.into_values().collect();
    forms.sort_by_key(|f| natural_key(&f.code));
    Forms { forms, broken }
}

/// "III/10" after "III/9".
fn natural_key(code: &str) -> Vec<(String, u32)> {
    code.split(['/', '-', '.'])
        .map(|part| match part.parse::<u32>() {
            Ok(n) => (String::new(), n),
            Err(_) => (part.to_owned(), 0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_forms_are_the_eight_ipk_tables() {
        let forms = load(Path::new("/nonexistent"));
        assert_eq!(forms.broken, vec![]);
        let codes: Vec<&str> = forms.forms.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "III/1", "III/2", "III/3", "III/4", "III/5", "III/6", "III/7", "III/8"
            ]
        );
        assert_eq!(forms.find("iii-1").unwrap().code, "III/1");
    }

    #[test]
    fn a_file_in_the_data_directory_replaces_or_adds_a_form_and_a_bad_one_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("ipk-forms")).unwrap();
        let mut replaced: serde_json::Value =
            serde_json::from_str(include_str!("../../ipk-forms/III-7.json")).unwrap();
        replaced["title"]["id"] = "Penempatan menurut lapangan usaha (versi 2027)".into();
        std::fs::write(
            dir.path().join("ipk-forms/III-7.json"),
            replaced.to_string(),
        )
        .unwrap();
        replaced["code"] = "III/10".into();
        std::fs::write(dir.path().join("ipk-forms/baru.json"), replaced.to_string()).unwrap();
        replaced["parts"][0]["rows"][0]["measure"] = "carried".into();
        replaced["code"] = "III/11".into();
        std::fs::write(
            dir.path().join("ipk-forms/rusak.json"),
            replaced.to_string(),
        )
        .unwrap();
        std::fs::write(dir.path().join("ipk-forms/bukan.json"), "{").unwrap();

        let forms = load(dir.path());
        assert_eq!(
            forms.find("iii-7").unwrap().title.id,
            "Penempatan menurut lapangan usaha (versi 2027)"
        );
        assert_eq!(forms.forms.last().unwrap().code, "III/10");
        let names: Vec<&str> = forms.broken.iter().map(|b| b.file.as_str()).collect();
        assert_eq!(names, ["bukan.json", "rusak.json"]);
        assert!(
            forms.broken[1]
                .reason
                .contains("not a figure of Placements")
        );
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slug_of("III/1"), "iii-1");
        assert_eq!(slug_of("III/11 (Sumbar)"), "iii-11-sumbar");
    }
}
