//! Keeping personal data and secrets out of logs and out of links the portal makes.
//!
//! A query string can carry what a person typed: a NIK in a search box, a card's
//! verification code from its QR code. The access log keeps a query's keys but only the
//! values of a few harmless ones, and the links that carry "where to come back to" (the
//! language switch, the login page's `next`) drop the secret keys and, on staff pages,
//! the whole query.

/// Query keys whose values are harmless and help reading the log.
const VISIBLE_IN_LOG: &[&str] = &["page", "halaman", "urut", "sort", "periode", "tahun"];

/// Query keys that are secrets or identify a person wherever they appear.
const SECRET_KEYS: &[&str] = &["kode", "nomor", "nik", "token", "csrf_token", "email"];

/// Areas whose queries are staff searches over personal data.
const STAFF_AREAS: &[&str] = &["/petugas", "/admin"];

/// The request target as the access log writes it: the path (or, when the path carries
/// an e-mailed token, the route's pattern instead), and the query with the values of all
/// but a few keys replaced by `~`.
pub fn target_for_log(path: &str, query: &str, pattern: Option<&str>) -> String {
    let path = match pattern {
        Some(pattern) if pattern.contains("{token") => pattern,
        _ => path,
    };
    if query.is_empty() {
        return path.to_owned();
    }
    let redacted: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if VISIBLE_IN_LOG.contains(&key) => format!("{key}={value}"),
            Some((key, _)) => format!("{key}=~"),
            None => "~".to_owned(),
        })
        .collect();
    format!("{path}?{}", redacted.join("&"))
}

/// A local path and query that is safe to carry in another link: without secret keys,
/// and without any query on staff pages.
pub fn return_path(path_and_query: &str) -> String {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    if query.is_empty() || STAFF_AREAS.iter().any(|area| in_area(path, area)) {
        return path.to_owned();
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
            !pair.is_empty() && !SECRET_KEYS.contains(&key)
        })
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn in_area(path: &str, area: &str) -> bool {
    path == area || path.starts_with(&format!("{area}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_keys_and_harmless_values_only() {
        assert_eq!(target_for_log("/lowongan", "", None), "/lowongan");
        assert_eq!(
            target_for_log("/lowongan", "q=1275012345678901&page=2", Some("/lowongan")),
            "/lowongan?q=~&page=2"
        );
        assert_eq!(
            target_for_log("/ak1/cek", "nomor=1275-2026-000001&kode=ABCD2345", None),
            "/ak1/cek?nomor=~&kode=~"
        );
        assert_eq!(target_for_log("/x", "secret", None), "/x?~");
        assert_eq!(
            target_for_log("/sandi-baru/Zm9vYmFy", "", Some("/sandi-baru/{token}")),
            "/sandi-baru/{token}"
        );
    }

    #[test]
    fn return_paths_drop_secrets_and_staff_queries() {
        assert_eq!(
            return_path("/lowongan?q=staf&page=2"),
            "/lowongan?q=staf&page=2"
        );
        assert_eq!(
            return_path("/ak1/cek?nomor=1275-2026-000001&kode=ABCD2345"),
            "/ak1/cek"
        );
        assert_eq!(
            return_path("/pencaker/cv?csrf_token=abc&x=1"),
            "/pencaker/cv?x=1"
        );
        assert_eq!(
            return_path("/petugas/pencaker?q=1275012345678901"),
            "/petugas/pencaker"
        );
        assert_eq!(return_path("/admin/audit?actor=a%40b.c"), "/admin/audit");
        assert_eq!(return_path("/petugasx?q=1"), "/petugasx?q=1");
    }
}
