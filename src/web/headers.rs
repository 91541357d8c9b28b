//! Security headers on every response.

use actix_web::middleware::DefaultHeaders;

/// No inline script or style anywhere: every script and stylesheet is a file from this
/// origin. `data:` images are allowed because the CSS library draws its icons that way.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The policy for a page whose form leaves for another site (an OpenID Connect provider's
/// sign-in): browsers check `form-action` on the redirect that follows the form too.
pub fn content_security_policy_with_form_target(origin: &str) -> String {
    CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'",
        &format!("form-action 'self' {origin}"),
    )
}

/// No page may use the camera, the microphone, the location or payments...
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=()";

/// ...but a page that scans a QR code (a job fair's door and booths) may use the camera,
/// for this origin only.
const PERMISSIONS_POLICY_WITH_CAMERA: &str =
    "camera=(self), microphone=(), geolocation=(), payment=()";

/// Lets this response's page open the camera. `DefaultHeaders` only adds a header the
/// response does not have, so this one wins.
pub fn allow_camera(res: &mut actix_web::HttpResponse) {
    res.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("permissions-policy"),
        actix_web::http::header::HeaderValue::from_static(PERMISSIONS_POLICY_WITH_CAMERA),
    );
}

pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("Permissions-Policy", PERMISSIONS_POLICY))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if https {
        // Only over https: sent over plain http it would lock a development browser out.
        headers.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
}
