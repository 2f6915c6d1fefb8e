//! What every request passes before it is answered: its `Host` must name this server (a page
//! of another site that has rebound its own name to 127.0.0.1 sends its own name, and is
//! refused), and its URI must be short. Every response then gets headers that keep the page
//! from being framed, sniffed or given scripts from anywhere else; none grants another origin
//! access (no CORS).

use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::server::error_response;

/// The longest request target (path and query) accepted.
pub const MAX_URI_BYTES: usize = 4096;

/// Whether a `Host` header names the server bound at `bound`: its address, or `localhost`,
/// `127.0.0.1` or `[::1]`, with the bound port (no port means 80). A server bound to every
/// interface (`0.0.0.0`, `[::]`) also accepts any address literal with its port: DNS rebinding
/// needs a name, and an address literal is none.
pub fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let Some((name, port)) = split_host(host) else { return false };
    if port != bound.port() {
        return false;
    }
    let name = name.to_ascii_lowercase();
    if name == "localhost" {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip == bound.ip() || ip.is_loopback() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// `name:port`, `[v6]:port`, or a name alone (port 80).
fn split_host(host: &str) -> Option<(&str, u16)> {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        let (address, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(port) => Some((address, port.parse().ok()?)),
            None if after.is_empty() => Some((address, 80)),
            None => None,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => Some((name, port.parse().ok()?)),
        Some(_) => None,
        None if !host.is_empty() => Some((host, 80)),
        None => None,
    }
}

/// The headers every response carries. The style hash is the one rule Cytoscape.js inserts
/// into the page (its container's position); nothing else inline is allowed.
fn harden(response: &mut Response) {
    let headers = response.headers_mut();
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self' 'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='; \
             img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

/// The middleware: refuses a foreign `Host` (403) or an overlong URI (400), then hardens the
/// response.
pub async fn guard(bound: SocketAddr, request: Request<axum::body::Body>, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    let mut response = match host {
        Some(host) if host_allowed(host, bound) => {
            let target = request.uri().path_and_query().map(|p| p.as_str().len()).unwrap_or(0);
            if target > MAX_URI_BYTES {
                error_response(
                    StatusCode::BAD_REQUEST,
                    "UriTooLong",
                    &format!("the request target is {target} bytes long; at most {MAX_URI_BYTES} are accepted"),
                    None,
                )
            } else {
                next.run(request).await
            }
        }
        _ => error_response(
            StatusCode::FORBIDDEN,
            "HostNotAllowed",
            &format!(
                "this server answers requests for {bound} (or localhost with port {}) only; the Host header \
                 named {}",
                bound.port(),
                host.map(|h| format!("`{h}`")).unwrap_or_else(|| "nothing".to_string())
            ),
            Some("open the address `azroute serve` printed"),
        ),
    };
    harden(&mut response);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_bound_address_and_localhost_with_its_port_are_allowed() {
        let bound = at("127.0.0.1:8077");
        for host in ["127.0.0.1:8077", "localhost:8077", "LOCALHOST:8077", "[::1]:8077"] {
            assert!(host_allowed(host, bound), "{host}");
        }
    }

    #[test]
    fn other_names_and_ports_are_refused() {
        let bound = at("127.0.0.1:8077");
        for host in [
            "evil.example:8077",
            "127.0.0.1:8078",
            "localhost",
            "127.0.0.1",
            "localhost.evil.example:8077",
            "127.0.0.1.nip.io:8077",
            "10.0.0.5:8077",
            "",
            ":8077",
            "[::1",
            "localhost:80:8077",
        ] {
            assert!(!host_allowed(host, bound), "{host}");
        }
    }

    #[test]
    fn a_remote_bind_accepts_its_own_address_and_an_unspecified_one_any_literal() {
        let bound = at("192.168.1.10:9000");
        assert!(host_allowed("192.168.1.10:9000", bound));
        assert!(!host_allowed("192.168.1.11:9000", bound));
        assert!(!host_allowed("myhost.lan:9000", bound));
        let any = at("0.0.0.0:9000");
        assert!(host_allowed("192.168.1.11:9000", any));
        assert!(!host_allowed("myhost.lan:9000", any), "a name could be rebound");
        let port80 = at("127.0.0.1:80");
        assert!(host_allowed("localhost", port80));
    }
}
