//! Loading the snapshot a command names, printing ingest diagnostics, and turning command-line
//! options into model options.

use std::collections::BTreeMap;
use std::sync::Mutex;

use azroute_ingest::{Diagnostic, IngestOptions, Loaded, Severity};
use azroute_model::*;

use crate::args::*;
use crate::examples;

/// An error for the user: what went wrong and, where there is one, what to do about it; a
/// command that checks many things (verify) lists each failure as a cause, printed before it.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub hint: Option<String>,
    pub causes: Vec<CliError>,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> CliError {
        CliError { message: message.into(), hint: None, causes: Vec::new() }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hint = Some(hint.into());
        self
    }

    pub fn causes(mut self, causes: Vec<CliError>) -> CliError {
        self.causes = causes;
        self
    }

    /// `error: …` and `  hint: …` lines, causes first.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for cause in &self.causes {
            out.push_str(&cause.render());
        }
        out.push_str(&format!("error: {}\n", self.message));
        if let Some(hint) = &self.hint {
            out.push_str(&format!("  hint: {hint}\n"));
        }
        out
    }
}

impl From<azroute_query::QueryError> for CliError {
    fn from(err: azroute_query::QueryError) -> CliError {
        CliError { message: err.message, hint: err.hint, causes: Vec::new() }
    }
}

// The query layer words every library error once, for the command line and the web server alike.
impl From<LookupError> for CliError {
    fn from(err: LookupError) -> CliError {
        azroute_query::QueryError::from(err).into()
    }
}

impl From<azroute_engine::RouteError> for CliError {
    fn from(err: azroute_engine::RouteError) -> CliError {
        azroute_query::QueryError::from(err).into()
    }
}

impl From<azroute_engine::EndpointError> for CliError {
    fn from(err: azroute_engine::EndpointError) -> CliError {
        azroute_query::QueryError::from(err).into()
    }
}

/// Warnings (and, with `--verbose`, what was read) wait here until the command has answered or
/// failed, so that the error that matters comes first (`main` prints them last).
static DEFERRED: Mutex<String> = Mutex::new(String::new());

/// Takes the deferred warnings, for `main` to print.
pub fn take_deferred() -> String {
    std::mem::take(&mut *DEFERRED.lock().unwrap_or_else(|e| e.into_inner()))
}

fn defer(text: &str) {
    DEFERRED.lock().unwrap_or_else(|e| e.into_inner()).push_str(text);
}

/// Loads the snapshot (or example), prints diagnostics to stderr, and fails on errors.
pub fn load(args: &SnapshotArgs) -> Result<Loaded, CliError> {
    let reading = crate::progress::spinner("reading the snapshot");
    let loaded = match (&args.example, &args.snapshot) {
        (Some(name), _) => azroute_ingest::load_texts(&example_texts(name)?),
        (None, Some(path)) => azroute_ingest::load_path(path, &ingest_options(&args.load)),
        (None, None) => {
            return Err(CliError::new("no snapshot given").hint("pass `--snapshot PATH` or `--example NAME`"));
        }
    };
    drop(reading);
    require_network_resources(checked(loaded, &args.load, "the snapshot")?, args.snapshot.as_deref())
}

pub fn ingest_options(args: &LoadArgs) -> IngestOptions {
    IngestOptions { max_file_size: args.max_file_size }
}

/// The files of an embedded example.
fn example_texts(name: &str) -> Result<Vec<(String, String)>, CliError> {
    Ok(examples::texts(examples::named(name)?))
}

/// Prints a load's diagnostics and refuses one with errors.
fn checked(loaded: Loaded, args: &LoadArgs, what: &str) -> Result<Loaded, CliError> {
    report_diagnostics(&loaded.diagnostics, args);
    if args.verbose {
        defer(&read_summary(&loaded));
    }
    let errors = loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    if errors > 0 {
        return Err(CliError::new(format!(
            "{what} has {errors} error(s) (listed above); azroute does not answer from input it cannot trust"
        ))
        .hint("fix or remove the files named above; every error names its file and JSON path"));
    }
    Ok(loaded)
}

/// Loads one side of a comparison: a path, or `example:NAME`.
pub fn load_spec(spec: &str, args: &LoadArgs, what: &str) -> Result<Loaded, CliError> {
    let reading = crate::progress::spinner(&format!("reading {what}"));
    let loaded = match spec.strip_prefix("example:") {
        Some(name) => azroute_ingest::load_texts(&example_texts(name)?),
        None => azroute_ingest::load_path(std::path::Path::new(spec), &ingest_options(args)),
    };
    drop(reading);
    require_network_resources(checked(loaded, args, what)?, Some(std::path::Path::new(spec)))
}

/// The snapshot options that name a `diff` side (a path or `example:NAME`) to other commands,
/// quoted for a POSIX shell where needed, for commands the user can paste.
pub fn snapshot_args_of_spec(spec: &str) -> String {
    match spec.strip_prefix("example:") {
        Some(name) => format!("--example {}", shell_word(name)),
        None => format!("--snapshot {}", shell_word(spec)),
    }
}

/// A word as a POSIX shell reads it back: as is when it holds only safe characters, else in
/// single quotes.
fn shell_word(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The live snapshot with a plan (or any snapshot) laid over it.
pub fn load_with_overlay(args: &SnapshotArgs, plan: &std::path::Path) -> Result<Loaded, CliError> {
    let options = ingest_options(&args.load);
    let reading = crate::progress::spinner("reading the snapshot and the plan");
    let loaded = match (&args.example, &args.snapshot) {
        (Some(name), _) => azroute_ingest::load_overlay_on_texts(&example_texts(name)?, plan, &options),
        (None, Some(path)) => azroute_ingest::load_overlay(path, plan, &options),
        (None, None) => {
            return Err(CliError::new("no snapshot given").hint("pass `--snapshot PATH` or `--example NAME`"));
        }
    };
    drop(reading);
    let loaded = checked(loaded, &args.load, "the snapshot with the plan applied")?;
    require_network_resources(loaded, args.snapshot.as_deref())
}

/// Every question needs network resources: a snapshot without any (a `package.json`, an
/// editor's settings, an export that wrote only an error) is refused, naming where it looked.
fn require_network_resources(loaded: Loaded, path: Option<&std::path::Path>) -> Result<Loaded, CliError> {
    if loaded.snapshot.has_network_resources() {
        return Ok(loaded);
    }
    let place = path.map(|p| format!("`{}`", p.display())).unwrap_or_else(|| "the input".to_string());
    Err(CliError::new(format!("no Azure network resources were found in {place}")).hint(
        "export them into a directory with `azroute collect`, or with `az network vnet list -o json`, `az network nic list -o json`, `az network route-table list -o json` and `az network nsg list -o json` (see the README)",
    ))
}

/// Prints errors now; folds warnings by code (the first in full, then a count) and defers
/// them, so a command's own error comes first. `--verbose` lists every warning and info.
pub fn report_diagnostics(diagnostics: &[Diagnostic], args: &LoadArgs) {
    let mut errors = String::new();
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        errors.push_str(&format!("{d}\n"));
    }
    crate::output::print_stderr(&errors);
    if crate::progress::quiet() {
        return;
    }
    let mut later = String::new();
    if args.verbose {
        for d in diagnostics.iter().filter(|d| d.severity != Severity::Error) {
            later.push_str(&format!("{d}\n"));
        }
    } else {
        let mut by_code: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in diagnostics.iter().filter(|d| d.severity == Severity::Warning) {
            by_code.entry(d.code).or_default().push(d);
        }
        // In the order each code first appeared.
        let mut codes: Vec<(&str, Vec<&Diagnostic>)> = by_code.into_iter().collect();
        codes.sort_by_key(|(_, ds)| diagnostics.iter().position(|d| std::ptr::eq(d, ds[0])));
        for (code, ds) in codes {
            later.push_str(&format!("{}\n", ds[0]));
            if ds.len() > 1 {
                later.push_str(&format!(
                    "  … and {} more {code} warning(s) like it; --verbose lists them\n",
                    ds.len() - 1
                ));
            }
        }
    }
    defer(&later);
}

/// What `--verbose` says was read.
fn read_summary(loaded: &Loaded) -> String {
    let s = &loaded.stats;
    let snap = &loaded.snapshot;
    let mut out = format!(
        "read {} file(s), {} bytes, {} resource(s): {} VNets, {} subnets, {} peerings, {} route tables, {} NICs, {} VMs, {} gateways, {} local gateways, {} connections, {} NSGs, {} private endpoints, {} load balancers, {} public IPs{}\n",
        s.files,
        s.bytes,
        s.resources,
        snap.vnets.len(),
        snap.subnets.len(),
        snap.peerings.len(),
        snap.route_tables.len(),
        snap.nics.len(),
        snap.vms.len(),
        snap.gateways.len(),
        snap.local_gateways.len(),
        snap.connections.len(),
        snap.nsgs.len(),
        snap.private_endpoints.len(),
        snap.load_balancers.len(),
        snap.public_ips.len(),
        if snap.service_tags.is_some() { ", service tags" } else { "" }
    );
    for (ty, n) in &s.skipped_types {
        out.push_str(&format!("skipped {n} resource(s) of unmodelled type {ty}\n"));
    }
    if s.untyped_objects > 0 {
        out.push_str(&format!("skipped {} object(s) without a resource type\n", s.untyped_objects));
    }
    out
}

/// Model options from the command line.
pub fn model_options(args: &ModelArgs) -> ModelOptions {
    ModelOptions {
        reserved_none_profile: match args.reserved_none_profile {
            ReservedNoneProfileArg::Documented => ReservedNoneProfile::Documented,
            ReservedNoneProfileArg::PlatformObserved => ReservedNoneProfile::PlatformObserved,
        },
        drop_reserved_none_routes_on_default_override: match args.drop_reserved_none_routes_on_default_override {
            NoneRemovalArg::UdrOnly => ReservedNoneRemoval::UdrOnly,
            NoneRemovalArg::UdrAndBgp => ReservedNoneRemoval::UdrAndBgp,
            NoneRemovalArg::Never => ReservedNoneRemoval::Never,
        },
        se_routes_lpm_strict: args.se_routes_lpm_strict,
        peering_access_false_semantics: match args.peering_access_false_semantics {
            PeeringAccessArg::TagOnly => PeeringAccessFalse::TagOnly,
            PeeringAccessArg::Drop => PeeringAccessFalse::Drop,
        },
        allow_forwarded_traffic_enforced: args.allow_forwarded_traffic_enforced,
        subnet_peering_scope: match args.subnet_peering_scope {
            SubnetPeeringScopeArg::AllLocalSubnets => SubnetPeeringScope::AllLocalSubnets,
            SubnetPeeringScopeArg::ListedSubnetsOnly => SubnetPeeringScope::ListedSubnetsOnly,
        },
        ipv6_system_routes: match args.ipv6_system_routes {
            Ipv6RoutesArg::MirrorIpv4 => Ipv6SystemRoutes::MirrorIpv4,
            Ipv6RoutesArg::None => Ipv6SystemRoutes::None,
        },
        connected_group_precedence: match args.connected_group_precedence {
            ConnectedGroupPrecedenceArg::ProtectedLikePeering => ConnectedGroupPrecedence::ProtectedLikePeering,
            ConnectedGroupPrecedenceArg::LongestPrefix => ConnectedGroupPrecedence::LongestPrefix,
        },
        connected_group_overlap: match args.connected_group_overlap {
            ConnectedGroupOverlapArg::DropOverlapping => ConnectedGroupOverlap::DropOverlapping,
            ConnectedGroupOverlapArg::KeepAll => ConnectedGroupOverlap::KeepAll,
        },
        avnm_peering_forwarded_traffic: match args.avnm_peering_forwarded_traffic {
            AvnmPeeringForwardedTrafficArg::Allowed => AvnmPeeringForwardedTraffic::Allowed,
            AvnmPeeringForwardedTrafficArg::Refused => AvnmPeeringForwardedTraffic::Refused,
        },
        firewall: firewall_options(&args.firewall),
        unset_default_outbound: match args.default_outbound_unset {
            crate::args::DefaultOutboundUnsetArg::Allowed => azroute_model::UnsetDefaultOutbound::Allowed,
            crate::args::DefaultOutboundUnsetArg::Private => azroute_model::UnsetDefaultOutbound::Private,
        },
        route_server_vpn_tie: match args.route_server_vpn_tie {
            RouteServerVpnTieArg::Gateway => RouteServerVpnTie::Gateway,
            RouteServerVpnTieArg::RouteServer => RouteServerVpnTie::RouteServer,
        },
        route_server_relearned_routes: match args.route_server_relearned_routes {
            RouteServerRelearnedArg::RouteServerOnly => RouteServerRelearnedRoutes::RouteServerOnly,
            RouteServerRelearnedArg::AlsoGateway => RouteServerRelearnedRoutes::AlsoGateway,
        },
        vwan_router_next_hop: match args.vwan_router_next_hop {
            VwanRouterNextHopArg::VirtualRouterIps => VwanRouterNextHop::VirtualRouterIps,
            VwanRouterNextHopArg::Omitted => VwanRouterNextHop::Omitted,
        },
        vwan_empty_propagation: match args.vwan_empty_propagation {
            VwanEmptyPropagationArg::Default => VwanEmptyPropagation::Default,
            VwanEmptyPropagationArg::None => VwanEmptyPropagation::Nowhere,
        },
        vwan_static_route_propagation: match args.vwan_static_route_propagation {
            VwanStaticRoutePropagationArg::HubLocal => VwanStaticRoutePropagation::HubLocal,
            VwanStaticRoutePropagationArg::AllHubs => VwanStaticRoutePropagation::AllHubs,
        },
        vwan_remote_branch_as_path: match args.vwan_remote_branch_as_path {
            VwanRemoteBranchAsPathArg::Prepend => VwanRemoteBranchAsPath::Prepend,
            VwanRemoteBranchAsPathArg::RemoteHubOnly => VwanRemoteBranchAsPath::RemoteHubOnly,
        },
        vwan_intent_static_routes: match args.vwan_intent_static_routes {
            VwanIntentStaticRoutesArg::Rest => VwanIntentStaticRoutes::Rest,
            VwanIntentStaticRoutesArg::Portal => VwanIntentStaticRoutes::Portal,
        },
        vwan_secured_spoke_inter_hub: match args.vwan_secured_spoke_inter_hub {
            VwanSecuredSpokeInterHubArg::LocalFirewall => VwanSecuredSpokeInterHub::LocalFirewall,
            VwanSecuredSpokeInterHubArg::RemoteHubRoute => VwanSecuredSpokeInterHub::RemoteHubRoute,
        },
        ..ModelOptions::default()
    }
}

/// Parses an IP address given on the command line.
pub fn parse_ip_arg(flag: &str, text: &str) -> Result<std::net::IpAddr, CliError> {
    Ok(azroute_query::parse_ip(flag, text)?)
}

/// Prints a warning to stderr.
pub fn warn(message: &str) {
    crate::output::print_stderr(&format!("warning: {message}\n"));
}

/// Prints what an answer wants its reader to know beside it (`warning: …`, `hint: …`,
/// `note: …`) to stderr.
pub fn notices(notices: &[azroute_query::Notice]) {
    for n in notices {
        crate::output::print_stderr(&format!("{}: {}\n", n.level.as_str(), n.text));
    }
}

/// The NIC a command names with `--nic` or `--vm` (its primary NIC).
pub fn resolve_nic(
    snap: &Snapshot,
    engine: &azroute_engine::RouteEngine,
    nic: Option<&str>,
    vm: Option<&str>,
) -> Result<NicIdx, CliError> {
    match (nic, vm) {
        (Some(n), _) => Ok(snap.find_nic(n)?),
        (None, Some(v)) => {
            let vm = snap.find_vm(v)?;
            Ok(engine.vm_primary_nic(vm)?)
        }
        (None, None) => Err(CliError::new("name the network interface").hint("pass --nic NIC or --vm VM")),
    }
}

/// Security answers need the NSGs of the NIC and its subnet: a referenced NSG that the export
/// lacks is an error naming it.
pub fn require_nsgs(snap: &Snapshot, nic: NicIdx, subnet: SubnetIdx) -> Result<(), CliError> {
    let n = &snap.nics[nic.index()];
    let missing = [
        (&n.nsg, format!("network interface `{}`", n.name)),
        (&snap.subnets[subnet.index()].nsg, format!("subnet `{}`", snap.subnet_label(subnet))),
    ];
    for (link, owner) in missing {
        if let Some(Link::Missing(id)) = link {
            return Err(CliError::new(format!("the network security group of {owner} is not in the snapshot: `{id}`"))
                .hint("export NSGs too: `az network nsg list`"));
        }
    }
    Ok(())
}

/// The firewall options of the command line.
pub fn firewall_options(args: &crate::args::FirewallOptionArgs) -> azroute_model::FirewallOptions {
    azroute_model::FirewallOptions {
        snat_default_ranges: match args.snat_default_ranges {
            crate::args::SnatDefaultRangesArg::Rfc1918Rfc6598 => azroute_model::SnatDefaultRanges::Rfc1918AndRfc6598,
            crate::args::SnatDefaultRangesArg::Rfc1918 => azroute_model::SnatDefaultRanges::Rfc1918,
        },
        inherit_parent_dnat: args.inherit_parent_dnat,
        dnat_respects_network_deny: args.dnat_respects_network_deny,
        dnat_private_ip_unsupported: args.dnat_private_ip_unsupported,
    }
}
