//! The help a newcomer reads: every command's `-h` and `--help` within 100 columns, its own
//! options before the snapshot and modelling options, every worked example runnable (those on an
//! embedded example or on files an earlier example wrote run here and exit 0 or 1, never 2) and
//! shown in the README too; `--version`, shell completions and the man page.

mod common;

use std::path::Path;

use common::*;

const COMMANDS: &[&str] = &[
    "routes",
    "next-hop",
    "security-rules",
    "ip-flow",
    "trace",
    "firewall-flow",
    "reach",
    "diff",
    "what-if",
    "doctor",
    "serve",
    "report",
    "verify",
    "collect",
    "examples",
    "generate",
    "completions",
    "man",
];

fn help(command: Option<&str>, flag: &str) -> String {
    let mut args: Vec<&str> = command.into_iter().collect();
    args.push(flag);
    azroute(&args).ok().stdout
}

#[test]
fn every_help_line_fits_in_100_columns() {
    let mut pages =
        vec![(String::from("azroute -h"), help(None, "-h")), ("azroute --help".into(), help(None, "--help"))];
    for command in COMMANDS {
        for flag in ["-h", "--help"] {
            pages.push((format!("azroute {command} {flag}"), help(Some(command), flag)));
        }
    }
    for (page, text) in pages {
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{page}: {} columns:\n{line}", line.chars().count());
        }
    }
}

#[test]
fn own_options_come_before_snapshot_and_modelling_options() {
    for command in
        ["routes", "next-hop", "security-rules", "ip-flow", "trace", "reach", "doctor", "serve", "report", "verify"]
    {
        for flag in ["-h", "--help"] {
            let text = help(Some(command), flag);
            let options = text.find("\nOptions:").unwrap_or_else(|| panic!("{command} {flag}: no Options"));
            let snapshot = text.find("\nSnapshot:").unwrap_or_else(|| panic!("{command} {flag}: no Snapshot"));
            let modelling = text.find("\nModelling options").unwrap_or_else(|| panic!("{command}: no Modelling"));
            assert!(options < snapshot && snapshot < modelling, "{command} {flag}:\n{text}");
            assert!(!text.contains("<RESERVED_NONE_PROFILE>"), "short value names: {command}");
        }
    }
    let routes = help(Some("routes"), "-h");
    let own = &routes[..routes.find("\nSnapshot:").unwrap()];
    for option in ["--nic", "--vm", "--subnet", "--output", "--explain", "--all"] {
        assert!(own.contains(option), "{option} among routes' own options:\n{own}");
    }
}

/// The worked examples at the end of a help page, continuation lines joined.
fn examples_of(text: &str) -> Vec<String> {
    let Some(start) = text.find("\nExamples:\n") else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    let mut continued = false;
    for line in text[start + 11..].lines() {
        if line.trim().is_empty() {
            break;
        }
        let part = line.trim().trim_end_matches('\\').trim_end().to_string();
        if continued {
            let last = out.last_mut().expect("a continued line follows a command");
            last.push(' ');
            last.push_str(&part);
        } else {
            out.push(part);
        }
        continued = line.trim_end().ends_with('\\');
    }
    out
}

/// Splits a shell command line: whitespace-separated words, single quotes kept together, a
/// trailing `# comment` dropped.
fn words(line: &str) -> Vec<String> {
    let line = line.split(" # ").next().unwrap_or(line);
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut has_word = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                has_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if has_word {
                    out.push(std::mem::take(&mut word));
                    has_word = false;
                }
            }
            c => {
                word.push(c);
                has_word = true;
            }
        }
    }
    if has_word {
        out.push(word);
    }
    out
}

/// Runs one example in `dir` if it can run there: exit status, or `None` when skipped (it needs
/// Azure, Terraform, or a file no earlier example wrote).
fn run_example(line: &str, dir: &Path) -> Option<Run> {
    let mut args = words(line);
    if args.first().map(String::as_str) != Some("azroute") || line.contains("100k") {
        return None;
    }
    args.remove(0);
    // `collect` needs Azure; `serve` answers until it is stopped (tests/web.rs runs it).
    if matches!(args.first().map(String::as_str), Some("collect" | "serve")) {
        return None;
    }
    // `| …` is dropped; `> FILE` and `>> FILE` write stdout to a file of that name in `dir`.
    if let Some(pipe) = args.iter().position(|a| a == "|") {
        args.truncate(pipe);
    }
    let redirect = args.iter().position(|a| a == ">" || a == ">>");
    let target = redirect.map(|i| args[i + 1].rsplit('/').next().expect("a file name").to_string());
    if let Some(i) = redirect {
        args.truncate(i);
    }
    for (i, arg) in args.iter().enumerate() {
        let is_path_flag = ["--snapshot", "--actual", "--before", "--after", "--plan"].contains(&arg.as_str());
        if let Some(value) = args.get(i + 1).filter(|_| is_path_flag)
            && !value.starts_with("example:")
            && !dir.join(value).exists()
        {
            return None;
        }
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = azroute_in(Some(dir), &argv);
    if let Some(file) = target {
        std::fs::write(dir.join(file), &run.stdout).unwrap();
    }
    Some(run)
}

#[test]
fn every_help_example_that_can_run_here_exits_0_or_1() {
    // The README's command lines, continuation lines joined, as words.
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let mut readme_words: Vec<Vec<String>> = Vec::new();
    let mut pending = String::new();
    for line in readme.lines() {
        pending.push_str(line.trim().trim_end_matches('\\'));
        pending.push(' ');
        if !line.trim_end().ends_with('\\') {
            readme_words.push(words(&std::mem::take(&mut pending)));
        }
    }
    let mut ran = 0;
    for command in [None].into_iter().chain(COMMANDS.iter().map(|c| Some(*c))) {
        let dir = temp_dir(&format!("help-examples-{}", command.unwrap_or("top")));
        for example in examples_of(&help(command, "--help")) {
            // The README shows the same example (README lines may wrap with `\` too).
            let wanted = words(&example);
            assert!(
                readme_words.contains(&wanted),
                "the README lacks the example of `azroute {} --help`: {example}",
                command.unwrap_or("")
            );
            if let Some(run) = run_example(&example, &dir) {
                assert!(run.code == 0 || run.code == 1, "`{example}` exited {}:\n{}", run.code, run.stderr);
                ran += 1;
            }
        }
    }
    assert!(ran >= 30, "only {ran} examples ran");
}

#[test]
fn version_names_the_commit() {
    let run = azroute(&["--version"]).ok();
    let line = run.stdout.trim();
    assert!(line.starts_with(&format!("azroute {} (", env!("CARGO_PKG_VERSION"))), "{line}");
    let inside = line.rsplit_once('(').unwrap().1.trim_end_matches(')');
    let commit = inside.strip_prefix("commit ");
    assert!(
        inside == "unknown commit"
            || commit.is_some_and(|c| c.len() >= 7 && c.chars().all(|ch| ch.is_ascii_hexdigit())),
        "{line}"
    );
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = azroute(&["completions", shell]).ok();
        for word in ["routes", "next-hop", "assume-host", "reserved-none-profile"] {
            assert!(run.stdout.contains(word), "{shell} completion lacks {word}");
        }
    }
    azroute(&["completions", "tcsh"]).fails();
}

#[test]
fn man_pages_come_from_the_same_definitions() {
    let page = azroute(&["man"]).ok().stdout;
    assert!(page.starts_with(".ie") || page.contains(".TH azroute 1"), "{}", &page[..200.min(page.len())]);
    assert!(page.contains("routes") && page.contains("Terraform"), "the page lists the commands");
    let dir = temp_dir("man-pages");
    let out = dir.join("man");
    let run = azroute(&["man", "--out", out.to_str().unwrap()]).ok();
    assert!(run.stdout.contains("wrote 20 manual page(s)"), "{}", run.stdout);
    let routes = std::fs::read_to_string(out.join("azroute-routes.1")).unwrap();
    assert!(routes.contains(".TH azroute-routes 1") && routes.contains("\\-\\-nic"), "{routes}");
    assert!(routes.contains("azroute routes"), "synopsis names the command");
}

/// The licence Cargo.toml declares, in the files the README links.
#[test]
fn licence_files_match_cargo_toml() {
    let cargo = std::fs::read_to_string(repo("Cargo.toml")).unwrap();
    assert!(cargo.contains(r#"license = "MIT OR Apache-2.0""#));
    let apache = std::fs::read_to_string(repo("LICENSE-APACHE")).unwrap();
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
    let mit = std::fs::read_to_string(repo("LICENSE-MIT")).unwrap();
    assert!(mit.contains("Permission is hereby granted, free of charge"));
}
