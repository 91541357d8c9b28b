//! The stages of an application and the moves between them.

/// received → reviewed → shortlisted → interview → accepted or rejected; the applicant may
/// withdraw before a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Received,
    Reviewed,
    Shortlisted,
    Interview,
    Accepted,
    Rejected,
    Withdrawn,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Self::Received,
        Self::Reviewed,
        Self::Shortlisted,
        Self::Interview,
        Self::Accepted,
        Self::Rejected,
        Self::Withdrawn,
    ];

    /// The stages an employer moves applications to.
    pub const EMPLOYER_MOVES: [Stage; 5] = [
        Self::Reviewed,
        Self::Shortlisted,
        Self::Interview,
        Self::Accepted,
        Self::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Reviewed => "reviewed",
            Self::Shortlisted => "shortlisted",
            Self::Interview => "interview",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Received => "application.stage.received",
            Self::Reviewed => "application.stage.reviewed",
            Self::Shortlisted => "application.stage.shortlisted",
            Self::Interview => "application.stage.interview",
            Self::Accepted => "application.stage.accepted",
            Self::Rejected => "application.stage.rejected",
            Self::Withdrawn => "application.stage.withdrawn",
        }
    }

    /// A decision was made or the applicant left: nothing moves any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Accepted | Self::Rejected | Self::Withdrawn)
    }

    /// Whether an employer may move an application from `self` to `to`: forward through the
    /// review stages (skipping is allowed), and to a decision from any open stage.
    pub fn employer_may_move_to(self, to: Stage) -> bool {
        !self.is_final()
            && match to {
                Self::Accepted | Self::Rejected => true,
                Self::Received | Self::Withdrawn => false,
                _ => to > self,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::Stage::*;

    #[test]
    fn applications_move_forward_to_a_decision() {
        assert!(Received.employer_may_move_to(Reviewed));
        assert!(
            Received.employer_may_move_to(Interview),
            "skipping is allowed"
        );
        assert!(Interview.employer_may_move_to(Accepted));
        assert!(Received.employer_may_move_to(Rejected));
        assert!(!Interview.employer_may_move_to(Reviewed), "never back");
        assert!(!Reviewed.employer_may_move_to(Reviewed));
        assert!(
            !Accepted.employer_may_move_to(Rejected),
            "a decision stands"
        );
        assert!(!Withdrawn.employer_may_move_to(Reviewed));
        assert!(
            !Received.employer_may_move_to(Withdrawn),
            "only the applicant withdraws"
        );
    }
}
