//! The identity middleware: loads the signed-in user once per request (one indexed query,
//! none for anonymous visitors) and ends the session when it no longer stands: signed out,
//! timed out, deactivated, or the password changed since. The web layer's extractors
//! (`CurrentUser`, `Require<Policy>`) then read what it admitted.

use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use super::sessions::identify;
use crate::web::session::{SignedIn, remember_until, sign_out, signed_in};
use crate::web::{AppState, auth};

pub async fn load_identity(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let session = req.get_session();
    if let Some(cookie) = signed_in(&session)
        && let Some(state) = req.app_data::<web::Data<AppState>>().cloned()
    {
        let SignedIn {
            user_id,
            epoch,
            token,
        } = cookie;
        let found = state
            .db(move |conn| Ok(identify(conn, user_id, epoch, &token)?))
            .await?;
        match found {
            Some((user, remember)) => {
                remember_until(req.request(), remember);
                auth::admit(&req, user);
            }
            // Signed out, timed out, deactivated, password changed, or gone: this
            // session is over, whatever the cookie says.
            None => sign_out(&session),
        }
    }
    next.call(req).await
}
