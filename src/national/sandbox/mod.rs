//! The reference national endpoint (`sibuser national-sandbox`): it implements the
//! contract's receiving side so that tests, the demo and the ministry's engineers have
//! something real to run against. It keeps what it receives in memory, applies each event
//! id once and each record only forwards in version, and counts duplicates. Switches make
//! it misbehave on purpose: fail a share of requests before storing, drop the connection
//! after storing, answer late, or answer with a malformed (but signed) body. Each share is
//! spread evenly over the requests, so a run gets the faults it asked for.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use crate::config::sync::KeySpec;
use crate::national::contract::{
    self, Batch, EventResult, Outcome, Problem, Receipt, kind, problem, rejection,
};
use crate::national::signing::{self, Seal, Signer, Verifier};

pub mod demo;
mod national;
mod oidc;

pub use oidc::OidcClient;

#[derive(Debug, Clone)]
pub struct Options {
    pub fail_rate: f64,
    pub drop_after_store_rate: f64,
    pub latency: Duration,
    pub malformed_rate: f64,
    /// The sandbox's own key: it signs receipts.
    pub signing_key: KeySpec,
    /// The portals' public keys it accepts.
    pub peer_keys: Vec<KeySpec>,
    /// Serve HTTPS with this certificate and key, as the national side would.
    pub tls: Option<Tls>,
    /// Hold a few national records from the start (vacancies, JKP recipients, WLKP
    /// reports), for the demo.
    pub demo: bool,
    /// The client its OpenID Connect provider knows (the portal).
    pub oidc_client: OidcClient,
}

/// PEM files of the sandbox's certificate (chain) and private key.
#[derive(Debug, Clone)]
pub struct Tls {
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
}

fn acceptor(tls: &Tls) -> std::io::Result<openssl::ssl::SslAcceptorBuilder> {
    use openssl::ssl::{SslAcceptor, SslFiletype, SslMethod};
    let mut builder =
        SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).map_err(std::io::Error::other)?;
    builder
        .set_private_key_file(&tls.key, SslFiletype::PEM)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", tls.key.display())))?;
    builder
        .set_certificate_chain_file(&tls.cert)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", tls.cert.display())))?;
    Ok(builder)
}

/// A record as the sandbox holds it: its JSON as text, one allocation per record (held as
/// a tree of values, a million records fragmented glibc's heap until each batch took
/// three times as long as the first).
#[derive(Debug, Clone)]
pub struct Held {
    pub version: i64,
    pub generation: i64,
    pub deleted: bool,
    pub record: Option<Box<str>>,
}

/// What the sandbox has seen, served at `/sandbox/state`.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Counters {
    pub requests: u64,
    pub batches_stored: u64,
    pub events_received: u64,
    pub applied: u64,
    /// Event ids received again after they were applied.
    pub duplicates: u64,
    pub stale: u64,
    pub rejected: u64,
    /// Requests failed on purpose (`--fail-rate`).
    pub failed_on_purpose: u64,
    /// Connections dropped after storing (`--drop-after-store-rate`).
    pub dropped_after_store: u64,
    /// Signed answers with a broken body (`--malformed-rate`).
    pub malformed_answers: u64,
    /// Requests refused for their seal, size or form.
    pub refused: u64,
    /// Pull requests answered.
    pub pulls: u64,
    /// Records held, by data set (tombstones included).
    pub records: HashMap<String, u64>,
}

#[derive(Default)]
struct Store {
    counters: Counters,
    applied_events: HashSet<String>,
    messages: HashSet<String>,
    records: HashMap<(String, i64), Held>,
    /// How much of each fault's share is owed (see [`due`]).
    owed: [f64; 3],
    national: national::National,
    /// With `--demo`: forward a Karirhub application to the first published vacancy a
    /// portal pushes, so that the demo shows one in an employer's pipeline.
    forward_demo: bool,
}

struct Sandbox {
    options: Options,
    signer: Signer,
    portals: Verifier,
    store: Mutex<Store>,
}

pub fn configure(options: Options) -> std::io::Result<impl Fn(&mut web::ServiceConfig) + Clone> {
    let provider = web::Data::new(oidc::Provider::new(options.oidc_client.clone())?);
    let mut store = Store {
        forward_demo: options.demo,
        ..Store::default()
    };
    if options.demo {
        for (set, put) in demo::records(crate::domain::calendar::today()) {
            let record = put.record.map(|r| r.to_string().into_boxed_str());
            store.national.put(
                set,
                &put.external_id,
                &put.origin,
                None,
                put.deleted,
                record,
            );
        }
    }
    let sandbox = web::Data::new(Sandbox {
        signer: Signer::new(&options.signing_key),
        portals: Verifier::new(&options.peer_keys),
        options,
        store: Mutex::new(store),
    });
    Ok(move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(sandbox.clone())
            .app_data(provider.clone())
            .app_data(web::PayloadConfig::new(contract::MAX_BATCH_BYTES))
            .route("/v1/batches", web::post().to(receive_batch))
            .route("/v1/pull/{set}", web::post().to(national::serve_pull))
            .route("/sandbox/national/{set}", web::post().to(national::put))
            .route("/sandbox/state", web::get().to(state))
            .route("/sandbox/records/{dataset}", web::get().to(records))
            .configure(oidc::routes);
    })
}

/// Serves the sandbox on `bind` until the process ends.
pub async fn run(bind: SocketAddr, options: Options) -> std::io::Result<()> {
    let tls = options.tls.clone();
    let configure = configure(options)?;
    let server =
        actix_web::HttpServer::new(move || actix_web::App::new().configure(configure.clone()));
    match tls {
        Some(tls) => server.bind_openssl(bind, acceptor(&tls)?)?,
        None => server.bind(bind)?,
    }
    .run()
    .await
}

/// Starts the sandbox on its own thread (tests): the address it listens on.
pub fn spawn(options: Options) -> std::io::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let tls = options.tls.as_ref().map(acceptor).transpose()?;
    let configure = configure(options)?;
    std::thread::Builder::new()
        .name("national-sandbox".into())
        .spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = actix_web::HttpServer::new(move || {
                    actix_web::App::new().configure(configure.clone())
                })
                .workers(2);
                let server = match tls {
                    Some(tls) => server.listen_openssl(listener, tls),
                    None => server.listen(listener),
                };
                match server {
                    Ok(s) => {
                        let _ = s.run().await;
                    }
                    Err(e) => tracing::error!(error = %e, "the sandbox could not listen"),
                }
            });
        })?;
    Ok(addr)
}

fn problem(status: u16, code: &str, title: &str, detail: Option<String>) -> HttpResponse {
    let body = Problem::new(status, code, title, detail);
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR),
    )
    .content_type("application/problem+json")
    .json(body)
}

fn seal_of(req: &HttpRequest) -> Option<Seal> {
    let h = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Some(Seal {
        message_id: h(signing::HEADER_MESSAGE_ID)?,
        signed_at: h(signing::HEADER_SIGNED_AT)?,
        key_id: h(signing::HEADER_KEY_ID)?,
        signature: h(signing::HEADER_SIGNATURE)?,
    })
}

/// Which fault a share applies to.
#[derive(Clone, Copy)]
enum Fault {
    Fail = 0,
    Drop = 1,
    Malformed = 2,
}

/// Whether this request gets the fault: the share is spread evenly over the requests (with
/// 0.05, every twentieth), so a test sees the faults it asked for on every run.
fn due(sandbox: &Sandbox, fault: Fault, rate: f64) -> bool {
    if rate <= 0.0 {
        return false;
    }
    let mut store = lock(sandbox);
    let owed = &mut store.owed[fault as usize];
    *owed += rate;
    if *owed >= 1.0 {
        *owed -= 1.0;
        true
    } else {
        false
    }
}

async fn receive_batch(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    if !sandbox.options.latency.is_zero() {
        actix_web::rt::time::sleep(sandbox.options.latency).await;
    }
    let opts = &sandbox.options;
    lock(&sandbox).counters.requests += 1;
    if due(&sandbox, Fault::Fail, opts.fail_rate) {
        lock(&sandbox).counters.failed_on_purpose += 1;
        return problem(503, problem::UNAVAILABLE, "Unavailable (on purpose)", None);
    }
    let refused = |code: &str, title: &str, detail: Option<String>| {
        lock(&sandbox).counters.refused += 1;
        problem(400, code, title, detail)
    };
    let Some(seal) = seal_of(&req) else {
        return refused(problem::BAD_SIGNATURE, "The request is not signed", None);
    };
    if let Err(e) = sandbox.portals.check(kind::PUSH, &seal, &body) {
        return refused(
            problem::BAD_SIGNATURE,
            "The signature is not valid",
            Some(e.to_string()),
        );
    }
    match chrono::DateTime::parse_from_rfc3339(&seal.signed_at) {
        Ok(at)
            if (chrono::Utc::now() - at.with_timezone(&chrono::Utc))
                .num_seconds()
                .abs()
                <= contract::SEAL_WINDOW_SECONDS => {}
        _ => {
            return refused(
                problem::REPLAYED,
                "The signature's time is outside the window",
                Some(seal.signed_at.clone()),
            );
        }
    }
    let batch: Batch = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            return refused(
                problem::MALFORMED,
                "The batch is not valid JSON",
                Some(e.to_string()),
            );
        }
    };
    if batch.protocol != contract::PROTOCOL || batch.batch_id != seal.message_id {
        return refused(
            problem::MALFORMED,
            "The batch's protocol or id is wrong",
            None,
        );
    }
    if batch.origin != contract::ORIGIN {
        lock(&sandbox).counters.refused += 1;
        return problem(
            403,
            problem::UNKNOWN_ORIGIN,
            "This origin is not a known portal",
            Some(batch.origin),
        );
    }
    if batch.events.len() > contract::MAX_BATCH_EVENTS {
        return refused(problem::TOO_LARGE, "Too many events in one batch", None);
    }
    let results = {
        let mut store = lock(&sandbox);
        if !store.messages.insert(batch.batch_id.clone()) {
            store.counters.refused += 1;
            drop(store);
            return problem(
                409,
                problem::REPLAYED,
                "This batch was received before",
                None,
            );
        }
        store.counters.batches_stored += 1;
        batch
            .events
            .into_iter()
            .map(|e| apply(&mut store, &batch.origin, e))
            .collect::<Vec<_>>()
    };
    if due(&sandbox, Fault::Drop, opts.drop_after_store_rate) {
        lock(&sandbox).counters.dropped_after_store += 1;
        // A body that fails mid-way: the server drops the connection after the headers,
        // as a network cut after storing would.
        let broken = futures_util::stream::once(async {
            Err::<web::Bytes, _>(std::io::Error::other("dropped on purpose"))
        });
        return HttpResponse::Ok().streaming(broken);
    }
    let receipt = Receipt {
        protocol: contract::PROTOCOL.into(),
        batch_id: batch.batch_id.clone(),
        received_at: chrono::Utc::now()
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string(),
        results,
    };
    let mut answer = serde_json::to_vec(&receipt).unwrap_or_default();
    if due(&sandbox, Fault::Malformed, opts.malformed_rate) {
        lock(&sandbox).counters.malformed_answers += 1;
        answer.truncate(answer.len() / 2);
    }
    signed(&sandbox, kind::PUSH_RECEIPT, &batch.batch_id, answer)
}

/// An answer with the sandbox's seal.
fn signed(sandbox: &Sandbox, kind: &str, message_id: &str, body: Vec<u8>) -> HttpResponse {
    let seal = sandbox.signer.seal(kind, message_id, &body);
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((signing::HEADER_MESSAGE_ID, seal.message_id))
        .insert_header((signing::HEADER_SIGNED_AT, seal.signed_at))
        .insert_header((signing::HEADER_KEY_ID, seal.key_id))
        .insert_header((signing::HEADER_SIGNATURE, seal.signature))
        .insert_header((signing::HEADER_DIGEST, signing::content_digest(&body)))
        .body(body)
}

fn lock(sandbox: &Sandbox) -> std::sync::MutexGuard<'_, Store> {
    // A panic while holding the lock leaves counts that are still worth reading.
    sandbox.store.lock().unwrap_or_else(|e| e.into_inner())
}

fn apply(store: &mut Store, origin: &str, e: contract::Event) -> EventResult {
    store.counters.events_received += 1;
    let result = |outcome, code: Option<&str>, message: Option<String>| EventResult {
        event_id: e.event_id.clone(),
        outcome,
        code: code.map(str::to_owned),
        message,
    };
    if store.applied_events.contains(&e.event_id) {
        store.counters.duplicates += 1;
        return result(Outcome::Duplicate, None, None);
    }
    if crate::exports::Dataset::from_cli_name(&e.dataset).is_none() {
        store.counters.rejected += 1;
        return result(
            Outcome::Rejected,
            Some(rejection::UNKNOWN_DATASET),
            Some(e.dataset.clone()),
        );
    }
    let expected_id = contract::event_id(
        &e.dataset,
        i32::try_from(e.record_id).unwrap_or(-1),
        i32::try_from(e.version).unwrap_or(-1),
        i32::try_from(e.generation).unwrap_or(-1),
    );
    let record_ok = match (&e.record, e.deleted) {
        (None, true) => true,
        (Some(serde_json::Value::Object(o)), false) => !o.is_empty(),
        _ => false,
    };
    if expected_id != e.event_id || e.version < 1 || !record_ok {
        store.counters.rejected += 1;
        return result(
            Outcome::Rejected,
            Some(rejection::INVALID_RECORD),
            Some("the event's id, version or record does not hold together".into()),
        );
    }
    if let Some(bad) = e.record.as_ref().and_then(unknown_code) {
        store.counters.rejected += 1;
        return result(Outcome::Rejected, Some(rejection::UNKNOWN_CODE), Some(bad));
    }
    let key = (e.dataset.clone(), e.record_id);
    if let Some(held) = store.records.get(&key)
        && (held.generation, held.version) > (e.generation, e.version)
    {
        store.counters.stale += 1;
        store.applied_events.insert(e.event_id.clone());
        return result(Outcome::Stale, None, None);
    }
    let is_new = !store.records.contains_key(&key);
    let record = e.record.as_ref().map(|r| r.to_string().into_boxed_str());
    if let Some(set) = national::pulled_as(&e.dataset) {
        // What the national side now holds of the portal's record comes back in its pulls.
        let external_id = format!("{origin}/{}/{}", e.dataset, e.record_id);
        store.national.put(
            set,
            &external_id,
            origin,
            Some(e.record_id),
            e.deleted,
            record.clone(),
        );
    }
    if store.forward_demo
        && e.dataset == "vacancies"
        && e.record.as_ref().and_then(|r| r.get("status")) == Some(&serde_json::json!("published"))
    {
        store.forward_demo = false;
        let application = demo::application(e.record_id).to_string().into_boxed_str();
        store.national.put(
            contract::PullSet::Applications,
            "KHA-DEMO-1",
            "karirhub",
            None,
            false,
            Some(application),
        );
    }
    store.records.insert(
        key,
        Held {
            version: e.version,
            generation: e.generation,
            deleted: e.deleted,
            record,
        },
    );
    if is_new {
        *store.counters.records.entry(e.dataset.clone()).or_default() += 1;
    }
    store.applied_events.insert(e.event_id.clone());
    store.counters.applied += 1;
    result(Outcome::Applied, None, None)
}

/// A code the national side does not know: a region that is not a Kemendagri code, or a
/// KBJI unit group (4 digits) that is not in KBJI 2014. The portal checks codes as they
/// are typed; this catches what came in by other ways (old imports, a code list that
/// moved on).
fn unknown_code(record: &serde_json::Value) -> Option<String> {
    use crate::reference::{kbji, regions};
    let obj = record.as_object()?;
    for (name, value) in obj {
        let Some(code) = value.as_str() else { continue };
        let known = match name.as_str() {
            "kode_kelurahan" | "kode_kecamatan" => regions::get(code).is_some(),
            "kode_kbji" => match crate::domain::KbjiCode::parse(code) {
                Ok(_) if code.len() >= 4 => kbji::occupation(&code[..4]).is_some(),
                Ok(_) => kbji::major_group(&code[..1]).is_some(),
                Err(_) => false,
            },
            _ => true,
        };
        if !known {
            return Some(format!("{name}: '{code}' is not in the national code list"));
        }
    }
    None
}

async fn state(sandbox: web::Data<Sandbox>) -> HttpResponse {
    let counters = lock(&sandbox).counters.clone();
    HttpResponse::Ok().json(counters)
}

/// The records held for a data set, by id: what the push delivered, to compare.
async fn records(sandbox: web::Data<Sandbox>, dataset: web::Path<String>) -> HttpResponse {
    let store = lock(&sandbox);
    let held: serde_json::Map<String, serde_json::Value> = store
        .records
        .iter()
        .filter(|((d, _), _)| *d == *dataset)
        .map(|((_, id), h)| {
            let record = h
                .record
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok())
                .unwrap_or(serde_json::Value::Null);
            (
                id.to_string(),
                serde_json::json!({
                    "version": h.version,
                    "generation": h.generation,
                    "deleted": h.deleted,
                    "record": record,
                }),
            )
        })
        .collect();
    HttpResponse::Ok().json(held)
}
