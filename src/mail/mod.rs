//! E-mail: a persistent outbox, a worker that delivers it with retries, and the transport.
//!
//! Handlers never talk to the SMTP server. They add a row to `mail_outbox` in the same
//! transaction as the change the mail is about, so a mail is sent exactly when its cause
//! was saved, and an SMTP outage only delays it.

pub mod admin;
mod outbox;
pub mod text;
mod transport;
mod worker;

pub use outbox::{MailKind, OutboxRow, enqueue, forget, pending_count, recipient_domain};
pub use transport::{MailTransport, TransportError};
pub use worker::{Delivered, deliver_due};
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::MailId;
