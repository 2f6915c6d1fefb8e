//! The catalogue of finding codes and the README agree: every code is listed, and every doctor
//! check's row gives its default severity and title, so the README's lists stay complete.

use azroute_engine::{CHECKS, FindingCode};
use azroute_report::finding_text::{severity_rule, title};

const README: &str = include_str!("../../../README.md");

#[test]
fn readme_names_every_finding_code() {
    for code in FindingCode::ALL {
        assert!(README.contains(&format!("`{code}`")), "README.md does not name `{code}`");
    }
}

const RULES: &str = include_str!("../../../docs/azure-routing-rules.md");

/// A check's severity as the README and the rules reference give it: the catalogue's default,
/// and when its evidence makes it another.
fn severity_cell(check: &azroute_engine::CodeInfo) -> String {
    match severity_rule(check.code) {
        Some(rule) => format!("{}; {rule}", check.severity),
        None => check.severity.to_string(),
    }
}

#[test]
fn readme_doctor_table_matches_the_catalogue() {
    for check in CHECKS {
        let row = format!("| `{}` | {} | {} |", check.code, severity_cell(check), title(check.code));
        assert!(README.contains(&row), "README.md has no row `{row}`");
    }
}

/// §12.1 of the rules reference gives each check the catalogue's severity.
#[test]
fn rules_reference_severities_match_the_catalogue() {
    for check in CHECKS {
        let cell = format!("| `{}` | {} |", check.code, severity_cell(check));
        assert!(RULES.contains(&cell), "docs/azure-routing-rules.md §12.1 has no row starting `{cell}`");
    }
}

/// Every code only traces raise has a scenario test producing it (the Azure Firewall codes in
/// `firewall_trace.rs`, the platform ones in `egress.rs`, the Azure Virtual Network Manager one in
/// `avnm_admin_rules.rs`).
#[test]
fn every_trace_code_has_a_scenario() {
    let scenarios = [
        include_str!("trace_scenarios.rs"),
        include_str!("firewall_trace.rs"),
        include_str!("egress.rs"),
        include_str!("avnm_admin_rules.rs"),
    ]
    .concat();
    let trace_only = FindingCode::ALL.iter().filter(|c| c.info().found_by == azroute_engine::FoundBy::Trace);
    for code in trace_only {
        assert!(scenarios.contains(&format!("\"{code}\"")), "no trace scenario names {code}");
    }
}
