//! Form plumbing: field errors as translation keys, shown beside the fields.

/// The errors of one submitted form, by field name. Messages are translation keys.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(&'static str, &'static str)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message_key: &'static str) {
        if self.get(field).is_none() {
            self.0.push((field, message_key));
        }
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| *m)
    }

    /// Each field with its message, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors that belong to a field, for the summary's links: a problem of the whole
    /// form (`form`) is shown on its own.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.iter().filter(|(field, _)| *field != "form")
    }

    pub fn has_field_errors(&self) -> bool {
        self.fields().next().is_some()
    }

    /// (field, translation key) pairs, for callers that report rather than show a form.
    pub fn into_pairs(self) -> Vec<(&'static str, &'static str)> {
        self.0
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// What a date field shows again after a refusal: the date typed, when it is one. A date
/// field cannot hold anything else (its value must be a valid date or empty), and the
/// browser's date picker only ever sends dates, so anything else came from an edited URL.
pub fn date_input_value(typed: &str) -> String {
    match chrono::NaiveDate::parse_from_str(typed.trim(), "%Y-%m-%d") {
        Ok(_) => typed.trim().to_owned(),
        Err(_) => String::new(),
    }
}

/// A person's full name: one line of 2 to 100 characters once trimmed. Returns the trimmed
/// name and records the error under `full_name`.
pub fn check_full_name(errors: &mut FieldErrors, name: &str) -> String {
    let name = name.trim();
    if check_line(errors, "full_name", name) && !(2..=100).contains(&name.chars().count()) {
        errors.add("full_name", "signup.error.name");
    }
    name.to_owned()
}

pub use crate::domain::text::{REPLACED, is_hidden_control};

/// A search keyword as it is kept: without hidden control characters, at most `max`
/// characters. Also for a query saved with an alert, which never passed the input guard.
pub fn search_keyword(value: &str, max: usize) -> String {
    value
        .chars()
        .filter(|c| !is_hidden_control(*c))
        .take(max)
        .collect()
}

/// Checks text from a multi-line field (a description, a note): line breaks and tabs are
/// kept, hidden control characters are refused. Records the error under `field`; returns
/// whether the text passed.
pub fn check_lines(errors: &mut FieldErrors, field: &'static str, value: &str) -> bool {
    let refused = value.chars().any(|c| is_hidden_control(c) || c == REPLACED);
    if refused {
        errors.add(field, "form.error.hidden_characters");
    }
    !refused
}

/// Checks text from a single-line field (a name, a title, a place): as [`check_lines`], and
/// no line break, tab, or left-to-right or right-to-left mark (U+200E, U+200F) either.
pub fn check_line(errors: &mut FieldErrors, field: &'static str, value: &str) -> bool {
    if !check_lines(errors, field, value) {
        return false;
    }
    let refused = value
        .chars()
        .any(|c| matches!(c, '\t' | '\n' | '\r' | '\u{200E}' | '\u{200F}'));
    if refused {
        errors.add(field, "form.error.single_line");
    }
    !refused
}

/// A verifier's decision: approve, or reject with a reason the other side can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
}

/// Checks the decision form of a verifiers' queue. `approve` is the value the approving
/// radio button sends; "tolak" rejects, and then needs a reason of at least 10 characters.
pub fn check_verdict(
    errors: &mut FieldErrors,
    decision: &str,
    approve: &str,
    reason: &str,
) -> Option<Verdict> {
    let verdict = match decision {
        d if d == approve => Some(Verdict::Approve),
        "tolak" => Some(Verdict::Reject),
        _ => {
            errors.add("keputusan", "verification.error.decision");
            None
        }
    };
    let length = reason.trim().chars().count();
    if !check_lines(errors, "alasan", reason) {
        // Refused beside the field already.
    } else if verdict == Some(Verdict::Reject) && length < 10 {
        errors.add("alasan", "verification.error.reason");
    }
    if length > 1000 {
        errors.add("alasan", "verification.error.reason_long");
    }
    verdict.filter(|_| errors.is_empty())
}

/// A field parsed into its value type (`Email::parse(&form.email)`): the value, or `None`
/// with `message_key` recorded under `field`.
pub fn parsed<T, E>(
    errors: &mut FieldErrors,
    field: &'static str,
    message_key: &'static str,
    result: Result<T, E>,
) -> Option<T> {
    if result.is_err() {
        errors.add(field, message_key);
    }
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line_passes(value: &str) -> bool {
        check_line(&mut FieldErrors::default(), "field", value)
    }

    fn lines_pass(value: &str) -> bool {
        check_lines(&mut FieldErrors::default(), "field", value)
    }

    #[test]
    fn hidden_characters_are_refused_and_named_by_field() {
        for bad in [
            "Siti\0",
            "Siti\u{1b}[31m",
            "Siti\u{7}",
            "Siti\u{7f}",
            "Siti\u{85}",
            "Siti\u{9b}",
            "\u{202E}gpj.exe",
            "a\u{202A}b",
            "a\u{2066}b",
            "a\u{2069}b",
            "a\u{FFFD}b",
        ] {
            assert!(!line_passes(bad), "{bad:?} in a line");
            assert!(!lines_pass(bad), "{bad:?} in lines");
        }
        for bad in [
            "Siti\nAminah",
            "Siti\tAminah",
            "Siti\r",
            "a\u{200E}b",
            "a\u{200F}b",
        ] {
            assert!(!line_passes(bad), "{bad:?} in a line");
        }
        for good in [
            "Siti Aminah",
            "Siti\nAminah\r\n\tKasir",
            "Ọlá Ñúñez",
            "王秀英",
            "Bǎo-an O'Neil",
        ] {
            assert!(lines_pass(good), "{good:?} in lines");
        }
        for good in [
            "Siti Aminah",
            "Ọlá Ñúñez",
            "王秀英",
            "Jl. Gatot Subroto No. 12, Binjai",
        ] {
            assert!(line_passes(good), "{good:?} in a line");
        }
        let mut errors = FieldErrors::default();
        check_line(&mut errors, "full_name", "Siti\0");
        assert_eq!(
            errors.get("full_name"),
            Some("form.error.hidden_characters")
        );
        let mut errors = FieldErrors::default();
        check_line(&mut errors, "city", "Binjai\nMedan");
        assert_eq!(errors.get("city"), Some("form.error.single_line"));
    }

    proptest! {
        /// Whatever is typed, a line that passes holds only characters that show as typed,
        /// and text without them always passes.
        #[test]
        fn a_line_passes_exactly_when_it_has_no_hidden_characters(value in "\\PC*|.*") {
            let hidden = value.chars().any(|c| {
                c.is_control()
                    || matches!(c, '\u{200E}' | '\u{200F}' | '\u{FFFD}')
                    || ('\u{202A}'..='\u{202E}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)
            });
            prop_assert_eq!(line_passes(&value), !hidden);
        }

        #[test]
        fn a_full_name_that_passes_has_no_control_characters(value in ".*") {
            let mut errors = FieldErrors::default();
            let name = check_full_name(&mut errors, &value);
            if errors.is_empty() {
                prop_assert!(!name.chars().any(|c| c.is_control()));
            }
        }
    }
}
