//! Users and roles. Sign-up, login and staff administration build on this.

pub mod admin;
pub mod login_throttle;
mod model;
mod password;
pub mod routes;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use model::{
    NewUser, SessionUser, User, create_user, find_by_email, find_by_id, load_session_user,
    mark_email_verified, normalise_email, record_login, replace_hash, roles_of, set_password,
};
pub use password::{
    MIN_PASSWORD_LEN, PasswordError, check_password_policy, dummy_hash, hash_password,
    needs_rehash, verify_password,
};
pub use sessions::identify;

/// What a user may do. A user may hold several staff roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    JobSeeker,
    Employer,
    /// A user of a training provider (BLK or LPK): manages its programmes.
    TrainingProvider,
    /// Petugas antar kerja: serves residents at the counter.
    Operator,
    /// Approves companies and vacancies.
    Verifier,
    /// Walidata: statistics, exports and data sharing.
    DataSteward,
    SuperAdmin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::JobSeeker,
        Role::Employer,
        Role::TrainingProvider,
        Role::Operator,
        Role::Verifier,
        Role::DataSteward,
        Role::SuperAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::JobSeeker => "job_seeker",
            Self::Employer => "employer",
            Self::TrainingProvider => "training_provider",
            Self::Operator => "operator",
            Self::Verifier => "verifier",
            Self::DataSteward => "data_steward",
            Self::SuperAdmin => "super_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn is_staff(self) -> bool {
        !matches!(
            self,
            Self::JobSeeker | Self::Employer | Self::TrainingProvider
        )
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::JobSeeker => "role.job_seeker",
            Self::Employer => "role.employer",
            Self::TrainingProvider => "role.training_provider",
            Self::Operator => "role.operator",
            Self::Verifier => "role.verifier",
            Self::DataSteward => "role.data_steward",
            Self::SuperAdmin => "role.super_admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(Role::SuperAdmin.is_staff());
        assert!(!Role::Employer.is_staff());
    }
}
