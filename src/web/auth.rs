//! Who is asking: the signed-in user as a request knows it, and the authorization
//! extractors.
//!
//! The identity middleware (in `accounts`, which alone reads the sessions) admits the user
//! once per request. Handlers then say what they need in their signature: `CurrentUser`,
//! `MaybeUser`, or `Require<Policy>`; never an `if` buried in the body. The route table
//! says the same per route, through [`Access`], and enforces it before the handler runs.

use crate::domain::ids::{CompanyId, PartnerId, ProviderId, UserId};
use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use super::AppError;
use crate::domain::{Email, Role};

/// Stored in the request's extensions by the identity middleware, through [`admit`].
#[derive(Clone)]
struct Identity(SessionUser);

/// What a request knows about the signed-in user: enough for the layout and for
/// authorization, loaded once per request.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: UserId,
    pub email: Email,
    pub full_name: String,
    pub is_active: bool,
    pub session_epoch: i32,
    pub email_verified: bool,
    pub must_change_password: bool,
    pub company_id: Option<CompanyId>,
    pub is_company_owner: bool,
    /// The training provider the user works for, if any.
    pub provider_id: Option<ProviderId>,
    /// The data-sharing partner the user reads for, if any (`sharing::users`).
    pub partner_id: Option<PartnerId>,
    pub roles: Vec<Role>,
}

impl SessionUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|r| r.is_staff())
    }
}

/// Records who the request comes from, for the extractors below. Called once per request
/// by the identity middleware (which `accounts` provides: it alone reads the sessions).
pub fn admit(req: &ServiceRequest, user: SessionUser) {
    req.extensions_mut().insert(Identity(user));
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

/// Who may use a route. The route table gives one per route and enforces it before the
/// handler runs; the handlers' [`Require`] extractors say the same through [`Policy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Holders of any of these roles.
    AnyOf(&'static [Role]),
    /// The owner of a company, who manages its users.
    CompanyOwner,
    /// A training provider's user, attached to a provider.
    ProviderUser,
    /// A program holding an API key (`/api/v1`): the handler reads the key; a session
    /// admits nobody, and the handler refuses a request that carries one.
    ApiKey,
    /// A data-sharing partner's user, linked to a partner.
    PartnerUser,
}

impl Access {
    /// Whether a signed-in user passes.
    pub fn allows(self, user: &SessionUser) -> bool {
        match self {
            Self::Public | Self::SignedIn => true,
            Self::AnyOf(roles) => roles.iter().any(|r| user.has_role(*r)),
            Self::CompanyOwner => {
                user.has_role(Role::Employer) && user.is_company_owner && user.company_id.is_some()
            }
            Self::ProviderUser => {
                user.has_role(Role::TrainingProvider) && user.provider_id.is_some()
            }
            Self::ApiKey => false,
            Self::PartnerUser => user.has_role(Role::PartnerUser) && user.partner_id.is_some(),
        }
    }

    /// Lets the request through, or says why not: the login page for anonymous visitors,
    /// 403 for signed-in users who lack the role.
    pub fn check(self, req: &HttpRequest) -> Result<(), AppError> {
        if self == Self::Public || self == Self::ApiKey {
            return Ok(());
        }
        match identity(req) {
            Some(user) if self.allows(&user) => Ok(()),
            Some(_) => Err(AppError::Forbidden),
            None => Err(AppError::LoginRequired(return_path(req))),
        }
    }
}

/// The named groups of users that routes admit.
pub mod access {
    use super::Access;
    use crate::domain::Role;

    pub const PUBLIC: Access = Access::Public;
    pub const SIGNED_IN: Access = Access::SignedIn;
    pub const JOB_SEEKER: Access = Access::AnyOf(&[Role::JobSeeker]);
    pub const EMPLOYER: Access = Access::AnyOf(&[Role::Employer]);
    pub const COMPANY_OWNER: Access = Access::CompanyOwner;
    pub const PROVIDER: Access = Access::ProviderUser;
    pub const API_KEY: Access = Access::ApiKey;
    /// Who serves residents at the counter: operators, and super admins standing in.
    pub const COUNTER_STAFF: Access = Access::AnyOf(&[Role::Operator, Role::SuperAdmin]);
    /// Dinas staff who keep the list of training providers and their programmes.
    pub const TRAINING_STAFF: Access = Access::AnyOf(&[Role::Operator, Role::SuperAdmin]);
    pub const VERIFIER: Access = Access::AnyOf(&[Role::Verifier]);
    /// Who organise the Dinas's job fairs and work their doors: operators, and super
    /// admins standing in.
    pub const FAIR_STAFF: Access = Access::AnyOf(&[Role::Operator, Role::SuperAdmin]);
    /// Who decide companies' booths at a fair: the organisers and the verifiers, who know
    /// the companies.
    pub const BOOTH_REVIEW: Access =
        Access::AnyOf(&[Role::Operator, Role::Verifier, Role::SuperAdmin]);
    /// JKP recipients are restricted personal data (PP 37/2021): the operators who
    /// counsel them and the data steward, no one else, not even super admins.
    pub const JKP_STAFF: Access = Access::AnyOf(&[Role::Operator, Role::DataSteward]);
    pub const SUPER_ADMIN: Access = Access::AnyOf(&[Role::SuperAdmin]);
    /// The data steward (walidata), and super admins standing in: bulk imports of labour
    /// data.
    pub const DATA_STAFF: Access = Access::AnyOf(&[Role::DataSteward, Role::SuperAdmin]);
    /// Every role of the Dinas's own staff: aggregate figures (the dashboard), which hold
    /// no one's personal data.
    pub const DINAS_STAFF: Access = Access::AnyOf(&[
        Role::Operator,
        Role::Verifier,
        Role::DataSteward,
        Role::SuperAdmin,
    ]);
    /// The data steward alone: exports of the data sets, whose personal data only they
    /// may ask for in full (issue 15); a super admin administers accounts, not data.
    pub const DATA_STEWARD: Access = Access::AnyOf(&[Role::DataSteward]);
    /// A data-sharing partner's user: the `/mitra` pages, nothing else.
    pub const PARTNER: Access = Access::PartnerUser;
}

/// Which signed-in users a handler admits: one of the groups in [`access`].
pub trait Policy {
    const ACCESS: Access;
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
            Some(user) if P::ACCESS.allows(&user) => Ok(Self {
                user,
                policy: PhantomData,
            }),
            Some(_) => Err(AppError::Forbidden),
            None => Err(AppError::LoginRequired(return_path(req))),
        })
    }
}

macro_rules! policy {
    ($($name:ident = $access:ident;)+) => {
        $(
            pub struct $name;
            impl Policy for $name {
                const ACCESS: Access = access::$access;
            }
        )+
    };
}

policy! {
    JobSeeker = JOB_SEEKER;
    Employer = EMPLOYER;
    CompanyOwner = COMPANY_OWNER;
    Provider = PROVIDER;
    CounterStaff = COUNTER_STAFF;
    TrainingStaff = TRAINING_STAFF;
    Verifier = VERIFIER;
    FairStaff = FAIR_STAFF;
    BoothReview = BOOTH_REVIEW;
    JkpStaff = JKP_STAFF;
    SuperAdmin = SUPER_ADMIN;
    DataStaff = DATA_STAFF;
    DinasStaff = DINAS_STAFF;
    DataSteward = DATA_STEWARD;
    Partner = PARTNER;
}
