//! Reads exported Azure JSON into an azroute [`Snapshot`]: the only crate that knows Azure's
//! JSON shapes.
//!
//! Accepted, in any mix, one or many per file: a single ARM resource, a list of them,
//! `{"value": [...]}` (REST lists and `az ... list`), Resource Graph output (`{"data": [...]}`
//! or its table format), REST API spec examples (`responses.200.body`), Azure's Service Tags
//! file, learned-routes wrappers (`{"gatewayId": ..., "learnedRoutes": ...}`), and Terraform JSON
//! (`terraform show -json` of a state or plan, raw `terraform.tfstate`). Fields may sit
//! under `properties` (REST, Resource Graph) or be flattened (az CLI); keys and resource types
//! are matched case-insensitively.
//!
//! Architecture invariant: ingest never fails as a whole. It returns the snapshot it could build
//! and every problem as a [`Diagnostic`]; each command decides what is fatal.

#![forbid(unsafe_code)]

mod arm;
mod arm_avnm;
mod arm_firewall;
mod arm_hub;
mod arm_platform;
mod arm_vwan;
mod checks;
mod diag;
mod dto;
mod dto_avnm;
mod dto_firewall;
mod dto_platform;
mod dto_vwan;
mod envelope;
mod link;
pub mod observed;
pub mod observed_hub;
mod overlay;
mod pending;
mod pieces;
mod shared_ids;
mod terraform;
mod unintended;
mod values;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use azroute_model::{Snapshot, SourceFile};
use rayon::prelude::*;

pub use diag::{Diagnostic, Severity};
pub use observed::{ObservedFiles, load_observed, load_observed_all, parse_observed};

/// Limits on what ingest reads.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// Files larger than this are refused rather than read into memory.
    pub max_file_size: u64,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions { max_file_size: 512 * 1024 * 1024 }
    }
}

/// Counts of what was read, for `-v` output.
#[derive(Clone, Debug, Default)]
pub struct IngestStats {
    pub files: usize,
    pub bytes: u64,
    pub resources: usize,
    /// Resources of types azroute does not model, by lower-cased type.
    pub skipped_types: BTreeMap<String, usize>,
    /// Objects without a resource type (API results, effective routes, …).
    pub untyped_objects: usize,
}

/// The result of reading a snapshot.
#[derive(Debug)]
pub struct Loaded {
    pub snapshot: Snapshot,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: IngestStats,
    /// Normalised ids of resources a Terraform plan in the input deletes (actions
    /// `["delete"]`, and the old id of a replacement that changes it; a replacement that keeps
    /// its id is not a deletion). Empty for every other input.
    pub deleted: Vec<String>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Lists the `*.json` (and raw Terraform `*.tfstate`) files a path names: the file itself, or
/// every one below a directory (recursively, sorted, so the answer never depends on directory
/// order), leaving out hidden directories and `node_modules` below it (editor settings, git
/// and npm files are not exports; a path named explicitly is always read).
pub fn discover(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|err| {
        Diagnostic::error("SnapshotNotFound", format!("cannot read `{}`: {err}", path.display()))
            .hint("`--snapshot` takes a directory of exported JSON files or a single JSON file")
    })?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|err| Diagnostic::error("SnapshotNotFound", format!("cannot list `{}`: {err}", dir.display())))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                if !is_tooling_directory(&p) {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("tfstate"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(Diagnostic::error(
            "EmptySnapshot",
            format!("no `*.json` or `*.tfstate` files below `{}`", path.display()),
        )
        .hint("export the estate with the `az` commands in the README into this directory"));
    }
    Ok(out)
}

/// A directory of tools rather than exports: hidden (`.vscode`, `.git`, `.terraform`) or
/// `node_modules`.
fn is_tooling_directory(dir: &Path) -> bool {
    dir.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') || n == "node_modules")
}

thread_local! {
    /// Each parsing thread reads its files into one reused buffer: a fresh multi-megabyte
    /// allocation per file fragments the heap (it lands among the small allocations parsing
    /// makes, and is given back late), which showed as tens of megabytes of extra peak memory.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Smallest read buffer (see [`with_file_text`]): the size from which a file is read in pieces
/// ([`pieces::PIECES_FROM`]), so that one buffer per thread, reserved once, holds every file
/// still read whole (at most 3 MB on a 100k-NIC estate). A larger reservation (it was 33 MiB,
/// for glibc's mmap threshold when the NIC lists were read whole) is address space the heap
/// profile counts and, once touched by a file that gave up on pieces, resident memory.
const READ_BUFFER_MIN: usize = pieces::PIECES_FROM as usize;

/// Reads one file into the thread's buffer and hands its text to `f`, refusing files over the
/// size limit and text that is not UTF-8.
fn with_file_text<R>(path: &Path, options: &IngestOptions, f: impl FnOnce(&str) -> R) -> Result<R, Diagnostic> {
    use std::io::Read;
    let shown = path.display().to_string();
    let read_error =
        |err: std::io::Error| Diagnostic::error("ReadError", format!("cannot read the file: {err}")).in_file(&shown);
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if meta.len() > options.max_file_size {
        return Err(Diagnostic::error(
            "FileTooLarge",
            format!("the file is {} bytes, over the {}-byte limit", meta.len(), options.max_file_size),
        )
        .in_file(&shown)
        .hint("raise the limit with `--max-file-size BYTES` if this really is one export, or split it"));
    }
    READ_BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        buffer.clear();
        // Reserved once per thread (see `READ_BUFFER_MIN`) and reused for every file it reads;
        // pages never written cost no memory.
        buffer.reserve_exact((meta.len() as usize + 1).max(READ_BUFFER_MIN));
        // Opened read-only: azroute never writes its inputs.
        std::fs::File::open(path).and_then(|mut file| file.read_to_end(&mut buffer)).map_err(read_error)?;
        let text = unintended::decode_text(&buffer).map_err(|d| d.in_file(&shown))?;
        Ok(f(&text))
    })
}

/// Frees every parsing thread's read buffer once all files are read.
fn release_read_buffers() {
    rayon::broadcast(|_| READ_BUFFER.with(|b| *b.borrow_mut() = Vec::new()));
    READ_BUFFER.with(|b| *b.borrow_mut() = Vec::new());
}

fn parse_one(index: usize, path: &str, text: &str) -> pending::Pending {
    let _reading = shared_ids::reading();
    let mut pending = pending::Pending::new(index as u32, path);
    let parsed = envelope::parse_text(text, &mut pending);
    if let Err(diag) = parsed {
        let mut failed = pending::Pending::new(index as u32, path);
        failed.diagnostics.push(unintended::explain_parse_failure(text, diag).in_file(path));
        return failed;
    }
    unintended::check_read_file(text, &mut pending);
    pending.shrink_to_fit();
    pending
}

/// A large file read in pieces (see [`pieces`]) with its byte count; `None` when it is small,
/// over the size limit, or not a plain list (the caller reads it whole).
fn read_in_pieces(path: &Path, options: &IngestOptions, index: usize, shown: &str) -> Option<(pending::Pending, u64)> {
    let len = std::fs::metadata(path).ok()?.len();
    if len < pieces::PIECES_FROM || len > options.max_file_size {
        return None;
    }
    let _reading = shared_ids::reading();
    let read = pieces::read_list_in_pieces(path, index as u32, shown);
    read.map(|(mut pending, bytes)| {
        pending.shrink_to_fit();
        (pending, bytes)
    })
}

fn finish(parts: Vec<pending::Pending>, files: Vec<SourceFile>, bytes: u64, mut early: Vec<Diagnostic>) -> Loaded {
    let mut all = pending::Pending::merge(parts);
    let stats = IngestStats {
        files: files.len(),
        bytes,
        resources: all.resources_read,
        skipped_types: all.skipped_types.clone(),
        untyped_objects: all.untyped_objects,
    };
    let mut deleted = std::mem::take(&mut all.deleted);
    deleted.sort();
    deleted.dedup();
    let (snapshot, mut diagnostics) = link::link(all, files);
    early.append(&mut diagnostics);
    early.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Loaded { snapshot, diagnostics: early, stats, deleted }
}

/// What reading the files of one path gave, before linking.
struct Parts {
    parts: Vec<pending::Pending>,
    files: Vec<SourceFile>,
    bytes: u64,
}

/// Reads every file a path names (in parallel); file numbers start at `first_file`.
fn read_parts(path: &Path, options: &IngestOptions, first_file: usize) -> Result<Parts, Diagnostic> {
    let paths = discover(path)?;
    let files: Vec<SourceFile> = paths.iter().map(|p| SourceFile { path: p.display().to_string() }).collect();
    // Ids are shared across all the files (a NIC's VM is read from another file than the NIC).
    let reading = shared_ids::reading();
    let results: Vec<(pending::Pending, u64)> = paths
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let shown = p.display().to_string();
            if let Some(read) = read_in_pieces(p, options, first_file + i, &shown) {
                return read;
            }
            match with_file_text(p, options, |text| (parse_one(first_file + i, &shown, text), text.len() as u64)) {
                Ok(parsed) => parsed,
                Err(diag) => {
                    let mut failed = pending::Pending::new((first_file + i) as u32, &shown);
                    failed.diagnostics.push(diag);
                    (failed, 0)
                }
            }
        })
        .collect();
    drop(reading);
    release_read_buffers();
    let bytes = results.iter().map(|(_, b)| b).sum();
    Ok(Parts { parts: results.into_iter().map(|(p, _)| p).collect(), files, bytes })
}

fn failed(diag: Diagnostic) -> Loaded {
    Loaded {
        snapshot: Snapshot::default(),
        diagnostics: vec![diag],
        stats: IngestStats::default(),
        deleted: Vec::new(),
    }
}

/// Reads every `*.json` file a path names (in parallel) into one snapshot.
pub fn load_path(path: &Path, options: &IngestOptions) -> Loaded {
    match read_parts(path, options, 0) {
        Ok(p) => finish(p.parts, p.files, p.bytes, Vec::new()),
        Err(diag) => failed(diag),
    }
}

/// Reads a live snapshot and lays another input over it (a Terraform plan, or any snapshot):
/// every resource of the overlay replaces the base resource with the same id or is added, and
/// resources the overlay deletes (a plan's `["delete"]` actions), with their children, are
/// removed. This is the estate as it will be once the plan is applied.
pub fn load_overlay(base: &Path, overlay: &Path, options: &IngestOptions) -> Loaded {
    let base = match read_parts(base, options, 0) {
        Ok(p) => p,
        Err(diag) => return failed(diag),
    };
    let over = match read_parts(overlay, options, base.files.len()) {
        Ok(p) => p,
        Err(diag) => return failed(diag),
    };
    finish_overlay(base, over)
}

/// [`load_overlay`] over in-memory files (the embedded examples, tests).
pub fn load_overlay_texts(base: &[(String, String)], overlay: &[(String, String)]) -> Loaded {
    let reading = shared_ids::reading();
    let parts = |texts: &[(String, String)], first: usize| Parts {
        parts: texts.iter().enumerate().map(|(i, (name, text))| parse_one(first + i, name, text)).collect(),
        files: texts.iter().map(|(name, _)| SourceFile { path: name.clone() }).collect(),
        bytes: texts.iter().map(|(_, t)| t.len() as u64).sum(),
    };
    let (base, overlay) = (parts(base, 0), parts(overlay, base.len()));
    drop(reading);
    finish_overlay(base, overlay)
}

/// [`load_overlay`] with an in-memory base and an overlay path.
pub fn load_overlay_on_texts(base: &[(String, String)], overlay: &Path, options: &IngestOptions) -> Loaded {
    let base = Parts {
        parts: base.iter().enumerate().map(|(i, (name, text))| parse_one(i, name, text)).collect(),
        files: base.iter().map(|(name, _)| SourceFile { path: name.clone() }).collect(),
        bytes: base.iter().map(|(_, t)| t.len() as u64).sum(),
    };
    match read_parts(overlay, options, base.files.len()) {
        Ok(over) => finish_overlay(base, over),
        Err(diag) => failed(diag),
    }
}

fn finish_overlay(base: Parts, over: Parts) -> Loaded {
    let mut below = pending::Pending::default();
    for part in base.parts {
        below.absorb(part);
    }
    let mut above = pending::Pending::default();
    for part in over.parts {
        above.absorb(part);
    }
    below.overlay_with(&mut above);
    let mut files = base.files;
    files.extend(over.files);
    finish(vec![below, above], files, base.bytes + over.bytes, Vec::new())
}

/// Reads in-memory files (the embedded examples, tests) into one snapshot.
pub fn load_texts(texts: &[(String, String)]) -> Loaded {
    let files: Vec<SourceFile> = texts.iter().map(|(name, _)| SourceFile { path: name.clone() }).collect();
    let reading = shared_ids::reading();
    let parts: Vec<pending::Pending> =
        texts.iter().enumerate().map(|(i, (name, text))| parse_one(i, name, text)).collect();
    drop(reading);
    let bytes = texts.iter().map(|(_, t)| t.len() as u64).sum();
    finish(parts, files, bytes, Vec::new())
}

/// Reads in-memory bytes (possibly not UTF-8) as one file; for fuzzing and tests.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Loaded {
    match unintended::decode_text(bytes) {
        Ok(text) => load_texts(&[(name.to_string(), text.into_owned())]),
        Err(diag) => Loaded {
            snapshot: Snapshot::default(),
            diagnostics: vec![diag.in_file(name)],
            stats: IngestStats::default(),
            deleted: Vec::new(),
        },
    }
}
