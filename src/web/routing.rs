//! The rows of the route table (`src/routes.rs`) and how they become actix resources.
//!
//! A row is one path and method, who may use it, and its handler. Rows that share a path
//! become one resource, so a wrong method gets 405. Each row's [`Access`] is checked
//! before the handler runs; the route-role test reads the same rows.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{Next, from_fn};
use actix_web::{FromRequest, Handler, Resource, Responder, ResponseError, Route, web};

use super::auth::Access;

/// One line of the route table.
pub struct Row {
    pub method: Method,
    /// The pattern as actix matches it, e.g. `/lowongan/{id:\d+}`.
    pub path: &'static str,
    pub access: Access,
    route: Route,
    /// Resource-level settings a handler needs (an upload limit, for instance).
    setup: Option<Box<dyn FnOnce(Resource) -> Resource>>,
}

impl Row {
    /// Adds data the resource's handlers read through `app_data` (for example an
    /// extractor's configuration). Applies to every method of the path.
    pub fn with_data<T: 'static>(mut self, data: T) -> Self {
        let previous = self.setup.take();
        self.setup = Some(Box::new(move |res: Resource| {
            let res = match previous {
                Some(f) => f(res),
                None => res,
            };
            res.app_data(data)
        }));
        self
    }
}

fn row<F, Args>(method: Method, path: &'static str, access: Access, handler: F) -> Row
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    Row {
        route: web::method(method.clone()).to(handler),
        method,
        path,
        access,
        setup: None,
    }
}

pub fn get<F, Args>(path: &'static str, access: Access, handler: F) -> Row
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    row(Method::GET, path, access, handler)
}

pub fn post<F, Args>(path: &'static str, access: Access, handler: F) -> Row
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    row(Method::POST, path, access, handler)
}

/// Registers the rows: one resource per path, in the order the paths first appear (actix
/// tries resources in order, so a fixed path such as `/baru` must come before `{id}`), under
/// one scope per first segment (`/petugas`, `/api`). actix then compares a request's first
/// segment with each scope's and tries the patterns of its own scope only: before the
/// scopes, a request to `/api/v1/...` ran a hundred patterns' regular expressions of the
/// staff pages above it (issue 16, docs/decisions.md). No pattern is in a first segment,
/// so only paths within one scope can match the same request, and their order is kept.
pub fn register(cfg: &mut web::ServiceConfig, rows: Vec<Row>) {
    let mut segments: Vec<&'static str> = Vec::new();
    for row in &rows {
        let segment = first_segment(row.path);
        if !segments.contains(&segment) {
            segments.push(segment);
        }
    }
    let mut rows: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
    for segment in segments {
        let mut paths: Vec<&'static str> = Vec::new();
        for row in rows.iter().flatten() {
            if first_segment(row.path) == segment && !paths.contains(&row.path) {
                paths.push(row.path);
            }
        }
        let resources = paths.into_iter().map(|path| {
            // Within its scope a resource is matched on the rest of its path: `/lowongan`
            // itself is the scope's "" resource.
            let mut resource = web::resource(path.strip_prefix(segment).unwrap_or(path));
            for slot in rows.iter_mut() {
                if slot.as_ref().is_some_and(|r| r.path == path)
                    && let Some(row) = slot.take()
                {
                    if let Some(setup) = row.setup {
                        resource = setup(resource);
                    }
                    resource = resource.route(guarded(row.route, row.access));
                }
            }
            resource
        });
        if segment.is_empty() {
            // `/`: a scope of its own would take every path.
            for resource in resources {
                cfg.service(resource);
            }
        } else {
            let mut scope = web::scope(segment);
            for resource in resources {
                scope = scope.service(resource);
            }
            cfg.service(scope);
        }
    }
}

/// `/petugas` of `/petugas/lowongan/{id}`; empty for `/`.
fn first_segment(path: &'static str) -> &'static str {
    let rest = path.strip_prefix('/').unwrap_or(path);
    match rest.find('/') {
        Some(end) => &path[..end + 1],
        None if rest.is_empty() => "",
        None => path,
    }
}

/// The route behind its access check; public routes need none.
fn guarded(route: Route, access: Access) -> Route {
    if access == Access::Public || access == Access::ApiKey {
        return route;
    }
    route.wrap(from_fn(
        move |req: ServiceRequest, next: Next<actix_web::body::BoxBody>| async move {
            check(access, req, next).await
        },
    ))
}

/// A refusal becomes a response here, as a handler's own errors do, so the outer
/// middleware (error pages, security headers) treats both alike.
async fn check(
    access: Access,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    match access.check(req.request()) {
        Ok(()) => Ok(next.call(req).await?.map_into_left_body()),
        Err(refused) => Ok(req
            .into_response(refused.error_response())
            .map_into_right_body()),
    }
}

#[cfg(test)]
mod tests {
    use super::first_segment;

    #[test]
    fn a_path_is_scoped_by_its_first_segment() {
        assert_eq!(first_segment("/"), "");
        assert_eq!(first_segment("/tentang"), "/tentang");
        assert_eq!(first_segment("/lowongan/{id:\\d+}"), "/lowongan");
        assert_eq!(first_segment("/api/v1/{dataset:[a-z-]+}"), "/api");
        assert_eq!(first_segment("/static/{name:.+}"), "/static");
    }
}
