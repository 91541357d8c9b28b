//! One guard in front of every handler for the characters no field takes (see
//! [`is_hidden_control`]): whatever a handler does with a query parameter or a form field,
//! a NUL never reaches PostgreSQL (which cannot store it and answered with a 500) and an
//! escape sequence or a bidi override is never stored or shown.
//!
//! In query strings and form bodies such a character is replaced by U+FFFD, which every
//! form's own text check ([`super::forms::check_line`], [`super::forms::check_lines`])
//! refuses beside the field, with the form shown again as typed and the place marked. A
//! field no form checks (a search, a password) simply no longer matches. A path with one is
//! no page at all.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, Uri, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

use super::errors::error_page;
use super::forms::{REPLACED, is_hidden_control};

pub async fn replace_hidden_controls(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    if has_hidden_control(&percent_decoded(req.path().as_bytes())) {
        let page = error_page(req.request(), StatusCode::NOT_FOUND);
        return Ok(req.into_response(page).map_into_right_body());
    }
    if let Some(query) = cleaned(req.query_string().as_bytes()) {
        let uri = format!("{}?{query}", req.path());
        if let Ok(uri) = uri.parse::<Uri>() {
            req.head_mut().uri = uri;
        }
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let body = req.extract::<Bytes>().await?;
        let body = match cleaned(&body) {
            Some(cleaned) => {
                req.headers_mut()
                    .insert(header::CONTENT_LENGTH, cleaned.len().into());
                Bytes::from(cleaned)
            }
            None => body,
        };
        req.set_payload(payload_of(body));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn has_hidden_control(text: &str) -> bool {
    text.chars().any(is_hidden_control)
}

/// The url-encoded pairs again with each hidden control character replaced, or `None` when
/// there was none (the request is then passed on untouched).
fn cleaned(urlencoded: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(urlencoded).ok()?;
    if !pairs
        .iter()
        .any(|(k, v)| has_hidden_control(k) || has_hidden_control(v))
    {
        return None;
    }
    let replace = |s: &str| -> String {
        s.chars()
            .map(|c| if is_hidden_control(c) { REPLACED } else { c })
            .collect()
    };
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (replace(k), replace(v)))
        .collect();
    serde_urlencoded::to_string(pairs).ok()
}

fn percent_decoded(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (raw[i], raw.get(i + 1), raw.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn payload_of(body: Bytes) -> Payload {
    let (_, mut payload) = actix_http::h1::Payload::create(true);
    payload.unread_data(body);
    Payload::from(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hidden_controls_are_replaced() {
        assert_eq!(cleaned(b"q=kasir+binjai&page=2"), None);
        assert_eq!(cleaned(b"note=baris+1%0D%0Abaris+2%09x"), None);
        assert_eq!(
            cleaned(b"full_name=Siti%00&email=a%40b.id").as_deref(),
            Some("full_name=Siti%EF%BF%BD&email=a%40b.id")
        );
        assert_eq!(
            cleaned("q=%E2%80%AEexe&q=%1B".as_bytes()).as_deref(),
            Some("q=%EF%BF%BDexe&q=%EF%BF%BD")
        );
    }

    #[test]
    fn paths_are_decoded_to_be_checked() {
        assert!(has_hidden_control(&percent_decoded(b"/verifikasi/abc%00")));
        assert!(has_hidden_control(&percent_decoded(b"/a/%E2%80%AE")));
        assert!(!has_hidden_control(&percent_decoded(b"/lowongan/12%20x%2")));
    }
}
