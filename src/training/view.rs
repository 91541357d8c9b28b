//! Texts about programmes and enrolments that several pages show the same way.

use super::programmes::Programme;
use crate::domain::ids::EnrolmentId;
use crate::web::PageCtx;
use crate::web::format::number;

/// "n of m places taken".
pub fn seats(ctx: &PageCtx, p: &Programme) -> String {
    ctx.tf(
        "enrolment.seats",
        &[
            ("taken", &number(ctx.lang, i64::from(p.seats_taken))),
            ("quota", &number(ctx.lang, i64::from(p.quota))),
        ],
    )
}

/// "Present n of m recorded days" for one enrolment, from (enrolment, present) rows;
/// nothing before a day is recorded.
pub fn attendance(
    ctx: &PageCtx,
    rows: &[(EnrolmentId, bool)],
    enrolment: EnrolmentId,
) -> Option<String> {
    let days: Vec<bool> = rows
        .iter()
        .filter(|(id, _)| *id == enrolment)
        .map(|(_, present)| *present)
        .collect();
    (!days.is_empty()).then(|| {
        ctx.tf(
            "enrolment.attendance.summary",
            &[
                ("present", &days.iter().filter(|d| **d).count().to_string()),
                ("days", &days.len().to_string()),
            ],
        )
    })
}
