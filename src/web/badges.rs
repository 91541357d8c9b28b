//! Counts shown beside menu entries: how much work waits in a queue. A feature counts them
//! and puts them on the request before the handler runs; the layout reads them by the name
//! of the menu entry. This module knows no queue.

use actix_web::dev::ServiceRequest;
use actix_web::{HttpMessage, HttpRequest};

#[derive(Debug, Clone, Default)]
pub struct Badges(Vec<(&'static str, i64)>);

impl Badges {
    pub fn new(counts: Vec<(&'static str, i64)>) -> Self {
        Self(counts)
    }

    /// The count for a menu entry, when something waits there.
    pub fn get(&self, name: &str) -> Option<i64> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, count)| *count)
            .filter(|count| *count > 0)
    }

    /// Everything waiting, for the folded menu's button.
    pub fn total(&self) -> i64 {
        self.0.iter().map(|(_, count)| count).sum()
    }
}

/// Puts the counts on a request, for its page's menu.
pub fn attach(req: &ServiceRequest, badges: Badges) {
    req.extensions_mut().insert(badges);
}

/// The counts a request carries; none for most requests.
pub fn of(req: &HttpRequest) -> Badges {
    req.extensions()
        .get::<Badges>()
        .cloned()
        .unwrap_or_default()
}
