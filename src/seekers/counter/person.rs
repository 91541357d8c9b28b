//! Confirming at the counter that a resident is a person the Dinas already knew from
//! elsewhere (a JKP list, an employer's list, the national side). The portal links such a
//! NIK only after an operator has compared it with the resident's KTP, so that typing a
//! stranger's NIK never opens their records.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use crate::audit::{self, Entry, actions};
use crate::domain::ids::UserId;
use crate::seekers::person_link;
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
    let matches = match decision.as_str() {
        "cocok" => true,
        "tidak-cocok" => false,
        _ => return Err(AppError::NotFound),
    };
    let owner = Owner::for_staff(&state, user_id, staff.user.id).await?;
    let staff_id = staff.user.id;
    let settled = state
        .db(move |conn| {
            crate::db::transaction(conn, |conn| {
                let settled = person_link::settle(conn, owner.user_id, matches, staff_id)?;
                if settled {
                    audit::record(
                        conn,
                        Entry::new(actions::SEEKER_PERSON_SETTLED)
                            .actor(staff_id)
                            .subject("user", owner.user_id)
                            .detail(serde_json::json!({ "ktp_matches": matches }))
                            .client(&meta),
                    )?;
                }
                Ok::<_, diesel::result::Error>(settled)
            })
            .map_err(AppError::from)
        })
        .await?;
    let key = match (settled, matches) {
        (false, _) => "counter.person.none",
        (true, true) => "counter.person.linked",
        (true, false) => "counter.person.dropped",
    };
    session::flash(&session, FlashLevel::Info, key);
    Ok(redirect(&super::seeker_path(user_id)))
}
