//! The list endpoints' query string, checked strictly: a parameter the endpoint does not
//! know, one given twice, a cursor that is not one of ours or an `updated_since` in the
//! future is a 400 problem naming the parameter, so a partner's mistake is found at once
//! instead of being read as "no filter".

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDateTime, Utc};

use super::problem::{Kind, Problem};
use crate::exports::Dataset;

/// No valid query string is longer: a cursor, a timestamp and a limit.
pub const MAX_QUERY_LEN: usize = 512;
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;
/// A partner's clock may run this far ahead of ours before `updated_since` is refused.
const CLOCK_SKEW_SECONDS: i64 = 300;

/// A checked list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// The change sequence number after which the page starts (0: the beginning).
    pub after: i64,
    /// Only records changed at or after this instant (UTC).
    pub since: Option<NaiveDateTime>,
    pub limit: i64,
}

/// The cursor is opaque to partners: the data set and the position, so a cursor of one
/// data set is refused on another rather than silently skipping records.
pub fn cursor(dataset: Dataset, after: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("1:{}:{after}", dataset.as_str()))
}

fn parse_cursor(dataset: Dataset, raw: &str) -> Result<i64, Problem> {
    let bad = |detail: &str| Problem::parameter(Kind::InvalidParameter, "cursor", detail);
    let text = URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            bad("The cursor is not one this API gave out; use next_cursor as it came.")
        })?;
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("1"), Some(name), Some(seq)) => {
            if name != dataset.as_str() {
                return Err(bad("The cursor belongs to another data set."));
            }
            seq.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| bad("The cursor is damaged; use next_cursor as it came."))
        }
        _ => Err(bad(
            "The cursor is not one this API gave out; use next_cursor as it came.",
        )),
    }
}

/// Reads the query string of a list request at `now` (UTC).
pub fn parse(dataset: Dataset, query: &str, now: DateTime<Utc>) -> Result<ListQuery, Problem> {
    if query.len() > MAX_QUERY_LEN {
        return Err(Problem::new(
            Kind::QueryTooLong,
            format!("The query string may be at most {MAX_QUERY_LEN} bytes."),
        ));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|_| {
        Problem::new(
            Kind::InvalidParameter,
            "The query string is not URL-encoded name=value pairs.",
        )
    })?;
    let mut out = ListQuery {
        after: 0,
        since: None,
        limit: DEFAULT_LIMIT,
    };
    let mut seen: Vec<&str> = Vec::new();
    for (name, value) in &pairs {
        let known = match name.as_str() {
            "cursor" => "cursor",
            "updated_since" => "updated_since",
            "limit" => "limit",
            _ => {
                return Err(Problem::parameter(
                    Kind::UnknownParameter,
                    name,
                    "Known parameters: cursor, updated_since, limit.",
                ));
            }
        };
        if seen.contains(&known) {
            return Err(Problem::parameter(
                Kind::UnknownParameter,
                known,
                "The parameter is given more than once.",
            ));
        }
        seen.push(known);
        match known {
            "cursor" => out.after = parse_cursor(dataset, value)?,
            "updated_since" => out.since = Some(parse_since(value, now)?),
            _ => {
                out.limit = value
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        Problem::parameter(
                            Kind::InvalidParameter,
                            "limit",
                            format!("The limit is a whole number from 1 to {MAX_LIMIT}."),
                        )
                    })?;
            }
        }
    }
    Ok(out)
}

fn parse_since(raw: &str, now: DateTime<Utc>) -> Result<NaiveDateTime, Problem> {
    let at = DateTime::parse_from_rfc3339(raw).map_err(|_| {
        Problem::parameter(
            Kind::InvalidParameter,
            "updated_since",
            "updated_since is an RFC 3339 date-time with its offset, e.g. 2026-12-01T00:00:00+07:00.",
        )
    })?;
    let at = at.with_timezone(&Utc);
    if (at - now).num_seconds() > CLOCK_SKEW_SECONDS {
        return Err(Problem::parameter(
            Kind::InvalidParameter,
            "updated_since",
            "updated_since is in the future.",
        ));
    }
    Ok(at.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-06T05:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn problem(query: &str) -> Problem {
        parse(Dataset::JobSeekers, query, now()).unwrap_err()
    }

    #[test]
    fn a_cursor_comes_back_as_the_position_it_was_given_for() {
        let c = cursor(Dataset::JobSeekers, 4711);
        let q = parse(Dataset::JobSeekers, &format!("cursor={c}&limit=5"), now()).unwrap();
        assert_eq!((q.after, q.limit, q.since), (4711, 5, None));
        let other = problem(&format!("cursor={}", cursor(Dataset::Vacancies, 1)));
        assert!(other.detail.contains("another data set"), "{other:?}");
    }

    #[test]
    fn updated_since_takes_an_offset_and_is_kept_in_utc() {
        let q = parse(
            Dataset::Wlkp,
            "updated_since=2026-12-01T07%3A00%3A00%2B07%3A00",
            now(),
        )
        .unwrap();
        assert_eq!(q.since.unwrap().to_string(), "2026-12-01 00:00:00");
    }

    #[test]
    fn bad_input_names_its_parameter() {
        for (query, parameter, kind) in [
            ("foo=1", "foo", Kind::UnknownParameter),
            ("a%5Bb%5D%5Bc%5D=1", "a[b][c]", Kind::UnknownParameter),
            ("limit=1&limit=2", "limit", Kind::UnknownParameter),
            ("limit=0", "limit", Kind::InvalidParameter),
            ("limit=1001", "limit", Kind::InvalidParameter),
            ("cursor=%%%", "cursor", Kind::InvalidParameter),
            ("cursor=bm90LWEtY3Vyc29y", "cursor", Kind::InvalidParameter),
            (
                "updated_since=yesterday",
                "updated_since",
                Kind::InvalidParameter,
            ),
            (
                "updated_since=2027-01-01T00%3A00%3A00Z",
                "updated_since",
                Kind::InvalidParameter,
            ),
        ] {
            let p = problem(query);
            assert_eq!(p.status, 400, "{query}");
            assert_eq!(p.kind, kind.uri(), "{query}");
            assert_eq!(p.parameter.as_deref(), Some(parameter), "{query}");
        }
        assert_eq!(problem(&"x".repeat(MAX_QUERY_LEN + 1)).status, 400);
    }
}
