//! A card as the seeker's page and the counter show it: dates written out, the report
//! window explained, and its history.

use crate::domain::ids::Ak1CardId;
use chrono::NaiveDate;

use super::model::{Card, Event, Status};
use super::rules::{self, ReportWindow};
use crate::domain::Ak1Number;
use crate::web::Lang;
use crate::web::format::{date, day};
use crate::web::steps::StepState;

pub struct EventView {
    pub on: String,
    pub label_key: &'static str,
    pub note: Option<String>,
}

/// The next report: when it is due, and whether it can be made today.
pub struct ReportView {
    pub due: String,
    /// The last day before the card lapses.
    pub last_day: String,
    /// Set when the window has not opened: the day it does.
    pub opens_on: Option<String>,
    pub open: bool,
    /// What the holder should do about it, in a sentence.
    pub advice: String,
}

pub struct CardView {
    pub id: Ak1CardId,
    pub status: Status,
    pub number: Option<Ak1Number>,
    pub issued_on: Option<String>,
    pub valid_until: Option<String>,
    pub requested_on: String,
    pub reports_made: i16,
    pub report: Option<ReportView>,
    pub ended_on: Option<String>,
    pub end_note: Option<String>,
    pub events: Vec<EventView>,
}

impl CardView {
    pub fn new(card: &Card, events: &[Event], lang: Lang, today: NaiveDate) -> Self {
        let report = card.report_window(today).map(|(due, window)| {
            let (due, last_day) = (
                date(lang, due),
                date(
                    lang,
                    match card.valid_until {
                        Some(until) => rules::last_report_day(due, until),
                        None => rules::lapses_on(due).pred_opt().unwrap_or(due),
                    },
                ),
            );
            let opens_on = match window {
                ReportWindow::NotYet(opens) => Some(date(lang, opens)),
                _ => None,
            };
            let advice = match &opens_on {
                Some(opens) => lang.tf("ak1.report.not_yet", &[("due", &due), ("opens", opens)]),
                None => lang.tf("ak1.report.open", &[("due", &due), ("last", &last_day)]),
            };
            ReportView {
                open: window == ReportWindow::Open,
                due,
                last_day,
                opens_on,
                advice,
            }
        });
        Self {
            id: card.id,
            status: card.status(),
            number: card.number.clone(),
            issued_on: card.issued_on.map(|d| date(lang, d)),
            valid_until: card.valid_until.map(|d| date(lang, d)),
            requested_on: day(lang, card.requested_at),
            reports_made: card.reports_made,
            report,
            ended_on: card.ended_on.map(|d| date(lang, d)),
            end_note: card.end_note.clone(),
            events: events
                .iter()
                .filter(|e| e.card_id == card.id)
                .map(|e| EventView {
                    on: date(lang, e.occurred_on),
                    label_key: e.kind.label_key(),
                    note: e.note.clone(),
                })
                .collect(),
        }
    }

    pub fn is_active(&self) -> bool {
        self.status == Status::Active
    }

    pub fn is_requested(&self) -> bool {
        self.status == Status::Requested
    }

    /// The request's three steps (Diminta → Diperiksa petugas → Terbit) as translation keys
    /// with where each stands; a request refused or withdrawn before the card was issued
    /// ends on that outcome instead.
    pub fn tracker(&self) -> [(&'static str, StepState); 3] {
        let last = match self.status {
            Status::Declined | Status::Withdrawn if self.issued_on.is_none() => {
                self.status.label_key()
            }
            _ => "ak1.step.issued",
        };
        let checking = if self.is_requested() {
            StepState::Current
        } else {
            StepState::Done
        };
        let end = if self.is_requested() {
            StepState::Ahead
        } else {
            StepState::Done
        };
        [
            ("ak1.step.requested", StepState::Done),
            ("ak1.step.checked", checking),
            (last, end),
        ]
    }
}

/// Every card of a seeker, newest first, with its events.
pub fn cards(cards: &[Card], events: &[Event], lang: Lang, today: NaiveDate) -> Vec<CardView> {
    cards
        .iter()
        .map(|c| CardView::new(c, events, lang, today))
        .collect()
}
