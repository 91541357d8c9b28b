//! What every page's layout needs: the language, the way to switch it, and the asset URLs.

use std::borrow::Cow;
use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::assets;
use super::auth::{Access, SessionUser, access};
use super::badges::Badges;
use super::i18n::Lang;
use super::session::{self, Flash};

#[derive(Clone)]
pub struct PageCtx {
    pub lang: Lang,
    /// The current path and query, so the language switch can come back to it.
    pub path: String,
    pub user: Option<SessionUser>,
    pub flash: Option<Flash>,
    /// The counts beside the menu's queue entries, for staff.
    badges: Badges,
    /// The settings, for the office's contact in the footer.
    settings: Option<std::sync::Arc<crate::config::Settings>>,
    session: Session,
}

impl PageCtx {
    pub fn from_request(req: &HttpRequest) -> Self {
        let path = match req.uri().path_and_query() {
            Some(pq) => pq.as_str().to_owned(),
            None => "/".to_owned(),
        };
        let session = req.get_session();
        Self {
            lang: Lang::of_request(req),
            path,
            user: super::auth::current(req),
            flash: session::take_flash(&session),
            badges: super::badges::of(req),
            settings: req
                .app_data::<actix_web::web::Data<super::AppState>>()
                .map(|state| state.settings.clone()),
            session,
        }
    }

    /// The token every form that changes something must carry.
    pub fn csrf_token(&self) -> String {
        session::csrf_token(&self.session)
    }

    pub fn t<'a>(&self, key: &'a str) -> Cow<'a, str> {
        self.lang.t(key)
    }

    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.lang.tf(key, args)
    }

    /// The link that switches to the other language and returns here.
    pub fn switch_lang_url(&self) -> String {
        let back = super::redact::return_path(&self.path);
        let query = serde_urlencoded::to_string([("next", back.as_str())])
            .unwrap_or_else(|_| "next=%2F".to_owned());
        format!("/bahasa/{}?{query}", self.lang.other().code())
    }

    /// Whether the signed-in user is one the group admits: the menu shows what the
    /// route table lets them open.
    fn admitted(&self, group: Access) -> bool {
        self.user.as_ref().is_some_and(|u| group.allows(u))
    }

    pub fn is_super_admin(&self) -> bool {
        self.admitted(access::SUPER_ADMIN)
    }

    pub fn is_data_staff(&self) -> bool {
        self.admitted(access::DATA_STAFF)
    }

    pub fn is_dinas_staff(&self) -> bool {
        self.admitted(access::DINAS_STAFF)
    }

    pub fn is_data_steward(&self) -> bool {
        self.admitted(access::DATA_STEWARD)
    }

    pub fn is_verifier(&self) -> bool {
        self.admitted(access::VERIFIER)
    }

    pub fn is_counter_staff(&self) -> bool {
        self.admitted(access::COUNTER_STAFF)
    }

    pub fn is_jkp_staff(&self) -> bool {
        self.admitted(access::JKP_STAFF)
    }

    pub fn is_job_seeker(&self) -> bool {
        self.admitted(access::JOB_SEEKER)
    }

    /// Whether the signed-in user has confirmed their e-mail address.
    pub fn email_verified(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.email_verified)
    }

    pub fn is_employer(&self) -> bool {
        self.admitted(access::EMPLOYER)
    }

    pub fn is_provider(&self) -> bool {
        self.admitted(access::PROVIDER)
    }

    pub fn is_partner_user(&self) -> bool {
        self.admitted(access::PARTNER)
    }

    /// The same page with the menu's counts just taken, so a page that counts its queues
    /// and its menu agree.
    pub fn with_badges(mut self, badges: Badges) -> Self {
        self.badges = badges;
        self
    }

    /// The office's telephone, WhatsApp and hours, where they are configured.
    pub fn office(&self) -> &crate::config::office::OfficeContact {
        static NONE: crate::config::office::OfficeContact = crate::config::office::OfficeContact {
            phone: None,
            whatsapp: None,
            hours: None,
        };
        self.settings.as_ref().map_or(&NONE, |s| &s.office)
    }

    /// How much waits behind a menu entry, if anything does.
    pub fn badge(&self, name: &str) -> Option<i64> {
        self.badges.get(name)
    }

    /// Everything waiting behind the menu, for its folded button on a phone.
    pub fn badge_total(&self) -> i64 {
        self.badges.total()
    }

    pub fn other_lang(&self) -> Lang {
        self.lang.other()
    }

    /// A versioned URL for a static file, so it can be cached for a year.
    pub fn asset(&self, name: &str) -> String {
        assets::url(name)
    }

    pub fn is_current(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/" || self.path.starts_with("/?")
        } else {
            self.path.starts_with(prefix)
        }
    }
}

impl FromRequest for PageCtx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::from_request(req)))
    }
}
