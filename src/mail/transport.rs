//! Delivery: SMTP through lettre, or, in development without SMTP settings, one readable
//! text file per mail under `data/mail/` so a developer can open the links.

use crate::domain::ids::MailId;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

use crate::config::{Settings, SmtpSecurity};

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    pub message: String,
    /// The mail server could not be reached (refused, timed out, TLS failed) or the mail
    /// folder could not be written: no fault of this mail, which should wait for the
    /// server rather than spend its attempts.
    pub server_unreachable: bool,
}

impl TransportError {
    /// A fault of the settings or of this mail.
    fn of_mail(message: String) -> Self {
        Self {
            message,
            server_unreachable: false,
        }
    }

    fn of_server(message: String) -> Self {
        Self {
            message,
            server_unreachable: true,
        }
    }

    /// SMTP's answer about this mail (a 4xx or 5xx reply, a refused address) counts
    /// against it; failing to hold a conversation with the server at all does not.
    fn of_smtp(e: &lettre::transport::smtp::Error) -> Self {
        let about_the_mail = e.is_permanent() || e.is_transient() || e.is_client();
        if about_the_mail {
            Self::of_mail(e.to_string())
        } else {
            Self::of_server(e.to_string())
        }
    }
}

#[derive(Clone)]
pub enum MailTransport {
    Smtp {
        transport: SmtpTransport,
        from: Mailbox,
    },
    Files {
        dir: PathBuf,
        from: String,
    },
}

impl MailTransport {
    pub fn from_settings(settings: &Settings) -> Result<Self, TransportError> {
        let Some(smtp) = &settings.smtp else {
            return Ok(Self::Files {
                dir: settings.mail_dir(),
                from: settings.mail_from.clone(),
            });
        };
        let from: Mailbox = settings
            .mail_from
            .parse()
            .map_err(|e| TransportError::of_mail(format!("SIBUSER_MAIL_FROM: {e}")))?;
        let builder = match smtp.security {
            SmtpSecurity::None => SmtpTransport::builder_dangerous(&smtp.host),
            SmtpSecurity::StartTls => SmtpTransport::starttls_relay(&smtp.host)
                .map_err(|e| TransportError::of_mail(format!("SIBUSER_SMTP_HOST: {e}")))?,
            SmtpSecurity::Tls => SmtpTransport::relay(&smtp.host)
                .map_err(|e| TransportError::of_mail(format!("SIBUSER_SMTP_HOST: {e}")))?,
        };
        let mut builder = builder
            .port(smtp.port)
            .timeout(Some(Duration::from_secs(20)));
        if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self::Smtp {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one mail; blocking, so the worker calls it off the async threads.
    pub fn send(
        &self,
        id: MailId,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), TransportError> {
        match self {
            Self::Smtp { transport, from } => {
                let to: Mailbox = to
                    .parse()
                    // The error is stored and logged: the domain is enough to act on.
                    .map_err(|e| {
                        let domain = super::recipient_domain(to);
                        TransportError::of_mail(format!("recipient …@{domain}: {e}"))
                    })?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(body.to_owned())
                    .map_err(|e| TransportError::of_mail(e.to_string()))?;
                transport
                    .send(&message)
                    .map(|_| ())
                    .map_err(|e| TransportError::of_smtp(&e))
            }
            Self::Files { dir, from } => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| TransportError::of_server(format!("{}: {e}", dir.display())))?;
                let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
                let path = dir.join(format!("{stamp}-{id:06}.txt"));
                let text = format!("From: {from}\nTo: {to}\nSubject: {subject}\n\n{body}\n");
                std::fs::write(&path, text)
                    .map_err(|e| TransportError::of_server(format!("{}: {e}", path.display())))
            }
        }
    }
}
