//! Password hashing with argon2id and the password policy.
//!
//! Parameters are argon2's defaults (argon2id, 19 MiB, 2 passes, 1 lane: the OWASP
//! minimum); a stored hash carries its own parameters, so raising them later only means
//! rehashing at the next login.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use std::collections::HashSet;
use std::sync::OnceLock;

pub const MIN_PASSWORD_LEN: usize = 10;
const MAX_PASSWORD_LEN: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password needs at least {MIN_PASSWORD_LEN} characters")]
    TooShort,
    #[error("the password is longer than {MAX_PASSWORD_LEN} characters")]
    TooLong,
    #[error("the password is on the list of commonly used passwords")]
    Common,
}

impl PasswordError {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::TooShort => "password.error.short",
            Self::TooLong => "password.error.long",
            Self::Common => "password.error.common",
        }
    }
}

const COMMON_LIST: &str = include_str!("data/common-passwords.txt");

fn is_common(password: &str) -> bool {
    static COMMON: OnceLock<HashSet<String>> = OnceLock::new();
    COMMON
        .get_or_init(|| {
            COMMON_LIST
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(str::to_lowercase)
                .collect()
        })
        .contains(&password.to_lowercase())
}

/// Length and the list of common passwords, with no composition rules (NIST SP 800-63B:
/// rules like "one digit, one capital" make passwords harder to remember, not to guess).
pub fn check_password_policy(password: &str) -> Result<(), PasswordError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(PasswordError::TooShort);
    }
    if len > MAX_PASSWORD_LEN {
        return Err(PasswordError::TooLong);
    }
    if is_common(password) {
        return Err(PasswordError::Common);
    }
    Ok(())
}

/// Whether a stored hash was made with other parameters than today's, so that it should be
/// replaced at the next successful login.
pub fn needs_rehash(stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return true;
    };
    let current = Argon2::default();
    let params = current.params();
    parsed.algorithm != argon2::Algorithm::Argon2id.ident()
        || parsed.version != Some(argon2::Version::V0x13.into())
        || argon2::Params::try_from(&parsed)
            .map(|p| {
                p.m_cost() != params.m_cost()
                    || p.t_cost() != params.t_cost()
                    || p.p_cost() != params.p_cost()
            })
            .unwrap_or(true)
}

/// A hash of nothing in particular, verified when a login names an unknown account, so
/// that the answer takes as long as for a real one.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such account, same work").unwrap_or_default())
}

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// False for a wrong password and for a hash that cannot be read.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let hash = hash_password("kopi-susu-binjai").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("kopi-susu-binjai", &hash));
        assert!(!verify_password("kopi-susu-medan", &hash));
        assert!(!verify_password("kopi-susu-binjai", "not a hash"));
    }

    #[test]
    fn policy_is_about_length() {
        assert_eq!(
            check_password_policy("pendek"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(check_password_policy("sepuluh!!!"), Ok(()));
        assert_eq!(
            check_password_policy(&"x".repeat(257)),
            Err(PasswordError::TooLong)
        );
    }
}
