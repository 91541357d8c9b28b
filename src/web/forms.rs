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

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// A person's full name: 2 to 100 characters once trimmed. Returns the trimmed name and
/// records the error under `full_name`.
pub fn check_full_name(errors: &mut FieldErrors, name: &str) -> String {
    let name = name.trim();
    if !(2..=100).contains(&name.chars().count()) {
        errors.add("full_name", "signup.error.name");
    }
    name.to_owned()
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
    if verdict == Some(Verdict::Reject) && length < 10 {
        errors.add("alasan", "verification.error.reason");
    }
    if length > 1000 {
        errors.add("alasan", "verification.error.reason_long");
    }
    verdict.filter(|_| errors.is_empty())
}

/// A plausible e-mail address: one @, something on each side, a dot in the domain.
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
                && !domain.contains('@')
                && s.len() <= 254
        }
        None => false,
    }
}

/// An Indonesian phone number: digits with an optional leading +, 9 to 15 digits.
pub fn normalise_phone(s: &str) -> Option<String> {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    (digits.chars().all(|c| c.is_ascii_digit()) && (9..=15).contains(&digits.len()))
        .then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(looks_like_email("siti@binjaikota.go.id"));
        assert!(!looks_like_email("siti@localhost"));
        assert!(!looks_like_email("siti binjai@x.id"));
        assert!(!looks_like_email("@x.id"));
        assert!(!looks_like_email("siti@@x.id"));
    }

    #[test]
    fn phones() {
        assert_eq!(
            normalise_phone("0812-3456-7890").as_deref(),
            Some("081234567890")
        );
        assert_eq!(
            normalise_phone("+62 812 3456 7890").as_deref(),
            Some("+6281234567890")
        );
        assert_eq!(normalise_phone("12345"), None);
        assert_eq!(normalise_phone("0812abc"), None);
    }
}
