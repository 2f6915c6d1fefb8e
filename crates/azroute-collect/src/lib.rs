//! `azroute collect`: runs the `az` CLI the user is logged into and writes a snapshot directory
//! in the layout ingest reads, with a manifest. The only crate that spawns processes or writes
//! files.
//!
//! Layout of the output directory:
//!
//! ```text
//! DIR/manifest.json                 what was collected, when, with which az; every file and failure
//! DIR/service-tags.json             with --service-tags LOCATION
//! DIR/<subscription-id>/vnet-list.json, nic-list.json, route-table-list.json, nsg-list.json,
//!     private-endpoint-list.json, public-ip-list.json, lb-list.json, vm-list.json (az vm list -d),
//!     vnet-gateway-list-<rg>.json, local-gateway-list-<rg>.json, vpn-connection-list-<rg>.json,
//!     learned-routes-<gateway>.json ({"gatewayId": …, "learnedRoutes": <az output>}),
//!     firewall-list.json, firewall-policy-list.json, ip-group-list.json, bastion-list.json (az
//!     extensions `azure-firewall`, `ip-group`, `bastion`; a missing one is recorded),
//!     firewall-policy-rcg-<policy>.json (each policy's rule collection groups, which hold its rules),
//!     network-manager-list.json and, per network manager, network-manager-*-<manager>.json (az
//!     extension `virtual-network-manager`), and per VNet when a manager was found
//!     network-manager-effective-{connectivity,security-admin}-<vnet>.json (wrapped, see `avnm`),
//!     nat-gateway-list.json, public-ip-prefix-list.json, application-gateway-list.json,
//!     vmss-list.json, vmss-nic-list-<scale set>.json (a Uniform scale set's instance NICs, which
//!     `az network nic list` does not return), dns-resolver-list.json (az extension `dns-resolver`),
//!     dns-resolver-inbound-endpoints-<resolver>.json,
//!     vwan-list.json, vhub-list.json, vpn-gateway-list.json, vpn-site-list.json (az extension
//!     `virtual-wan`), per Virtual WAN hub vhub-connection-list-<hub>.json,
//!     vhub-route-table-list-<hub>.json, vhub-routing-intent-list-<hub>.json,
//!     vhub-bgpconnection-list-<hub>.json and per route table
//!     vhub-effective-routes-<hub>-<table>.json ({"virtualHubId", "resourceId", "effectiveRoutes"}),
//!     express-route-gateway-list.json, express-route-gateway-connection-list-<gateway>.json,
//!     virtual-appliance-list.json (network virtual appliances, a Virtual WAN hub's NVAs among them),
//!     routeserver-list.json, routeserver-peering-list-<rs>.json,
//!     learned-routes-<rs>-<peer>.json ({"bgpConnectionId", "learnedRoutes"}),
//!     actual/<nic>.json ({"nicId": …, "effectiveRoutes": <az output>}, with --effective-routes)
//! ```
//!
//! Credentials never reach the disk: collect never asks az for a token, and every persisted
//! output loses the keys that can hold secrets (see [`redact`]).

#![forbid(unsafe_code)]

mod avnm;
pub mod az;
mod files;
mod hubs;
pub mod manifest;
mod observed;
pub mod redact;

use std::cell::Cell;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use az::{Az, AzFailure, FailureKind, SpawnError, display_args};
use files::*;
use manifest::*;

/// What to collect and how.
#[derive(Clone, Debug)]
pub struct CollectOptions {
    /// The snapshot directory to create (must not exist, or be empty).
    pub out: PathBuf,
    /// Subscription ids or names; empty: the current subscription (`az account show`).
    pub subscriptions: Vec<String>,
    /// Also fetch the Service Tags file for this location.
    pub service_tags: Option<String>,
    /// The az executable.
    pub az: PathBuf,
    /// Retries of a throttled call.
    pub retries: u32,
    /// Delay before the first retry, doubled for each further one.
    pub retry_delay: Duration,
    /// Also fetch the effective routes of the NICs of running VMs (for `azroute verify`).
    pub effective_routes: bool,
    /// Written into the manifest: `azroute <version>`.
    pub tool: String,
}

/// A collection that could not run at all.
#[derive(Clone, Debug)]
pub enum CollectError {
    /// The az executable could not be started.
    AzNotStarted(SpawnError),
    /// `az account show` says nobody is logged in.
    NotLoggedIn { message: String },
    /// `az account show` failed otherwise.
    AccountFailed { message: String },
    /// The output directory exists and holds files.
    OutNotEmpty { path: PathBuf },
    /// A file or directory could not be written.
    Write { path: PathBuf, error: String },
}

impl fmt::Display for CollectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CollectError::AzNotStarted(e) => {
                write!(f, "cannot run the Azure CLI `{}`: {}", e.program, e.error)
            }
            CollectError::NotLoggedIn { message } => {
                write!(f, "the Azure CLI is not logged in: {message}")
            }
            CollectError::AccountFailed { message } => {
                write!(f, "`az account show` failed: {message}")
            }
            CollectError::OutNotEmpty { path } => write!(
                f,
                "`{}` already holds files; collect writes a fresh snapshot and never mixes two",
                path.display()
            ),
            CollectError::Write { path, error } => {
                write!(f, "cannot write `{}`: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for CollectError {}

impl CollectError {
    pub fn hint(&self) -> String {
        match self {
            CollectError::AzNotStarted(e) if e.not_found => {
                "install the Azure CLI (https://aka.ms/azure-cli) or pass its path with `--az PATH`".to_string()
            }
            CollectError::AzNotStarted(_) => {
                "check that `--az` names the az executable and that it can run".to_string()
            }
            CollectError::NotLoggedIn { .. } => {
                "run `az login` (and `az account set --subscription ID` to pick the default), then collect again"
                    .to_string()
            }
            CollectError::AccountFailed { .. } => "check that `az account show` works in this shell".to_string(),
            CollectError::OutNotEmpty { .. } => {
                "choose a new directory for `--out`, or remove the old snapshot first".to_string()
            }
            CollectError::Write { .. } => {
                "check that the `--out` directory is writable and the disk has space".to_string()
            }
        }
    }
}

/// The result of a collection that ran.
#[derive(Clone, Debug)]
pub struct Collected {
    pub manifest: Manifest,
    pub manifest_path: PathBuf,
}

impl Collected {
    /// Every subscription and file collected without a failure.
    pub fn complete(&self) -> bool {
        self.manifest.complete
    }
}

/// The subscription-wide lists: file name and az command.
const LISTS: &[(&str, &[&str])] = &[
    ("vnet-list.json", &["network", "vnet", "list"]),
    ("nic-list.json", &["network", "nic", "list"]),
    ("route-table-list.json", &["network", "route-table", "list"]),
    ("nsg-list.json", &["network", "nsg", "list"]),
    ("private-endpoint-list.json", &["network", "private-endpoint", "list"]),
    ("public-ip-list.json", &["network", "public-ip", "list"]),
    ("lb-list.json", &["network", "lb", "list"]),
    ("vm-list.json", &["vm", "list", "-d"]),
    // Egress and platform services (§17.1).
    ("nat-gateway-list.json", &["network", "nat", "gateway", "list"]),
    ("public-ip-prefix-list.json", &["network", "public-ip", "prefix", "list"]),
    ("application-gateway-list.json", &["network", "application-gateway", "list"]),
    ("vmss-list.json", &["vmss", "list"]),
];

/// The subscription-wide lists whose commands live in az extensions: file name, az command and
/// the extension (Azure Firewall, IP groups and Bastion are not in the core CLI).
const EXTENSION_LISTS: &[(&str, &[&str], &str)] = &[
    ("firewall-list.json", &["network", "firewall", "list"], "azure-firewall"),
    ("firewall-policy-list.json", &["network", "firewall", "policy", "list"], "azure-firewall"),
    ("ip-group-list.json", &["network", "ip-group", "list"], "ip-group"),
    ("bastion-list.json", &["network", "bastion", "list"], "bastion"),
    ("network-manager-list.json", &["network", "manager", "list"], "virtual-network-manager"),
    ("dns-resolver-list.json", &["dns-resolver", "list"], "dns-resolver"),
];

/// The per-resource-group lists (gateways are listed per group): file prefix and az command.
const GROUP_LISTS: &[(&str, &[&str])] = &[
    ("vnet-gateway-list", &["network", "vnet-gateway", "list"]),
    ("local-gateway-list", &["network", "local-gateway", "list"]),
    ("vpn-connection-list", &["network", "vpn-connection", "list"]),
];

/// A resource's (resource group, name), what a per-resource az call names.
type GroupAndName = (String, String);

/// What the subscription-wide lists hand to later steps: the VM list (effective routes), the VNet
/// list (AVNM effective answers) and each Uniform scale set (its instance NICs).
struct SubscriptionListed {
    vms: Option<Value>,
    vnets: Option<Value>,
    scale_sets: Vec<GroupAndName>,
}

/// What the extension lists name for the per-resource calls: (resource group, name) of each
/// firewall policy, DNS resolver and network manager.
#[derive(Default)]
struct ExtensionListed {
    policies: Vec<(String, String)>,
    resolvers: Vec<(String, String)>,
    managers: Vec<avnm::Manager>,
}

/// (resource group, name) of each resource of a list.
fn groups_and_names(list: &Value) -> Vec<(String, String)> {
    items(list)
        .iter()
        .filter_map(|r| {
            let id = str_field(r, "id")?;
            let name = str_field(r, "name").unwrap_or_else(|| last_segment(&id).to_string());
            Some((group_of(&id).unwrap_or_default(), name))
        })
        .collect()
}

/// The scale sets of `az vmss list` that are not Flexible (`orchestrationMode` absent means
/// Uniform), as (resource group, name).
fn uniform_scale_sets(list: &Value) -> Vec<(String, String)> {
    let flexible = |r: &Value| {
        let mode = r.get("orchestrationMode").or_else(|| r.get("properties").and_then(|p| p.get("orchestrationMode")));
        mode.and_then(Value::as_str).is_some_and(|m| m.eq_ignore_ascii_case("Flexible"))
    };
    let uniform: Vec<Value> = items(list).iter().filter(|r| !flexible(r)).cloned().collect();
    groups_and_names(&Value::Array(uniform))
}

/// Runs the collection. Progress lines go to `progress`.
pub fn collect(options: &CollectOptions, progress: &dyn Fn(&str)) -> Result<Collected, CollectError> {
    let started = SystemTime::now();
    check_out(&options.out)?;
    let az = Az {
        program: options.az.clone(),
        retries: options.retries,
        retry_delay: options.retry_delay,
        progress,
        calls: Cell::new(0),
        retried: Cell::new(0),
    };
    let session = Session { az, out: &options.out, progress };
    let az_version = session.az_version()?;
    match &az_version {
        Some(v) => progress(&format!("Azure CLI {v}")),
        None => progress("Azure CLI version unknown (`az version` failed)"),
    }
    let account = session
        .az
        .run(&args(&["account", "show", "--query", "id", "-o", "tsv"]))
        .map_err(CollectError::AzNotStarted)?;
    let default_subscription = match account {
        Ok(text) => text.trim().to_string(),
        Err(f) if f.kind == FailureKind::NotLoggedIn => {
            return Err(CollectError::NotLoggedIn { message: f.message });
        }
        Err(f) => return Err(CollectError::AccountFailed { message: f.message }),
    };
    create_dir(&options.out)?;
    let requested: Vec<String> = if options.subscriptions.is_empty() {
        vec![default_subscription.clone()]
    } else {
        options.subscriptions.clone()
    };
    let records = session.subscriptions(&requested, options)?;
    let service_tags = match &options.service_tags {
        Some(location) => {
            let via = records
                .iter()
                .find(|r| r.status != "failed")
                .map(|r| r.subscription_id.clone())
                .unwrap_or(default_subscription);
            Some(session.service_tags(location, &via)?)
        }
        None => None,
    };
    let totals = totals_of(&records, service_tags.as_ref(), &session.az);
    let complete =
        totals.partial == 0 && totals.failed == 0 && service_tags.as_ref().is_none_or(|s| s.failure.is_none());
    let manifest = Manifest {
        azroute_manifest: MANIFEST_FORMAT,
        tool: options.tool.clone(),
        collected_at: rfc3339(started),
        finished_at: rfc3339(SystemTime::now()),
        az_cli_version: az_version,
        complete,
        subscriptions: records,
        service_tags,
        totals,
    };
    let manifest_path = options.out.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).expect("the manifest serializes") + "\n";
    write_file(&manifest_path, &text)?;
    let t = &manifest.totals;
    progress(&format!(
        "wrote {}: {} subscription(s) ({} complete, {} partial, {} failed), {} file(s), {} resource(s), {} az call(s), {} retried",
        manifest_path.display(),
        t.subscriptions,
        t.complete,
        t.partial,
        t.failed,
        t.files,
        t.resources,
        t.az_calls,
        t.retries
    ));
    Ok(Collected { manifest, manifest_path })
}

/// The manifest's totals: subscriptions by status, files and resources written, az calls made.
fn totals_of(records: &[SubscriptionRecord], service_tags: Option<&ServiceTagsRecord>, az: &Az<'_>) -> Totals {
    let mut totals = Totals {
        subscriptions: records.len(),
        az_calls: az.calls.get(),
        retries: az.retried.get(),
        ..Totals::default()
    };
    for r in records {
        match r.status.as_str() {
            "complete" => totals.complete += 1,
            "partial" => totals.partial += 1,
            _ => totals.failed += 1,
        }
        totals.files += r.files.len();
        totals.resources += r.files.iter().map(|f| f.resources).sum::<usize>();
    }
    if let Some(file) = service_tags.and_then(|s| s.file.as_ref()) {
        totals.files += 1;
        totals.resources += file.resources;
    }
    totals
}

struct Session<'a> {
    az: Az<'a>,
    out: &'a Path,
    progress: &'a dyn Fn(&str),
}

/// What one az call for a file gave: its text and the JSON it holds.
type Fetched = Result<(String, Value), AzFailure>;

impl Session<'_> {
    /// Each requested subscription (an id or a name az resolves), once, in the order given.
    fn subscriptions(
        &self,
        requested: &[String],
        options: &CollectOptions,
    ) -> Result<Vec<SubscriptionRecord>, CollectError> {
        let progress = self.progress;
        let mut records: Vec<SubscriptionRecord> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (i, given) in requested.iter().enumerate() {
            let given = given.trim();
            progress(&format!("subscription {given} ({} of {})", i + 1, requested.len()));
            let id = if is_guid(given) {
                given.to_ascii_lowercase()
            } else {
                match self.resolve_subscription(given)? {
                    Ok(id) => id,
                    Err(f) => {
                        progress(&format!("  {given}: {}; skipped", first_line(&f.message)));
                        records.push(failed_subscription(given, Some(given), &f));
                        continue;
                    }
                }
            };
            if !seen.insert(id.clone()) {
                progress(&format!("  {id} was already collected; skipped"));
                continue;
            }
            let requested_as = (!given.eq_ignore_ascii_case(&id)).then(|| given.to_string());
            records.push(self.subscription(&id, requested_as, options)?);
        }
        Ok(records)
    }

    fn az_version(&self) -> Result<Option<String>, CollectError> {
        let out = self.az.run(&args(&["version", "-o", "json"])).map_err(CollectError::AzNotStarted)?;
        Ok(out
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok()?.get("azure-cli")?.as_str().map(str::to_string)))
    }

    /// The id of a subscription given by name (the account's subscription list is local to az).
    fn resolve_subscription(&self, name: &str) -> Result<Result<String, AzFailure>, CollectError> {
        let out = self
            .az
            .run(&args(&["account", "show", "--subscription", name, "--query", "id", "-o", "tsv"]))
            .map_err(CollectError::AzNotStarted)?;
        Ok(out.map(|t| t.trim().to_ascii_lowercase()).and_then(|id| {
            if is_guid(&id) {
                Ok(id)
            } else {
                Err(AzFailure {
                    kind: FailureKind::SubscriptionNotFound,
                    message: format!("`az account show` gave `{id}` as the id of `{name}`"),
                    attempts: 1,
                })
            }
        }))
    }

    /// Runs one JSON-returning az command for a subscription.
    fn fetch(&self, base: &[&str], subscription: &str) -> Result<(Vec<String>, Fetched), CollectError> {
        let mut a = args(base);
        a.extend(args(&["--subscription", subscription, "-o", "json"]));
        let out = self.az.run(&a).map_err(CollectError::AzNotStarted)?;
        let fetched = out.and_then(|text| match serde_json::from_str::<Value>(&text) {
            Ok(value) => Ok((text, value)),
            Err(err) => Err(AzFailure {
                kind: FailureKind::Other,
                message: format!("az printed something that is not JSON: {err}"),
                attempts: 1,
            }),
        });
        Ok((a, fetched))
    }

    /// Writes an az output, optionally inside a wrapper naming its resource. The output is
    /// written verbatim unless secrets had to be removed from it.
    fn persist(
        &self,
        rel: &str,
        command: &[String],
        (raw, mut value): (String, Value),
        wrapper: Option<(&[(&str, &str)], &str)>,
    ) -> Result<FileRecord, CollectError> {
        let redacted_keys = redact::strip_secrets(&mut value);
        let resources = count(&value);
        let body = if redacted_keys.is_empty() {
            raw.trim().to_string()
        } else {
            serde_json::to_string_pretty(&value).expect("JSON values serialize")
        };
        let text = match wrapper {
            Some((ids, body_key)) => wrap(ids, body_key, &body),
            None => body,
        } + "\n";
        write_file(&self.out.join(rel), &text)?;
        Ok(FileRecord {
            file: rel.to_string(),
            command: format!("az {}", display_args(command)),
            resources,
            redacted_keys,
        })
    }

    /// One subscription: its resource groups, the subscription-wide lists, the per-group
    /// gateway lists, the gateways' learned routes and, when asked, the NICs' effective routes.
    fn subscription(
        &self,
        sub: &str,
        requested_as: Option<String>,
        options: &CollectOptions,
    ) -> Result<SubscriptionRecord, CollectError> {
        let mut record = SubscriptionRecord {
            subscription_id: sub.to_string(),
            requested_as,
            status: "complete".to_string(),
            error_code: None,
            error: None,
            directory: Some(sub.to_string()),
            resource_groups: Vec::new(),
            files: Vec::new(),
            failures: Vec::new(),
            effective_route_failures: Vec::new(),
            missing_extensions: Vec::new(),
        };
        if let Some(failed) = self.resource_groups(sub, &mut record)? {
            return Ok(failed);
        }
        create_dir(&self.out.join(sub))?;
        let SubscriptionListed { vms, vnets, scale_sets } = self.subscription_lists(sub, &mut record)?;
        self.scale_set_nics(sub, &scale_sets, &mut record)?;
        let listed = self.extension_lists(sub, &mut record)?;
        self.rule_collection_groups(sub, &listed.policies, &mut record)?;
        self.dns_inbound_endpoints(sub, &listed.resolvers, &mut record)?;
        self.network_managers(sub, &listed.managers, vnets.as_ref(), &mut record)?;
        let gateways = self.group_lists(sub, &mut record)?;
        self.learned_routes(sub, &gateways, &mut record)?;
        self.virtual_wan(sub, &mut record)?;
        self.route_servers(sub, &mut record)?;
        if options.effective_routes {
            self.effective_routes(sub, vms.as_ref(), &mut record)?;
        }
        // A NIC whose effective routes Azure did not return leaves the snapshot usable but the
        // collection partial (exit 1), as any failed command does.
        if !record.failures.is_empty() || !record.effective_route_failures.is_empty() {
            record.status = "partial".to_string();
        }
        Ok(record)
    }

    /// Lists the subscription's resource groups into `record`. A subscription the account
    /// cannot read is returned as failed (the collection skips it); any other failure is
    /// recorded, and the gateways then cannot be listed per group.
    fn resource_groups(
        &self,
        sub: &str,
        record: &mut SubscriptionRecord,
    ) -> Result<Option<SubscriptionRecord>, CollectError> {
        let progress = self.progress;
        let (command, groups) = self.fetch(&["group", "list"], sub)?;
        match groups {
            Ok((_, v)) => {
                let mut names: Vec<String> = items(&v).iter().filter_map(|g| str_field(g, "name")).collect();
                names.sort_by_key(|n| n.to_ascii_lowercase());
                names.dedup();
                progress(&format!("  {} resource group(s)", names.len()));
                record.resource_groups = names;
            }
            Err(f)
                if matches!(
                    f.kind,
                    FailureKind::AuthorizationFailed | FailureKind::SubscriptionNotFound | FailureKind::NotLoggedIn
                ) =>
            {
                progress(&format!("  {sub}: {} ({}); skipped", first_line(&f.message), f.kind.code()));
                let mut failed = failed_subscription(sub, None, &f);
                failed.requested_as = record.requested_as.take();
                return Ok(Some(failed));
            }
            Err(f) => {
                progress(&format!(
                    "  az {}: {}; gateways cannot be listed per resource group",
                    display_args(&command),
                    first_line(&f.message)
                ));
                record.failures.push(failure(&command, &f));
            }
        }
        Ok(None)
    }

    /// The subscription-wide lists (`LISTS`); returns the VM list, which the effective-route
    /// step reads, the VNet list, whose VNets' AVNM effective answers are asked, and each Uniform
    /// scale set as (resource group, name), whose instance NICs are asked next.
    fn subscription_lists(
        &self,
        sub: &str,
        record: &mut SubscriptionRecord,
    ) -> Result<SubscriptionListed, CollectError> {
        let progress = self.progress;
        let (mut vms, mut vnets): (Option<Value>, Option<Value>) = (None, None);
        let mut scale_sets = Vec::new();
        for (file, base) in LISTS {
            let (command, fetched) = self.fetch(base, sub)?;
            match fetched {
                Ok(value) => {
                    if *file == "vm-list.json" {
                        vms = Some(value.1.clone());
                    } else if *file == "vnet-list.json" {
                        vnets = Some(value.1.clone());
                    }
                    if *file == "vmss-list.json" {
                        scale_sets = uniform_scale_sets(&value.1);
                    }
                    let rec = self.persist(&format!("{sub}/{file}"), &command, value, None)?;
                    progress(&format!("  {}: {} resource(s)", base.join(" "), rec.resources));
                    record.files.push(rec);
                }
                Err(f) => {
                    progress(&format!("  {}: failed ({}): {}", base.join(" "), f.kind.code(), first_line(&f.message)));
                    record.failures.push(failure(&command, &f));
                }
            }
        }
        Ok(SubscriptionListed { vms, vnets, scale_sets })
    }

    /// A Uniform scale set's instance NICs (§17.1): `az network nic list` does not return them.
    /// Flexible scale sets' NICs are ordinary NICs (and `az vmss nic list` refuses them).
    fn scale_set_nics(
        &self,
        sub: &str,
        scale_sets: &[(String, String)],
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        for (rg, name) in scale_sets {
            let base = ["vmss", "nic", "list", "-g", rg, "--vmss-name", name];
            let stem = unique_name(&mut used_names, name, rg);
            self.per_resource(
                sub,
                &base,
                &format!("vmss-nic-list-{stem}.json"),
                &format!("NICs of scale set {name}"),
                record,
            )?;
        }
        Ok(())
    }

    /// Each DNS Private Resolver's inbound endpoints (§17.3), which the resolver list does not hold.
    fn dns_inbound_endpoints(
        &self,
        sub: &str,
        resolvers: &[(String, String)],
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        for (rg, name) in resolvers {
            let base = ["dns-resolver", "inbound-endpoint", "list", "-g", rg, "--dns-resolver-name", name];
            let stem = unique_name(&mut used_names, name, rg);
            let file = format!("dns-resolver-inbound-endpoints-{stem}.json");
            self.per_resource(sub, &base, &file, &format!("inbound endpoints of DNS resolver {name}"), record)?;
        }
        Ok(())
    }

    /// One list asked of one resource, written to `file`; a failure is recorded.
    fn per_resource(
        &self,
        sub: &str,
        base: &[&str],
        file: &str,
        what: &str,
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        let progress = self.progress;
        let (command, fetched) = self.fetch(base, sub)?;
        match fetched {
            Ok(value) => {
                let rec = self.persist(&format!("{sub}/{file}"), &command, value, None)?;
                progress(&format!("  {what}: {} resource(s)", rec.resources));
                record.files.push(rec);
            }
            Err(f) => {
                progress(&format!("  {what}: failed ({}): {}", f.kind.code(), first_line(&f.message)));
                record.failures.push(failure(&command, &f));
            }
        }
        Ok(())
    }

    /// The lists of az extensions (`EXTENSION_LISTS`); a missing extension is recorded once with
    /// the command that installs it. Returns each firewall policy, DNS resolver and network manager as
    /// (resource group, name), whose rule collection groups, inbound endpoints and configurations are
    /// asked next.
    fn extension_lists(&self, sub: &str, record: &mut SubscriptionRecord) -> Result<ExtensionListed, CollectError> {
        let progress = self.progress;
        let mut listed = ExtensionListed::default();
        for (file, base, extension) in EXTENSION_LISTS {
            let (command, fetched) = self.fetch(base, sub)?;
            match fetched {
                Ok(value) => {
                    match *file {
                        "firewall-policy-list.json" => listed.policies = groups_and_names(&value.1),
                        "dns-resolver-list.json" => listed.resolvers = groups_and_names(&value.1),
                        "network-manager-list.json" => listed.managers = groups_and_names(&value.1),
                        _ => {}
                    }
                    let rec = self.persist(&format!("{sub}/{file}"), &command, value, None)?;
                    progress(&format!("  {}: {} resource(s)", base.join(" "), rec.resources));
                    record.files.push(rec);
                }
                Err(f) if f.kind == FailureKind::ExtensionMissing => {
                    self.extension_missing(&base.join(" "), extension, &command, &f, record);
                }
                Err(f) => {
                    progress(&format!("  {}: failed ({}): {}", base.join(" "), f.kind.code(), first_line(&f.message)));
                    record.failures.push(failure(&command, &f));
                }
            }
        }
        Ok(listed)
    }

    /// A command of a missing az extension: said with the command that installs it, recorded
    /// once per extension in the manifest, and as a failure.
    fn extension_missing(
        &self,
        what: &str,
        extension: &str,
        command: &[String],
        f: &AzFailure,
        record: &mut SubscriptionRecord,
    ) {
        let install = format!("az extension add --name {extension}");
        (self.progress)(&format!(
            "  {what}: the az extension `{extension}` is not installed; install it with `{install}`"
        ));
        if !record.missing_extensions.iter().any(|m| m.extension == extension) {
            record.missing_extensions.push(MissingExtension { extension: extension.to_string(), install });
        }
        record.failures.push(failure(command, f));
    }

    /// Each firewall policy's rule collection groups: a policy's GET holds no rules (§16.1).
    fn rule_collection_groups(
        &self,
        sub: &str,
        policies: &[(String, String)],
        record: &mut SubscriptionRecord,
    ) -> Result<(), CollectError> {
        let progress = self.progress;
        let mut used_names: BTreeSet<String> = BTreeSet::new();
        for (rg, name) in policies {
            let base =
                ["network", "firewall", "policy", "rule-collection-group", "list", "--policy-name", name, "-g", rg];
            let (command, fetched) = self.fetch(&base, sub)?;
            match fetched {
                Ok(value) => {
                    let stem = unique_name(&mut used_names, name, rg);
                    let rec = self.persist(&format!("{sub}/firewall-policy-rcg-{stem}.json"), &command, value, None)?;
                    progress(&format!("  rule collection groups of policy {name}: {} group(s)", rec.resources));
                    record.files.push(rec);
                }
                Err(f) => {
                    progress(&format!(
                        "  rule collection groups of policy {name}: failed ({}): {}",
                        f.kind.code(),
                        first_line(&f.message)
                    ));
                    record.failures.push(failure(&command, &f));
                }
            }
        }
        Ok(())
    }

    /// The per-resource-group lists (`GROUP_LISTS`); returns each VNet gateway as (id, resource
    /// group, name), whose learned routes are asked next.
    fn group_lists(
        &self,
        sub: &str,
        record: &mut SubscriptionRecord,
    ) -> Result<Vec<(String, String, String)>, CollectError> {
        let progress = self.progress;
        let mut gateways: Vec<(String, String, String)> = Vec::new();
        for rg in record.resource_groups.clone() {
            for (prefix, base) in GROUP_LISTS {
                let mut full: Vec<&str> = base.to_vec();
                full.extend(["-g", rg.as_str()]);
                let (command, fetched) = self.fetch(&full, sub)?;
                match fetched {
                    Ok(value) => {
                        if *prefix == "vnet-gateway-list" {
                            for gw in items(&value.1) {
                                if let Some(id) = str_field(gw, "id") {
                                    let name = str_field(gw, "name").unwrap_or_else(|| last_segment(&id).to_string());
                                    let group = group_of(&id).unwrap_or_else(|| rg.clone());
                                    gateways.push((id, group, name));
                                }
                            }
                        }
                        let rel = format!("{sub}/{prefix}-{}.json", file_safe(&rg));
                        let rec = self.persist(&rel, &command, value, None)?;
                        if rec.resources > 0 {
                            progress(&format!("  {} -g {rg}: {} resource(s)", base.join(" "), rec.resources));
                        }
                        record.files.push(rec);
                    }
                    Err(f) => {
                        progress(&format!(
                            "  {} -g {rg}: failed ({}): {}",
                            base.join(" "),
                            f.kind.code(),
                            first_line(&f.message)
                        ));
                        record.failures.push(failure(&command, &f));
                    }
                }
            }
        }
        Ok(gateways)
    }
}

/// `2025-04-02T13:45:07Z`: RFC 3339, UTC, whole seconds.
pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// `{"<id_key>": "<id>", …, "<body_key>": <body>}`, pretty-printed, with az's output kept
/// verbatim (its key order and layout, indented one level) rather than re-serialized.
fn wrap(ids: &[(&str, &str)], body_key: &str, body: &str) -> String {
    use serde::ser::{SerializeMap, Serializer};
    // Newlines only occur between tokens of a JSON text (never inside its strings), so indenting
    // after each keeps it the same value.
    let indented = body.replace('\n', "\n  ");
    let raw = serde_json::value::RawValue::from_string(indented).expect("az's output was parsed as JSON");
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::pretty(&mut out);
    let mut map = serializer.serialize_map(Some(ids.len() + 1)).expect("writing to memory");
    for (key, id) in ids {
        map.serialize_entry(key, id).expect("writing to memory");
    }
    map.serialize_entry(body_key, &raw).expect("writing to memory");
    map.end().expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn failure(command: &[String], f: &AzFailure) -> FailureRecord {
    FailureRecord {
        command: format!("az {}", display_args(command)),
        code: if f.message.starts_with("az printed something that is not JSON") {
            "InvalidOutput".to_string()
        } else {
            f.kind.code().to_string()
        },
        error: f.message.clone(),
        attempts: f.attempts,
    }
}

fn failed_subscription(id: &str, requested_as: Option<&str>, f: &AzFailure) -> SubscriptionRecord {
    SubscriptionRecord {
        subscription_id: id.to_string(),
        requested_as: requested_as.filter(|r| !r.eq_ignore_ascii_case(id)).map(str::to_string),
        status: "failed".to_string(),
        error_code: Some(f.kind.code().to_string()),
        error: Some(f.message.clone()),
        directory: None,
        resource_groups: Vec::new(),
        files: Vec::new(),
        failures: Vec::new(),
        effective_route_failures: Vec::new(),
        missing_extensions: Vec::new(),
    }
}

/// The first line of az's error text, without its `ERROR: ` prefix, for progress lines.
fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or("").trim();
    line.strip_prefix("ERROR:").map(str::trim).unwrap_or(line)
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The entries of a list output (`[...]` or `{"value": [...]}`).
fn items(value: &Value) -> &[Value] {
    match value {
        Value::Array(a) => a,
        Value::Object(m) => m.get("value").and_then(Value::as_array).map_or(&[], |a| a),
        _ => &[],
    }
}

/// How many resources an output holds: list entries, routes, or service tags.
fn count(value: &Value) -> usize {
    match value {
        Value::Array(a) => a.len(),
        Value::Null => 0,
        Value::Object(m) => {
            ["value", "values"].iter().find_map(|k| m.get(*k).and_then(Value::as_array).map(Vec::len)).unwrap_or(1)
        }
        _ => 1,
    }
}

fn str_field(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

fn last_segment(id: &str) -> &str {
    id.trim_end_matches('/').rsplit('/').next().unwrap_or(id)
}

/// The resource group named in an ARM id.
fn group_of(id: &str) -> Option<String> {
    let parts: Vec<&str> = id.split('/').collect();
    parts
        .iter()
        .position(|p| p.eq_ignore_ascii_case("resourceGroups"))
        .and_then(|i| parts.get(i + 1))
        .filter(|g| !g.is_empty())
        .map(|g| g.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn rfc3339_moments() {
        let at = |s: u64| rfc3339(UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_743_601_507), "2025-04-02T13:45:07Z");
        assert_eq!(at(4_107_542_399), "2100-02-28T23:59:59Z");
    }

    #[test]
    fn wrapper_keeps_az_output_verbatim_and_parses() {
        let body = "{\n  \"value\": [],\n  \"nextLink\": null\n}";
        let text = wrap(&[("nicId", "/x/\"q\"")], "effectiveRoutes", body);
        assert_eq!(
            text,
            "{\n  \"nicId\": \"/x/\\\"q\\\"\",\n  \"effectiveRoutes\": {\n    \"value\": [],\n    \"nextLink\": null\n  }\n}"
        );
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["nicId"], "/x/\"q\"");
        assert!(v["effectiveRoutes"]["value"].as_array().unwrap().is_empty());
    }

    #[test]
    fn helpers() {
        assert!(is_guid("00000000-0000-0000-0000-00000000a2e0"));
        assert!(!is_guid("contoso-hub"));
        let id = "/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/networkInterfaces/nic1";
        assert_eq!(group_of(id).as_deref(), Some("rg-net"));
        assert_eq!(last_segment(id), "nic1");
        assert_eq!(file_safe("a/b c"), "a_b_c");
        let mut used = BTreeSet::new();
        assert_eq!(unique_name(&mut used, "nic", "rg1"), "nic");
        assert_eq!(unique_name(&mut used, "NIC", "rg2"), "NIC-rg2");
        assert_eq!(count(&serde_json::json!({"value": [1, 2]})), 2);
        assert_eq!(count(&serde_json::json!({"changeNumber": "1", "values": [1]})), 1);
        assert_eq!(count(&serde_json::json!([])), 0);
    }
}
