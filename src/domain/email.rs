//! E-mail addresses, compared without case: people type them every which way.

use diesel::expression::AsExpression;
use diesel::sql_types::Text;

use super::stored::stored_as_text;
use super::text::{REPLACED, is_hidden_control};

/// A plausible e-mail address in its one normal form: trimmed and lowercase, one `@` with
/// something on each side and a dot inside the domain, no spaces or hidden characters, at
/// most 254 bytes. The only way to get one is [`Email::parse`].
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    AsExpression,
    diesel::FromSqlRow,
    serde::Serialize,
)]
#[serde(transparent)]
#[diesel(sql_type = Text)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not the shape of an e-mail address")]
pub struct InvalidEmail;

impl Email {
    pub fn parse(input: &str) -> Result<Self, InvalidEmail> {
        let s = input.trim().to_lowercase();
        let (local, domain) = s.split_once('@').ok_or(InvalidEmail)?;
        let plausible = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !s.contains(char::is_whitespace)
            && !s.contains(|c: char| is_hidden_control(c) || c == REPLACED)
            && s.len() <= 254;
        if plausible {
            Ok(Self(s))
        } else {
            Err(InvalidEmail)
        }
    }

    /// The inbox the address reaches: without a `+tag`, so `siti+1@x.id` and
    /// `siti+2@x.id` are one (for limits on mail to one person).
    pub fn inbox(&self) -> String {
        match self.0.rsplit_once('@') {
            Some((local, domain)) => {
                let local = local.split('+').next().unwrap_or(local);
                format!("{local}@{domain}")
            }
            None => self.0.clone(),
        }
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

stored_as_text!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_normal_form_trimmed_and_lowercase() {
        let email = Email::parse("  Siti.Aminah@BinjaiKota.go.id ").unwrap();
        assert_eq!(email.as_str(), "siti.aminah@binjaikota.go.id");
        assert_eq!(email.to_string(), "siti.aminah@binjaikota.go.id");
        assert_eq!(email.domain(), "binjaikota.go.id");
        assert_eq!(Email::parse("SITI@X.ID"), Email::parse("siti@x.id"));
        let tagged = Email::parse("Siti+Loker@x.id").unwrap();
        assert_eq!(tagged.inbox(), "siti@x.id");
        assert_eq!(email.inbox(), email.as_str());
    }

    #[test]
    fn shapes_that_are_refused() {
        for bad in [
            "",
            "siti",
            "siti@localhost",
            "siti binjai@x.id",
            "@x.id",
            "siti@@x.id",
            "siti@x.id@y.id",
            "siti@.x.id",
            "siti@x.id.",
            "siti\0@x.id",
            "siti\u{FFFD}@x.id",
            "siti\u{202E}@x.id",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad:?}");
        }
        let long = format!("{}@x.id", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(InvalidEmail));
    }
}
