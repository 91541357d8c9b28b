//! Settling a claimed NIK at the counter. A resident who types a NIK another profile
//! holds is told nothing (anyone could type a stranger's NIK to learn whether they are
//! registered); the claim waits here until an operator compares it with the resident's
//! KTP. Until then no card is issued on it.

use crate::domain::ids::UserId;
use crate::seekers::person_link::{self, SavedBy};
use actix_session::Session;
use actix_web::{HttpResponse, web};

use crate::audit::{self, Entry, actions};
use crate::seekers::model::{self, ClaimDecision};
use crate::seekers::profile::Owner;
use crate::web::auth::{CounterStaff, Require};
use crate::web::respond::{RequestMeta, redirect};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState};

pub async fn settle(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<CounterStaff>,
    path: web::Path<(UserId, String)>,
) -> Result<HttpResponse, AppError> {
    let (user_id, decision) = path.into_inner();
    let decision = match decision.as_str() {
        "cocok" => ClaimDecision::KtpMatches,
        "tidak-cocok" => ClaimDecision::KtpDiffers,
        _ => return Err(AppError::NotFound),
    };
    let owner = Owner::for_staff(&state, user_id, staff.user.id).await?;

    let staff_id = staff.user.id;
    let settled =
        state
            .db(move |conn| {
                crate::db::transaction(conn, |conn| {
                    let had_claim = model::find_by_user(conn, owner.user_id)?
                        .is_some_and(|p| p.nik_claim.is_some());
                    if !had_claim {
                        return Ok(false);
                    }
                    let loser = model::settle_nik_claim(conn, owner.user_id, decision)?;
                    let matches = decision == ClaimDecision::KtpMatches;
                    if matches {
                        // The NIK moved: the person goes with it.
                        let by = SavedBy::Operator(staff_id);
                        if let Some(loser) = loser {
                            person_link::resync(conn, loser, by)?;
                        }
                        person_link::resync(conn, owner.user_id, by)?;
                    }
                    audit::record(
                conn,
                Entry::new(actions::SEEKER_NIK_SETTLED)
                    .actor(staff_id)
                    .subject("user", owner.user_id)
                    .detail(serde_json::json!({ "ktp_matches": matches, "taken_from_user": loser }))
                    .client(&meta),
            )?;
                    Ok::<_, diesel::result::Error>(true)
                })
                .map_err(AppError::from)
            })
            .await?;
    let key = match (settled, decision) {
        (false, _) => "counter.nik_claim.none",
        (true, ClaimDecision::KtpMatches) => "counter.nik_claim.moved",
        (true, ClaimDecision::KtpDiffers) => "counter.nik_claim.dropped",
    };
    session::flash(&session, FlashLevel::Info, key);
    Ok(redirect(&super::seeker_path(user_id)))
}
