//! The stages of an application and the moves between them.

use crate::domain::code::choice;

choice!(
    /// received → reviewed → shortlisted → interview → accepted or rejected; the applicant may
    /// withdraw before a decision.
    Stage in "ref_application_stage" {
        Received => "received", "application.stage.received",
        Reviewed => "reviewed", "application.stage.reviewed",
        Shortlisted => "shortlisted", "application.stage.shortlisted",
        Interview => "interview", "application.stage.interview",
        Accepted => "accepted", "application.stage.accepted",
        Rejected => "rejected", "application.stage.rejected",
        Withdrawn => "withdrawn", "application.stage.withdrawn",
    }
);

impl Stage {
    /// The stages an employer moves applications to.
    pub const EMPLOYER_MOVES: [Stage; 5] = [
        Self::Reviewed,
        Self::Shortlisted,
        Self::Interview,
        Self::Accepted,
        Self::Rejected,
    ];

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

pub use crate::web::steps::StepState;

impl Stage {
    /// Which of the applicant's four steps this stage stands at, from 0 (sent) to 3 (the
    /// outcome).
    pub fn step(self) -> usize {
        match self {
            Self::Received => 0,
            Self::Reviewed | Self::Shortlisted => 1,
            Self::Interview => 2,
            Self::Accepted | Self::Rejected | Self::Withdrawn => 3,
        }
    }

    /// The applicant's four steps (Terkirim → Ditinjau → Wawancara → Hasil) as translation
    /// keys with where each stands: the employer's finer stages fold into them, and the
    /// last step names the outcome once there is one.
    pub fn tracker(self) -> [(&'static str, StepState); 4] {
        let at = self.step();
        let outcome = match self {
            Self::Accepted | Self::Rejected | Self::Withdrawn => self.label_key(),
            _ => "application.step.outcome",
        };
        let keys = [
            "application.step.sent",
            "application.step.reviewed",
            "application.step.interview",
            outcome,
        ];
        std::array::from_fn(|i| {
            let state = match i.cmp(&at) {
                std::cmp::Ordering::Less => StepState::Done,
                std::cmp::Ordering::Equal if self.is_final() => StepState::Done,
                std::cmp::Ordering::Equal => StepState::Current,
                std::cmp::Ordering::Greater => StepState::Ahead,
            };
            (keys[i], state)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Stage::*;
    use super::StepState::*;

    #[test]
    fn the_tracker_folds_the_employer_stages_into_four_steps() {
        let states = |s: super::Stage| s.tracker().map(|(_, st)| st);
        assert_eq!(states(Received), [Current, Ahead, Ahead, Ahead]);
        assert_eq!(states(Shortlisted), [Done, Current, Ahead, Ahead]);
        assert_eq!(states(Interview), [Done, Done, Current, Ahead]);
        assert_eq!(states(Rejected), [Done, Done, Done, Done]);
        assert_eq!(Accepted.tracker()[3].0, "application.stage.accepted");
        assert_eq!(Reviewed.tracker()[3].0, "application.step.outcome");
    }

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

choice!(
    /// How an application came: made on the portal, or made on the national job board
    /// (Karirhub) and forwarded with the resident's consent (issue 17).
    Channel in "ref_application_channel" {
        Portal => "portal", "application.channel.portal",
        Karirhub => "karirhub", "application.channel.karirhub",
        /// Made at a job fair's booth after an interview (issue 20); the fair is named on
        /// the application.
        JobFair => "job_fair", "application.channel.job_fair",
    }
);
