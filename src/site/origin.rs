//! Which requests `serve` answers. It is a server on a developer's machine,
//! and any web site the developer visits can send requests to 127.0.0.1:
//! requests must name a loopback host or the address `serve` is bound to
//! (a site that points a DNS name at 127.0.0.1, DNS rebinding, names its
//! own), and the live-reload websocket, which carries build errors with
//! file paths, takes only pages of the server itself. Pure functions of the
//! request's headers; `serve` applies them to every request.

use std::net::SocketAddr;

use axum::http::{HeaderMap, StatusCode, header};

/// Why a request is refused (a status and a line of text), or `None` when
/// it is answered. `host` is the `Host` header (or the request's
/// authority); `livereload` says whether it asks for the websocket.
pub fn refusal(
    host: Option<&str>,
    headers: &HeaderMap,
    livereload: bool,
    bound: SocketAddr,
) -> Option<(StatusCode, &'static str)> {
    if !host.is_some_and(|h| allowed_host(h, bound)) {
        return Some((
            StatusCode::MISDIRECTED_REQUEST,
            "archbook serve answers only requests for localhost or its own address\n",
        ));
    }
    if livereload && !same_origin(headers) {
        return Some((
            StatusCode::FORBIDDEN,
            "the live-reload socket is only for pages of this server\n",
        ));
    }
    None
}

/// Whether `host` (a `Host` header's value, or an origin's host and port)
/// names this server: a loopback name or address, or the address it is
/// bound to (any address of the machine when bound to all of them). A page
/// of another site that a DNS name was pointed at 127.0.0.1 for (DNS
/// rebinding) names its own host, and is refused.
fn allowed_host(host: &str, bound: SocketAddr) -> bool {
    let name = match host.strip_prefix('[') {
        // `[::1]:3000`
        Some(rest) => match rest.split_once(']') {
            Some((ip, _)) => ip,
            None => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                host
            }
        }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// The origin of a websocket request must be this server itself: any web
/// page may open a websocket to 127.0.0.1 and would otherwise read build
/// errors (with file paths and source lines).
fn same_origin(headers: &HeaderMap) -> bool {
    let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) else {
        // Browsers always send both; a client without Origin is not a page.
        return headers.get(header::ORIGIN).is_none();
    };
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .unwrap_or("");
    origin_host.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_loopback_names_and_the_bound_address_are_served() {
        let local: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        for ok in [
            "localhost:3000",
            "LOCALHOST",
            "app.localhost:3000",
            "127.0.0.1:3000",
            "127.0.0.2",
            "[::1]:3000",
            "localhost.",
        ] {
            assert!(allowed_host(ok, local), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "10.0.0.5:3000",
            "",
            "[::1",
        ] {
            assert!(!allowed_host(bad, local), "{bad}");
        }
        let lan: SocketAddr = "192.168.1.20:3000".parse().unwrap();
        assert!(allowed_host("192.168.1.20:3000", lan));
        assert!(!allowed_host("evil.example", lan));
        let all: SocketAddr = "0.0.0.0:3000".parse().unwrap();
        assert!(allowed_host("192.168.1.20:3000", all));
        assert!(!allowed_host("evil.example:3000", all));
    }

    #[test]
    fn the_reload_socket_takes_only_same_origin_pages() {
        let headers = |origin: Option<&str>| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
            if let Some(o) = origin {
                h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
            }
            h
        };
        assert!(same_origin(&headers(Some("http://127.0.0.1:3000"))));
        assert!(same_origin(&headers(None)));
        assert!(!same_origin(&headers(Some("https://evil.example"))));
        assert!(!same_origin(&headers(Some("http://127.0.0.1:3001"))));
        assert!(!same_origin(&headers(Some("null"))));
    }
}
