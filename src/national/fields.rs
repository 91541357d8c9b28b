//! Reading a pulled record's fields (a JSON object with §8's field names) into typed values,
//! noting the first problem as (field, translation key): a record that breaks a rule is
//! parked whole, never half-applied.

use chrono::NaiveDate;

use crate::domain::Rupiah;
use crate::domain::text::{REPLACED, is_hidden_control};

pub type Problem = (String, &'static str);

pub struct Fields<'a> {
    object: &'a serde_json::Map<String, serde_json::Value>,
    problem: Option<Problem>,
}

impl<'a> Fields<'a> {
    pub fn of(record: &'a serde_json::Value) -> Result<Self, Problem> {
        match record {
            serde_json::Value::Object(object) => Ok(Self {
                object,
                problem: None,
            }),
            _ => Err(("record".into(), "national.pull.error.not_object")),
        }
    }

    /// Notes a problem (the first one stays) and gives `None`, for `or_else`.
    pub fn problem<T>(&mut self, field: &str, key: &'static str) -> Option<T> {
        if self.problem.is_none() {
            self.problem = Some((field.to_owned(), key));
        }
        None
    }

    pub fn require(&mut self, field: &str) {
        self.problem::<()>(field, "national.pull.error.required");
    }

    /// The field as trimmed text (a number as its digits); `None` when absent, null or
    /// blank. Hidden control characters are a problem.
    pub fn optional(&mut self, field: &str) -> Option<String> {
        let text = match self.object.get(field)? {
            serde_json::Value::String(s) => s.trim().to_owned(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Null => return None,
            _ => return self.problem(field, "national.pull.error.not_text"),
        };
        if text.chars().any(|c| is_hidden_control(c) || c == REPLACED) {
            return self.problem(field, "form.error.hidden_characters");
        }
        (!text.is_empty()).then_some(text)
    }

    /// Text of at most `max` characters; empty when absent (a problem when `required`).
    pub fn text(&mut self, field: &str, required: bool, max: usize) -> String {
        match self.optional(field) {
            Some(t) if t.chars().count() > max => {
                self.problem::<()>(field, "national.pull.error.too_long");
                String::new()
            }
            Some(t) => t,
            None => {
                if required {
                    self.require(field);
                }
                String::new()
            }
        }
    }

    /// A whole number from zero, given as a number or as digits.
    pub fn integer(&mut self, field: &str) -> Option<i64> {
        let raw = self.optional(field)?;
        raw.parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .or_else(|| self.problem(field, "national.pull.error.number"))
    }

    pub fn rupiah(&mut self, field: &str) -> Option<Rupiah> {
        let n = self.integer(field)?;
        Rupiah::new(n)
            .ok()
            .or_else(|| self.problem(field, "national.pull.error.number"))
    }

    /// `true`, `1` or `"ya"` is true; absent or anything else false.
    pub fn flag(&mut self, field: &str) -> bool {
        match self.object.get(field) {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::Number(n)) => n.as_i64() == Some(1),
            Some(serde_json::Value::String(s)) => {
                matches!(s.trim().to_lowercase().as_str(), "ya" | "true" | "1")
            }
            _ => false,
        }
    }

    /// A date `YYYY-MM-DD`.
    pub fn date(&mut self, field: &str, required: bool) -> Option<NaiveDate> {
        match self.optional(field) {
            Some(raw) => NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
                .ok()
                .or_else(|| self.problem(field, "national.pull.error.date")),
            None => {
                if required {
                    self.require(field);
                }
                None
            }
        }
    }

    /// The first problem, if any.
    pub fn done(self) -> Result<(), Problem> {
        self.problem.map_or(Ok(()), Err)
    }
}
