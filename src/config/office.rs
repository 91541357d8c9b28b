//! How residents reach the Dinas: the office's telephone, its WhatsApp number and its opening
//! hours (`SIBUSER_OFFICE_PHONE`, `SIBUSER_OFFICE_WHATSAPP`, `SIBUSER_OFFICE_HOURS`), shown in
//! every page's footer and on the help page. Each is optional: what is not set is not shown,
//! rather than a number nobody answers.

use super::ConfigError;
use crate::domain::Phone;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficeContact {
    pub phone: Option<Phone>,
    pub whatsapp: Option<Phone>,
    /// As the office writes them: "Senin–Jumat, 08.00–16.00 WIB".
    pub hours: Option<String>,
}

impl OfficeContact {
    /// The `https://wa.me/…` link that opens a chat with the office's WhatsApp number.
    pub fn whatsapp_url(&self) -> Option<String> {
        self.whatsapp
            .as_ref()
            .map(|p| format!("https://wa.me/{}", international_digits(p.as_str())))
    }
}

/// An Indonesian number as WhatsApp links want it: digits only, the country code first
/// (0812… becomes 62812…).
fn international_digits(number: &str) -> String {
    match number.strip_prefix('+') {
        Some(rest) => rest.to_owned(),
        None => match number.strip_prefix('0') {
            Some(rest) => format!("62{rest}"),
            None => number.to_owned(),
        },
    }
}

pub fn parse(get: &dyn Fn(&str) -> Option<String>) -> Result<OfficeContact, ConfigError> {
    let phone = |name: &'static str| {
        get(name)
            .map(|v| {
                Phone::parse(&v).map_err(|_| {
                    ConfigError::new(
                        name,
                        format!("'{v}' is not a telephone number of 9 to 15 digits"),
                    )
                })
            })
            .transpose()
    };
    let hours = get("SIBUSER_OFFICE_HOURS");
    if let Some(h) = &hours
        && (h.chars().count() > 200 || h.chars().any(char::is_control))
    {
        return Err(ConfigError::new(
            "SIBUSER_OFFICE_HOURS",
            "is one line of at most 200 characters".to_owned(),
        ));
    }
    Ok(OfficeContact {
        phone: phone("SIBUSER_OFFICE_PHONE")?,
        whatsapp: phone("SIBUSER_OFFICE_WHATSAPP")?,
        hours,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<OfficeContact, ConfigError> {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        parse(&|name| map.get(name).cloned())
    }

    #[test]
    fn nothing_set_shows_nothing_and_a_bad_number_stops_the_start() {
        assert_eq!(read(&[]).unwrap(), OfficeContact::default());
        let office = read(&[
            ("SIBUSER_OFFICE_PHONE", "(061) 882 1234"),
            ("SIBUSER_OFFICE_WHATSAPP", "0812-3456-7890"),
            ("SIBUSER_OFFICE_HOURS", "Senin–Jumat, 08.00–16.00 WIB"),
        ])
        .unwrap();
        assert_eq!(office.phone.as_ref().unwrap().as_str(), "0618821234");
        assert_eq!(
            office.whatsapp_url().as_deref(),
            Some("https://wa.me/6281234567890")
        );
        let error = read(&[("SIBUSER_OFFICE_WHATSAPP", "kantor")]).unwrap_err();
        assert!(error.to_string().contains("SIBUSER_OFFICE_WHATSAPP"));
    }
}
