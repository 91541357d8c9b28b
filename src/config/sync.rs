//! The settings of the exchange with the national system (issue 17, docs/national-sync.md):
//! all `SIBUSER_SYNC_*`, read only when `SIBUSER_SYNC_URL` is set.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;

use super::ConfigError;

/// A named Ed25519 key: the 32-byte seed of a signing key, or a public key.
#[derive(Clone, PartialEq, Eq)]
pub struct KeySpec {
    pub id: String,
    pub bytes: [u8; 32],
}

impl std::fmt::Debug for KeySpec {
    // A seed is a secret: only its id is ever printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeySpec({})", self.id)
    }
}

#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// The national endpoint's base, without a trailing slash: `https://host/partner/v1`
    /// is called as `{url}/batches`, `{url}/vacancies`, ...
    pub url: String,
    /// The `partners` row of the national system: its grants decide which data sets are
    /// pushed and how they are masked, and the out-log counts the push under it.
    pub partner_id: i32,
    /// Sent as `Authorization: Bearer`, when the national side asks for one.
    pub token: Option<String>,
    pub batch_size: usize,
    /// How long the worker rests when there is nothing to do.
    pub every: Duration,
    /// How often the worker pulls the national side's records.
    pub pull_every: Duration,
    /// Failed attempts before an event is parked.
    pub max_attempts: i32,
    /// The longest wait between two attempts of an event (before jitter).
    pub max_backoff: Duration,
    pub timeout: Duration,
    /// Our signing key (seed).
    pub signing_key: KeySpec,
    /// Public halves of our earlier signing keys, to verify old log entries.
    pub retired_keys: Vec<KeySpec>,
    /// The national side's public keys: several while it rotates.
    pub peer_keys: Vec<KeySpec>,
    /// A PEM certificate (or CA) that alone is trusted for the endpoint's TLS.
    pub pinned_cert: Option<PathBuf>,
}

pub const DEFAULT_BATCH: usize = 500;
pub const MAX_BATCH: usize = 5_000;

pub fn parse(get: &dyn Fn(&str) -> Option<String>) -> Result<Option<SyncSettings>, ConfigError> {
    let Some(url) = get("SIBUSER_SYNC_URL") else {
        return Ok(None);
    };
    let url = secure_url("SIBUSER_SYNC_URL", &url)?;
    let partner_id = get("SIBUSER_SYNC_PARTNER_ID")
        .ok_or_else(|| {
            ConfigError::new(
                "SIBUSER_SYNC_PARTNER_ID",
                "is needed with SIBUSER_SYNC_URL: the id of the national partner (page /petugas/mitra)",
            )
        })?
        .parse::<i32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ConfigError::new("SIBUSER_SYNC_PARTNER_ID", "is not a partner id"))?;
    let batch_size = number(
        get,
        "SIBUSER_SYNC_BATCH",
        DEFAULT_BATCH as u64,
        1,
        MAX_BATCH as u64,
    )?;
    let every = number(get, "SIBUSER_SYNC_EVERY_SECONDS", 30, 1, 86_400)?;
    let pull_every = number(get, "SIBUSER_SYNC_PULL_EVERY_SECONDS", 900, 1, 7 * 86_400)?;
    let max_attempts = number(get, "SIBUSER_SYNC_MAX_ATTEMPTS", 8, 1, 100)?;
    let timeout = number(get, "SIBUSER_SYNC_TIMEOUT_SECONDS", 30, 1, 600)?;
    let max_backoff = number(get, "SIBUSER_SYNC_MAX_BACKOFF_SECONDS", 3_600, 1, 86_400)?;
    let signing_key = match get("SIBUSER_SYNC_SIGNING_KEY") {
        Some(v) => key("SIBUSER_SYNC_SIGNING_KEY", &v)?,
        None => {
            return Err(ConfigError::new(
                "SIBUSER_SYNC_SIGNING_KEY",
                "is needed with SIBUSER_SYNC_URL (make one with: sibuser sync keygen)",
            ));
        }
    };
    let peer_keys = keys(get, "SIBUSER_SYNC_PEER_KEYS")?;
    if peer_keys.is_empty() {
        return Err(ConfigError::new(
            "SIBUSER_SYNC_PEER_KEYS",
            "is needed with SIBUSER_SYNC_URL: the national side's public keys as id:base64, comma-separated",
        ));
    }
    let retired_keys = keys(get, "SIBUSER_SYNC_RETIRED_KEYS")?;
    let pinned_cert = pinned_cert(get, "SIBUSER_SYNC_CA_CERT")?;
    Ok(Some(SyncSettings {
        url,
        partner_id,
        token: get("SIBUSER_SYNC_TOKEN"),
        batch_size: batch_size as usize,
        every: Duration::from_secs(every),
        pull_every: Duration::from_secs(pull_every),
        max_attempts: max_attempts as i32,
        max_backoff: Duration::from_secs(max_backoff),
        timeout: Duration::from_secs(timeout),
        signing_key,
        retired_keys,
        peer_keys,
        pinned_cert,
    }))
}

/// A PEM file that alone is trusted for a service's TLS, if the setting names one.
pub(super) fn pinned_cert(
    get: &dyn Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<PathBuf>, ConfigError> {
    let Some(path) = get(name).map(PathBuf::from) else {
        return Ok(None);
    };
    if !path.is_file() {
        return Err(ConfigError::new(
            name,
            format!("{} is not a readable file", path.display()),
        ));
    }
    Ok(Some(path))
}

/// HTTPS, or plain HTTP to this machine only (the sandbox in tests and the demo): the
/// exchange carries personal data, and a sign-in a session.
pub(super) fn secure_url(name: &'static str, raw: &str) -> Result<String, ConfigError> {
    let url = raw.trim_end_matches('/');
    let bad = |why: &str| ConfigError::new(name, format!("'{url}' {why}"));
    if let Some(rest) = url.strip_prefix("https://") {
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            return Err(bad("is not an https:// address"));
        }
        return Ok(url.to_owned());
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(bad("is not an https:// address"));
    };
    let host = rest.split('/').next().unwrap_or("");
    let host = host
        .rsplit_once(':')
        .filter(|(h, port)| !h.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(h, _)| h);
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(url.to_owned())
    } else {
        Err(bad(
            "is plain HTTP to another machine: use https:// (plain HTTP only to this machine)",
        ))
    }
}

fn number(
    get: &dyn Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                ConfigError::new(name, format!("'{v}' is not a number from {min} to {max}"))
            }),
    }
}

/// 1-64 of `A-Z a-z 0-9 - _ .`: a key's id as both sides write it.
pub fn valid_key_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `id:base64` of 32 bytes.
pub fn key(name: &'static str, raw: &str) -> Result<KeySpec, ConfigError> {
    let (id, b64) = raw.trim().split_once(':').ok_or_else(|| {
        ConfigError::new(
            name,
            "is not id:base64 (make one with: sibuser sync keygen)",
        )
    })?;
    let id = id.trim();
    if !valid_key_id(id) {
        return Err(ConfigError::new(
            name,
            "has a key id that is not 1-64 letters, digits, '-', '_' or '.'",
        ));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| ConfigError::new(name, format!("key '{id}' is not 32 bytes in base64")))?;
    Ok(KeySpec {
        id: id.to_owned(),
        bytes,
    })
}

fn keys(
    get: &dyn Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Vec<KeySpec>, ConfigError> {
    let mut out: Vec<KeySpec> = Vec::new();
    for part in get(name)
        .unwrap_or_default()
        .split(',')
        .filter(|p| !p.trim().is_empty())
    {
        let k = key(name, part)?;
        if out.iter().any(|o| o.id == k.id) {
            return Err(ConfigError::new(
                name,
                format!("key id '{}' is given twice", k.id),
            ));
        }
        out.push(k);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parsed(pairs: &[(&str, &str)]) -> Result<Option<SyncSettings>, ConfigError> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        parse(&|n: &str| env.get(n).cloned())
    }

    const KEY: &str = "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    #[test]
    fn sync_is_off_without_a_url_and_needs_its_keys_with_one() {
        assert!(parsed(&[]).unwrap().is_none());
        let e = parsed(&[("SIBUSER_SYNC_URL", "https://x.example/v1")]).unwrap_err();
        assert_eq!(e.setting, "SIBUSER_SYNC_PARTNER_ID");
        let base = [
            ("SIBUSER_SYNC_URL", "https://x.example/v1/"),
            ("SIBUSER_SYNC_PARTNER_ID", "3"),
            ("SIBUSER_SYNC_SIGNING_KEY", KEY),
        ];
        assert_eq!(parsed(&base).unwrap_err().setting, "SIBUSER_SYNC_PEER_KEYS");
        let mut full = base.to_vec();
        full.push(("SIBUSER_SYNC_PEER_KEYS", "n1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=, n2:AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        let s = parsed(&full).unwrap().unwrap();
        assert_eq!(s.url, "https://x.example/v1");
        assert_eq!(s.partner_id, 3);
        assert_eq!(s.peer_keys.len(), 2);
        assert_eq!(s.batch_size, DEFAULT_BATCH);
        assert_eq!(format!("{:?}", s.signing_key), "KeySpec(k1)");
    }

    #[test]
    fn plain_http_is_refused_except_to_this_machine() {
        for ok in [
            "http://127.0.0.1:9000/v1",
            "http://localhost:9/x",
            "http://[::1]:8/v1",
        ] {
            assert!(secure_url("SIBUSER_SYNC_URL", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1/v1",
            "http://siapkerja.go.id",
            "ftp://x",
            "https://",
        ] {
            assert!(secure_url("SIBUSER_SYNC_URL", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keys_must_be_named_32_byte_base64() {
        assert!(key("K", "nocolon").is_err());
        assert!(key("K", "bad id:AAAA").is_err());
        assert!(key("K", "k:AAAA").is_err());
        assert_eq!(key("K", KEY).unwrap().id, "k1");
    }
}
