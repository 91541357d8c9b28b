//! The roles a user can hold: stored by name in `user_roles`, checked by the route table.

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
