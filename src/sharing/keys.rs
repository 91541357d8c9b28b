//! API keys: issued to a partner by the data steward, shown once, stored as the SHA-256 of
//! their secret. A key is `sibuser_<prefix>_<secret>`: the prefix (8 hex digits, public,
//! shown on pages) finds the row, the secret (32 random bytes as 64 hex digits) is hashed
//! and compared in constant time. 32 random bytes cannot be guessed, so a fast hash is
//! enough: a slow one (argon2) would only slow every API request.
//!
//! What a key may read is its own scope narrowed by the partner's grants *as they are
//! now*: a revoked grant or a deactivated partner ends access at once, with no change to
//! the key.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::{Duration, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

use super::partners::{self, Actor};
use super::{ApiKeyId, Dataset, Masking, PartnerId};
use crate::audit::actions;
use crate::db::DbConnection;
use crate::domain::ids::UserId;
use crate::schema::{api_key_scopes, api_keys, partners as partners_table};

const PREFIX: &str = "sibuser_";
const PREFIX_LEN: usize = 8;
const SECRET_LEN: usize = 64;
/// The longest a key may live: a partner comes back to the data steward at least this often.
pub const MAX_LIFETIME: Months = Months::new(24);
/// `last_used_at` is written at most this often per key, not on every request.
const USE_GRANULARITY: Duration = Duration::minutes(1);

/// Why a presented key is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not the shape of a SIBUSER key (checked before the database is asked).
    Malformed,
    /// No key with that prefix, or the secret does not match.
    Unknown,
    /// Past its last day.
    Expired,
    Revoked,
    /// The partner is deactivated.
    PartnerInactive,
}

/// Who is calling with a valid key and what it may read now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub key_id: ApiKeyId,
    pub partner_id: PartnerId,
    pub partner_name: String,
    /// The effective scopes: the key's, within the partner's current grants, each at the
    /// narrower of the two masking levels.
    pub scopes: Vec<(Dataset, Masking)>,
}

impl Caller {
    /// How the caller may read a data set, or `None` when it may not.
    pub fn masking_for(&self, dataset: Dataset) -> Option<Masking> {
        self.scopes
            .iter()
            .find(|(d, _)| *d == dataset)
            .map(|(_, m)| *m)
    }
}

/// The public prefix of a presented key, if it has the shape of one: the API counts its
/// rate limit by it before asking the database.
pub fn prefix_of(presented: &str) -> Option<&str> {
    split(presented).map(|(prefix, _)| prefix)
}

/// The prefix and secret of a presented key, if it has the shape of one.
fn split(presented: &str) -> Option<(&str, &str)> {
    let rest = presented.strip_prefix(PREFIX)?;
    let (prefix, secret) = rest.split_once('_')?;
    let hex = |s: &str, len: usize| {
        s.len() == len
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    (hex(prefix, PREFIX_LEN) && hex(secret, SECRET_LEN)).then_some((prefix, secret))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Equal in time that depends on the length only, so the comparison tells an attacker
/// nothing about how much of a hash matched.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && std::hint::black_box(
            a.bytes()
                .zip(b.bytes())
                .fold(0u8, |acc, (x, y)| acc | (x ^ y)),
        ) == 0
}

#[derive(Queryable)]
struct KeyRow {
    id: ApiKeyId,
    partner_id: PartnerId,
    secret_sha256: String,
    expires_on: NaiveDate,
    revoked_at: Option<NaiveDateTime>,
    last_used_at: Option<NaiveDateTime>,
    partner_name: String,
    partner_active: bool,
}

/// Who presents this key, or why it is refused. `today` is the Asia/Jakarta date (a key
/// works through its last day), `now` the UTC time written as `last_used_at` (at most once
/// a minute per key). A malformed key costs no query; an unknown one costs one.
pub fn authenticate(
    conn: &mut DbConnection,
    presented: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Result<Caller, Refusal>> {
    let Some((prefix, secret)) = split(presented) else {
        return Ok(Err(Refusal::Malformed));
    };
    Ok(read_caller(conn, prefix, &digest(secret), today, now)?.map(|(caller, _)| caller))
}

/// The caller of a key whose secret hashes to `presented`, and the key's last day.
fn read_caller(
    conn: &mut DbConnection,
    prefix: &str,
    presented: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Result<(Caller, NaiveDate), Refusal>> {
    let row: Option<KeyRow> = api_keys::table
        .inner_join(partners_table::table)
        .filter(api_keys::prefix.eq(prefix))
        .select((
            api_keys::id,
            api_keys::partner_id,
            api_keys::secret_sha256,
            api_keys::expires_on,
            api_keys::revoked_at,
            api_keys::last_used_at,
            partners_table::name,
            partners_table::active,
        ))
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(Err(Refusal::Unknown));
    };
    if !same(&row.secret_sha256, presented) {
        return Ok(Err(Refusal::Unknown));
    }
    if row.revoked_at.is_some() {
        return Ok(Err(Refusal::Revoked));
    }
    if row.expires_on < today {
        return Ok(Err(Refusal::Expired));
    }
    if !row.partner_active {
        return Ok(Err(Refusal::PartnerInactive));
    }
    let scopes = effective_scopes(conn, row.id, row.partner_id)?;
    if row
        .last_used_at
        .is_none_or(|at| now - at >= USE_GRANULARITY)
    {
        diesel::update(api_keys::table.find(row.id))
            .set(api_keys::last_used_at.eq(now))
            .execute(conn)?;
    }
    let caller = Caller {
        key_id: row.id,
        partner_id: row.partner_id,
        partner_name: row.partner_name,
        scopes,
    };
    Ok(Ok((caller, row.expires_on)))
}

/// Bumped after every change to what a key may do (a revocation, a grant, a partner's
/// status or name), so that every [`KnownKeys`] of the process reads its callers again.
static CHANGES: AtomicU64 = AtomicU64::new(0);

/// Says that keys, grants or partners changed (after the change is written).
pub(super) fn changed() {
    CHANGES.fetch_add(1, Ordering::SeqCst);
}

/// How long a caller read from the database answers for its key without asking again.
/// A change made on this instance ends it at once ([`changed`]); one made on another
/// instance takes at most this long to reach this one.
const KNOWN_FOR: std::time::Duration = std::time::Duration::from_secs(2);
/// Keys remembered at most; past this the stale ones are dropped.
const MAX_KNOWN: usize = 10_000;

/// The callers of recently presented keys, per process: a partner's sync sends hundreds of
/// requests a second with one key, and reading the key, its scopes and the partner's grants
/// each time was three queries of every request.
#[derive(Default)]
pub struct KnownKeys {
    known: Mutex<HashMap<String, Known>>,
}

struct Known {
    read_at: Instant,
    generation: u64,
    digest: String,
    expires_on: NaiveDate,
    caller: Caller,
}

/// [`authenticate`], answered from `known` when the same key was read less than two
/// seconds ago and nothing about keys, grants or partners changed since. The secret is
/// checked against the stored hash every time, and the last day against `today`.
pub fn authenticate_known(
    known: &KnownKeys,
    conn: &mut DbConnection,
    presented: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Result<Caller, Refusal>> {
    let Some((prefix, secret)) = split(presented) else {
        return Ok(Err(Refusal::Malformed));
    };
    let presented = digest(secret);
    // Read before the database, so a change written meanwhile outdates what is read.
    let generation = CHANGES.load(Ordering::SeqCst);
    if let Ok(map) = known.known.lock()
        && let Some(k) = map.get(prefix)
        && k.generation == generation
        && k.read_at.elapsed() < KNOWN_FOR
        && same(&k.digest, &presented)
    {
        return Ok(if k.expires_on < today {
            Err(Refusal::Expired)
        } else {
            Ok(k.caller.clone())
        });
    }
    let outcome = read_caller(conn, prefix, &presented, today, now)?;
    if let Ok(mut map) = known.known.lock() {
        match &outcome {
            Ok((caller, expires_on)) => {
                if map.len() >= MAX_KNOWN {
                    map.retain(|_, k| k.read_at.elapsed() < KNOWN_FOR);
                }
                map.insert(
                    prefix.to_owned(),
                    Known {
                        read_at: Instant::now(),
                        generation,
                        digest: presented,
                        expires_on: *expires_on,
                        caller: caller.clone(),
                    },
                );
            }
            Err(_) => {
                map.remove(prefix);
            }
        }
    }
    Ok(outcome.map(|(caller, _)| caller))
}

/// The key's scopes that the partner's grants still cover, at the narrower masking.
fn effective_scopes(
    conn: &mut DbConnection,
    key: ApiKeyId,
    partner: PartnerId,
) -> QueryResult<Vec<(Dataset, Masking)>> {
    let scopes = scopes_of(conn, key)?;
    let grants = partners::grants(conn, partner)?;
    Ok(scopes
        .into_iter()
        .filter_map(|(dataset, masking)| {
            grants
                .iter()
                .find(|g| g.dataset == dataset)
                .map(|g| (dataset, masking.narrower(g.masking)))
        })
        .collect())
}

fn scopes_of(conn: &mut DbConnection, key: ApiKeyId) -> QueryResult<Vec<(Dataset, Masking)>> {
    api_key_scopes::table
        .filter(api_key_scopes::key_id.eq(key))
        .select((api_key_scopes::dataset, api_key_scopes::masking))
        .order(api_key_scopes::dataset)
        .load(conn)
}

/// A key as the pages show it: never its secret.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub id: ApiKeyId,
    pub label: String,
    pub prefix: String,
    pub expires_on: NaiveDate,
    pub created_at: NaiveDateTime,
    pub created_by: Option<UserId>,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    /// As issued (the effective scope also depends on the partner's grants).
    pub scopes: Vec<(Dataset, Masking)>,
}

/// Where a key stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    Active,
    Expired,
    Revoked,
}

impl KeyInfo {
    pub fn status(&self, today: NaiveDate) -> KeyStatus {
        if self.revoked_at.is_some() {
            KeyStatus::Revoked
        } else if self.expires_on < today {
            KeyStatus::Expired
        } else {
            KeyStatus::Active
        }
    }

    /// The public part, as printed on pages: `sibuser_1a2b3c4d_…`.
    pub fn shown(&self) -> String {
        format!("{PREFIX}{}_…", self.prefix)
    }
}

/// A partner's keys, newest first.
pub fn list(conn: &mut DbConnection, partner: PartnerId) -> QueryResult<Vec<KeyInfo>> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        ApiKeyId,
        String,
        String,
        NaiveDate,
        NaiveDateTime,
        Option<UserId>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    )> = api_keys::table
        .filter(api_keys::partner_id.eq(partner))
        .select((
            api_keys::id,
            api_keys::label,
            api_keys::prefix,
            api_keys::expires_on,
            api_keys::created_at,
            api_keys::created_by,
            api_keys::revoked_at,
            api_keys::last_used_at,
        ))
        .order(api_keys::id.desc())
        .load(conn)?;
    let ids: Vec<ApiKeyId> = rows.iter().map(|r| r.0).collect();
    let scopes: Vec<(ApiKeyId, Dataset, Masking)> = api_key_scopes::table
        .filter(api_key_scopes::key_id.eq_any(&ids))
        .select((
            api_key_scopes::key_id,
            api_key_scopes::dataset,
            api_key_scopes::masking,
        ))
        .order((api_key_scopes::key_id, api_key_scopes::dataset))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, label, prefix, expires_on, created_at, created_by, revoked_at, last_used_at)| {
                KeyInfo {
                    scopes: scopes
                        .iter()
                        .filter(|s| s.0 == id)
                        .map(|s| (s.1, s.2))
                        .collect(),
                    id,
                    label,
                    prefix,
                    expires_on,
                    created_at,
                    created_by,
                    revoked_at,
                    last_used_at,
                }
            },
        )
        .collect())
}

/// What the data steward asks for when issuing a key.
#[derive(Debug, Clone)]
pub struct KeyRequest {
    pub label: String,
    pub expires_on: NaiveDate,
    /// The data sets ticked; each gets the masking of the partner's grant.
    pub datasets: Vec<Dataset>,
}

/// Why a key is not issued (translation keys under `sharing.error.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueError {
    LabelRequired,
    NoDataset,
    /// A data set the partner has no grant for.
    NotGranted(Dataset),
    ExpiryPast,
    ExpiryTooFar,
    PartnerInactive,
}

impl IssueError {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::LabelRequired => "sharing.error.label",
            Self::NoDataset => "sharing.error.no_dataset",
            Self::NotGranted(_) => "sharing.error.not_granted",
            Self::ExpiryPast => "sharing.error.expiry_past",
            Self::ExpiryTooFar => "sharing.error.expiry_too_far",
            Self::PartnerInactive => "sharing.error.partner_inactive",
        }
    }
}

/// A key just issued: the only time its full text exists outside the caller's hands.
/// Deliberately not `Debug` or `Serialize`, so it cannot slip into a log line.
pub struct IssuedKey {
    pub id: ApiKeyId,
    pub prefix: String,
    full: String,
}

impl IssuedKey {
    /// The whole key, to be shown once.
    pub fn reveal(&self) -> &str {
        &self.full
    }
}

/// Issues a key to an active partner, each ticked data set within its grants (at the
/// grant's masking), expiring on `expires_on` (from today to two years ahead).
pub fn issue(
    conn: &mut DbConnection,
    partner: PartnerId,
    request: &KeyRequest,
    by: &Actor<'_>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Result<IssuedKey, IssueError>> {
    let label = request.label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Ok(Err(IssueError::LabelRequired));
    }
    if request.datasets.is_empty() {
        return Ok(Err(IssueError::NoDataset));
    }
    if request.expires_on < today {
        return Ok(Err(IssueError::ExpiryPast));
    }
    if today
        .checked_add_months(MAX_LIFETIME)
        .is_some_and(|max| request.expires_on > max)
    {
        return Ok(Err(IssueError::ExpiryTooFar));
    }
    crate::db::transaction(conn, |c| {
        let active: Option<bool> = partners_table::table
            .find(partner)
            .select(partners_table::active)
            .first(c)
            .optional()?;
        if active != Some(true) {
            return Ok(Err(IssueError::PartnerInactive));
        }
        let grants = partners::grants(c, partner)?;
        let mut scopes = Vec::new();
        for dataset in &request.datasets {
            match grants.iter().find(|g| g.dataset == *dataset) {
                Some(g) if !scopes.iter().any(|(d, _)| d == dataset) => {
                    scopes.push((*dataset, g.masking))
                }
                Some(_) => {}
                None => return Ok(Err(IssueError::NotGranted(*dataset))),
            }
        }
        let mut bytes = [0u8; 4 + SECRET_LEN / 2];
        rand::rng().fill_bytes(&mut bytes);
        let prefix = hex(&bytes[..4]);
        let secret = hex(&bytes[4..]);
        let id: ApiKeyId = diesel::insert_into(api_keys::table)
            .values((
                api_keys::partner_id.eq(partner),
                api_keys::label.eq(label),
                api_keys::prefix.eq(&prefix),
                api_keys::secret_sha256.eq(digest(&secret)),
                api_keys::expires_on.eq(request.expires_on),
                api_keys::created_at.eq(now),
                api_keys::created_by.eq(by.user),
            ))
            .returning(api_keys::id)
            .get_result(c)?;
        for (dataset, masking) in &scopes {
            diesel::insert_into(api_key_scopes::table)
                .values((
                    api_key_scopes::key_id.eq(id),
                    api_key_scopes::dataset.eq(dataset),
                    api_key_scopes::masking.eq(masking),
                ))
                .execute(c)?;
        }
        by.record(
            c,
            actions::API_KEY_ISSUED,
            partner,
            serde_json::json!({
                "key": id,
                "prefix": prefix,
                "label": label,
                "expires_on": request.expires_on,
                "scopes": scopes.iter().map(|(d, m)| [d.as_str(), m.as_str()]).collect::<Vec<_>>(),
            }),
        )?;
        let full = format!("{PREFIX}{prefix}_{secret}");
        Ok(Ok(IssuedKey { id, prefix, full }))
    })
}

/// Revokes a key of the partner; returns false when it was not its key or already revoked.
pub fn revoke(
    conn: &mut DbConnection,
    partner: PartnerId,
    key: ApiKeyId,
    by: &Actor<'_>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    crate::db::transaction(conn, |c| {
        let prefix: Option<String> = api_keys::table
            .filter(api_keys::id.eq(key))
            .filter(api_keys::partner_id.eq(partner))
            .filter(api_keys::revoked_at.is_null())
            .select(api_keys::prefix)
            .first(c)
            .optional()?;
        let Some(prefix) = prefix else {
            return Ok(false);
        };
        diesel::update(api_keys::table.find(key))
            .set((
                api_keys::revoked_at.eq(now),
                api_keys::revoked_by.eq(by.user),
            ))
            .execute(c)?;
        by.record(
            c,
            actions::API_KEY_REVOKED,
            partner,
            serde_json::json!({ "key": key, "prefix": prefix }),
        )?;
        Ok(true)
    })
    .inspect(|_| changed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_shape_of_a_key_is_split() {
        let secret = "a".repeat(64);
        let key = format!("sibuser_0123abcd_{secret}");
        assert_eq!(split(&key), Some(("0123abcd", secret.as_str())));
        for bad in [
            "",
            "sibuser_",
            "sibuser_0123abcd",
            &format!("sibuser_0123ABCD_{secret}"),
            &format!("sibuser_0123abc_{secret}"),
            &format!("other_0123abcd_{secret}"),
            &format!("sibuser_0123abcd_{secret}a"),
            &format!("sibuser_0123abcd_{}", "g".repeat(64)),
        ] {
            assert_eq!(split(bad), None, "{bad}");
        }
    }

    #[test]
    fn hashes_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
