//! Typed settings from environment variables, each with a safe default.
//!
//! Every problem is reported as a [`ConfigError`] that names the variable, so start-up
//! can stop with one line an operator can act on.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use base64::Engine as _;

pub mod office;
pub mod oidc;
pub mod sync;

/// A setting that is missing or malformed, with the variable that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub setting: &'static str,
    pub message: String,
}

impl ConfigError {
    pub fn new(setting: &'static str, message: impl Into<String>) -> Self {
        Self {
            setting,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.setting, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Where the data lives. The scheme of `DATABASE_URL` decides the backend.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let raw = raw.trim();
        if let Some(rest) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err(ConfigError::new(
                    "DATABASE_URL",
                    "the SQLite URL has no file path (example: sqlite://data/sibuser.db)",
                ));
            }
            if rest == ":memory:" {
                // Each pooled connection would get its own empty database.
                return Err(ConfigError::new(
                    "DATABASE_URL",
                    "an in-memory SQLite database cannot be shared by the connection pool; give a file path",
                ));
            }
            return Ok(Self::Sqlite(PathBuf::from(rest)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let scheme = raw.split_once(':').map(|(s, _)| s).unwrap_or(raw);
        Err(ConfigError::new(
            "DATABASE_URL",
            format!(
                "unsupported database '{scheme}': use sqlite://PATH or postgres://USER:PASSWORD@HOST/NAME"
            ),
        ))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// The URL without its password, for logs and messages.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => redact_password(url),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

/// How the mail transport talks to the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    None,
    StartTls,
    Tls,
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub security: SmtpSecurity,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("security", &self.security)
            .finish()
    }
}

/// Where the key that signs and encrypts cookies comes from.
#[derive(Clone)]
pub enum SecretKeySource {
    /// `SIBUSER_SECRET_KEY`, decoded.
    Configured(Vec<u8>),
    /// Not configured: generated once and kept in the data directory (development).
    DataDir,
}

impl fmt::Debug for SecretKeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Configured(_) => f.write_str("Configured(***)"),
            Self::DataDir => f.write_str("DataDir"),
        }
    }
}

/// Which header the trusted reverse proxies write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1` (nginx's `$proxy_add_x_forwarded_for`).
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client;proto=https, for=proxy1`.
    Forwarded,
}

/// The reverse proxies whose forwarded header is believed, and which header they write.
#[derive(Debug, Clone)]
pub struct TrustedProxies {
    pub networks: Vec<ipnet::IpNet>,
    pub header: ForwardedHeader,
}

impl Default for TrustedProxies {
    fn default() -> Self {
        Self {
            networks: Vec::new(),
            header: ForwardedHeader::XForwardedFor,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub db_pool_size: u32,
    /// Keyword searches whose matches each process keeps until the vacancies change.
    pub search_cache_entries: usize,
    pub bind: SocketAddr,
    pub base_url: String,
    pub data_dir: PathBuf,
    pub secret_key: SecretKeySource,
    pub smtp: Option<SmtpSettings>,
    pub mail_from: String,
    /// How long a delivered (or finally parked) mail keeps its subject, body and address.
    pub mail_body_retention_hours: u32,
    pub log_format: LogFormat,
    pub log_filter: String,
    /// Proxies allowed to tell the client's address; nobody else is believed.
    pub trusted_proxies: TrustedProxies,
    /// Requests a second each API key may make, per instance (bursts of three times that).
    pub api_rate_per_second: u32,
    /// The exchange with the national system, when `SIBUSER_SYNC_URL` is set.
    pub sync: Option<sync::SyncSettings>,
    /// Sign-in through an OpenID Connect provider, when `SIBUSER_OIDC_ISSUER` is set.
    pub oidc: Option<oidc::OidcSettings>,
    /// The office's telephone, WhatsApp and opening hours, where they are set.
    pub office: office::OfficeContact,
}

/// A partner's sync of 100-record pages at 20 a second reads 2,000 records a second, more
/// than a day's changes in Binjai; a runaway loop is stopped before it loads the database.
pub const DEFAULT_API_RATE: u32 = 20;

pub const SECRET_KEY_MIN_BYTES: usize = 64;

/// A month: mail older than that has no business in the outbox.
pub const MAX_MAIL_BODY_RETENTION_HOURS: u32 = 24 * 31;

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_map(&std::env::vars().collect())
    }

    /// Reads settings from a map, so tests need not touch the process environment.
    pub fn from_map(env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            env.get(name)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };

        let database_url = DatabaseUrl::parse(
            get("DATABASE_URL")
                .as_deref()
                .unwrap_or("sqlite://data/sibuser.db"),
        )?;

        let db_pool_size = match get("SIBUSER_DB_POOL_SIZE") {
            None => 8,
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=256).contains(n))
                .ok_or_else(|| {
                    ConfigError::new(
                        "SIBUSER_DB_POOL_SIZE",
                        format!("'{v}' is not a number from 1 to 256"),
                    )
                })?,
        };

        let search_cache_entries = match get("SIBUSER_SEARCH_CACHE") {
            None => 256,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= 100_000)
                .ok_or_else(|| {
                    ConfigError::new(
                        "SIBUSER_SEARCH_CACHE",
                        format!("'{v}' is not a number from 0 to 100000"),
                    )
                })?,
        };

        let bind_raw = get("SIBUSER_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let bind: SocketAddr = bind_raw.parse().map_err(|_| {
            ConfigError::new(
                "SIBUSER_BIND",
                format!("'{bind_raw}' is not an address and port such as 127.0.0.1:8080"),
            )
        })?;

        let base_url = match get("SIBUSER_BASE_URL") {
            Some(url) => parse_base_url(&url)?,
            None => format!("http://{bind}"),
        };

        let data_dir = PathBuf::from(get("SIBUSER_DATA_DIR").unwrap_or_else(|| "data".into()));

        let secret_key = match get("SIBUSER_SECRET_KEY") {
            Some(v) => SecretKeySource::Configured(decode_secret_key(&v)?),
            None => SecretKeySource::DataDir,
        };

        let smtp = match get("SIBUSER_SMTP_HOST") {
            None => None,
            Some(host) => Some(parse_smtp(host, &get)?),
        };
        let mail_from = get("SIBUSER_MAIL_FROM")
            .unwrap_or_else(|| "SIBUSER Disnaker Binjai <noreply@localhost>".to_owned());
        if !mail_from.contains('@') {
            return Err(ConfigError::new(
                "SIBUSER_MAIL_FROM",
                format!("'{mail_from}' has no e-mail address"),
            ));
        }

        let mail_body_retention_hours = match get("SIBUSER_MAIL_BODY_RETENTION_HOURS") {
            None => 0,
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= MAX_MAIL_BODY_RETENTION_HOURS)
                .ok_or_else(|| {
                    ConfigError::new(
                        "SIBUSER_MAIL_BODY_RETENTION_HOURS",
                        format!(
                            "'{v}' is not a number of hours from 0 to {MAX_MAIL_BODY_RETENTION_HOURS}"
                        ),
                    )
                })?,
        };

        let log_format = match get("SIBUSER_LOG_FORMAT").as_deref() {
            None | Some("human") => LogFormat::Human,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::new(
                    "SIBUSER_LOG_FORMAT",
                    format!("'{other}' is not one of: human, json"),
                ));
            }
        };
        let log_filter = get("SIBUSER_LOG").unwrap_or_else(|| "info".to_owned());

        let api_rate_per_second = match get("SIBUSER_API_RATE") {
            None => DEFAULT_API_RATE,
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| {
                    ConfigError::new(
                        "SIBUSER_API_RATE",
                        format!("'{v}' is not a number of requests a second from 1 to 1000000"),
                    )
                })?,
        };

        let trusted_proxies = parse_trusted_proxies(
            get("SIBUSER_TRUSTED_PROXIES").as_deref(),
            get("SIBUSER_FORWARDED_HEADER").as_deref(),
        )?;

        let sync = sync::parse(&get)?;
        let oidc = oidc::parse(&get, &base_url)?;
        let office = office::parse(&get)?;

        Ok(Self {
            database_url,
            db_pool_size,
            search_cache_entries,
            bind,
            base_url,
            data_dir,
            secret_key,
            smtp,
            mail_from,
            mail_body_retention_hours,
            log_format,
            log_filter,
            trusted_proxies,
            api_rate_per_second,
            sync,
            oidc,
            office,
        })
    }

    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn secret_key_path(&self) -> PathBuf {
        self.data_dir.join("secret.key")
    }

    pub fn mail_body_retention(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.mail_body_retention_hours))
    }

    /// Where mail is written as files when no SMTP server is configured.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

fn parse_trusted_proxies(
    networks: Option<&str>,
    header: Option<&str>,
) -> Result<TrustedProxies, ConfigError> {
    let networks = networks
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            // A bare address is a network of one.
            n.parse::<ipnet::IpNet>()
                .or_else(|_| n.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    ConfigError::new(
                        "SIBUSER_TRUSTED_PROXIES",
                        format!("'{n}' is not an address or network such as 10.0.0.0/8"),
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let header = match header.map(str::to_ascii_lowercase).as_deref() {
        None | Some("x-forwarded-for") => ForwardedHeader::XForwardedFor,
        Some("forwarded") => ForwardedHeader::Forwarded,
        Some(other) => {
            return Err(ConfigError::new(
                "SIBUSER_FORWARDED_HEADER",
                format!("'{other}' is not one of: x-forwarded-for, forwarded"),
            ));
        }
    };
    Ok(TrustedProxies { networks, header })
}

fn parse_base_url(url: &str) -> Result<String, ConfigError> {
    let url = url.trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(url.to_owned()),
        _ => Err(ConfigError::new(
            "SIBUSER_BASE_URL",
            format!("'{url}' is not an http:// or https:// address"),
        )),
    }
}

fn decode_secret_key(value: &str) -> Result<Vec<u8>, ConfigError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(|_| {
            ConfigError::new(
                "SIBUSER_SECRET_KEY",
                "is not base64 (make one with: openssl rand -base64 64)",
            )
        })?;
    if bytes.len() < SECRET_KEY_MIN_BYTES {
        return Err(ConfigError::new(
            "SIBUSER_SECRET_KEY",
            format!(
                "is {} bytes; at least {SECRET_KEY_MIN_BYTES} are needed (make one with: openssl rand -base64 64)",
                bytes.len()
            ),
        ));
    }
    Ok(bytes)
}

fn parse_smtp(
    host: String,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<SmtpSettings, ConfigError> {
    let security = match get("SIBUSER_SMTP_SECURITY").as_deref() {
        None | Some("starttls") => SmtpSecurity::StartTls,
        Some("tls") => SmtpSecurity::Tls,
        Some("none") => SmtpSecurity::None,
        Some(other) => {
            return Err(ConfigError::new(
                "SIBUSER_SMTP_SECURITY",
                format!("'{other}' is not one of: starttls, tls, none"),
            ));
        }
    };
    let default_port = match security {
        SmtpSecurity::Tls => 465,
        SmtpSecurity::StartTls => 587,
        SmtpSecurity::None => 25,
    };
    let port = match get("SIBUSER_SMTP_PORT") {
        None => default_port,
        Some(v) => v.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
            ConfigError::new("SIBUSER_SMTP_PORT", format!("'{v}' is not a port number"))
        })?,
    };
    let username = get("SIBUSER_SMTP_USERNAME");
    let password = get("SIBUSER_SMTP_PASSWORD");
    if username.is_some() != password.is_some() {
        return Err(ConfigError::new(
            "SIBUSER_SMTP_PASSWORD",
            "SIBUSER_SMTP_USERNAME and SIBUSER_SMTP_PASSWORD must be set together",
        ));
    }
    Ok(SmtpSettings {
        host,
        port,
        username,
        password,
        security,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        Settings::from_map(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn defaults_are_a_local_sqlite_portal() {
        let s = settings(&[]).unwrap();
        assert_eq!(
            s.database_url,
            DatabaseUrl::Sqlite(PathBuf::from("data/sibuser.db"))
        );
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.base_url, "http://127.0.0.1:8080");
        assert!(!s.is_https());
        assert!(s.smtp.is_none());
        assert_eq!(s.log_format, LogFormat::Human);
        assert_eq!(s.mail_body_retention_hours, 0);
    }

    #[test]
    fn each_bad_setting_is_named() {
        let cases: &[(&str, &str)] = &[
            ("DATABASE_URL", "mysql://x"),
            ("DATABASE_URL", "sqlite://"),
            ("DATABASE_URL", "sqlite://:memory:"),
            ("SIBUSER_BIND", "localhost"),
            ("SIBUSER_BASE_URL", "ftp://x"),
            ("SIBUSER_SECRET_KEY", "short"),
            ("SIBUSER_LOG_FORMAT", "xml"),
            ("SIBUSER_DB_POOL_SIZE", "0"),
            ("SIBUSER_MAIL_FROM", "nobody"),
            ("SIBUSER_MAIL_BODY_RETENTION_HOURS", "-1"),
            ("SIBUSER_MAIL_BODY_RETENTION_HOURS", "745"),
            ("SIBUSER_MAIL_BODY_RETENTION_HOURS", "a day"),
            ("SIBUSER_TRUSTED_PROXIES", "10.0.0.0/33"),
            ("SIBUSER_TRUSTED_PROXIES", "proxy.local"),
            ("SIBUSER_FORWARDED_HEADER", "x-real-ip"),
        ];
        for (name, value) in cases {
            let err = settings(&[(name, value)]).unwrap_err();
            assert_eq!(err.setting, *name, "{name}={value} gave {err}");
        }
        let err =
            settings(&[("SIBUSER_SMTP_HOST", "mail"), ("SIBUSER_SMTP_PORT", "x")]).unwrap_err();
        assert_eq!(err.setting, "SIBUSER_SMTP_PORT");
    }

    #[test]
    fn trusted_proxies_are_networks_or_single_addresses() {
        let s = settings(&[]).unwrap();
        assert!(s.trusted_proxies.networks.is_empty());
        let s = settings(&[
            ("SIBUSER_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1 ,::1"),
            ("SIBUSER_FORWARDED_HEADER", "Forwarded"),
        ])
        .unwrap();
        let nets: Vec<String> = s
            .trusted_proxies
            .networks
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(nets, ["10.0.0.0/8", "127.0.0.1/32", "::1/128"]);
        assert_eq!(s.trusted_proxies.header, ForwardedHeader::Forwarded);
    }

    #[test]
    fn postgres_passwords_never_reach_messages() {
        let url = DatabaseUrl::parse("postgres://sibuser:s3cret@db.local/sibuser").unwrap();
        assert_eq!(url.redacted(), "postgres://sibuser:***@db.local/sibuser");
        assert!(!format!("{url:?}").contains("s3cret"));
    }

    #[test]
    fn secret_key_must_be_long_base64() {
        let key = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
        let s = settings(&[("SIBUSER_SECRET_KEY", &key)]).unwrap();
        assert!(matches!(s.secret_key, SecretKeySource::Configured(ref k) if k.len() == 64));
        let short = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        assert!(settings(&[("SIBUSER_SECRET_KEY", &short)]).is_err());
    }

    #[test]
    fn https_base_url_is_recognised() {
        let s = settings(&[("SIBUSER_BASE_URL", "https://sibuser.binjaikota.go.id/")]).unwrap();
        assert_eq!(s.base_url, "https://sibuser.binjaikota.go.id");
        assert!(s.is_https());
    }

    #[test]
    fn smtp_port_defaults_follow_security() {
        let s = settings(&[
            ("SIBUSER_SMTP_HOST", "smtp.example.org"),
            ("SIBUSER_SMTP_SECURITY", "tls"),
        ])
        .unwrap();
        assert_eq!(s.smtp.unwrap().port, 465);
    }
}
