//! HEAD is answered as GET would be, without the body: every general-purpose server must
//! support HEAD wherever it supports GET (RFC 9110, section 9.3.2), and link checkers and
//! caches use it. Routes are registered for GET only, so a HEAD request is routed as GET here;
//! actix-http remembers the method the request came with and sends the GET's head, its
//! `Content-Length` included, and no body. The access log still names HEAD.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn answer_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
