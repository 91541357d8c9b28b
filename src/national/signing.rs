//! Ed25519 seals on every message of the exchange (docs/national-sync.md, "Signatures").
//!
//! A seal signs a short text that names the kind of message, its id, when it was signed
//! and the SHA-256 of the exact body bytes, so a signature cannot be moved to another
//! message or kind. Each side signs with one key and accepts any of the other side's
//! listed keys: a key is rotated by listing the new public key at the other side first,
//! then signing with it, then taking the old one off (no moment without a valid key).

use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha256};

use crate::config::sync::KeySpec;

pub const HEADER_MESSAGE_ID: &str = "Sibuser-Message-Id";
pub const HEADER_SIGNED_AT: &str = "Sibuser-Signed-At";
pub const HEADER_KEY_ID: &str = "Sibuser-Key-Id";
pub const HEADER_SIGNATURE: &str = "Sibuser-Signature";
pub const HEADER_DIGEST: &str = "Content-Digest";

/// What travels beside a body in the headers above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub message_id: String,
    /// RFC 3339 in UTC, as the signer wrote it (signed as text, so never re-formatted).
    pub signed_at: String,
    pub key_id: String,
    /// Base64 of the 64-byte signature.
    pub signature: String,
}

/// The lower-case hex SHA-256 of a body.
pub fn body_sha256(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `Content-Digest` (RFC 9530) of a body.
pub fn content_digest(body: &[u8]) -> String {
    format!(
        "sha-256=:{}:",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body))
    )
}

fn signed_text(kind: &str, message_id: &str, signed_at: &str, sha256_hex: &str) -> Vec<u8> {
    format!("sibuser-national-v1\n{kind}\n{message_id}\n{signed_at}\n{sha256_hex}").into_bytes()
}

pub struct Signer {
    id: String,
    key: SigningKey,
}

impl Signer {
    pub fn new(spec: &KeySpec) -> Self {
        Self {
            id: spec.id.clone(),
            key: SigningKey::from_bytes(&spec.bytes),
        }
    }

    pub fn key_id(&self) -> &str {
        &self.id
    }

    /// The public half, as another party lists it.
    pub fn public(&self) -> KeySpec {
        KeySpec {
            id: self.id.clone(),
            bytes: self.key.verifying_key().to_bytes(),
        }
    }

    /// Seals `body` as a message of `kind` with id `message_id`, signed now.
    pub fn seal(&self, kind: &str, message_id: &str, body: &[u8]) -> Seal {
        let signed_at = chrono::Utc::now()
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string();
        self.seal_at(kind, message_id, &signed_at, body)
    }

    pub fn seal_at(&self, kind: &str, message_id: &str, signed_at: &str, body: &[u8]) -> Seal {
        let text = signed_text(kind, message_id, signed_at, &body_sha256(body));
        let signature = self.key.sign(&text);
        Seal {
            message_id: message_id.to_owned(),
            signed_at: signed_at.to_owned(),
            key_id: self.id.clone(),
            signature: base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
        }
    }
}

/// Why a seal was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("signed with key '{0}', which is not one of the keys listed for the sender")]
    UnknownKey(String),
    #[error("the signature is not base64 of 64 bytes")]
    Malformed,
    #[error("the signature does not match the message")]
    Mismatch,
}

/// The public keys one party accepts from another.
#[derive(Clone, Default)]
pub struct Verifier {
    keys: Vec<(String, VerifyingKey)>,
}

impl Verifier {
    /// Keys that are not valid Ed25519 points are left out (and reported by [`Self::bad`]).
    pub fn new(specs: &[KeySpec]) -> Self {
        Self {
            keys: specs
                .iter()
                .filter_map(|s| {
                    VerifyingKey::from_bytes(&s.bytes)
                        .ok()
                        .map(|k| (s.id.clone(), k))
                })
                .collect(),
        }
    }

    /// The ids among `specs` that are not usable public keys.
    pub fn bad(specs: &[KeySpec]) -> Vec<String> {
        specs
            .iter()
            .filter(|s| VerifyingKey::from_bytes(&s.bytes).is_err())
            .map(|s| s.id.clone())
            .collect()
    }

    pub fn with(mut self, spec: &KeySpec) -> Self {
        if let Ok(k) = VerifyingKey::from_bytes(&spec.bytes) {
            self.keys.push((spec.id.clone(), k));
        }
        self
    }

    pub fn check(&self, kind: &str, seal: &Seal, body: &[u8]) -> Result<(), SealError> {
        self.check_digest(kind, seal, &body_sha256(body))
    }

    /// [`Self::check`] when only the body's SHA-256 is at hand (the exchange log).
    pub fn check_digest(&self, kind: &str, seal: &Seal, sha256_hex: &str) -> Result<(), SealError> {
        let key = self
            .keys
            .iter()
            .find(|(id, _)| *id == seal.key_id)
            .map(|(_, k)| k)
            .ok_or_else(|| SealError::UnknownKey(seal.key_id.clone()))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&seal.signature)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .ok_or(SealError::Malformed)?;
        let text = signed_text(kind, &seal.message_id, &seal.signed_at, sha256_hex);
        key.verify_strict(&text, &Signature::from_bytes(&bytes))
            .map_err(|_| SealError::Mismatch)
    }
}

/// A fresh key pair for `sibuser sync keygen`: (the seed for SIBUSER_SYNC_SIGNING_KEY,
/// the public key for the other side), both as `id:base64`.
pub fn generate(id: &str) -> (String, String) {
    use rand::RngCore as _;
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    let key = SigningKey::from_bytes(&seed);
    let b64 = base64::engine::general_purpose::STANDARD;
    (
        format!("{id}:{}", b64.encode(seed)),
        format!("{id}:{}", b64.encode(key.verifying_key().to_bytes())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str, byte: u8) -> KeySpec {
        KeySpec {
            id: id.into(),
            bytes: [byte; 32],
        }
    }

    #[test]
    fn a_seal_holds_only_for_its_body_kind_and_listed_key() {
        let signer = Signer::new(&spec("a", 7));
        let seal = signer.seal("push", "b-1", b"{\"x\":1}");
        let verifier = Verifier::new(&[signer.public()]);
        assert_eq!(verifier.check("push", &seal, b"{\"x\":1}"), Ok(()));
        assert_eq!(
            verifier.check("push", &seal, b"{\"x\":2}"),
            Err(SealError::Mismatch)
        );
        assert_eq!(
            verifier.check("push-receipt", &seal, b"{\"x\":1}"),
            Err(SealError::Mismatch)
        );
        let other = Signer::new(&spec("b", 9)).seal("push", "b-1", b"{\"x\":1}");
        assert_eq!(
            verifier.check("push", &other, b"{\"x\":1}"),
            Err(SealError::UnknownKey("b".into()))
        );
        let mut moved = seal.clone();
        moved.message_id = "b-2".into();
        assert_eq!(
            verifier.check("push", &moved, b"{\"x\":1}"),
            Err(SealError::Mismatch)
        );
    }

    #[test]
    fn during_a_rotation_both_keys_are_accepted() {
        let (old, new) = (Signer::new(&spec("k1", 1)), Signer::new(&spec("k2", 2)));
        let verifier = Verifier::new(&[old.public(), new.public()]);
        for s in [&old, &new] {
            let seal = s.seal("push", "m", b"body");
            assert_eq!(verifier.check("push", &seal, b"body"), Ok(()));
        }
    }

    #[test]
    fn generated_keys_parse_as_settings_and_sign() {
        let (seed, public) = generate("binjai-2026");
        let seed = crate::config::sync::key("S", &seed).unwrap();
        let public = crate::config::sync::key("P", &public).unwrap();
        let signer = Signer::new(&seed);
        assert_eq!(signer.public(), public);
        let seal = signer.seal("push", "m", b"");
        assert_eq!(Verifier::new(&[public]).check("push", &seal, b""), Ok(()));
    }
}
