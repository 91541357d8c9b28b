//! Password hashing with argon2id and the password policy.
//!
//! Parameters are argon2's defaults (argon2id, 19 MiB, 2 passes, 1 lane: the OWASP
//! minimum); a stored hash carries its own parameters, so raising them later only means
//! rehashing at the next login.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};

pub const MIN_PASSWORD_LEN: usize = 10;
const MAX_PASSWORD_LEN: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password needs at least {MIN_PASSWORD_LEN} characters")]
    TooShort,
    #[error("the password is longer than {MAX_PASSWORD_LEN} characters")]
    TooLong,
}

/// Length only, with no composition rules (NIST SP 800-63B). The list of common passwords
/// comes with sign-up.
pub fn check_password_policy(password: &str) -> Result<(), PasswordError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(PasswordError::TooShort);
    }
    if len > MAX_PASSWORD_LEN {
        return Err(PasswordError::TooLong);
    }
    Ok(())
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
