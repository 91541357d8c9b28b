//! Who is asking: the identity middleware and the authorization extractors.
//!
//! The middleware loads the signed-in user once per request (one indexed query, none for
//! anonymous visitors) and ends the session when the user was deactivated or changed the
//! password since. Handlers then say what they need in their signature: `CurrentUser`,
//! `MaybeUser`, or `Require<Policy>`; never an `if` buried in the body.

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use super::session::{SignedIn, remember_until, sign_out, signed_in};
use super::{AppError, AppState};
use crate::accounts::{Role, SessionUser, identify};
use crate::db;

/// Stored in the request's extensions by [`load_identity`].
#[derive(Clone)]
struct Identity(SessionUser);

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
        let found = db::run(&state.pool, move |conn| {
            Ok(identify(conn, user_id, epoch, &token)?)
        })
        .await?;
        match found {
            Some((user, remember)) => {
                remember_until(req.request(), remember);
                req.extensions_mut().insert(Identity(user));
            }
            // Signed out, timed out, deactivated, password changed, or gone: this
            // session is over, whatever the cookie says.
            None => sign_out(&session),
        }
    }
    next.call(req).await
}

fn identity(req: &HttpRequest) -> Option<SessionUser> {
    req.extensions().get::<Identity>().map(|i| i.0.clone())
}

/// The signed-in user of a request, for the layout.
pub fn current(req: &HttpRequest) -> Option<SessionUser> {
    identity(req)
}

/// The signed-in user. Anonymous visitors are sent to the login page and back.
pub struct CurrentUser(pub SessionUser);

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match identity(req) {
            Some(user) => Ok(Self(user)),
            None => Err(AppError::LoginRequired(return_path(req))),
        })
    }
}

/// The signed-in user, if any.
pub struct MaybeUser(pub Option<SessionUser>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self(identity(req))))
    }
}

/// Where to come back to after signing in: the page asked for, if it was a GET.
fn return_path(req: &HttpRequest) -> String {
    if req.method() == actix_web::http::Method::GET {
        req.uri()
            .path_and_query()
            .map(|pq| super::redact::return_path(pq.as_str()))
            .unwrap_or_else(|| "/".into())
    } else {
        "/".into()
    }
}

/// Which signed-in users a route admits.
pub trait Policy {
    fn allows(user: &SessionUser) -> bool;
}

/// The signed-in user, admitted by policy `P`; others get 403, anonymous visitors the
/// login page.
pub struct Require<P: Policy> {
    pub user: SessionUser,
    policy: PhantomData<P>,
}

impl<P: Policy> FromRequest for Require<P> {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match identity(req) {
            Some(user) if P::allows(&user) => Ok(Self {
                user,
                policy: PhantomData,
            }),
            Some(_) => Err(AppError::Forbidden),
            None => Err(AppError::LoginRequired(return_path(req))),
        })
    }
}

macro_rules! role_policy {
    ($(#[$doc:meta])* $name:ident, $($role:ident),+) => {
        $(#[$doc])*
        pub struct $name;
        impl Policy for $name {
            fn allows(user: &SessionUser) -> bool {
                $(user.has_role(Role::$role))||+
            }
        }
    };
}

role_policy!(
    /// Any Dinas staff role.
    AnyStaff, Operator, Verifier, DataSteward, SuperAdmin
);
role_policy!(
    /// Who serves residents at the counter: operators, and super admins standing in.
    CounterStaff, Operator, SuperAdmin
);
role_policy!(SuperAdmin, SuperAdmin);
role_policy!(Verifier, Verifier);
role_policy!(JobSeeker, JobSeeker);
role_policy!(Employer, Employer);
role_policy!(
    /// Dinas staff who keep the list of training providers.
    TrainingStaff, Operator, SuperAdmin
);

/// A training provider's user, attached to a provider.
pub struct Provider;

impl Policy for Provider {
    fn allows(user: &SessionUser) -> bool {
        user.has_role(Role::TrainingProvider) && user.provider_id.is_some()
    }
}

/// The owner of a company, who manages its users.
pub struct CompanyOwner;

impl Policy for CompanyOwner {
    fn allows(user: &SessionUser) -> bool {
        user.has_role(Role::Employer) && user.is_company_owner && user.company_id.is_some()
    }
}
