//! `azroute reach`: the subnet × subnet reachability matrix, with on-premises prefixes and the
//! Internet as extra columns.

use azroute_engine::{ReachQuery, RouteEngine, reach};
use azroute_model::Protocol;
use azroute_model::{Snapshot, SubnetIdx};
use azroute_report::reach as report;

use crate::args::{ReachArgs, ReachFormat, ReachScopeArgs, TraceProtocolArg};
use crate::input::{self, CliError};
use crate::output::emit_with;

/// `*` and `?` wildcards, case-insensitive.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    // Iterative matcher with backtracking to the last star.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Subnets a glob selects (by `vnet/subnet`, name or id); without a glob, every subnet that
/// can hold hosts.
pub fn select_subnets(snap: &Snapshot, glob: Option<&str>, flag: &str) -> Result<Vec<SubnetIdx>, CliError> {
    let picked: Vec<SubnetIdx> = (0..snap.subnets.len())
        .map(|i| SubnetIdx(i as u32))
        .filter(|s| {
            let subnet = &snap.subnets[s.index()];
            match glob {
                Some(g) => {
                    glob_matches(g, &snap.subnet_label(*s))
                        || glob_matches(g, &subnet.name)
                        || glob_matches(g, subnet.id.as_str())
                }
                None => azroute_engine::in_default_scope(subnet),
            }
        })
        .collect();
    if picked.is_empty() {
        let examples: Vec<String> =
            (0..snap.subnets.len().min(3)).map(|i| snap.subnet_label(SubnetIdx(i as u32))).collect();
        return Err(CliError::new(format!(
            "{flag} {} matches no subnet of the snapshot",
            glob.map(|g| format!("`{g}`")).unwrap_or_else(|| "(default)".into())
        ))
        .hint(if examples.is_empty() {
            "the snapshot holds no subnets".to_string()
        } else {
            format!("globs match `vnet/subnet`, the subnet name or id, e.g. {}", examples.join(", "))
        }));
    }
    Ok(picked)
}

/// The matrix a command's reachability options ask for, on one snapshot.
pub fn query(snap: &Snapshot, scope: &ReachScopeArgs) -> Result<ReachQuery, CliError> {
    Ok(ReachQuery {
        sources: select_subnets(snap, scope.from.as_deref(), "--from")?,
        destinations: select_subnets(snap, scope.to.as_deref(), "--to")?,
        on_premises: !scope.no_on_premises,
        internet: (!scope.no_internet).then_some(scope.internet_address),
        protocol: match scope.protocol {
            TraceProtocolArg::Tcp => Protocol::Tcp,
            TraceProtocolArg::Udp => Protocol::Udp,
            TraceProtocolArg::Icmp => Protocol::Icmp,
        },
        source_port: scope.source_port,
        destination_port: scope.port,
        evaluate_nsgs: !scope.no_nsg,
    })
}

pub fn run(args: ReachArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.snapshot)?;
    let snap = &loaded.snapshot;
    let engine = RouteEngine::new(snap, input::model_options(&args.model));
    let query = query(snap, &args.scope)?;
    let matrix = reach(&engine, &query);
    let report = report::ReachReport::new(snap, &matrix, &query, args.problems);
    emit_with(|out| match args.output {
        ReachFormat::Table => report.write_text(out),
        ReachFormat::Json => report.write_json(out),
        ReachFormat::Csv => report.write_csv(out),
    });
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::glob_matches;

    #[test]
    fn globs() {
        assert!(glob_matches("*", "vnet-hub/snet-a"));
        assert!(glob_matches("vnet-spoke*/*", "VNET-SPOKE1/snet-app"));
        assert!(glob_matches("*/snet-?pp", "vnet/snet-app"));
        assert!(!glob_matches("*/snet-db", "vnet/snet-app"));
        assert!(!glob_matches("vnet", "vnet/snet"));
        assert!(glob_matches("a*b*c", "aXXbYYc"));
        assert!(!glob_matches("a*b*c", "aXXbYY"));
    }
}
