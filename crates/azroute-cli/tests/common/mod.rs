//! Helpers shared by the end-to-end tests: run the built `azroute` binary and locate test data.

#![allow(dead_code)]

pub mod terraform;

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of the binary printed.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }

    /// Asserts success and returns self.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success; stderr:\n{}\nstdout:\n{}", self.stderr, self.stdout);
        self
    }

    /// Asserts exit status 1 (a problem found) and returns self.
    pub fn found_problem(self) -> Run {
        assert_eq!(self.code, 1, "expected exit 1; stderr:\n{}\nstdout:\n{}", self.stderr, self.stdout);
        self
    }

    /// Asserts exit status 2 with no panic, and returns self.
    pub fn fails(self) -> Run {
        assert_eq!(self.code, 2, "expected exit 2; stderr:\n{}\nstdout:\n{}", self.stderr, self.stdout);
        assert!(!self.stderr.contains("internal error") && !self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }
}

pub fn azroute(args: &[&str]) -> Run {
    azroute_in(None, args)
}

pub fn azroute_in(dir: Option<&Path>, args: &[&str]) -> Run {
    azroute_env(dir, args, &[])
}

/// Runs the binary with extra environment variables (for the child only).
pub fn azroute_env(dir: Option<&Path>, args: &[&str], envs: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_azroute"));
    cmd.args(args);
    cmd.envs(envs.iter().copied());
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let out = cmd.output().expect("the azroute binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A path in the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

pub fn repo_str(path: &str) -> String {
    repo(path).display().to_string()
}

/// A fresh temporary directory under the target directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Compares `actual` with a golden file; `AZROUTE_BLESS=1` rewrites the file instead.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("AZROUTE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("golden dir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden file {}; run with AZROUTE_BLESS=1 to create it", path.display()));
    assert_eq!(expected, actual, "output differs from {} (AZROUTE_BLESS=1 to accept)", path.display());
}

/// `azroute serve` running on a free loopback port; stopped when dropped.
pub struct Serve {
    child: std::process::Child,
    pub url: String,
    pub address: std::net::SocketAddr,
}

impl Serve {
    /// Starts `azroute serve ARGS --listen 127.0.0.1:0` and waits for the address it prints.
    pub fn start(args: &[&str]) -> Serve {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_azroute"))
            .arg("serve")
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("azroute serve starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("a line");
        let url =
            line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("no URL in {line:?}"));
        let address = url.trim_start_matches("http://").trim_end_matches('/').parse().expect("an address");
        Serve { child, url: url.to_string(), address }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The embedded examples' names.
pub fn example_names() -> Vec<String> {
    azroute(&["examples", "--names"]).ok().stdout.lines().map(str::to_string).collect()
}
