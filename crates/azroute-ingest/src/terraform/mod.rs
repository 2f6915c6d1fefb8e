//! Terraform JSON: `terraform show -json` of a state or a plan, and raw `terraform.tfstate` (v4),
//! lowered into the same pending model resources as Azure's own JSON (`arm.rs`), through `values.rs`.
//!
//! What is read, deliberately:
//!
//! - **State** (`values.root_module`, recursively through `child_modules`): every managed
//!   `azurerm_*` resource azroute models. State values are complete.
//! - **Plan**: `resource_changes[].change.after` of every resource that is created, updated,
//!   replaced or left alone. It is the complete source: `planned_values` is the same data with
//!   unknown values dropped, and `prior_state` is the state before the plan (its managed
//!   resources all reappear in `resource_changes`, as no-ops or changes). `prior_state` is read
//!   only for data sources, whose ids the configuration's references may name. Resources whose
//!   actions are exactly `["delete"]` go to `Pending::deleted` instead (replacements are
//!   `["delete", "create"]` or `["create", "delete"]` and keep their after-value; when the id
//!   changes, the old id is deleted). `["no-op"]` and `["read"]` leave the live copy.
//! - **Raw state** (`{"version": 4, "resources": [{…, "instances": [{"attributes": …}]}]}`).
//!
//! Terraform names links by id, like ARM, but associations are resources of their own
//! (`azurerm_subnet_route_table_association`, whose `id` is the subnet's), and in a plan an id
//! that Azure has not assigned yet is unknown. Such ids are synthesised as Azure will assign them
//! (subscription, resource group, parent and own names), and an unknown link attribute is
//! followed through the plan's `configuration` (`expressions.<attr>.references`, through
//! module calls, `var.` inputs and module outputs) to the resource it names. What cannot be
//! resolved is reported as `TerraformUnresolvedReference`, naming the Terraform address.
//!
//! Attribute names of azurerm 3.x and 4.x are both read (`enable_ip_forwarding` /
//! `ip_forwarding_enabled`, `disable_bgp_route_propagation` / `bgp_route_propagation_enabled`
//! with its meaning inverted, subnet `address_prefix` / `address_prefixes`, …), each as its own
//! optional field, resolved here.
//!
//! Terraform records no peering state: a peering is `Connected` when its reverse peering is in
//! the same Terraform input, else `Initiated` (and `link/` upgrades it when the reverse
//! peering is in another file of the snapshot). NSG default rules are not in Terraform either;
//! the engine supplies them, as it does for ARM exports.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::checks::{MissingId, Named};
use crate::diag::Diagnostic;
use crate::pending::{AssociationKind, Child, Pending, PendingAssociation, UnpairedPeering};
use crate::values::{RouteFields, RuleFields, RulePaths, normalize_location, parent_id, private_endpoint_policies};

/// The subscription of synthesised ids when no known id in the input names one.
const UNKNOWN_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// How deep references are followed through modules and variables.
const MAX_REFERENCE_DEPTH: u32 = 32;

/// How many references one attribute may visit, so a configuration whose module inputs fan out
/// cannot make resolution exponential.
const MAX_REFERENCE_STEPS: u32 = 10_000;

/// How deep `child_modules` may nest (real configurations nest a few levels).
const MAX_MODULE_DEPTH: usize = 100;

/// The attributes of one type, for `Lowerer::each_of`: `attrs_of!(LbPool)`.
macro_rules! attrs_of {
    ($variant:ident) => {
        |a: &Attrs| match a {
            Attrs::$variant(x) => Some(x),
            _ => None,
        }
    };
}

mod address;
mod avnm;
mod endpoints;
mod envelope;
mod firewall;
mod hubs;
mod ids;
mod load_balancer;
mod lowerer;
mod network;
mod platform;
mod references;
mod schema;
#[cfg(test)]
mod tests;
mod vwan;
mod vwan_branches;

use address::*;
use envelope::*;
use network::*;
use schema::*;

// ===== Entry point =====

/// Reads one Terraform JSON text (`base` is its JSON path) into `pending`.
pub(crate) fn parse(text: &str, base: &str, pending: &mut Pending) {
    let doc: Document<'_> = match serde_json::from_str(text) {
        Ok(doc) => doc,
        Err(err) => {
            wrong_type(pending, text, text, base, &err, None, "Terraform JSON");
            return;
        }
    };
    let mut reader =
        Reader { pending, file_text: text, insts: Vec::new(), data_insts: Vec::new(), hint_ids: Vec::new() };
    if let Some(raw) = doc.format_version {
        match serde_json::from_str::<String>(raw.get()) {
            Ok(v) if v.split('.').next() == Some("1") => {}
            Ok(v) => {
                reader.pending.diag(
                    Diagnostic::error(
                        "TerraformUnsupportedFormat",
                        format!("Terraform JSON format_version `{v}` is not supported; the file was skipped"),
                    )
                    .at(format!("{base}.format_version"))
                    .hint("azroute reads format 1.x (Terraform 0.12 and later); export with a current `terraform show -json`"),
                );
                return;
            }
            Err(err) => {
                wrong_type(
                    reader.pending,
                    text,
                    raw.get(),
                    &format!("{base}.format_version"),
                    &err,
                    None,
                    "format_version",
                );
                return;
            }
        }
    }
    let is_plan = doc.resource_changes.is_some();
    if let Some(changes) = doc.resource_changes {
        reader.changes(changes, &format!("{base}.resource_changes"));
        if let Some(prior) = doc.prior_state {
            let path = format!("{base}.prior_state");
            if let Some(state) = reader.typed::<StateRepr<'_>>(prior, &path, None, "prior_state")
                && let Some(values) = state.values
            {
                reader.values(values, &format!("{path}.values"), true);
            }
        }
    } else if let Some(values) = doc.values {
        reader.values(values, &format!("{base}.values"), false);
    } else if let Some(resources) = doc.resources {
        if let Some(version) = doc.version
            && version.get().trim() != "4"
        {
            reader.pending.diag(
                Diagnostic::error(
                    "TerraformUnsupportedFormat",
                    format!(
                        "raw Terraform state version {} is not supported; the file was skipped",
                        version.get().trim()
                    ),
                )
                .at(format!("{base}.version"))
                .hint("azroute reads state version 4 (Terraform 0.12 and later), or `terraform show -json` output"),
            );
            return;
        }
        reader.raw_state(resources, &format!("{base}.resources"));
    }
    let configuration = doc.configuration.and_then(|raw| {
        match serde_json::from_str::<Value>(raw.get()) {
            Ok(v) => Some(v),
            Err(err) => {
                reader.pending.diag(
                    Diagnostic::warning(
                        "WrongType",
                        format!("the plan's configuration could not be read ({err}); references to resources whose ids are unknown are not followed"),
                    )
                    .at(format!("{base}.configuration")),
                );
                None
            }
        }
    });
    let Reader { pending, insts, data_insts, hint_ids, .. } = reader;
    if insts.is_empty() && data_insts.is_empty() {
        pending.diag(
            Diagnostic::new(crate::diag::Severity::Info, "TerraformEmpty", "this Terraform JSON holds no resources")
                .at(base),
        );
        return;
    }
    let mut lowerer = Lowerer::new(pending, text, insts, data_insts, configuration, is_plan);
    lowerer.run(&hint_ids);
}

/// Reports a value of the wrong type: the JSON path inside `raw`, the line and column in the
/// file, and what was skipped.
fn wrong_type(
    pending: &mut Pending,
    file_text: &str,
    raw: &str,
    path: &str,
    err: &serde_json::Error,
    inner: Option<String>,
    what: &str,
) {
    let json_path = match inner.filter(|p| !p.is_empty() && p != "." && p != "?") {
        Some(inner) if inner.starts_with('[') => format!("{path}{inner}"),
        Some(inner) => format!("{path}.{inner}"),
        None => path.to_string(),
    };
    let message = err.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    let location = crate::envelope::absolute_location(file_text, raw, err.line(), err.column());
    pending.diag(
        Diagnostic::error("WrongType", format!("{what}: {message}{location}"))
            .at(json_path)
            .hint("Terraform writes this attribute with another type; was the file edited by hand? It was skipped"),
    );
}

// ===== Lowering =====

/// A subnet gathered from `azurerm_subnet` and inline `subnet` blocks, before associations.
struct SubnetDraft {
    subnet: Subnet,
    parent: String,
    /// Read from an `azurerm_subnet` resource (which wins over an inline block).
    from_resource: bool,
}

/// A route table with its routes by lower-cased name.
struct TableDraft {
    table: RouteTable,
    routes: BTreeMap<String, Route>,
}

/// An NSG with its rules by lower-cased name.
struct NsgDraft {
    nsg: Nsg,
    rules: BTreeMap<String, SecurityRule>,
}

/// What the lowering of one Terraform input gathers before it is complete: subnets, tables and
/// NSGs collect their children and associations, peerings wait for their reverse peering.
#[derive(Default)]
struct Drafts {
    subnets: BTreeMap<String, SubnetDraft>,
    tables: BTreeMap<String, TableDraft>,
    nsgs: BTreeMap<String, NsgDraft>,
    peerings: Vec<PeeringDraft>,
    vnet_spaces: HashMap<String, Vec<IpNet>>,
    nics: BTreeMap<String, Nic>,
}

/// A peering before its state is inferred.
struct PeeringDraft {
    peering: Peering,
    key: String,
    parent: String,
    remote: String,
    address: String,
}

struct Lowerer<'p, 't> {
    pending: &'p mut Pending,
    file_text: &'t str,
    insts: Vec<Instance<'t>>,
    attrs: Vec<Option<Attrs>>,
    /// Known or synthesised ids, by instance (data sources after managed resources).
    ids: Vec<Option<String>>,
    by_instance: HashMap<String, usize>,
    by_resource: HashMap<String, Vec<usize>>,
    configuration: Option<Value>,
    /// Lower-cased resource group → subscription, from known ids.
    subscriptions: HashMap<String, String>,
    any_subscription: Option<String>,
    used_placeholder_subscription: bool,
    is_plan: bool,
    /// References left to visit for the attribute being followed.
    budget: std::cell::Cell<u32>,
    /// Classic firewall rule collections, until their firewall is lowered.
    classic: Vec<platform::PendingClassic>,
}

fn texts(v: &Strs) -> Vec<&str> {
    v.iter().flatten().flatten().map(|s| s.as_str()).filter(|s| !s.trim().is_empty()).collect()
}

fn blocks<T>(v: &Blocks<T>) -> impl Iterator<Item = (usize, &T)> {
    v.iter().flatten().enumerate().filter_map(|(i, b)| b.as_ref().map(|b| (i, b)))
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.trim().is_empty())
}

fn subscription_of(id: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = id.split('/').filter(|p| !p.is_empty()).collect();
    let sub = parts.iter().position(|p| p.eq_ignore_ascii_case("subscriptions")).and_then(|i| parts.get(i + 1))?;
    let rg = parts
        .iter()
        .position(|p| p.eq_ignore_ascii_case("resourceGroups"))
        .and_then(|i| parts.get(i + 1))
        .map(|rg| rg.to_ascii_lowercase());
    Some((sub.to_string(), rg))
}
