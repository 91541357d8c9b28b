//! Who the client is: the address that throttles, the audit log and the access log all use.
//!
//! Behind the reverse proxy the README recommends, the TCP peer is the proxy, so every
//! visitor would share one address. A forwarded header is believed only when the peer is
//! one of `SIBUSER_TRUSTED_PROXIES`, and then only its trusted tail: the header is read from
//! the right, skipping the trusted proxies' own entries, and the first address that is not
//! a trusted proxy is the client. Anything to the left of it was written by the client and
//! is ignored. Only the header the proxy writes (`SIBUSER_FORWARDED_HEADER`) is read, so a
//! client cannot slip in the other one.

use std::net::IpAddr;

use actix_web::HttpMessage;
use actix_web::http::header::HeaderMap;

pub use crate::config::{ForwardedHeader, TrustedProxies};

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.networks.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request that arrived from `peer` with `headers`.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = canonical(peer?);
        if !self.trusts(peer) {
            return Some(peer);
        }
        let hops = match self.header {
            ForwardedHeader::XForwardedFor => list_values(headers, "x-forwarded-for")
                .map(|hop| parse_hop(&hop))
                .collect::<Vec<_>>(),
            ForwardedHeader::Forwarded => list_values(headers, "forwarded")
                .map(|element| forwarded_for(&element).and_then(|hop| parse_hop(&hop)))
                .collect(),
        };
        // The nearest address we have reason to believe, moving left while it is a proxy.
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            // A hop our own proxy could not have written: stop at what we know.
            let Some(ip) = hop else { break };
            client = ip;
            if !self.trusts(client) {
                break;
            }
        }
        Some(client)
    }
}

/// Every comma-separated value of every instance of a header, in order.
fn list_values<'a>(
    headers: &'a HeaderMap,
    name: &'static str,
) -> impl Iterator<Item = String> + 'a {
    headers
        .get_all(name)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_owned())
}

/// The `for=` parameter of one `Forwarded` element.
fn forwarded_for(element: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// An address as proxies write it: `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1` or
/// `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok().map(canonical);
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok().map(canonical)
}

/// IPv4 addresses that reach an IPv6 socket as `::ffff:a.b.c.d` are the same client.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The resolved address, kept in the request's extensions once per request.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

/// Resolves the client address of a request once, with the portal's proxy settings.
pub fn resolve(req: &actix_web::HttpRequest, proxies: &TrustedProxies) -> String {
    if let Some(known) = req.extensions().get::<ClientAddress>() {
        return known.0.clone();
    }
    let address = proxies
        .client(req.peer_addr().map(|a| a.ip()), req.headers())
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    req.extensions_mut().insert(ClientAddress(address.clone()));
    address
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn proxies(nets: &[&str], header: ForwardedHeader) -> TrustedProxies {
        TrustedProxies {
            networks: nets.iter().map(|n| n.parse().unwrap()).collect(),
            header,
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let p = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=5.6.7.8")]);
        assert_eq!(p.client(ip("198.51.100.9"), &h), ip("198.51.100.9"));
        assert_eq!(
            TrustedProxies::default().client(ip("127.0.0.1"), &h),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let p = proxies(
            &["10.0.0.0/8", "127.0.0.1/32"],
            ForwardedHeader::XForwardedFor,
        );
        // The client wrote "6.6.6.6" itself; the proxy appended the real peer.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7")]);
        assert_eq!(p.client(ip("10.1.2.3"), &h), ip("203.0.113.7"));
        // Two proxies in a row.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.9.9.9")]);
        assert_eq!(p.client(ip("127.0.0.1"), &h), ip("203.0.113.7"));
        // Several header lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.8:5555"),
        ]);
        assert_eq!(p.client(ip("10.1.2.3"), &h), ip("203.0.113.8"));
        // No header: the proxy itself.
        assert_eq!(p.client(ip("10.1.2.3"), &HeaderMap::new()), ip("10.1.2.3"));
        // Garbage next to the proxy: stop at the proxy rather than believe anything.
        let h = headers(&[("x-forwarded-for", "203.0.113.7, not-an-address")]);
        assert_eq!(p.client(ip("10.1.2.3"), &h), ip("10.1.2.3"));
    }

    #[test]
    fn only_the_configured_header_is_read() {
        let xff = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        let fwd = proxies(&["10.0.0.0/8"], ForwardedHeader::Forwarded);
        let h = headers(&[
            (
                "forwarded",
                "for=6.6.6.6, for=\"[2001:db8::17]:4711\";proto=https",
            ),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(xff.client(ip("10.0.0.1"), &h), ip("203.0.113.7"));
        assert_eq!(fwd.client(ip("10.0.0.1"), &h), ip("2001:db8::17"));
    }

    #[test]
    fn mapped_ipv4_is_plain_ipv4() {
        let p = proxies(&["127.0.0.1/32"], ForwardedHeader::XForwardedFor);
        let h = headers(&[("x-forwarded-for", "::ffff:203.0.113.7")]);
        assert_eq!(p.client(ip("::ffff:127.0.0.1"), &h), ip("203.0.113.7"));
    }
}
