//! Names the commit the binary is built from in `azroute --version` (`0.1.0 (commit 1a2b3c4d5e6f)`);
//! a build outside a git checkout (a source tarball) says `unknown commit`.
//! `AZROUTE_BUILD_COMMIT` overrides it, for packagers who build from an export.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=AZROUTE_BUILD_COMMIT");
    let commit = std::env::var("AZROUTE_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]));
    // Rebuild when HEAD moves: the HEAD file (a branch switch) and the branch's ref (a commit).
    if let Some(git_dir) = git(&["rev-parse", "--git-dir"]) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(git_dir);
        println!("cargo:rerun-if-changed={}", dir.join("HEAD").display());
        if let (Some(common), Some(head_ref)) =
            (git(&["rev-parse", "--git-common-dir"]), git(&["symbolic-ref", "-q", "HEAD"]))
        {
            let common = Path::new(env!("CARGO_MANIFEST_DIR")).join(common);
            println!("cargo:rerun-if-changed={}", common.join(head_ref).display());
            println!("cargo:rerun-if-changed={}", common.join("packed-refs").display());
        }
    }
    let version = env!("CARGO_PKG_VERSION");
    let described = match commit {
        Some(c) => format!("{version} (commit {c})"),
        None => format!("{version} (unknown commit)"),
    };
    println!("cargo:rustc-env=AZROUTE_VERSION={described}");
}
