//! Everything a round of the exchange needs, made once from the settings: our signer, the
//! keys we accept (ours, for the log; theirs, for answers) and the client.

use super::client::{HttpClient, NationalApi};
use super::signing::{Signer, Verifier};
use crate::config::sync::SyncSettings;

pub struct Link {
    pub settings: SyncSettings,
    pub signer: Signer,
    /// Our current and retired public keys: the seals of what we sent.
    pub ours: Verifier,
    /// The national side's keys: the seals of what we received.
    pub theirs: Verifier,
    pub api: Box<dyn NationalApi>,
}

impl Link {
    /// The link over HTTPS to the configured endpoint.
    pub fn new(settings: &SyncSettings) -> anyhow::Result<Self> {
        let api = HttpClient::new(settings)?;
        Self::with_api(settings, Box::new(api))
    }

    /// The link over another transport.
    pub fn with_api(settings: &SyncSettings, api: Box<dyn NationalApi>) -> anyhow::Result<Self> {
        let bad = Verifier::bad(&settings.peer_keys);
        if !bad.is_empty() {
            anyhow::bail!(
                "SIBUSER_SYNC_PEER_KEYS: not Ed25519 public keys: {}",
                bad.join(", ")
            );
        }
        let bad = Verifier::bad(&settings.retired_keys);
        if !bad.is_empty() {
            anyhow::bail!(
                "SIBUSER_SYNC_RETIRED_KEYS: not Ed25519 public keys: {}",
                bad.join(", ")
            );
        }
        let signer = Signer::new(&settings.signing_key);
        let ours = Verifier::new(&settings.retired_keys).with(&signer.public());
        Ok(Self {
            settings: settings.clone(),
            theirs: Verifier::new(&settings.peer_keys),
            ours,
            signer,
            api,
        })
    }
}
