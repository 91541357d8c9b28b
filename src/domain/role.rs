//! The roles a user can hold: stored by name in `user_roles`, checked by the route table.

use crate::domain::code::choice;

choice!(
    /// What a user may do. A user may hold several staff roles.
    Role in "ref_role" {
        JobSeeker => "job_seeker", "role.job_seeker",
        Employer => "employer", "role.employer",
        /// A user of a training provider (BLK or LPK): manages its programmes.
        TrainingProvider => "training_provider", "role.training_provider",
        /// Petugas antar kerja: serves residents at the counter.
        Operator => "operator", "role.operator",
        /// Approves companies and vacancies.
        Verifier => "verifier", "role.verifier",
        /// Walidata: statistics, exports and data sharing.
        DataSteward => "data_steward", "role.data_steward",
        SuperAdmin => "super_admin", "role.super_admin",
        /// A data-sharing partner's user (the ministry's "User Admin"): reads in the web
        /// portal what the partner's grants allow, nothing else.
        PartnerUser => "partner_user", "role.partner_user",
    }
);

impl Role {
    pub fn is_staff(self) -> bool {
        !matches!(
            self,
            Self::JobSeeker | Self::Employer | Self::TrainingProvider | Self::PartnerUser
        )
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
