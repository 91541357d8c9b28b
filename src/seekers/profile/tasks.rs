//! The profile as a task list (the GOV.UK pattern): its pages, and where each stands. A
//! resident on a phone fills in one short page at a time and sees what is left; the card
//! can be asked for once the pages it needs are done.

use crate::seekers::ak1::model::Status as CardStatus;
use crate::seekers::forms::Part;
use crate::seekers::history::Section;

/// One page of the profile, named in its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// A part of the registration form: what the card needs.
    Part(Part),
    /// Rows of education, training, experience or languages.
    Rows(Section),
    Photo,
    Cv,
}

impl Task {
    pub fn parse(slug: &str) -> Option<Self> {
        Part::parse(slug)
            .map(Self::Part)
            .or_else(|| Section::parse(slug).map(Self::Rows))
            .or(match slug {
                "foto" => Some(Self::Photo),
                "cv" => Some(Self::Cv),
                _ => None,
            })
    }

    pub fn slug(self) -> &'static str {
        match self {
            Self::Part(part) => part.slug(),
            Self::Rows(section) => section.slug(),
            Self::Photo => "foto",
            Self::Cv => "cv",
        }
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Self::Part(part) => part.title_key(),
            Self::Rows(section) => section.title_key(),
            Self::Photo => "photo.heading",
            Self::Cv => "cv.heading",
        }
    }
}

/// Where a task stands, as the list shows it beside the task's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Completed,
    Incomplete,
    NotStarted,
    /// The card request, while a required part is not done.
    CannotStart,
    /// The card request, once a card is asked for or issued.
    Card(CardStatus),
}

impl Progress {
    /// A part of the form, from how many fields it needs and how many are still missing.
    pub fn of_part(needed: usize, missing: usize) -> Self {
        match missing {
            0 => Self::Completed,
            m if m >= needed => Self::NotStarted,
            _ => Self::Incomplete,
        }
    }

    /// A list of rows, a photo or a CV: done once there is one.
    pub fn of_count(entries: usize) -> Self {
        if entries > 0 {
            Self::Completed
        } else {
            Self::NotStarted
        }
    }

    /// The card request: an open card shows its own status; without one, the request can
    /// start once every required part is done.
    pub fn of_card(open: Option<CardStatus>, required_done: bool) -> Self {
        match open {
            Some(status) => Self::Card(status),
            None if required_done => Self::NotStarted,
            None => Self::CannotStart,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Completed => "profile.task.completed",
            Self::Incomplete => "profile.task.incomplete",
            Self::NotStarted => "profile.task.not_started",
            Self::CannotStart => "profile.task.cannot_start",
            Self::Card(status) => status.label_key(),
        }
    }

    /// Completed reads as plain text and the rest as tags, as GOV.UK's list does: what is
    /// left to do is what stands out.
    pub fn css_class(self) -> &'static str {
        match self {
            Self::Completed => "task-status",
            Self::Incomplete | Self::Card(CardStatus::Requested) => "task-status tag tag-blue",
            Self::NotStarted | Self::Card(_) => "task-status tag tag-light",
            Self::CannotStart => "task-status tag tag-grey",
        }
    }

    pub fn is_done(self) -> bool {
        self == Self::Completed
    }
}

/// A line of the list.
pub struct TaskRow {
    /// Also the id its status is named by.
    pub slug: &'static str,
    pub title_key: &'static str,
    /// None while the task cannot start.
    pub href: Option<String>,
    pub hint: Option<String>,
    pub progress: Progress,
}

/// A numbered group of the list.
pub struct Group {
    pub title_key: &'static str,
    pub rows: Vec<TaskRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_found_by_its_address() {
        let mut all: Vec<Task> = Part::ALL.into_iter().map(Task::Part).collect();
        all.extend(Section::ALL.into_iter().map(Task::Rows));
        all.extend([Task::Photo, Task::Cv]);
        for task in &all {
            assert_eq!(Task::parse(task.slug()), Some(*task));
        }
        let mut slugs: Vec<_> = all.iter().map(|t| t.slug()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), all.len(), "no two pages share an address");
        assert_eq!(Task::parse("hapus"), None);
    }

    #[test]
    fn a_part_is_done_only_when_nothing_is_missing() {
        assert_eq!(Progress::of_part(7, 7), Progress::NotStarted);
        assert_eq!(Progress::of_part(7, 1), Progress::Incomplete);
        assert_eq!(Progress::of_part(7, 0), Progress::Completed);
        assert_eq!(Progress::of_count(0), Progress::NotStarted);
        assert_eq!(Progress::of_count(2), Progress::Completed);
    }

    #[test]
    fn the_card_request_waits_for_the_required_parts() {
        assert_eq!(Progress::of_card(None, false), Progress::CannotStart);
        assert_eq!(Progress::of_card(None, true), Progress::NotStarted);
        assert_eq!(
            Progress::of_card(Some(CardStatus::Active), true),
            Progress::Card(CardStatus::Active)
        );
    }
}
