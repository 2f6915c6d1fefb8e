//! A minimal HTTP/1.1 client for tests: one request per connection, any `Host` header (to test
//! that the server refuses foreign ones), any method, the raw status, headers and body back.
//! `azroute serve` and chromedriver are the only servers it talks to, both on loopback.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A response as received.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    /// Header names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == &name.to_ascii_lowercase()).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// `METHOD target` to `address`, with `Host: host` and the extra headers, and `body` if any.
pub fn request(
    address: SocketAddr,
    method: &str,
    target: &str,
    host: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(10))?;
    stream.set_read_timeout(Some(Duration::from_secs(300)))?;
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    if let Some(host) = host {
        head.push_str(&format!("Host: {host}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    if let Some(body) = body {
        stream.write_all(body)?;
    }
    let raw = read_response(&mut stream, method == "HEAD")?;
    parse(&raw).ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {}", String::from_utf8_lossy(&raw))))
}

/// Reads one response: the head, then `Content-Length` bytes, a chunked body to its last chunk,
/// or (neither) to the end of the stream. Some servers (chromedriver) keep the connection open
/// after `Connection: close`, so the length decides, not the end of the stream.
fn read_response(stream: &mut TcpStream, head_only: bool) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let complete = |raw: &[u8]| -> Option<bool> {
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
        if head_only {
            return Some(true);
        }
        let body = &raw[end + 4..];
        if let Some(length) = head.lines().find_map(|l| l.strip_prefix("content-length:")) {
            return Some(body.len() >= length.trim().parse::<usize>().ok()?);
        }
        if head.contains("transfer-encoding: chunked") {
            return Some(body.ends_with(b"0\r\n\r\n"));
        }
        Some(false)
    };
    loop {
        if complete(&raw) == Some(true) {
            return Ok(raw);
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&buf[..n]);
    }
}

/// `GET target` with the `Host` a browser would send for `address`.
pub fn get(address: SocketAddr, target: &str) -> Response {
    request(address, "GET", target, Some(&address.to_string()), &[], None)
        .unwrap_or_else(|e| panic!("GET {target} from {address}: {e}"))
}

fn parse(raw: &[u8]) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked { unchunk(rest)? } else { rest.to_vec() };
    Some(Response { status, headers, body })
}

fn unchunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).ok()?.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}
