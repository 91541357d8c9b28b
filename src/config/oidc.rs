//! The settings of sign-in through an external OpenID Connect provider (SIAPkerja's single
//! sign-on, issue 17 item 3; docs/national-sync.md §6): all `SIBUSER_OIDC_*`, read only when
//! `SIBUSER_OIDC_ISSUER` is set.

use std::path::PathBuf;
use std::time::Duration;

use super::ConfigError;
use super::sync::{pinned_cert, secure_url};

/// The path the provider sends the browser back to; registered with the provider as
/// `{SIBUSER_BASE_URL}/masuk/sso/kembali`.
pub const CALLBACK_PATH: &str = "/masuk/sso/kembali";

#[derive(Clone, PartialEq, Eq)]
pub struct OidcSettings {
    /// The provider's issuer: its discovery document is read from
    /// `{issuer}/.well-known/openid-configuration`, and its ID tokens must name it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The provider's name on the buttons ("Masuk dengan SIAPkerja").
    pub name: String,
    /// Where the provider sends the browser back.
    pub redirect_url: String,
    pub timeout: Duration,
    /// A PEM certificate (or CA) that alone is trusted for the provider's TLS.
    pub pinned_cert: Option<PathBuf>,
}

impl std::fmt::Debug for OidcSettings {
    // The client secret is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("name", &self.name)
            .field("redirect_url", &self.redirect_url)
            .finish_non_exhaustive()
    }
}

pub fn parse(
    get: &dyn Fn(&str) -> Option<String>,
    base_url: &str,
) -> Result<Option<OidcSettings>, ConfigError> {
    let Some(issuer) = get("SIBUSER_OIDC_ISSUER") else {
        return Ok(None);
    };
    // Checked for HTTPS, but kept as written: ID tokens must name the issuer exactly,
    // trailing slash and all.
    secure_url("SIBUSER_OIDC_ISSUER", &issuer)?;
    let needed = |name: &'static str, what: &str| {
        get(name).ok_or_else(|| {
            ConfigError::new(name, format!("is needed with SIBUSER_OIDC_ISSUER: {what}"))
        })
    };
    let client_id = needed(
        "SIBUSER_OIDC_CLIENT_ID",
        "the client id the provider gave this portal",
    )?;
    let client_secret = needed(
        "SIBUSER_OIDC_CLIENT_SECRET",
        "the client secret the provider gave this portal",
    )?;
    let timeout = match get("SIBUSER_OIDC_TIMEOUT_SECONDS") {
        None => 10,
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=120).contains(n))
            .ok_or_else(|| {
                ConfigError::new(
                    "SIBUSER_OIDC_TIMEOUT_SECONDS",
                    format!("'{v}' is not a number from 1 to 120"),
                )
            })?,
    };
    let pinned_cert = pinned_cert(get, "SIBUSER_OIDC_CA_CERT")?;
    Ok(Some(OidcSettings {
        issuer,
        client_id,
        client_secret,
        name: get("SIBUSER_OIDC_NAME").unwrap_or_else(|| "SIAPkerja".to_owned()),
        redirect_url: format!("{}{CALLBACK_PATH}", base_url.trim_end_matches('/')),
        timeout: Duration::from_secs(timeout),
        pinned_cert,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parsed(pairs: &[(&str, &str)]) -> Result<Option<OidcSettings>, ConfigError> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        parse(
            &|name| env.get(name).cloned(),
            "https://sibuser.binjaikota.go.id",
        )
    }

    #[test]
    fn sign_in_through_a_provider_is_off_until_an_issuer_is_set() {
        assert_eq!(parsed(&[]).unwrap(), None);
    }

    #[test]
    fn a_configured_provider_gets_the_callback_under_the_portal_address() {
        let s = parsed(&[
            (
                "SIBUSER_OIDC_ISSUER",
                "https://sso.kemnaker.go.id/realms/siapkerja",
            ),
            ("SIBUSER_OIDC_CLIENT_ID", "sibuser-binjai"),
            ("SIBUSER_OIDC_CLIENT_SECRET", "s3cret"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(s.issuer, "https://sso.kemnaker.go.id/realms/siapkerja");
        assert_eq!(
            s.redirect_url,
            "https://sibuser.binjaikota.go.id/masuk/sso/kembali"
        );
        assert_eq!(s.name, "SIAPkerja");
        assert!(
            !format!("{s:?}").contains("s3cret"),
            "the secret is never printed"
        );
    }

    #[test]
    fn a_provider_without_its_client_or_over_plain_http_is_refused_by_name() {
        let missing = parsed(&[("SIBUSER_OIDC_ISSUER", "https://sso.example.go.id")]);
        assert!(
            missing
                .unwrap_err()
                .to_string()
                .contains("SIBUSER_OIDC_CLIENT_ID")
        );
        let plain = parsed(&[
            ("SIBUSER_OIDC_ISSUER", "http://sso.example.go.id"),
            ("SIBUSER_OIDC_CLIENT_ID", "a"),
            ("SIBUSER_OIDC_CLIENT_SECRET", "b"),
        ]);
        assert!(
            plain
                .unwrap_err()
                .to_string()
                .contains("SIBUSER_OIDC_ISSUER")
        );
    }
}
