//! The language of a request: the `lang` cookie if set, else Accept-Language, else
//! Bahasa Indonesia. Translations come from `locales/*.yml` through rust-i18n, always with
//! the request's locale passed explicitly (rust-i18n's global locale is process-wide).

use std::borrow::Cow;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{FromRequest, HttpRequest};

pub const LANG_COOKIE: &str = "lang";

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Lang {
    #[default]
    Id,
    En,
}

crate::domain::code::store_as_code!(Lang in "ref_locale", all: Lang::ALL, to: Lang::code, from: Lang::from_code);

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "id" => Some(Self::Id),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The language's name in itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::Id => "Bahasa Indonesia",
            Self::En => "English",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Id => Self::En,
            Self::En => Self::Id,
        }
    }

    pub fn t<'a>(self, key: &'a str) -> Cow<'a, str> {
        translate(self, key)
    }

    /// A text with `%{name}` placeholders filled in.
    pub fn tf(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = translate(self, key).into_owned();
        for (name, value) in args {
            text = text.replace(&format!("%{{{name}}}"), value);
        }
        text
    }

    /// Reads the request: cookie first, then the browser's preference.
    pub fn of_request(req: &HttpRequest) -> Self {
        if let Some(lang) = req
            .cookie(LANG_COOKIE)
            .and_then(|c| Self::from_code(c.value()))
        {
            return lang;
        }
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|header| {
                accept_language::intersection(header, &["id", "en"])
                    .first()
                    .and_then(|code| Self::from_code(code))
            })
            .unwrap_or_default()
    }
}

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of_request(req)))
    }
}

/// The cookie that remembers a chosen language for a year.
pub fn lang_cookie(lang: Lang, https: bool) -> actix_web::cookie::Cookie<'static> {
    use actix_web::cookie::{Cookie, SameSite, time::Duration};
    Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(https)
        .finish()
}

/// Looks a key up in the given language. A missing key shows as the key itself, and a
/// test checks that every key used in the code and the templates exists in both.
pub fn translate(lang: Lang, key: &str) -> Cow<'_, str> {
    crate::_rust_i18n_translate(lang.code(), key)
}

/// Whether a key has its own text in the given language, without falling back to
/// Indonesian (for the test that checks coverage).
pub fn has_translation(lang: Lang, key: &str) -> bool {
    crate::_RUST_I18N_BACKEND
        .translate(lang.code(), key)
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn cookie_beats_browser_preference() {
        let req = TestRequest::default()
            .insert_header((ACCEPT_LANGUAGE, "en-US,en;q=0.9"))
            .cookie(actix_web::cookie::Cookie::new(LANG_COOKIE, "id"))
            .to_http_request();
        assert_eq!(Lang::of_request(&req), Lang::Id);
    }

    #[test]
    fn browser_preference_is_used_without_a_cookie() {
        let req = TestRequest::default()
            .insert_header((ACCEPT_LANGUAGE, "fr-FR, en;q=0.8, id;q=0.5"))
            .to_http_request();
        assert_eq!(Lang::of_request(&req), Lang::En);
        let req = TestRequest::default()
            .insert_header((ACCEPT_LANGUAGE, "id-ID,id;q=0.9,en;q=0.8"))
            .to_http_request();
        assert_eq!(Lang::of_request(&req), Lang::Id);
    }

    #[test]
    fn indonesian_is_the_default() {
        let req = TestRequest::default().to_http_request();
        assert_eq!(Lang::of_request(&req), Lang::Id);
        let req = TestRequest::default()
            .insert_header((ACCEPT_LANGUAGE, "ja"))
            .cookie(actix_web::cookie::Cookie::new(LANG_COOKIE, "xx"))
            .to_http_request();
        assert_eq!(Lang::of_request(&req), Lang::Id);
    }

    /// Every key the code or a template uses exists in both languages. Keys are found as
    /// string literals shaped like `area.name` whose first part is a known area.
    #[test]
    fn no_key_is_defined_twice() {
        // rust-i18n merges every file, and a later definition silently replaces an earlier
        // one: a page would show another page's words.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = std::collections::BTreeMap::new();
        let mut twice = Vec::new();
        for entry in std::fs::read_dir(root.join("locales")).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "yml") {
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            for key in text
                .lines()
                .filter(|l| !l.starts_with([' ', '#', '_']) && l.ends_with(':'))
            {
                if let Some(first) = seen.insert(key.to_owned(), name.clone()) {
                    twice.push(format!("{key} in {first} and {name}"));
                }
            }
        }
        assert!(seen.len() > 1000, "the keys are read: {}", seen.len());
        assert!(twice.is_empty(), "keys defined twice: {twice:#?}");
    }

    #[test]
    fn every_key_in_use_is_translated_in_both_languages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        // Every file of translations: rust-i18n reads them all, and areas live in several.
        let mut areas = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(root.join("locales")).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "yml") {
                continue;
            }
            let locales = std::fs::read_to_string(&path).unwrap();
            areas.extend(
                locales
                    .lines()
                    .filter(|l| !l.starts_with([' ', '#', '_']) && l.contains('.'))
                    .filter_map(|l| l.split('.').next().map(str::to_owned)),
            );
        }
        assert!(
            areas.contains("home") && areas.contains("error") && areas.contains("training"),
            "every locales/*.yml is read: {areas:?}"
        );

        let mut files = Vec::new();
        collect(&root.join("src"), &mut files);
        collect(&root.join("templates"), &mut files);
        let mut used = std::collections::BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                let is_key = literal.contains('.')
                    && literal.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                    })
                    && literal.split('.').next().is_some_and(|a| areas.contains(a))
                    && !literal.ends_with('.');
                if is_key {
                    used.insert(literal.to_owned());
                }
            }
        }
        assert!(used.len() > 50, "found only {} keys", used.len());
        let missing: Vec<String> = used
            .iter()
            .flat_map(|key| {
                Lang::ALL
                    .into_iter()
                    .filter(|lang| !has_translation(*lang, key))
                    .map(move |lang| format!("{}: {key}", lang.code()))
            })
            .collect();
        assert!(missing.is_empty(), "untranslated keys: {missing:#?}");
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.ends_with("audit/actions.rs") {
                // Stored identifiers shaped like keys, never shown as text.
            } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                out.push(path);
            }
        }
    }

    #[test]
    fn texts_differ_by_language() {
        assert_eq!(Lang::Id.t("nav.home"), "Beranda");
        assert_eq!(Lang::En.t("nav.home"), "Home");
    }
}
