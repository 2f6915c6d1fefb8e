//! Loading the snapshot a command names, printing ingest diagnostics, and turning command-line
//! options into model options.

use std::io::Write;

use azroute_ingest::{IngestOptions, Loaded, Severity};
use azroute_model::*;

use crate::args::*;
use crate::examples;

/// An error for the user: what went wrong and, where there is one, what to do about it.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> CliError {
        CliError { message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hint = Some(hint.into());
        self
    }
}

impl From<LookupError> for CliError {
    fn from(err: LookupError) -> CliError {
        let hint = match &err {
            LookupError::NotFound { kind, .. } => {
                format!(
                    "names are matched case-insensitively; give the full resource id if the {} is not found by name",
                    kind.noun()
                )
            }
            LookupError::Ambiguous { .. } => "pass the full resource id instead of the name".to_string(),
        };
        CliError::new(err.to_string()).hint(hint)
    }
}

impl From<azroute_engine::RouteError> for CliError {
    fn from(err: azroute_engine::RouteError) -> CliError {
        let hint = err.hint();
        CliError::new(err.to_string()).hint(hint)
    }
}

/// How many warnings to print without `--verbose`.
const WARNING_LIMIT: usize = 20;

/// Loads the snapshot (or example), prints diagnostics to stderr, and fails on errors.
pub fn load(args: &SnapshotArgs) -> Result<Loaded, CliError> {
    let loaded = match (&args.example, &args.snapshot) {
        (Some(name), _) => azroute_ingest::load_texts(&example_texts(name)?),
        (None, Some(path)) => azroute_ingest::load_path(path, &IngestOptions { max_file_size: args.max_file_size }),
        (None, None) => {
            return Err(CliError::new("no snapshot given").hint("pass `--snapshot PATH` or `--example NAME`"));
        }
    };
    require_network_resources(checked(loaded, args, "the snapshot")?, args.snapshot.as_deref())
}

/// The files of an embedded example.
fn example_texts(name: &str) -> Result<Vec<(String, String)>, CliError> {
    let Some(example) = examples::find(name) else {
        let names: Vec<&str> = examples::EXAMPLES.iter().map(|e| e.name).collect();
        return Err(CliError::new(format!("no example estate named `{name}`"))
            .hint(format!("the examples are: {} (see `azroute examples`)", names.join(", "))));
    };
    Ok(examples::texts(example))
}

/// Prints a load's diagnostics and refuses one with errors.
fn checked(loaded: Loaded, args: &SnapshotArgs, what: &str) -> Result<Loaded, CliError> {
    report_diagnostics(&loaded, args);
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
pub fn load_spec(spec: &str, args: &SnapshotArgs, what: &str) -> Result<Loaded, CliError> {
    let loaded = match spec.strip_prefix("example:") {
        Some(name) => azroute_ingest::load_texts(&example_texts(name)?),
        None => {
            azroute_ingest::load_path(std::path::Path::new(spec), &IngestOptions { max_file_size: args.max_file_size })
        }
    };
    require_network_resources(checked(loaded, args, what)?, Some(std::path::Path::new(spec)))
}

/// The live snapshot with a plan (or any snapshot) laid over it.
pub fn load_with_overlay(args: &SnapshotArgs, plan: &std::path::Path) -> Result<Loaded, CliError> {
    let options = IngestOptions { max_file_size: args.max_file_size };
    let loaded = match (&args.example, &args.snapshot) {
        (Some(name), _) => azroute_ingest::load_overlay_on_texts(&example_texts(name)?, plan, &options),
        (None, Some(path)) => azroute_ingest::load_overlay(path, plan, &options),
        (None, None) => {
            return Err(CliError::new("no snapshot given").hint("pass `--snapshot PATH` or `--example NAME`"));
        }
    };
    let loaded = checked(loaded, args, "the snapshot with the plan applied")?;
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

fn report_diagnostics(loaded: &Loaded, args: &SnapshotArgs) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut warnings = 0usize;
    for d in &loaded.diagnostics {
        let show = match d.severity {
            Severity::Error => true,
            Severity::Warning => {
                warnings += 1;
                !args.quiet && (args.verbose || warnings <= WARNING_LIMIT)
            }
            Severity::Info => args.verbose,
        };
        if show {
            let _ = writeln!(err, "{d}");
        }
    }
    if !args.verbose && !args.quiet && warnings > WARNING_LIMIT {
        let _ = writeln!(err, "… and {} more warning(s); run with --verbose to see them all", warnings - WARNING_LIMIT);
    }
    if args.verbose {
        let s = &loaded.stats;
        let snap = &loaded.snapshot;
        let _ = writeln!(
            err,
            "read {} file(s), {} bytes, {} resource(s): {} VNets, {} subnets, {} peerings, {} route tables, {} NICs, {} VMs, {} gateways, {} local gateways, {} connections, {} NSGs, {} private endpoints, {} load balancers, {} public IPs{}",
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
            let _ = writeln!(err, "skipped {n} resource(s) of unmodelled type {ty}");
        }
        if s.untyped_objects > 0 {
            let _ = writeln!(err, "skipped {} object(s) without a resource type", s.untyped_objects);
        }
    }
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
        ..ModelOptions::default()
    }
}

/// Parses an IP address given on the command line.
pub fn parse_ip_arg(flag: &str, text: &str) -> Result<std::net::IpAddr, CliError> {
    text.trim().parse().map_err(|_| {
        CliError::new(format!("`{text}` given to {flag} is not an IP address"))
            .hint("write an address such as 10.0.1.4 or 2001:db8::4")
    })
}

/// Prints a warning to stderr.
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {message}");
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
