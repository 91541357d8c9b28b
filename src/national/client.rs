//! The client side of the contract as an adapter: the push and pull code talk to
//! [`NationalApi`], and [`HttpClient`] is the one that speaks HTTPS to the configured
//! endpoint. Another transport (a message queue, the ministry's SDK) is another
//! implementation; the tests use the real one against the sandbox.

use std::io::Read as _;

use super::signing::{self, Seal};
use crate::config::sync::SyncSettings;

/// An answer, whatever its status: the caller decides what a status means.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The answer's seal, when it carried all four headers.
    pub seal: Option<Seal>,
    pub body: Vec<u8>,
}

pub trait NationalApi: Send + Sync {
    /// POSTs `body` (JSON) under `path` with its seal. Err is a transport failure: no
    /// answer, or an answer cut off.
    fn post(&self, path: &str, body: &[u8], seal: &Seal) -> Result<Reply, String>;
    /// The endpoint's host, as the exchange log names the peer.
    fn peer(&self) -> &str;
}

pub struct HttpClient {
    agent: ureq::Agent,
    base: String,
    peer: String,
    token: Option<String>,
}

/// The largest answer read: a receipt of the largest batch is far below it.
const MAX_REPLY_BYTES: u64 = 32 * 1024 * 1024;

impl HttpClient {
    pub fn new(settings: &SyncSettings) -> anyhow::Result<Self> {
        // No redirect is followed, so a batch is never re-sent by the transport itself:
        // the worker decides.
        let agent = crate::outbound::agent(
            &settings.url,
            settings.timeout,
            settings.pinned_cert.as_deref(),
        )?;
        let peer = settings
            .url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("")
            .to_owned();
        Ok(Self {
            agent,
            base: settings.url.clone(),
            peer,
            token: settings.token.clone(),
        })
    }
}

impl NationalApi for HttpClient {
    fn post(&self, path: &str, body: &[u8], seal: &Seal) -> Result<Reply, String> {
        let mut req = self
            .agent
            .post(&format!("{}{path}", self.base))
            .set("Content-Type", "application/json")
            .set(signing::HEADER_DIGEST, &signing::content_digest(body))
            .set(signing::HEADER_MESSAGE_ID, &seal.message_id)
            .set(signing::HEADER_SIGNED_AT, &seal.signed_at)
            .set(signing::HEADER_KEY_ID, &seal.key_id)
            .set(signing::HEADER_SIGNATURE, &seal.signature);
        if let Some(token) = &self.token {
            req = req.set("Authorization", &format!("Bearer {token}"));
        }
        let response = match req.send_bytes(body) {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(e.to_string()),
        };
        let status = response.status();
        let header = |name: &str| response.header(name).map(str::to_owned);
        let seal = match (
            header(signing::HEADER_MESSAGE_ID),
            header(signing::HEADER_SIGNED_AT),
            header(signing::HEADER_KEY_ID),
            header(signing::HEADER_SIGNATURE),
        ) {
            (Some(message_id), Some(signed_at), Some(key_id), Some(signature)) => Some(Seal {
                message_id,
                signed_at,
                key_id,
                signature,
            }),
            _ => None,
        };
        let mut out = Vec::new();
        response
            .into_reader()
            .take(MAX_REPLY_BYTES)
            .read_to_end(&mut out)
            .map_err(|e| format!("the answer was cut off: {e}"))?;
        Ok(Reply {
            status,
            seal,
            body: out,
        })
    }

    fn peer(&self) -> &str {
        &self.peer
    }
}
