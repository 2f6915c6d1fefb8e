//! A real headless Chromium for the page's tests, driven over W3C WebDriver by Debian's
//! `chromedriver` (`apt-get install chromium chromium-driver`). The browser starts with a fresh
//! profile and the flags that keep it off the network (this machine's network is closed, and a
//! test must not depend on it).
//!
//! When Chromium or chromedriver is missing, [`Browser::start`] panics with how to install them.
//! With `AZROUTE_SKIP_BROWSER_TESTS=1` it starts nothing: it says on stderr that the test is
//! skipped (past the test harness's capture, so that a skip is never silent) and returns `None`.

use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http;

/// The flags every browser starts with.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,900",
];

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session; both end when it is dropped.
pub struct Browser {
    driver: Child,
    address: SocketAddr,
    session: String,
    profile: PathBuf,
}

/// Where a program is: `$VAR` (when it names a file), else the first of `names` on `PATH`.
fn locate(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var) {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// What the browser tests need, or why they cannot run.
pub fn programs() -> Result<(PathBuf, PathBuf), String> {
    let chromium = locate("AZROUTE_CHROMIUM", &["chromium", "chromium-browser", "google-chrome"]);
    let driver = locate("AZROUTE_CHROMEDRIVER", &["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Ok((c, d)),
        (c, d) => Err(format!(
            "the browser tests need Chromium and chromedriver, and {} found (on PATH, or where \
             AZROUTE_CHROMIUM and AZROUTE_CHROMEDRIVER say); install them \
             (Debian/Ubuntu: `apt-get install chromium chromium-driver`), or point AZROUTE_CHROMIUM and \
             AZROUTE_CHROMEDRIVER at them, or set AZROUTE_SKIP_BROWSER_TESTS=1 to skip these tests",
            match (c.is_none(), d.is_none()) {
                (true, true) => "neither was",
                (true, false) => "chromium was not",
                _ => "chromedriver was not",
            }
        )),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Browser {
    /// Starts chromedriver and a browser with `extra` flags; `None` when the tests are skipped.
    pub fn start(test: &str, extra: &[&str]) -> Option<Browser> {
        if std::env::var("AZROUTE_SKIP_BROWSER_TESTS").as_deref() == Ok("1") {
            // Written to the stderr handle, not with `eprintln!`, which the harness would hide.
            let _ = writeln!(std::io::stderr(), "skipped {test}: AZROUTE_SKIP_BROWSER_TESTS=1");
            return None;
        }
        let (chromium, driver) = programs().unwrap_or_else(|why| panic!("{why}"));
        let port = free_port();
        let driver = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
        let address: SocketAddr = format!("127.0.0.1:{port}").parse().expect("an address");
        let profile = std::env::temp_dir().join(format!("azroute-browser-{}-{port}", std::process::id()));
        let mut browser = Browser { driver, address, session: String::new(), profile };
        browser.wait_for_driver();
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", browser.profile.display()));
        args.extend(extra.iter().map(|f| f.to_string()));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.to_string_lossy(), "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session = created["sessionId"].as_str().expect("a session id").to_string();
        Some(browser)
    }

    fn wait_for_driver(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(r) = http::request(self.address, "GET", "/status", Some(&self.address.to_string()), &[], None)
                && r.status == 200
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("chromedriver did not start on {}", self.address);
    }

    /// One WebDriver command; its `value`, or a panic naming the error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let response = http::request(
            self.address,
            method,
            path,
            Some(&self.address.to_string()),
            &[("Content-Type", "application/json")],
            body.as_deref().map(str::as_bytes),
        )
        .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let value = response.json();
        if response.status != 200 {
            panic!("WebDriver {method} {path}: {} {}", response.status, value);
        }
        value["value"].clone()
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    pub fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({"url": url})));
    }

    /// Runs `script` (a function body; `arguments` are `args`) and returns what it returns.
    pub fn eval(&self, script: &str, args: Value) -> Value {
        self.session_call("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Runs `script`, which ends by calling its last argument with the result (for promises:
    /// `const done = arguments[arguments.length - 1]; work().then(done);`), for at most
    /// `seconds`.
    pub fn eval_async(&self, script: &str, args: Value, seconds: u64) -> Value {
        self.session_call("POST", "/timeouts", Some(json!({"script": seconds * 1000})));
        self.session_call("POST", "/execute/async", Some(json!({"script": script, "args": args})))
    }

    /// Runs `script` until it returns something other than `null`/`false`, for at most
    /// `seconds`; returns that.
    pub fn wait_for(&self, what: &str, script: &str, seconds: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let value = self.eval(script, json!([]));
            if !(value.is_null() || value == json!(false)) {
                return value;
            }
            if Instant::now() > deadline {
                let logs = self.console();
                panic!("timed out after {seconds} s waiting for {what}; console: {logs:#?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The page's state once `body[data-ready]` is set.
    pub fn wait_ready(&self) {
        self.wait_for("the page to be ready", "return document.body && document.body.dataset.ready === 'true';", 60);
    }

    fn element(&self, css: &str) -> String {
        let found = self.session_call("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        found[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}: {found}")).to_string()
    }

    /// A real click (the driver scrolls the element into view and clicks its centre).
    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.session_call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    /// Clears a field and types `text` into it, key by key.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.session_call("POST", &format!("/element/{id}/clear"), Some(json!({})));
        self.session_call("POST", &format!("/element/{id}/value"), Some(json!({"text": text})));
    }

    /// The browser's console since the last call: (level, message).
    pub fn console(&self) -> Vec<(String, String)> {
        let entries = self.session_call("POST", "/se/log", Some(json!({"type": "browser"})));
        entries
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|e| {
                        (e["level"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The console's errors (`SEVERE`: `console.error`, uncaught exceptions, failed loads).
    pub fn console_errors(&self) -> Vec<String> {
        self.console().into_iter().filter(|(level, _)| level == "SEVERE").map(|(_, m)| m).collect()
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.session_call("GET", "/screenshot", None);
        decode_base64(encoded.as_str().expect("base64"))
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.session_call("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http::request(
                self.address,
                "DELETE",
                &format!("/session/{}", self.session),
                Some(&self.address.to_string()),
                &[],
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// A `file://` URL for a local path.
pub fn file_url(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", absolute.display())
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_decodes() {
        assert_eq!(super::decode_base64("aGVsbG8gd29ybGQ="), b"hello world");
        assert_eq!(super::decode_base64("iVBORw=="), [0x89, b'P', b'N', b'G']);
    }
}
