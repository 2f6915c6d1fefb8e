//! Every rule citation resolves in the project's rules reference, `docs/azure-routing-rules.md`:
//! each `§N`/`§N.M` section, `TNN` scenario and `CNN` conflict cited in a `.rs` file under
//! `crates/` or `fuzz/` (comments, test names and `--help` texts alike), in a Markdown file or in
//! `tools/` exists in the document; nothing names a research file outside the repository; and
//! every scenario of §14 is either tested by a `tNN_…` test or says why it is not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const DOC: &str = "docs/azure-routing-rules.md";

/// Names of material outside the repository that code must not send readers to: the research
/// files the rules reference replaces, and the way they used to be referred to.
const OUTSIDE_SOURCES: &[&str] = &[
    "shared/reference",
    "azure-routing.md",
    "peers-and-pain-points",
    "azure-data-formats.md",
    "azure-firewall-and-egress.md",
    "azure-hub-routing.md",
    "rust-ecosystem.md",
    "pain-points note",
    "research note",
];

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Citation {
    Section(String),
    Scenario(String),
    Conflict(String),
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository root exists")
}

/// A section number at the start of `s`: digits, an optional lowercase letter (`14b`), then
/// `.digits` groups; a trailing full stop is punctuation, not part of the number.
fn section_number(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == 0 {
        return None;
    }
    if i < b.len() && b[i].is_ascii_lowercase() && !b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    while i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    Some(&s[..i])
}

/// A scenario (`T37`) or conflict (`C12`) label at byte `i`: the letter, then one or two digits
/// for conflicts and exactly two for scenarios, standing alone as a word.
fn label_at(text: &str, i: usize, letter: u8, digits: std::ops::RangeInclusive<usize>) -> Option<String> {
    let b = text.as_bytes();
    if b[i] != letter || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) {
        return None;
    }
    let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    let end = i + 1 + n;
    let alone = !b.get(end).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
    (digits.contains(&n) && alone).then(|| text[i..end].to_string())
}

/// Every citation in a text, with its line number.
fn citations(text: &str) -> Vec<(usize, Citation)> {
    let mut out = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(pos) = rest.find('§') {
            rest = &rest[pos + '§'.len_utf8()..];
            let Some(first) = section_number(rest) else { continue };
            out.push((line_no + 1, Citation::Section(first.to_string())));
            // A range such as `§13–14b`: its end is cited too.
            let after = &rest[first.len()..];
            if let Some(end) = after.strip_prefix('–').or_else(|| after.strip_prefix('-')).and_then(section_number) {
                out.push((line_no + 1, Citation::Section(end.to_string())));
            }
        }
        for i in 0..line.len() {
            if !line.is_char_boundary(i) {
                continue;
            }
            if let Some(t) = label_at(line, i, b'T', 2..=2) {
                out.push((line_no + 1, Citation::Scenario(t)));
            } else if let Some(c) = label_at(line, i, b'C', 1..=2) {
                out.push((line_no + 1, Citation::Conflict(c)));
            }
        }
    }
    out
}

/// What the document defines: section headings (`## 4. …`, `### 4.2 …`, `## 14b. …`), scenario
/// headings (`### T01 – …`) with their text, and conflict rows (`| C1 | …`).
struct Reference {
    sections: BTreeSet<String>,
    scenarios: BTreeMap<String, String>,
    conflicts: BTreeSet<String>,
}

fn reference(doc: &str) -> Reference {
    let mut sections = BTreeSet::new();
    let mut scenarios: BTreeMap<String, String> = BTreeMap::new();
    let mut conflicts = BTreeSet::new();
    let mut current_scenario: Option<String> = None;
    for line in doc.lines() {
        if let Some(heading) = line.strip_prefix("##").map(|h| h.trim_start_matches('#').trim_start()) {
            current_scenario = None;
            if let Some(number) = section_number(heading) {
                sections.insert(number.to_string());
            } else if let Some(t) = label_at(heading, 0, b'T', 2..=2) {
                scenarios.insert(t.clone(), String::new());
                current_scenario = Some(t);
            }
            continue;
        }
        if let Some(t) = &current_scenario {
            let body = scenarios.get_mut(t).expect("inserted at its heading");
            body.push_str(line);
            body.push('\n');
        }
        if let Some(cell) = line.strip_prefix("| C")
            && let Some(number) = cell.split(' ').next()
            && !number.is_empty()
            && number.bytes().all(|c| c.is_ascii_digit())
        {
            conflicts.insert(format!("C{number}"));
        }
    }
    Reference { sections, scenarios, conflicts }
}

/// Files that cite rules: `.rs` under `crates/` and `fuzz/`, every Markdown file, and `tools/`.
fn cited_files(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, keep: &dyn Fn(&Path) -> bool) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            if path.is_dir() {
                walk(&path, out, keep);
            } else if keep(&path) {
                out.push(path);
            }
        }
    }
    let ext = |p: &Path, e: &str| p.extension().is_some_and(|x| x == e);
    let mut out = Vec::new();
    walk(root, &mut out, &|p| ext(p, "md"));
    for dir in ["crates", "fuzz"] {
        walk(&root.join(dir), &mut out, &|p| ext(p, "rs"));
    }
    walk(&root.join("tools"), &mut out, &|p| ext(p, "py") || ext(p, "sh"));
    out.sort();
    out
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

#[test]
fn the_scanner_finds_each_kind_of_citation() {
    let text = "x (§4.2, T37) and §13–14b.\n§1.1 history, C1/C12; §5 and §14b: T01–T38 RFC 3339 2024-01-01T00:00:00Z CONN0 TC12 T3 T123";
    let found: Vec<Citation> = citations(text).into_iter().map(|(_, c)| c).collect();
    let s = |n: &str| Citation::Section(n.to_string());
    let t = |n: &str| Citation::Scenario(n.to_string());
    let c = |n: &str| Citation::Conflict(n.to_string());
    assert_eq!(
        found,
        vec![s("4.2"), s("13"), s("14b"), t("T37"), s("1.1"), s("5"), s("14b"), c("C1"), c("C12"), t("T01"), t("T38")]
    );
    let doc = "## 4. Route selection\n### 4.2 The recipe\n## 14b. Options\n### T37 – Peer removed\ntext\n| C1 | a |\n";
    let r = reference(doc);
    assert_eq!(r.sections, ["14b", "4", "4.2"].iter().map(|s| s.to_string()).collect());
    assert_eq!(r.scenarios.keys().cloned().collect::<Vec<_>>(), vec!["T37".to_string()]);
    assert_eq!(r.scenarios["T37"], "text\n| C1 | a |\n");
    assert_eq!(r.conflicts, ["C1"].iter().map(|s| s.to_string()).collect());
}

#[test]
fn every_citation_resolves_in_the_rules_reference() {
    let root = repo();
    let doc = std::fs::read_to_string(root.join(DOC)).expect("docs/azure-routing-rules.md exists");
    let r = reference(&doc);
    assert!(
        r.sections.len() > 60 && r.scenarios.len() > 30 && r.conflicts.len() > 10,
        "the document lost its headings"
    );
    let this_file = Path::new(file!()).file_name().expect("a file name").to_owned();
    let mut checked = 0;
    let mut in_doc = 0;
    let mut files_citing = 0;
    let mut unresolved = Vec::new();
    let mut outside = Vec::new();
    for path in cited_files(&root) {
        if path.file_name() == Some(this_file.as_os_str()) {
            continue; // its own examples and the names it forbids
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let found = citations(&text);
        files_citing += usize::from(!found.is_empty());
        if path.ends_with(DOC) {
            in_doc += found.len();
        }
        for (line, citation) in found {
            checked += 1;
            let ok = match &citation {
                Citation::Section(n) => r.sections.contains(n),
                Citation::Scenario(t) => r.scenarios.contains_key(t),
                Citation::Conflict(c) => r.conflicts.contains(c),
            };
            if !ok {
                unresolved.push(format!("{}:{line}: {citation:?}", relative(&root, &path)));
            }
        }
        for (line_no, line) in text.lines().enumerate() {
            for name in OUTSIDE_SOURCES {
                if line.to_ascii_lowercase().contains(name) {
                    outside.push(format!("{}:{}: `{name}`", relative(&root, &path), line_no + 1));
                }
            }
        }
    }
    assert!(
        unresolved.is_empty(),
        "{} citation(s) name a section, scenario or conflict that {DOC} does not have (add it there, or fix the citation):\n{}",
        unresolved.len(),
        unresolved.join("\n")
    );
    assert!(
        outside.is_empty(),
        "cite {DOC} (§N.M) instead of material outside the repository:\n{}",
        outside.join("\n")
    );
    assert!(checked > 300, "only {checked} citations found: is the scan still reading the tree?");
    eprintln!("{checked} citations in {files_citing} files ({in_doc} in {DOC} itself) resolve in {DOC}");
}

#[test]
fn every_scenario_is_tested_or_says_why_not() {
    let root = repo();
    let doc = std::fs::read_to_string(root.join(DOC)).expect("docs/azure-routing-rules.md exists");
    let r = reference(&doc);
    // Test functions of the integration tests, by file stem.
    let mut tests: BTreeMap<String, String> = BTreeMap::new();
    for path in cited_files(&root) {
        let in_tests = path.parent().is_some_and(|p| p.ends_with("tests"));
        if in_tests && path.extension().is_some_and(|e| e == "rs") {
            let stem = path.file_stem().expect("a file name").to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).expect("readable");
            tests.entry(stem).or_default().push_str(&text);
        }
    }
    let all_tests: String = tests.values().map(String::as_str).collect();
    let mut problems = Vec::new();
    for (t, body) in &r.scenarios {
        let named = format!("fn {}_", t.to_ascii_lowercase());
        let tested = all_tests.contains(&named);
        let says_why = body.contains("**Not tested**");
        if tested == says_why {
            problems.push(format!(
                "{t}: {}",
                if tested {
                    "has a test but says **Not tested**"
                } else {
                    "has no `fn tNN_…` test and does not say why"
                }
            ));
        }
        // Tests the entry names (`file::function`) exist.
        for quoted in body.split('`').skip(1).step_by(2) {
            if let Some((stem, function)) = quoted.split_once("::")
                && stem.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
                && function.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
            {
                let found = tests.get(stem).is_some_and(|text| text.contains(&format!("fn {function}(")));
                if !found {
                    problems.push(format!("{t}: names `{quoted}`, which is not a test in a `{stem}.rs`"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "§14 of {DOC} and the tests disagree:\n{}", problems.join("\n"));
}
