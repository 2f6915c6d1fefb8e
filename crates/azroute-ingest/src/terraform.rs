//! Terraform JSON: `terraform show -json` of a state or a plan, and raw `terraform.tfstate` (v4),
//! lowered into the same pending model resources as Azure's own JSON (`lower.rs`).
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
//!   `["delete", "create"]` and keep their after-value).
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
//! the same Terraform input, else `Initiated` (and `link.rs` upgrades it when the reverse
//! peering is in another file of the snapshot). NSG default rules are not in Terraform either;
//! the engine supplies them, as it does for ARM exports.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::diag::Diagnostic;
use crate::lower::{
    AssociationKind, Child, Pending, PendingAssociation, RouteFields, RuleFields, RulePaths, UnpairedPeering,
    normalize_location, parent_id, private_endpoint_policies,
};

/// The subscription of synthesised ids when no known id in the input names one.
const UNKNOWN_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// How deep references are followed through modules and variables.
const MAX_REFERENCE_DEPTH: u32 = 32;

/// How many references one attribute may visit, so a configuration whose module inputs fan out
/// cannot make resolution exponential.
const MAX_REFERENCE_STEPS: u32 = 10_000;

/// How deep `child_modules` may nest (real configurations nest a few levels).
const MAX_MODULE_DEPTH: usize = 100;

// ===== Envelopes =====

/// The top level of `terraform show -json` output or of a raw state file; each part is read
/// separately so a malformed part costs only itself.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Document<'a> {
    #[serde(borrow)]
    format_version: Option<&'a RawValue>,
    #[serde(borrow)]
    values: Option<&'a RawValue>,
    #[serde(borrow)]
    prior_state: Option<&'a RawValue>,
    #[serde(borrow)]
    resource_changes: Option<&'a RawValue>,
    #[serde(borrow)]
    configuration: Option<&'a RawValue>,
    /// Raw state: `version` (4) and `resources`.
    #[serde(borrow)]
    version: Option<&'a RawValue>,
    #[serde(borrow)]
    resources: Option<&'a RawValue>,
}

/// `{"values": …}` of a state representation (`prior_state`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct StateRepr<'a> {
    #[serde(borrow)]
    values: Option<&'a RawValue>,
}

/// A values representation: `{"root_module": …}`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ValuesRepr<'a> {
    #[serde(borrow)]
    root_module: Option<&'a RawValue>,
}

/// A module of a values representation.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ModuleRepr<'a> {
    address: Option<String>,
    #[serde(borrow)]
    resources: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    child_modules: Option<Vec<&'a RawValue>>,
}

/// A resource of a values representation.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ResourceRepr<'a> {
    address: Option<String>,
    mode: Option<String>,
    #[serde(rename = "type")]
    rtype: Option<String>,
    name: Option<String>,
    #[serde(borrow)]
    values: Option<&'a RawValue>,
}

/// One entry of a plan's `resource_changes`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ChangeRepr<'a> {
    address: Option<String>,
    mode: Option<String>,
    #[serde(rename = "type")]
    rtype: Option<String>,
    name: Option<String>,
    #[serde(borrow)]
    deposed: Option<&'a RawValue>,
    #[serde(borrow)]
    change: Option<ChangeBody<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChangeBody<'a> {
    actions: Option<Vec<String>>,
    #[serde(borrow)]
    before: Option<&'a RawValue>,
    #[serde(borrow)]
    after: Option<&'a RawValue>,
    #[serde(borrow)]
    after_unknown: Option<&'a RawValue>,
}

/// A resource of a raw state file.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawStateResource<'a> {
    module: Option<String>,
    mode: Option<String>,
    #[serde(rename = "type")]
    rtype: Option<String>,
    name: Option<String>,
    #[serde(borrow)]
    instances: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawStateInstance<'a> {
    #[serde(borrow)]
    index_key: Option<&'a RawValue>,
    #[serde(borrow)]
    attributes: Option<&'a RawValue>,
}

// ===== Attribute objects, one per azurerm resource type =====
//
// Both provider generations' names are separate optional fields; lowering resolves them.
// Lists may hold `null` where a plan does not know an element yet.

type Strs = Option<Vec<Option<String>>>;
type Blocks<T> = Option<Vec<Option<T>>>;

/// The fields every resource has; also what data sources are read for.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TfCommon {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
}

/// What a deleted association's prior state names.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TfAssociationTarget {
    subnet_id: Option<String>,
    network_interface_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfVnet {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    location: Option<String>,
    address_space: Strs,
    subnet: Blocks<TfVnetSubnet>,
}

/// An inline `subnet` block of `azurerm_virtual_network`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TfVnetSubnet {
    id: Option<String>,
    name: Option<String>,
    /// azurerm ≤ 3.x.
    address_prefix: Option<String>,
    /// azurerm 4.x.
    address_prefixes: Strs,
    security_group: Option<String>,
    /// azurerm 4.x.
    route_table_id: Option<String>,
    service_endpoints: Strs,
    private_endpoint_network_policies: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfSubnet {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    virtual_network_name: Option<String>,
    address_prefixes: Strs,
    /// azurerm ≤ 2.x.
    address_prefix: Option<String>,
    service_endpoints: Strs,
    /// azurerm 4.x: `Disabled`, `Enabled`, `NetworkSecurityGroupEnabled`, `RouteTableEnabled`.
    private_endpoint_network_policies: Option<String>,
    /// azurerm 3.x: true means `Enabled`.
    private_endpoint_network_policies_enabled: Option<bool>,
    /// azurerm ≤ 3.x: true means `Disabled` (it enforces the *exemption* of private endpoints).
    enforce_private_link_endpoint_network_policies: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfRouteTable {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    location: Option<String>,
    route: Blocks<TfInlineRoute>,
    /// azurerm ≤ 3.x.
    disable_bgp_route_propagation: Option<bool>,
    /// azurerm 4.x: the inverse, default true.
    bgp_route_propagation_enabled: Option<bool>,
    /// Computed: ids of the subnets associated with the table.
    subnets: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfInlineRoute {
    name: Option<String>,
    address_prefix: Option<String>,
    next_hop_type: Option<String>,
    next_hop_in_ip_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfRoute {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    route_table_name: Option<String>,
    address_prefix: Option<String>,
    next_hop_type: Option<String>,
    next_hop_in_ip_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfSubnetRouteTableAssociation {
    subnet_id: Option<String>,
    route_table_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfSubnetNsgAssociation {
    subnet_id: Option<String>,
    network_security_group_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfNicNsgAssociation {
    network_interface_id: Option<String>,
    network_security_group_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfNic {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    location: Option<String>,
    /// azurerm ≤ 3.x.
    enable_ip_forwarding: Option<bool>,
    /// azurerm ≥ 3.x (late) and 4.x.
    ip_forwarding_enabled: Option<bool>,
    ip_configuration: Blocks<TfNicIpConfig>,
    virtual_machine_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfNicIpConfig {
    name: Option<String>,
    subnet_id: Option<String>,
    private_ip_address: Option<String>,
    primary: Option<bool>,
    public_ip_address_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfPeering {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    virtual_network_name: Option<String>,
    remote_virtual_network_id: Option<String>,
    allow_virtual_network_access: Option<bool>,
    allow_forwarded_traffic: Option<bool>,
    allow_gateway_transit: Option<bool>,
    use_remote_gateways: Option<bool>,
    peer_complete_virtual_networks_enabled: Option<bool>,
    local_subnet_names: Strs,
    remote_subnet_names: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfNsg {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    location: Option<String>,
    security_rule: Blocks<TfRule>,
}

/// An inline `security_rule` block, or the attributes of `azurerm_network_security_rule`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TfRule {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    network_security_group_name: Option<String>,
    priority: Option<i64>,
    direction: Option<String>,
    access: Option<String>,
    protocol: Option<String>,
    source_port_range: Option<String>,
    source_port_ranges: Strs,
    destination_port_range: Option<String>,
    destination_port_ranges: Strs,
    source_address_prefix: Option<String>,
    source_address_prefixes: Strs,
    destination_address_prefix: Option<String>,
    destination_address_prefixes: Strs,
    source_application_security_group_ids: Strs,
    destination_application_security_group_ids: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfGateway {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    location: Option<String>,
    #[serde(rename = "type")]
    gateway_type: Option<String>,
    vpn_type: Option<String>,
    sku: Option<String>,
    active_active: Option<bool>,
    /// azurerm ≤ 4.x.
    enable_bgp: Option<bool>,
    /// azurerm ≥ 4.x.
    bgp_enabled: Option<bool>,
    ip_configuration: Blocks<TfGatewayIpConfig>,
    bgp_settings: Blocks<TfGatewayBgp>,
    vpn_client_configuration: Blocks<TfVpnClient>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfGatewayIpConfig {
    name: Option<String>,
    subnet_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfGatewayBgp {
    peering_addresses: Blocks<TfGatewayPeeringAddress>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfGatewayPeeringAddress {
    default_addresses: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfVpnClient {
    address_space: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfLocalGateway {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    gateway_address: Option<String>,
    gateway_fqdn: Option<String>,
    address_space: Strs,
    bgp_settings: Blocks<TfLocalBgp>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfLocalBgp {
    bgp_peering_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfConnection {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    #[serde(rename = "type")]
    connection_type: Option<String>,
    virtual_network_gateway_id: Option<String>,
    peer_virtual_network_gateway_id: Option<String>,
    local_network_gateway_id: Option<String>,
    enable_bgp: Option<bool>,
    bgp_enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfVm {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    location: Option<String>,
    network_interface_ids: Strs,
    /// `azurerm_virtual_machine` (legacy) only.
    primary_network_interface_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfPrivateEndpoint {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    location: Option<String>,
    subnet_id: Option<String>,
    private_service_connection: Blocks<TfPrivateServiceConnection>,
    network_interface: Blocks<TfPrivateEndpointNic>,
    custom_dns_configs: Blocks<TfCustomDns>,
    ip_configuration: Blocks<TfPrivateEndpointIpConfig>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfPrivateServiceConnection {
    subresource_names: Strs,
    private_ip_address: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfPrivateEndpointNic {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfCustomDns {
    ip_addresses: Strs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfPrivateEndpointIpConfig {
    private_ip_address: Option<String>,
    subresource_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TfPublicIp {
    id: Option<String>,
    name: Option<String>,
    resource_group_name: Option<String>,
    ip_address: Option<String>,
}

/// The attributes of one resource instance, by type.
enum Attrs {
    Vnet(TfVnet),
    Subnet(TfSubnet),
    RouteTable(TfRouteTable),
    Route(TfRoute),
    SubnetRouteTable(TfSubnetRouteTableAssociation),
    SubnetNsg(TfSubnetNsgAssociation),
    NicNsg(TfNicNsgAssociation),
    Nic(TfNic),
    Peering(TfPeering),
    Nsg(TfNsg),
    Rule(TfRule),
    Gateway(TfGateway),
    LocalGateway(TfLocalGateway),
    Connection(TfConnection),
    Vm(TfVm),
    PrivateEndpoint(TfPrivateEndpoint),
    PublicIp(TfPublicIp),
    /// A data source, or a managed type azroute does not model: only its id, name and
    /// resource group, so references to it can be followed.
    Other(TfCommon),
}

impl Attrs {
    fn common(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        fn t(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|s| !s.trim().is_empty())
        }
        match self {
            Attrs::Vnet(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Subnet(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::RouteTable(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Route(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::SubnetRouteTable(_) | Attrs::SubnetNsg(_) | Attrs::NicNsg(_) => (None, None, None),
            Attrs::Nic(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Peering(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Nsg(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Rule(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Gateway(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::LocalGateway(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Connection(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Vm(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::PrivateEndpoint(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::PublicIp(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
            Attrs::Other(a) => (t(&a.id), t(&a.name), t(&a.resource_group_name)),
        }
    }
}

/// The ARM type of a top-level resource azroute synthesises ids for.
fn arm_type_of(rtype: &str) -> Option<&'static str> {
    Some(match rtype {
        "azurerm_virtual_network" => "Microsoft.Network/virtualNetworks",
        "azurerm_route_table" => "Microsoft.Network/routeTables",
        "azurerm_network_security_group" => "Microsoft.Network/networkSecurityGroups",
        "azurerm_network_interface" => "Microsoft.Network/networkInterfaces",
        "azurerm_virtual_network_gateway" => "Microsoft.Network/virtualNetworkGateways",
        "azurerm_local_network_gateway" => "Microsoft.Network/localNetworkGateways",
        "azurerm_virtual_network_gateway_connection" => "Microsoft.Network/connections",
        "azurerm_private_endpoint" => "Microsoft.Network/privateEndpoints",
        "azurerm_public_ip" => "Microsoft.Network/publicIPAddresses",
        "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" | "azurerm_virtual_machine" => {
            "Microsoft.Compute/virtualMachines"
        }
        _ => return None,
    })
}

const VNET: &[&str] = &["azurerm_virtual_network"];
const SUBNET: &[&str] = &["azurerm_subnet"];
const ROUTE_TABLE: &[&str] = &["azurerm_route_table"];
const NSG: &[&str] = &["azurerm_network_security_group"];
const NIC: &[&str] = &["azurerm_network_interface"];
const GATEWAY: &[&str] = &["azurerm_virtual_network_gateway"];
const LOCAL_GATEWAY: &[&str] = &["azurerm_local_network_gateway"];
const PUBLIC_IP: &[&str] = &["azurerm_public_ip"];

// ===== Addresses and references =====

/// One step of a Terraform address or reference: `module`, `spoke`, `["a"]`, `azurerm_subnet`…
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Name(String),
    /// The text between brackets, as written (`0`, `"a"`).
    Index(String),
}

/// Splits `module.spoke["a.b"].azurerm_subnet.app[0].id` into steps; `None` when malformed.
fn parse_steps(text: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    let mut name = String::new();
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !name.is_empty() {
                    out.push(Step::Name(std::mem::take(&mut name)));
                } else if !matches!(out.last(), Some(Step::Index(_))) {
                    return None;
                }
            }
            '[' => {
                if !name.is_empty() {
                    out.push(Step::Name(std::mem::take(&mut name)));
                }
                let mut inner = String::new();
                let mut in_string = false;
                let mut escaped = false;
                loop {
                    let d = chars.next()?;
                    if in_string {
                        inner.push(d);
                        if escaped {
                            escaped = false;
                        } else if d == '\\' {
                            escaped = true;
                        } else if d == '"' {
                            in_string = false;
                        }
                    } else if d == '"' {
                        in_string = true;
                        inner.push(d);
                    } else if d == ']' {
                        break;
                    } else {
                        inner.push(d);
                    }
                }
                out.push(Step::Index(inner.trim().to_string()));
            }
            _ => name.push(c),
        }
    }
    if !name.is_empty() {
        out.push(Step::Name(name));
    }
    (!out.is_empty()).then_some(out)
}

/// A module instance step: the call name and the instance key, if any.
type ModuleStep = (String, Option<String>);

fn render_module(module: &[ModuleStep]) -> String {
    let mut out = String::new();
    for (call, key) in module {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str("module.");
        out.push_str(call);
        if let Some(k) = key {
            out.push('[');
            out.push_str(k);
            out.push(']');
        }
    }
    out
}

/// A resource instance address, split.
#[derive(Clone, Debug, Default)]
struct Address {
    module: Vec<ModuleStep>,
    data: bool,
    rtype: String,
    name: String,
    index: Option<String>,
}

impl Address {
    fn parse(text: &str) -> Option<Address> {
        let steps = parse_steps(text)?;
        let mut module = Vec::new();
        let mut i = 0;
        while let (Some(Step::Name(m)), Some(Step::Name(call))) = (steps.get(i), steps.get(i + 1)) {
            if m != "module" {
                break;
            }
            let key = match steps.get(i + 2) {
                Some(Step::Index(k)) => {
                    i += 1;
                    Some(k.clone())
                }
                _ => None,
            };
            module.push((call.clone(), key));
            i += 2;
        }
        let mut data = false;
        if let Some(Step::Name(d)) = steps.get(i)
            && d == "data"
        {
            data = true;
            i += 1;
        }
        let (Some(Step::Name(rtype)), Some(Step::Name(name))) = (steps.get(i), steps.get(i + 1)) else {
            return None;
        };
        let index = match steps.get(i + 2) {
            Some(Step::Index(k)) => Some(k.clone()),
            _ => None,
        };
        Some(Address { module, data, rtype: rtype.clone(), name: name.clone(), index })
    }

    /// The module-local resource address without the instance key (`data.azurerm_subnet.a`).
    fn local(&self) -> String {
        format!("{}{}.{}", if self.data { "data." } else { "" }, self.rtype, self.name)
    }

    /// The absolute address without the instance key.
    fn resource_key(&self) -> String {
        let m = render_module(&self.module);
        if m.is_empty() { self.local() } else { format!("{m}.{}", self.local()) }
    }

    /// The absolute instance address, in Terraform's canonical form.
    fn instance_key(&self) -> String {
        match &self.index {
            Some(k) => format!("{}[{k}]", self.resource_key()),
            None => self.resource_key(),
        }
    }
}

/// A step into the configuration's block expressions: an attribute, a list element, or the
/// element of a set-typed block whose `name` is a given constant.
#[derive(Clone, Copy, Debug)]
enum ExprStep<'s> {
    Key(&'s str),
    Idx(usize),
    Named(&'s str),
}

/// One resource instance read from the input.
struct Instance<'t> {
    addr: Address,
    /// The address as written.
    shown: String,
    values: &'t RawValue,
    /// JSON path of `values`.
    path: String,
    /// `after_unknown` of a plan change.
    unknown: Option<Value>,
    /// A plan change with actions `["no-op"]`: Terraform leaves the resource as it is, so laid
    /// over a live snapshot the live copy stays.
    unchanged: bool,
}

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

/// Collects resource instances from the envelopes.
struct Reader<'p, 't> {
    pending: &'p mut Pending,
    file_text: &'t str,
    insts: Vec<Instance<'t>>,
    /// Data sources: only their ids are used, to follow references.
    data_insts: Vec<Instance<'t>>,
    /// Ids of plans' before-values (deleted and replaced resources): they name subscriptions.
    hint_ids: Vec<String>,
}

impl<'t> Reader<'_, 't> {
    /// Reads `raw` as `T`, reporting a wrong type with its path.
    fn typed<T: Deserialize<'t>>(
        &mut self,
        raw: &'t RawValue,
        path: &str,
        address: Option<&str>,
        what: &str,
    ) -> Option<T> {
        match serde_json::from_str::<T>(raw.get()) {
            Ok(v) => Some(v),
            Err(err) => {
                let inner =
                    serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(raw.get()))
                        .err()
                        .map(|e| e.path().to_string());
                let what = match address {
                    Some(a) => format!("`{a}`"),
                    None => what.to_string(),
                };
                wrong_type(self.pending, self.file_text, raw.get(), path, &err, inner, &what);
                None
            }
        }
    }

    /// A values representation: walks `root_module` and its `child_modules` without recursion.
    fn values(&mut self, raw: &'t RawValue, path: &str, data_only: bool) {
        let Some(values) = self.typed::<ValuesRepr<'_>>(raw, path, None, "values") else {
            return;
        };
        let Some(root) = values.root_module else {
            return;
        };
        let mut work: Vec<(&'t RawValue, String, usize)> = vec![(root, format!("{path}.root_module"), 0)];
        while let Some((raw, mpath, depth)) = work.pop() {
            if depth > MAX_MODULE_DEPTH {
                self.pending.diag(
                    Diagnostic::error(
                        "NestingTooDeep",
                        format!("Terraform modules nest more than {MAX_MODULE_DEPTH} levels deep; the deeper modules were skipped"),
                    )
                    .at(mpath)
                    .hint("no real configuration nests modules this deep; is this the right file?"),
                );
                continue;
            }
            let Some(module) = self.typed::<ModuleRepr<'_>>(raw, &mpath, None, "module") else {
                continue;
            };
            let module_address = module.address.clone().unwrap_or_default();
            for (i, r) in module.resources.iter().flatten().enumerate() {
                let rpath = format!("{mpath}.resources[{i}]");
                let Some(res) = self.typed::<ResourceRepr<'_>>(r, &rpath, None, "resource") else {
                    continue;
                };
                let data = res.mode.as_deref() == Some("data");
                if data_only && !data {
                    continue;
                }
                let address = res.address.clone().unwrap_or_else(|| {
                    let local = format!(
                        "{}{}.{}",
                        if data { "data." } else { "" },
                        res.rtype.clone().unwrap_or_default(),
                        res.name.clone().unwrap_or_default()
                    );
                    if module_address.is_empty() { local } else { format!("{module_address}.{local}") }
                });
                let Some(values) = res.values else {
                    continue;
                };
                self.push(&address, values, format!("{rpath}.values"), None, &rpath, false);
            }
            // Pushed in reverse so modules are read in file order.
            let children = module.child_modules.unwrap_or_default();
            for (i, child) in children.into_iter().enumerate().rev() {
                work.push((child, format!("{mpath}.child_modules[{i}]"), depth + 1));
            }
        }
    }

    /// A plan's `resource_changes`.
    fn changes(&mut self, raw: &'t RawValue, path: &str) {
        let Some(list) = self.typed::<Vec<&'t RawValue>>(raw, path, None, "resource_changes") else {
            return;
        };
        for (i, item) in list.into_iter().enumerate() {
            let cpath = format!("{path}[{i}]");
            let Some(change) = self.typed::<ChangeRepr<'_>>(item, &cpath, None, "resource change") else {
                continue;
            };
            let data = change.mode.as_deref() == Some("data");
            let address = change.address.clone().unwrap_or_else(|| {
                format!(
                    "{}{}.{}",
                    if data { "data." } else { "" },
                    change.rtype.clone().unwrap_or_default(),
                    change.name.clone().unwrap_or_default()
                )
            });
            let Some(body) = change.change else {
                continue;
            };
            if let Some(id) =
                body.before.and_then(|b| serde_json::from_str::<TfCommon>(b.get()).ok()).and_then(|b| b.id)
            {
                self.hint_ids.push(id);
            }
            let actions = body.actions.clone().unwrap_or_default();
            if actions.len() == 1 && actions[0] == "delete" {
                // A deposed object being deleted is an old copy, not the resource itself.
                if change.deposed.is_none() && !data {
                    self.deletion(&address, change.rtype.as_deref(), body.before, &cpath);
                }
                continue;
            }
            let Some(after) = body.after.filter(|a| a.get().trim() != "null") else {
                continue;
            };
            let unknown = body.after_unknown.and_then(|u| serde_json::from_str::<Value>(u.get()).ok());
            let unchanged = actions.len() == 1 && actions[0] == "no-op";
            self.push(&address, after, format!("{cpath}.change.after"), unknown, &cpath, unchanged);
        }
    }

    /// Records the id a plan deletes.
    fn deletion(&mut self, address: &str, rtype: Option<&str>, before: Option<&'t RawValue>, path: &str) {
        // An association's id is its subnet's (or `nic|nsg`): deleting it changes the subnet
        // or NIC, it deletes no ARM resource.
        let Some(before) = before else {
            return;
        };
        let kind = match rtype {
            Some("azurerm_subnet_route_table_association") => Some(AssociationKind::SubnetRouteTable),
            Some("azurerm_subnet_network_security_group_association") => Some(AssociationKind::SubnetNsg),
            Some("azurerm_network_interface_security_group_association") => Some(AssociationKind::NicNsg),
            _ => None,
        };
        if let Some(kind) = kind {
            // Laid over a live snapshot, the subnet or NIC loses its route table or NSG.
            let Some(before) =
                self.typed::<TfAssociationTarget>(before, &format!("{path}.change.before"), Some(address), "")
            else {
                return;
            };
            let target = match kind {
                AssociationKind::NicNsg => before.network_interface_id,
                _ => before.subnet_id,
            };
            if let Some(target) = target.filter(|t| !t.trim().is_empty()) {
                let origin = Origin { file: self.pending.file, json_path: format!("{path}.change.before") };
                self.pending.associations.push(PendingAssociation {
                    kind,
                    target: normalize_id(&target),
                    value: None,
                    address: address.to_string(),
                    origin,
                });
            }
            return;
        }
        let Some(common) = self.typed::<TfCommon>(before, &format!("{path}.change.before"), Some(address), "") else {
            return;
        };
        match common.id.filter(|id| !id.trim().is_empty()) {
            Some(id) => {
                let key = normalize_id(&id);
                if !self.pending.deleted.contains(&key) {
                    self.pending.deleted.push(key);
                }
            }
            None => self.pending.diag(
                Diagnostic::warning(
                    "MissingId",
                    format!("`{address}` is deleted by the plan but its prior state has no `id`"),
                )
                .at(format!("{path}.change.before")),
            ),
        }
    }

    /// A raw `terraform.tfstate` (version 4).
    fn raw_state(&mut self, raw: &'t RawValue, path: &str) {
        let Some(list) = self.typed::<Vec<&'t RawValue>>(raw, path, None, "resources") else {
            return;
        };
        for (i, item) in list.into_iter().enumerate() {
            let rpath = format!("{path}[{i}]");
            let Some(res) = self.typed::<RawStateResource<'_>>(item, &rpath, None, "resource") else {
                continue;
            };
            let data = res.mode.as_deref() == Some("data");
            let local = format!(
                "{}{}.{}",
                if data { "data." } else { "" },
                res.rtype.clone().unwrap_or_default(),
                res.name.clone().unwrap_or_default()
            );
            let resource = match res.module.as_deref().filter(|m| !m.is_empty()) {
                Some(m) => format!("{m}.{local}"),
                None => local,
            };
            for (j, inst) in res.instances.iter().flatten().enumerate() {
                let ipath = format!("{rpath}.instances[{j}]");
                let Some(instance) = self.typed::<RawStateInstance<'_>>(inst, &ipath, None, "instance") else {
                    continue;
                };
                let address = match instance.index_key {
                    Some(k) if k.get().trim() != "null" => {
                        format!("{resource}[{}]", k.get().trim())
                    }
                    _ => resource.clone(),
                };
                let Some(attributes) = instance.attributes else {
                    continue;
                };
                self.push(&address, attributes, format!("{ipath}.attributes"), None, &ipath, false);
            }
        }
    }

    fn push(
        &mut self,
        address: &str,
        values: &'t RawValue,
        path: String,
        unknown: Option<Value>,
        object_path: &str,
        unchanged: bool,
    ) {
        let Some(addr) = Address::parse(address) else {
            self.pending.diag(
                Diagnostic::warning(
                    "TerraformBadAddress",
                    format!("`{address}` is not a Terraform resource address; skipped"),
                )
                .at(object_path),
            );
            return;
        };
        let inst = Instance { addr, shown: address.to_string(), values, path, unknown, unchanged };
        if inst.addr.data {
            self.data_insts.push(inst);
        } else {
            self.insts.push(inst);
        }
    }
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

impl<'p, 't> Lowerer<'p, 't> {
    fn new(
        pending: &'p mut Pending,
        file_text: &'t str,
        mut insts: Vec<Instance<'t>>,
        data_insts: Vec<Instance<'t>>,
        configuration: Option<Value>,
        is_plan: bool,
    ) -> Lowerer<'p, 't> {
        let managed = insts.len();
        insts.extend(data_insts);
        let mut by_instance = HashMap::new();
        let mut by_resource: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, inst) in insts.iter().enumerate() {
            by_instance.insert(inst.addr.instance_key(), i);
            by_resource.entry(inst.addr.resource_key()).or_default().push(i);
        }
        let mut lowerer = Lowerer {
            pending,
            file_text,
            attrs: Vec::with_capacity(insts.len()),
            ids: vec![None; insts.len()],
            insts,
            by_instance,
            by_resource,
            configuration,
            subscriptions: HashMap::new(),
            any_subscription: None,
            used_placeholder_subscription: false,
            is_plan,
            budget: std::cell::Cell::new(MAX_REFERENCE_STEPS),
        };
        for i in 0..lowerer.insts.len() {
            let attrs = lowerer.decode(i, i >= managed);
            lowerer.attrs.push(attrs);
        }
        lowerer
    }

    /// Reads an instance's attributes into the struct of its type.
    fn decode(&mut self, i: usize, data: bool) -> Option<Attrs> {
        let inst = &self.insts[i];
        let raw = inst.values;
        let rtype = inst.addr.rtype.clone();
        if data {
            // Data sources only help follow references; a malformed one is simply not used.
            return serde_json::from_str::<TfCommon>(raw.get()).ok().map(Attrs::Other);
        }
        macro_rules! read {
            ($variant:ident, $t:ty) => {
                self.read::<$t>(i).map(Attrs::$variant)
            };
        }
        let attrs = match rtype.as_str() {
            "azurerm_virtual_network" => read!(Vnet, TfVnet),
            "azurerm_subnet" => read!(Subnet, TfSubnet),
            "azurerm_route_table" => read!(RouteTable, TfRouteTable),
            "azurerm_route" => read!(Route, TfRoute),
            "azurerm_subnet_route_table_association" => {
                read!(SubnetRouteTable, TfSubnetRouteTableAssociation)
            }
            "azurerm_subnet_network_security_group_association" => {
                read!(SubnetNsg, TfSubnetNsgAssociation)
            }
            "azurerm_network_interface_security_group_association" => {
                read!(NicNsg, TfNicNsgAssociation)
            }
            "azurerm_network_interface" => read!(Nic, TfNic),
            "azurerm_virtual_network_peering" => read!(Peering, TfPeering),
            "azurerm_network_security_group" => read!(Nsg, TfNsg),
            "azurerm_network_security_rule" => read!(Rule, TfRule),
            "azurerm_virtual_network_gateway" => read!(Gateway, TfGateway),
            "azurerm_local_network_gateway" => read!(LocalGateway, TfLocalGateway),
            "azurerm_virtual_network_gateway_connection" => read!(Connection, TfConnection),
            "azurerm_linux_virtual_machine" | "azurerm_windows_virtual_machine" | "azurerm_virtual_machine" => {
                read!(Vm, TfVm)
            }
            "azurerm_private_endpoint" => read!(PrivateEndpoint, TfPrivateEndpoint),
            "azurerm_public_ip" => read!(PublicIp, TfPublicIp),
            other => {
                *self.pending.skipped_types.entry(other.to_string()).or_default() += 1;
                // Unmodelled resources may still be named by references (resource groups).
                serde_json::from_str::<TfCommon>(raw.get()).ok().map(Attrs::Other)
            }
        };
        if attrs.is_some() && !matches!(attrs, Some(Attrs::Other(_))) {
            self.pending.resources_read += 1;
        }
        attrs
    }

    fn read<T: Deserialize<'t>>(&mut self, i: usize) -> Option<T> {
        let inst = &self.insts[i];
        let raw = inst.values;
        match serde_json::from_str::<T>(raw.get()) {
            Ok(v) => Some(v),
            Err(err) => {
                let inner =
                    serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(raw.get()))
                        .err()
                        .map(|e| e.path().to_string());
                let what = format!("`{}`", inst.shown);
                let path = inst.path.clone();
                wrong_type(self.pending, self.file_text, raw.get(), &path, &err, inner, &what);
                None
            }
        }
    }

    fn run(&mut self, hint_ids: &[String]) {
        self.assign_ids(hint_ids);
        let mut subnets: BTreeMap<String, SubnetDraft> = BTreeMap::new();
        let mut tables: BTreeMap<String, TableDraft> = BTreeMap::new();
        let mut nsgs: BTreeMap<String, NsgDraft> = BTreeMap::new();
        let mut peerings: Vec<PeeringDraft> = Vec::new();
        let mut vnet_spaces: HashMap<String, Vec<IpNet>> = HashMap::new();
        let mut nics: BTreeMap<String, Nic> = BTreeMap::new();
        // Top-level resources first, so children find their parents.
        for i in 0..self.insts.len() {
            match self.attrs[i].take() {
                Some(Attrs::Vnet(a)) => {
                    self.vnet(i, &a, &mut subnets, &mut vnet_spaces);
                    self.attrs[i] = Some(Attrs::Vnet(a));
                }
                Some(Attrs::RouteTable(a)) => {
                    self.route_table(i, &a, &mut tables);
                    self.attrs[i] = Some(Attrs::RouteTable(a));
                }
                Some(Attrs::Nsg(a)) => {
                    self.nsg(i, &a, &mut nsgs);
                    self.attrs[i] = Some(Attrs::Nsg(a));
                }
                other => self.attrs[i] = other,
            }
        }
        for i in 0..self.insts.len() {
            let Some(attrs) = self.attrs[i].take() else {
                continue;
            };
            match &attrs {
                Attrs::Subnet(a) => self.subnet(i, a, &mut subnets),
                Attrs::Route(a) => self.route(i, a, &mut tables),
                Attrs::Rule(a) => self.rule(i, a, &mut nsgs),
                Attrs::Peering(a) => self.peering(i, a, &mut peerings),
                Attrs::Nic(a) => self.nic(i, a, &mut nics),
                Attrs::Gateway(a) => self.gateway(i, a),
                Attrs::LocalGateway(a) => self.local_gateway(i, a),
                Attrs::Connection(a) => self.connection(i, a),
                Attrs::Vm(a) => self.vm(i, a),
                Attrs::PrivateEndpoint(a) => self.private_endpoint(i, a, &mut nics),
                Attrs::PublicIp(a) => self.public_ip(i, a),
                _ => {}
            }
            self.attrs[i] = Some(attrs);
        }
        // Route tables' computed `subnets` name their subnets when no association does.
        for i in 0..self.insts.len() {
            if let Some(Attrs::RouteTable(a)) = &self.attrs[i] {
                let Some(table_id) = self.ids[i].clone() else {
                    continue;
                };
                for subnet in texts(&a.subnets) {
                    if let Some(draft) = subnets.get_mut(&normalize_id(subnet))
                        && draft.subnet.route_table.is_none()
                    {
                        draft.subnet.route_table = Some(Link::Missing(ArmId::new(&table_id)));
                    }
                }
            }
        }
        // Associations override what the subnet or NIC says.
        for i in 0..self.insts.len() {
            let Some(attrs) = self.attrs[i].take() else {
                continue;
            };
            match &attrs {
                Attrs::SubnetRouteTable(a) => self.association(
                    i,
                    AssociationKind::SubnetRouteTable,
                    &a.subnet_id,
                    &a.route_table_id,
                    &mut subnets,
                    &mut nics,
                ),
                Attrs::SubnetNsg(a) => self.association(
                    i,
                    AssociationKind::SubnetNsg,
                    &a.subnet_id,
                    &a.network_security_group_id,
                    &mut subnets,
                    &mut nics,
                ),
                Attrs::NicNsg(a) => self.association(
                    i,
                    AssociationKind::NicNsg,
                    &a.network_interface_id,
                    &a.network_security_group_id,
                    &mut subnets,
                    &mut nics,
                ),
                _ => {}
            }
            self.attrs[i] = Some(attrs);
        }
        // A resource the plan deletes may still be listed in its parent's computed blocks
        // (a VNet's `subnet`, a table's `route`, an NSG's `security_rule`): after apply it is gone.
        if !self.pending.deleted.is_empty() {
            let deleted: std::collections::HashSet<&str> = self.pending.deleted.iter().map(String::as_str).collect();
            subnets.retain(|key, _| !deleted.contains(key.as_str()));
            for table in tables.values_mut() {
                table.routes.retain(|_, r| !deleted.contains(r.id.key().as_str()));
            }
            for nsg in nsgs.values_mut() {
                nsg.rules.retain(|_, r| !deleted.contains(r.id.key().as_str()));
            }
        }
        self.finish_peerings(peerings, &vnet_spaces, &subnets);
        for (key, draft) in subnets {
            self.pending.subnets.push(Child { key, parent: draft.parent, item: draft.subnet });
        }
        for draft in tables.into_values() {
            let mut table = draft.table;
            table.routes = draft.routes.into_values().collect();
            self.pending.route_tables.push(table);
        }
        for draft in nsgs.into_values() {
            let mut nsg = draft.nsg;
            nsg.rules = draft.rules.into_values().collect();
            self.pending.nsgs.push(nsg);
        }
        for nic in nics.into_values() {
            self.pending.nics.push(nic);
        }
        self.record_unchanged();
        if self.used_placeholder_subscription {
            self.pending.diag(
                Diagnostic::new(
                    crate::diag::Severity::Info,
                    "TerraformPlaceholderSubscription",
                    format!("no known id in this Terraform input names a subscription; ids of resources not created yet use `{UNKNOWN_SUBSCRIPTION}`"),
                )
                .hint("such ids cannot match resources exported from Azure; include the state of an existing resource of the same subscription"),
            );
        }
    }

    /// Keys of resources a plan leaves as they are (`no-op`), for laying the plan over a live
    /// snapshot. A route table or NSG whose standalone routes or rules change, or lose a member,
    /// is changed even when its own resource is not.
    fn record_unchanged(&mut self) {
        let mut changed_parents: std::collections::HashSet<String> =
            self.pending.deleted.iter().map(|d| normalize_id(&parent_id(d))).collect();
        for (i, inst) in self.insts.iter().enumerate() {
            if !inst.unchanged
                && matches!(inst.addr.rtype.as_str(), "azurerm_route" | "azurerm_network_security_rule")
                && let Some(id) = &self.ids[i]
            {
                changed_parents.insert(normalize_id(&parent_id(id)));
            }
        }
        for (i, inst) in self.insts.iter().enumerate() {
            if inst.unchanged
                && let Some(id) = &self.ids[i]
            {
                let key = normalize_id(id);
                if !changed_parents.contains(&key) {
                    self.pending.unchanged.push(key);
                }
            }
        }
    }

    // ----- Ids -----

    fn assign_ids(&mut self, hint_ids: &[String]) {
        let mut known: Vec<String> = Vec::new();
        for i in 0..self.insts.len() {
            if let Some((Some(id), _, _)) = self.attrs[i].as_ref().map(Attrs::common) {
                known.push(id.to_string());
                self.ids[i] = Some(id.to_string());
            }
        }
        for id in known.iter().chain(hint_ids) {
            if let Some((sub, rg)) = subscription_of(id) {
                if self.any_subscription.is_none() {
                    self.any_subscription = Some(sub.clone());
                }
                if let Some(rg) = rg {
                    self.subscriptions.entry(rg).or_insert(sub);
                }
            }
        }
        // Top-level resources, then children (whose parents now have ids).
        for i in 0..self.insts.len() {
            // Resources already known, data sources, and resources that could not be read
            // (already reported) need no synthesised id.
            if self.ids[i].is_some() || self.insts[i].addr.data || self.attrs[i].is_none() {
                continue;
            }
            let Some(arm_type) = arm_type_of(&self.insts[i].addr.rtype) else {
                continue;
            };
            let (_, name, rg) = self.attrs[i].as_ref().map(Attrs::common).unwrap_or((None, None, None));
            let (name, rg) = (name.map(str::to_string), rg.map(str::to_string));
            match (name, rg) {
                (Some(name), Some(rg)) => {
                    self.ids[i] = Some(self.synthesise(&rg, arm_type, &name));
                }
                _ => self.no_id(i),
            }
        }
        for i in 0..self.insts.len() {
            // Resources already known, data sources, and resources that could not be read
            // (already reported) need no synthesised id.
            if self.ids[i].is_some() || self.insts[i].addr.data || self.attrs[i].is_none() {
                continue;
            }
            let child = match &self.attrs[i] {
                Some(Attrs::Subnet(a)) => Some((
                    a.name.clone(),
                    a.resource_group_name.clone(),
                    a.virtual_network_name.clone(),
                    "virtual_network_name",
                    VNET,
                    "Microsoft.Network/virtualNetworks",
                    "subnets",
                )),
                Some(Attrs::Peering(a)) => Some((
                    a.name.clone(),
                    a.resource_group_name.clone(),
                    a.virtual_network_name.clone(),
                    "virtual_network_name",
                    VNET,
                    "Microsoft.Network/virtualNetworks",
                    "virtualNetworkPeerings",
                )),
                Some(Attrs::Route(a)) => Some((
                    a.name.clone(),
                    a.resource_group_name.clone(),
                    a.route_table_name.clone(),
                    "route_table_name",
                    ROUTE_TABLE,
                    "Microsoft.Network/routeTables",
                    "routes",
                )),
                Some(Attrs::Rule(a)) => Some((
                    a.name.clone(),
                    a.resource_group_name.clone(),
                    a.network_security_group_name.clone(),
                    "network_security_group_name",
                    NSG,
                    "Microsoft.Network/networkSecurityGroups",
                    "securityRules",
                )),
                _ => None,
            };
            let Some((name, rg, parent_name, parent_attr, parent_types, parent_arm, segment)) = child else {
                continue;
            };
            let parent = self.parent(i, parent_name.as_deref(), rg.as_deref(), parent_attr, parent_types, parent_arm);
            match (parent, nonempty(&name)) {
                (Some(parent), Some(name)) => {
                    self.ids[i] = Some(format!("{parent}/{segment}/{name}"));
                }
                _ => self.no_id(i),
            }
        }
    }

    fn no_id(&mut self, i: usize) {
        let inst = &self.insts[i];
        let d = Diagnostic::warning(
            "MissingId",
            format!(
                "`{}` has no id yet and its name or resource group is unknown, so azroute cannot tell the id Azure will give it; skipped",
                inst.shown
            ),
        )
        .at(inst.path.clone())
        .hint("plan with names and resource groups known at plan time, or read the state after apply");
        self.pending.diag(d);
    }

    /// The id Azure gives a new resource: subscription (from a known id in the same resource
    /// group, else any known id), resource group, type, name.
    fn synthesise(&mut self, rg: &str, arm_type: &str, name: &str) -> String {
        let sub = match self.subscriptions.get(&rg.to_ascii_lowercase()).or(self.any_subscription.as_ref()) {
            Some(sub) => sub.clone(),
            None => {
                self.used_placeholder_subscription = true;
                UNKNOWN_SUBSCRIPTION.to_string()
            }
        };
        let (provider, kind) = arm_type.split_once('/').unwrap_or(("Microsoft.Network", arm_type));
        format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/{kind}/{name}")
    }

    /// The id of a child's parent, named by `<parent>_name` and `resource_group_name`: a parent
    /// in the input with that name and group, else the id Azure gives it; when the name is not
    /// known yet, the resource Terraform's references name.
    fn parent(
        &mut self,
        i: usize,
        name: Option<&str>,
        rg: Option<&str>,
        attr: &str,
        types: &[&str],
        arm_type: &str,
    ) -> Option<String> {
        if let (Some(name), Some(rg)) = (name.filter(|n| !n.trim().is_empty()), rg.filter(|r| !r.trim().is_empty())) {
            for j in 0..self.insts.len() {
                if !types.contains(&self.insts[j].addr.rtype.as_str()) {
                    continue;
                }
                let Some((_, Some(n), Some(r))) = self.attrs[j].as_ref().map(Attrs::common) else {
                    continue;
                };
                if n.eq_ignore_ascii_case(name)
                    && r.eq_ignore_ascii_case(rg)
                    && let Some(id) = &self.ids[j]
                {
                    return Some(id.clone());
                }
            }
            return Some(self.synthesise(rg, arm_type, name));
        }
        self.follow(i, &[ExprStep::Key(attr)], types, attr)
    }

    // ----- References -----

    /// The configuration module of a module instance path (instance keys dropped).
    fn module_config(&self, module: &[ModuleStep]) -> Option<&Value> {
        let mut m = self.configuration.as_ref()?.get("root_module")?;
        for (call, _) in module {
            m = m.get("module_calls")?.get(call)?.get("module")?;
        }
        Some(m)
    }

    /// The configuration `expressions` of an instance's resource block.
    fn expressions(&self, i: usize) -> Option<&Value> {
        let addr = &self.insts[i].addr;
        let module = self.module_config(&addr.module)?;
        let local = addr.local();
        let suffix = format!(".{local}");
        let mode = if addr.data { "data" } else { "managed" };
        module
            .get("resources")?
            .as_array()?
            .iter()
            .find(|r| {
                r.get("address").and_then(Value::as_str).is_some_and(|a| a == local || a.ends_with(&suffix))
                    && r.get("mode").and_then(Value::as_str).is_none_or(|m| m == mode)
            })?
            .get("expressions")
    }

    /// The `references` of the expression at `path` below an instance's block.
    fn references(&self, i: usize, path: &[ExprStep<'_>]) -> Vec<String> {
        let Some(mut e) = self.expressions(i) else {
            return Vec::new();
        };
        for step in path {
            let next = match step {
                ExprStep::Key(k) => e.get(*k),
                ExprStep::Idx(n) => e.get(*n),
                ExprStep::Named(name) => e.as_array().and_then(|blocks| {
                    blocks.iter().find(|b| {
                        b.get("name")
                            .and_then(|n| n.get("constant_value"))
                            .and_then(Value::as_str)
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    })
                }),
            };
            match next {
                Some(v) => e = v,
                None => return Vec::new(),
            }
        }
        string_list(e.get("references"))
    }

    /// Whether `after_unknown` marks the value at `path` unknown.
    fn is_unknown(&self, i: usize, path: &[ExprStep<'_>]) -> bool {
        let Some(mut m) = self.insts[i].unknown.as_ref() else {
            return false;
        };
        for step in path {
            if m.as_bool() == Some(true) {
                return true;
            }
            let next = match step {
                ExprStep::Key(k) => m.get(*k),
                ExprStep::Idx(n) => m.get(*n),
                ExprStep::Named(_) => None,
            };
            match next {
                Some(v) => m = v,
                None => return false,
            }
        }
        m.as_bool() == Some(true)
    }

    /// Instances a reference names, in scope of a module instance, following `var.` inputs
    /// and module outputs.
    fn resolve(&self, scope: &[ModuleStep], reference: &str, depth: u32) -> Vec<usize> {
        if depth > MAX_REFERENCE_DEPTH || self.budget.get() == 0 {
            return Vec::new();
        }
        self.budget.set(self.budget.get() - 1);
        let Some(steps) = parse_steps(reference) else {
            return Vec::new();
        };
        let name = |k: usize| match steps.get(k) {
            Some(Step::Name(n)) => Some(n.as_str()),
            _ => None,
        };
        let index = |k: usize| match steps.get(k) {
            Some(Step::Index(x)) => Some(x.clone()),
            _ => None,
        };
        match name(0) {
            Some("var") => {
                let (Some(var), Some((call, _))) = (name(1), scope.last()) else {
                    return Vec::new();
                };
                let parent = &scope[..scope.len() - 1];
                let refs = self
                    .module_config(parent)
                    .and_then(|m| m.get("module_calls"))
                    .and_then(|c| c.get(call))
                    .and_then(|c| c.get("expressions"))
                    .and_then(|e| e.get(var))
                    .map(|e| string_list(e.get("references")))
                    .unwrap_or_default();
                self.resolve_all(parent, &refs, depth + 1)
            }
            Some("module") => {
                let Some(call) = name(1) else {
                    return Vec::new();
                };
                let key = index(2);
                let output = if key.is_some() { name(3) } else { name(2) };
                let Some(output) = output else {
                    return Vec::new();
                };
                let mut child = scope.to_vec();
                child.push((call.to_string(), key));
                let refs = self
                    .module_config(&child)
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(output))
                    .and_then(|o| o.get("expression"))
                    .map(|e| string_list(e.get("references")))
                    .unwrap_or_default();
                self.resolve_all(&child, &refs, depth + 1)
            }
            Some("data") => match (name(1), name(2)) {
                (Some(t), Some(n)) => self.lookup(scope, true, t, n, index(3)),
                _ => Vec::new(),
            },
            Some("local" | "each" | "count" | "path" | "terraform" | "self") | None => Vec::new(),
            Some(t) => match name(1) {
                Some(n) => self.lookup(scope, false, t, n, index(2)),
                None => Vec::new(),
            },
        }
    }

    fn resolve_all(&self, scope: &[ModuleStep], refs: &[String], depth: u32) -> Vec<usize> {
        let mut out = Vec::new();
        for r in refs {
            for t in self.resolve(scope, r, depth) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    fn lookup(&self, scope: &[ModuleStep], data: bool, rtype: &str, name: &str, index: Option<String>) -> Vec<usize> {
        let addr = Address {
            module: scope.to_vec(),
            data,
            rtype: rtype.to_string(),
            name: name.to_string(),
            index: index.clone(),
        };
        if let Some(&i) = self.by_instance.get(&addr.instance_key()) {
            return vec![i];
        }
        if index.is_none()
            && let Some([only]) = self.by_resource.get(&addr.resource_key()).map(Vec::as_slice)
        {
            return vec![*only];
        }
        Vec::new()
    }

    /// Follows the references of an unknown attribute to the ids of resources of `types`.
    fn follow_all(&self, i: usize, path: &[ExprStep<'_>], types: &[&str]) -> (Vec<String>, Vec<String>) {
        let refs = self.references(i, path);
        let scope = self.insts[i].addr.module.clone();
        self.budget.set(MAX_REFERENCE_STEPS);
        let ids = self.resolve_all(&scope, &refs, 0).into_iter().flat_map(|t| self.target_ids(t, types)).fold(
            Vec::new(),
            |mut acc, id| {
                if !acc.iter().any(|a: &String| a.eq_ignore_ascii_case(&id)) {
                    acc.push(id);
                }
                acc
            },
        );
        (ids, refs)
    }

    /// The ids a reference to instance `t` yields for an attribute that names `types`: its own
    /// id, or for a subnet attribute that names a VNet (`one(azurerm_virtual_network.x.subnet).id`)
    /// the VNet's inline subnet when it has exactly one.
    fn target_ids(&self, t: usize, types: &[&str]) -> Vec<String> {
        let rtype = self.insts[t].addr.rtype.as_str();
        if types.contains(&rtype) {
            return self.ids[t].clone().into_iter().collect();
        }
        if types == SUBNET
            && let (Some(Attrs::Vnet(v)), Some(vnet_id)) = (&self.attrs[t], &self.ids[t])
        {
            let inline: Vec<&TfVnetSubnet> = blocks(&v.subnet).map(|(_, b)| b).collect();
            if let [only] = inline.as_slice()
                && let Some(name) = nonempty(&only.name)
            {
                return vec![
                    nonempty(&only.id).map(str::to_string).unwrap_or_else(|| format!("{vnet_id}/subnets/{name}")),
                ];
            }
        }
        Vec::new()
    }

    /// The id an unknown attribute will hold, from the configuration's references; reports
    /// when it cannot be told.
    fn follow(&mut self, i: usize, path: &[ExprStep<'_>], types: &[&str], shown: &str) -> Option<String> {
        let (ids, refs) = self.follow_all(i, path, types);
        if let Some(first) = ids.into_iter().next() {
            return Some(first);
        }
        if !refs.is_empty() || self.is_unknown(i, path) {
            self.unresolved(i, shown, &refs);
        }
        None
    }

    fn unresolved(&mut self, i: usize, shown: &str, refs: &[String]) {
        let inst = &self.insts[i];
        let message = if refs.is_empty() {
            format!(
                "`{}`: `{shown}` is not known until apply and the plan's configuration names no resource for it; the link is left out",
                inst.shown
            )
        } else {
            format!(
                "`{}`: `{shown}` is not known until apply and its references ({}) name no resource in this Terraform input; the link is left out",
                inst.shown,
                refs.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
            )
        };
        let path = format!("{}.{}", inst.path, shown);
        let id = self.ids[i].clone().unwrap_or_default();
        self.pending.diag(
            Diagnostic::warning("TerraformUnresolvedReference", message)
                .at(path)
                .resource(id)
                .hint(if self.is_plan {
                    "references are followed through resources, module outputs and `var.` inputs of this plan; links through locals, data sources read at apply time or other states cannot be followed"
                } else {
                    "state values are complete; this attribute is empty in the state"
                }),
        );
    }

    /// A link attribute: its value when known, else what its references name.
    fn link_value(
        &mut self,
        i: usize,
        value: &Option<String>,
        path: &[ExprStep<'_>],
        types: &[&str],
        shown: &str,
    ) -> Option<String> {
        match nonempty(value) {
            Some(v) => Some(v.to_string()),
            None => self.follow(i, path, types, shown),
        }
    }

    fn origin(&self, path: &str) -> Origin {
        Origin { file: self.pending.file, json_path: path.to_string() }
    }

    /// The id of instance `i`; `None` (already reported) when it has none.
    fn id(&self, i: usize) -> Option<String> {
        self.ids[i].clone()
    }

    // ----- Resources -----

    fn vnet(
        &mut self,
        i: usize,
        a: &TfVnet,
        subnets: &mut BTreeMap<String, SubnetDraft>,
        spaces: &mut HashMap<String, Vec<IpNet>>,
    ) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let space_texts = texts(&a.address_space);
        let address_space = self.pending.prefixes(&space_texts, &format!("{path}.address_space"), &id);
        if space_texts.is_empty() {
            self.pending.diag(
                Diagnostic::warning("EmptyAddressSpace", format!("`{}` has no address space", self.insts[i].shown))
                    .at(format!("{path}.address_space"))
                    .resource(&id),
            );
        }
        let key = normalize_id(&id);
        spaces.insert(key.clone(), address_space.clone());
        for (b, block) in blocks(&a.subnet) {
            let Some(name) = nonempty(&block.name) else {
                continue;
            };
            let subnet_id = nonempty(&block.id).map(str::to_string).unwrap_or_else(|| format!("{id}/subnets/{name}"));
            let bpath = format!("{path}.subnet[{b}]");
            let mut prefixes: Vec<&str> = block.address_prefix.iter().map(|s| s.as_str()).collect();
            prefixes.extend(texts(&block.address_prefixes));
            let prefix_path = if block.address_prefixes.is_some() {
                format!("{bpath}.address_prefixes")
            } else {
                format!("{bpath}.address_prefix")
            };
            let prefixes = self.pending.prefixes(&prefixes, &prefix_path, &subnet_id);
            let route_table = self.link_value(
                i,
                &block.route_table_id,
                &[ExprStep::Key("subnet"), ExprStep::Named(name), ExprStep::Key("route_table_id")],
                ROUTE_TABLE,
                &format!("subnet[{b}].route_table_id"),
            );
            let nsg = self.link_value(
                i,
                &block.security_group,
                &[ExprStep::Key("subnet"), ExprStep::Named(name), ExprStep::Key("security_group")],
                NSG,
                &format!("subnet[{b}].security_group"),
            );
            let subnet = Subnet {
                id: ArmId::new(&subnet_id),
                name: name.to_string(),
                vnet: VnetIdx(u32::MAX),
                prefixes,
                route_table: route_table.map(|r| Link::Missing(ArmId::new(r))),
                nsg: nsg.map(|n| Link::Missing(ArmId::new(n))),
                service_endpoints: service_endpoints(&block.service_endpoints),
                private_endpoint_network_policies: block
                    .private_endpoint_network_policies
                    .as_deref()
                    .map(private_endpoint_policies)
                    .unwrap_or_default(),
                origin: self.origin(&bpath),
            };
            subnets.entry(normalize_id(&subnet_id)).or_insert(SubnetDraft {
                subnet,
                parent: key.clone(),
                from_resource: false,
            });
        }
        self.pending.vnets.push(Vnet {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            address_space,
            subnets: Vec::new(),
            peerings: Vec::new(),
            origin: self.origin(&path),
        });
    }

    fn subnet(&mut self, i: usize, a: &TfSubnet, subnets: &mut BTreeMap<String, SubnetDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let mut prefix_texts: Vec<&str> = texts(&a.address_prefixes);
        prefix_texts.extend(nonempty(&a.address_prefix));
        let prefix_path = if a.address_prefixes.is_some() {
            format!("{path}.address_prefixes")
        } else {
            format!("{path}.address_prefix")
        };
        let prefixes = self.pending.prefixes(&prefix_texts, &prefix_path, &id);
        if prefix_texts.is_empty() {
            self.pending.diag(
                Diagnostic::warning(
                    "SubnetWithoutPrefix",
                    format!("`{}` has neither `address_prefixes` nor `address_prefix`", self.insts[i].shown),
                )
                .at(path.clone())
                .resource(&id),
            );
        }
        let policies = match (
            nonempty(&a.private_endpoint_network_policies),
            a.private_endpoint_network_policies_enabled,
            a.enforce_private_link_endpoint_network_policies,
        ) {
            (Some(text), _, _) => private_endpoint_policies(text),
            (None, Some(true), _) | (None, None, Some(false)) => PrivateEndpointNetworkPolicies::Enabled,
            _ => PrivateEndpointNetworkPolicies::Disabled,
        };
        let key = normalize_id(&id);
        let subnet = Subnet {
            id: ArmId::new(&id),
            name: nonempty(&a.name).map(str::to_string).unwrap_or_else(|| ArmId::new(&id).last_segment().to_string()),
            vnet: VnetIdx(u32::MAX),
            prefixes,
            route_table: None,
            nsg: None,
            service_endpoints: service_endpoints(&a.service_endpoints),
            private_endpoint_network_policies: policies,
            origin: self.origin(&path),
        };
        let parent = normalize_id(&parent_id(&id));
        match subnets.get_mut(&key) {
            // The VNet's inline block lists the same subnet: the resource wins, but the block
            // may carry the route table and NSG (4.x).
            Some(existing) if !existing.from_resource => {
                let route_table = existing.subnet.route_table.take();
                let nsg = existing.subnet.nsg.take();
                *existing = SubnetDraft { subnet: Subnet { route_table, nsg, ..subnet }, parent, from_resource: true };
            }
            Some(_) => {}
            None => {
                subnets.insert(key, SubnetDraft { subnet, parent, from_resource: true });
            }
        }
    }

    fn route_table(&mut self, i: usize, a: &TfRouteTable, tables: &mut BTreeMap<String, TableDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let mut routes = BTreeMap::new();
        for (r, block) in blocks(&a.route) {
            let rpath = format!("{path}.route[{r}]");
            let fields = route_fields(
                String::new(),
                nonempty(&block.name).unwrap_or_default(),
                &block.address_prefix,
                &block.next_hop_type,
                &block.next_hop_in_ip_address,
                &rpath,
            );
            if let Some(route) = self.pending.lower_route(fields, &id) {
                routes.insert(route.name.to_ascii_lowercase(), route);
            }
        }
        // 4.x `bgp_route_propagation_enabled` (default true) is the inverse of ≤3.x
        // `disable_bgp_route_propagation`.
        let disable_bgp_route_propagation = match (a.bgp_route_propagation_enabled, a.disable_bgp_route_propagation) {
            (Some(enabled), _) => !enabled,
            (None, Some(disabled)) => disabled,
            (None, None) => false,
        };
        tables.insert(
            normalize_id(&id),
            TableDraft {
                table: RouteTable {
                    id: ArmId::new(&id),
                    name: nonempty(&a.name).unwrap_or_default().to_string(),
                    location: normalize_location(nonempty(&a.location).unwrap_or_default()),
                    disable_bgp_route_propagation,
                    disable_peering_routes: false,
                    routes: Vec::new(),
                    origin: self.origin(&path),
                },
                routes,
            },
        );
    }

    fn route(&mut self, i: usize, a: &TfRoute, tables: &mut BTreeMap<String, TableDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let table_id = parent_id(&id);
        let fields = route_fields(
            id.clone(),
            nonempty(&a.name).unwrap_or(ArmId::new(&id).last_segment()),
            &a.address_prefix,
            &a.next_hop_type,
            &a.next_hop_in_ip_address,
            &path,
        );
        let Some(route) = self.pending.lower_route(fields, &table_id) else {
            return;
        };
        let parent = normalize_id(&table_id);
        match tables.get_mut(&parent) {
            // The table's computed `route` set lists this route too after a refresh; the
            // resource is the one Terraform manages.
            Some(table) => {
                table.routes.insert(route.name.to_ascii_lowercase(), route);
            }
            None => self.pending.routes.push(Child { key: normalize_id(&id), parent, item: route }),
        }
    }

    fn nsg(&mut self, i: usize, a: &TfNsg, nsgs: &mut BTreeMap<String, NsgDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let mut rules = BTreeMap::new();
        for (r, block) in blocks(&a.security_rule) {
            let rpath = format!("{path}.security_rule[{r}]");
            let rule_id = format!("{id}/securityRules/{}", nonempty(&block.name).unwrap_or_default());
            if let Some(rule) = self.pending.lower_rule(rule_fields(rule_id, block, &rpath)) {
                rules.insert(rule.name.to_ascii_lowercase(), rule);
            }
        }
        nsgs.insert(
            normalize_id(&id),
            NsgDraft {
                nsg: Nsg {
                    id: ArmId::new(&id),
                    name: nonempty(&a.name).unwrap_or_default().to_string(),
                    location: normalize_location(nonempty(&a.location).unwrap_or_default()),
                    rules: Vec::new(),
                    origin: self.origin(&path),
                },
                rules,
            },
        );
    }

    fn rule(&mut self, i: usize, a: &TfRule, nsgs: &mut BTreeMap<String, NsgDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let Some(rule) = self.pending.lower_rule(rule_fields(id.clone(), a, &path)) else {
            return;
        };
        let parent = normalize_id(&parent_id(&id));
        match nsgs.get_mut(&parent) {
            Some(nsg) => {
                nsg.rules.insert(rule.name.to_ascii_lowercase(), rule);
            }
            None => self.pending.rules.push(Child { key: normalize_id(&id), parent, item: rule }),
        }
    }

    fn peering(&mut self, i: usize, a: &TfPeering, out: &mut Vec<PeeringDraft>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let Some(remote) = self.link_value(
            i,
            &a.remote_virtual_network_id,
            &[ExprStep::Key("remote_virtual_network_id")],
            VNET,
            "remote_virtual_network_id",
        ) else {
            self.pending.diag(
                Diagnostic::warning(
                    "PeeringWithoutRemote",
                    format!("`{}` has no remote virtual network; skipped", self.insts[i].shown),
                )
                .at(format!("{path}.remote_virtual_network_id"))
                .resource(&id),
            );
            return;
        };
        let names = |v: &Strs| texts(v).iter().map(|s| s.to_string()).collect();
        let peering = Peering {
            id: ArmId::new(&id),
            name: nonempty(&a.name).map(str::to_string).unwrap_or_else(|| ArmId::new(&id).last_segment().to_string()),
            vnet: VnetIdx(u32::MAX),
            remote_vnet: Link::Missing(ArmId::new(&remote)),
            state: PeeringState::Initiated,
            allow_virtual_network_access: a.allow_virtual_network_access.unwrap_or(true),
            allow_forwarded_traffic: a.allow_forwarded_traffic.unwrap_or(false),
            allow_gateway_transit: a.allow_gateway_transit.unwrap_or(false),
            use_remote_gateways: a.use_remote_gateways.unwrap_or(false),
            remote_address_space: Vec::new(),
            remote_virtual_network_address_space: Vec::new(),
            peer_complete_vnets: a.peer_complete_virtual_networks_enabled.unwrap_or(true),
            local_subnet_names: names(&a.local_subnet_names),
            remote_subnet_names: names(&a.remote_subnet_names),
            origin: self.origin(&path),
        };
        out.push(PeeringDraft {
            key: normalize_id(&id),
            parent: normalize_id(&parent_id(&id)),
            remote: normalize_id(&remote),
            address: self.insts[i].shown.clone(),
            peering,
        });
    }

    /// Terraform exports no peering state: a peering is `Connected` when its reverse peering
    /// (remote → local) is in the same input, else `Initiated` (and `link.rs` looks for the
    /// reverse in the rest of the snapshot). The remote address space is the remote VNet's, or
    /// for subnet peering the listed remote subnets', when they are in the input.
    fn finish_peerings(
        &mut self,
        drafts: Vec<PeeringDraft>,
        spaces: &HashMap<String, Vec<IpNet>>,
        subnets: &BTreeMap<String, SubnetDraft>,
    ) {
        let pairs: Vec<(String, String)> = drafts.iter().map(|d| (d.parent.clone(), d.remote.clone())).collect();
        for mut d in drafts {
            let reverse = pairs.iter().any(|(parent, remote)| *parent == d.remote && *remote == d.parent);
            d.peering.state = if reverse { PeeringState::Connected } else { PeeringState::Initiated };
            if let Some(space) = spaces.get(&d.remote) {
                d.peering.remote_virtual_network_address_space = space.clone();
                d.peering.remote_address_space = if d.peering.peer_complete_vnets {
                    space.clone()
                } else {
                    subnets
                        .values()
                        .filter(|s| {
                            s.parent == d.remote
                                && d.peering.remote_subnet_names.iter().any(|n| n.eq_ignore_ascii_case(&s.subnet.name))
                        })
                        .flat_map(|s| s.subnet.prefixes.iter().copied())
                        .collect()
                };
            }
            if !reverse {
                self.pending.unpaired_peerings.push(UnpairedPeering {
                    key: d.key.clone(),
                    address: d.address.clone(),
                    origin: d.peering.origin.clone(),
                });
            }
            self.pending.peerings.push(Child { key: d.key, parent: d.parent, item: d.peering });
        }
    }

    fn nic(&mut self, i: usize, a: &TfNic, nics: &mut BTreeMap<String, Nic>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let mut ip_configs = Vec::new();
        for (c, block) in blocks(&a.ip_configuration) {
            let cpath = format!("{path}.ip_configuration[{c}]");
            let name = nonempty(&block.name).unwrap_or_default().to_string();
            let subnet = self.link_value(
                i,
                &block.subnet_id,
                &[ExprStep::Key("ip_configuration"), ExprStep::Idx(c), ExprStep::Key("subnet_id")],
                SUBNET,
                &format!("ip_configuration[{c}].subnet_id"),
            );
            let public_ip = self.link_value(
                i,
                &block.public_ip_address_id,
                &[ExprStep::Key("ip_configuration"), ExprStep::Idx(c), ExprStep::Key("public_ip_address_id")],
                PUBLIC_IP,
                &format!("ip_configuration[{c}].public_ip_address_id"),
            );
            let private_ip = match nonempty(&block.private_ip_address) {
                Some(text) => self.pending.ip(text, &format!("{cpath}.private_ip_address"), &id),
                None => None,
            };
            ip_configs.push(IpConfig {
                id: ArmId::new(format!("{id}/ipConfigurations/{name}")),
                name,
                private_ip,
                subnet: subnet.map(|s| Link::Missing(ArmId::new(s))),
                public_ip: public_ip.map(|p| Link::Missing(ArmId::new(p))),
                primary: block.primary.unwrap_or(false),
                application_security_groups: Vec::new(),
            });
        }
        if ip_configs.is_empty() {
            self.pending.diag(
                Diagnostic::warning(
                    "NicWithoutIpConfiguration",
                    format!("`{}` has no `ip_configuration`", self.insts[i].shown),
                )
                .at(format!("{path}.ip_configuration"))
                .resource(&id)
                .hint("Azure requires at least one; the NIC is kept but has no subnet and no routes"),
            );
        }
        // Terraform computes `primary`: the first configuration unless another is marked.
        if !ip_configs.is_empty() && !ip_configs.iter().any(|c| c.primary) {
            ip_configs[0].primary = true;
        }
        let vm = nonempty(&a.virtual_machine_id).map(|v| Link::Missing(ArmId::new(v)));
        nics.insert(
            normalize_id(&id),
            Nic {
                id: ArmId::new(&id),
                name: nonempty(&a.name).unwrap_or_default().to_string(),
                location: normalize_location(nonempty(&a.location).unwrap_or_default()),
                ip_forwarding: a.ip_forwarding_enabled.or(a.enable_ip_forwarding).unwrap_or(false),
                nsg: None,
                vm,
                primary: None,
                ip_configs,
                private_endpoint: None,
                origin: self.origin(&path),
            },
        );
    }

    /// An association resource: applied to its subnet or NIC when that is in this input, else
    /// handed to `link.rs`.
    fn association(
        &mut self,
        i: usize,
        kind: AssociationKind,
        target: &Option<String>,
        value: &Option<String>,
        subnets: &mut BTreeMap<String, SubnetDraft>,
        nics: &mut BTreeMap<String, Nic>,
    ) {
        let (target_attr, target_types, value_attr, value_types) = match kind {
            AssociationKind::SubnetRouteTable => ("subnet_id", SUBNET, "route_table_id", ROUTE_TABLE),
            AssociationKind::SubnetNsg => ("subnet_id", SUBNET, "network_security_group_id", NSG),
            AssociationKind::NicNsg => ("network_interface_id", NIC, "network_security_group_id", NSG),
        };
        let target = self.link_value(i, target, &[ExprStep::Key(target_attr)], target_types, target_attr);
        let value = self.link_value(i, value, &[ExprStep::Key(value_attr)], value_types, value_attr);
        let (Some(target), Some(value)) = (target, value) else {
            return;
        };
        let key = normalize_id(&target);
        match kind {
            AssociationKind::SubnetRouteTable if subnets.contains_key(&key) => {
                if let Some(d) = subnets.get_mut(&key) {
                    d.subnet.route_table = Some(Link::Missing(ArmId::new(&value)));
                }
            }
            AssociationKind::SubnetNsg if subnets.contains_key(&key) => {
                if let Some(d) = subnets.get_mut(&key) {
                    d.subnet.nsg = Some(Link::Missing(ArmId::new(&value)));
                }
            }
            AssociationKind::NicNsg if nics.contains_key(&key) => {
                if let Some(n) = nics.get_mut(&key) {
                    n.nsg = Some(Link::Missing(ArmId::new(&value)));
                }
            }
            _ => {
                let origin = self.origin(&self.insts[i].path);
                self.pending.associations.push(PendingAssociation {
                    kind,
                    target: key,
                    value: Some(ArmId::new(&value)),
                    address: self.insts[i].shown.clone(),
                    origin,
                });
            }
        }
    }

    fn gateway(&mut self, i: usize, a: &TfGateway) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let gateway_type = match nonempty(&a.gateway_type).unwrap_or("Vpn").to_ascii_lowercase().as_str() {
            "vpn" => GatewayType::Vpn,
            "expressroute" => GatewayType::ExpressRoute,
            "localgateway" => GatewayType::LocalGateway,
            other => GatewayType::Other(other.to_string()),
        };
        let mut subnet = None;
        for (c, block) in blocks(&a.ip_configuration) {
            let s = self.link_value(
                i,
                &block.subnet_id,
                &[ExprStep::Key("ip_configuration"), ExprStep::Idx(c), ExprStep::Key("subnet_id")],
                SUBNET,
                &format!("ip_configuration[{c}].subnet_id"),
            );
            if subnet.is_none() {
                subnet = s;
            }
        }
        let mut instance_ips: Vec<IpAddr> = Vec::new();
        for (b, bgp) in blocks(&a.bgp_settings) {
            for (p, peering) in blocks(&bgp.peering_addresses) {
                for (k, text) in texts(&peering.default_addresses).iter().enumerate() {
                    let ip_path = format!("{path}.bgp_settings[{b}].peering_addresses[{p}].default_addresses[{k}]");
                    if let Some(ip) = self.pending.ip(text, &ip_path, &id)
                        && !instance_ips.contains(&ip)
                    {
                        instance_ips.push(ip);
                    }
                }
            }
        }
        let mut pool = Vec::new();
        for (c, client) in blocks(&a.vpn_client_configuration) {
            pool.extend(self.pending.prefixes(
                &texts(&client.address_space),
                &format!("{path}.vpn_client_configuration[{c}].address_space"),
                &id,
            ));
        }
        self.pending.gateways.push(VnetGateway {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            gateway_type,
            vpn_type: nonempty(&a.vpn_type).unwrap_or_default().to_string(),
            sku: nonempty(&a.sku).unwrap_or_default().to_string(),
            active_active: a.active_active.unwrap_or(false),
            bgp_enabled: a.bgp_enabled.or(a.enable_bgp).unwrap_or(false),
            // The gateway's VNet is the parent of its GatewaySubnet.
            vnet: subnet.map(|s| Link::Missing(ArmId::new(parent_id(&s)))),
            instance_ips,
            vpn_client_address_pool: pool,
            learned_routes: Vec::new(),
            learned_routes_supplied: false,
            provisioning_state: String::new(),
            origin: self.origin(&path),
        });
    }

    fn local_gateway(&mut self, i: usize, a: &TfLocalGateway) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let space_path = format!("{path}.address_space");
        let mut prefixes = self.pending.prefixes(&texts(&a.address_space), &space_path, &id);
        if prefixes.iter().any(|p| matches!(p, IpNet::V6(_))) {
            self.pending.diag(
                Diagnostic::warning(
                    "Ipv6WhereIpv4Expected",
                    "local network gateway lists an IPv6 prefix; Azure VPN gateways are IPv4-only, so it is ignored",
                )
                .at(space_path)
                .resource(&id),
            );
            prefixes.retain(|p| matches!(p, IpNet::V4(_)));
        }
        let bgp_peering_address = blocks(&a.bgp_settings)
            .filter_map(|(_, b)| nonempty(&b.bgp_peering_address))
            .find_map(|t| parse_ip(t).ok());
        self.pending.local_gateways.push(LocalNetworkGateway {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            prefixes,
            gateway_ip: nonempty(&a.gateway_address).or(nonempty(&a.gateway_fqdn)).unwrap_or_default().to_string(),
            bgp_peering_address,
            origin: self.origin(&path),
        });
    }

    fn connection(&mut self, i: usize, a: &TfConnection) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let connection_type = match nonempty(&a.connection_type).unwrap_or_default().to_ascii_lowercase().as_str() {
            "ipsec" => ConnectionType::IPsec,
            "vnet2vnet" => ConnectionType::Vnet2Vnet,
            "expressroute" => ConnectionType::ExpressRoute,
            "vpnclient" => ConnectionType::VPNClient,
            other => ConnectionType::Other(other.to_string()),
        };
        let gateway1 = self.link_value(
            i,
            &a.virtual_network_gateway_id,
            &[ExprStep::Key("virtual_network_gateway_id")],
            GATEWAY,
            "virtual_network_gateway_id",
        );
        let gateway2 = self.link_value(
            i,
            &a.peer_virtual_network_gateway_id,
            &[ExprStep::Key("peer_virtual_network_gateway_id")],
            GATEWAY,
            "peer_virtual_network_gateway_id",
        );
        let local = self.link_value(
            i,
            &a.local_network_gateway_id,
            &[ExprStep::Key("local_network_gateway_id")],
            LOCAL_GATEWAY,
            "local_network_gateway_id",
        );
        self.pending.connections.push(Connection {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            connection_type,
            gateway1: gateway1.map(|v| Link::Missing(ArmId::new(v))),
            gateway2: gateway2.map(|v| Link::Missing(ArmId::new(v))),
            local_gateway2: local.map(|v| Link::Missing(ArmId::new(v))),
            // Terraform records no connection status.
            status: String::new(),
            enable_bgp: a.bgp_enabled.or(a.enable_bgp).unwrap_or(false),
            origin: self.origin(&path),
        });
    }

    fn vm(&mut self, i: usize, a: &TfVm) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let listed: Vec<Option<String>> =
            a.network_interface_ids.iter().flatten().map(|v| v.clone().filter(|s| !s.trim().is_empty())).collect();
        let mut nics: Vec<String> = Vec::new();
        if listed.iter().any(Option::is_none) || listed.is_empty() {
            // Unknown NIC ids: fill them, in order, with the NICs the references name.
            let (followed, refs) = self.follow_all(i, &[ExprStep::Key("network_interface_ids")], NIC);
            let mut extra =
                followed.into_iter().filter(|f| !listed.iter().flatten().any(|l| l.eq_ignore_ascii_case(f)));
            let mut missing = false;
            for l in &listed {
                match l {
                    Some(id) => nics.push(id.clone()),
                    None => match extra.next() {
                        Some(id) => nics.push(id),
                        None => missing = true,
                    },
                }
            }
            if listed.is_empty() {
                nics.extend(extra);
            }
            if missing
                || (nics.is_empty()
                    && (!refs.is_empty() || self.is_unknown(i, &[ExprStep::Key("network_interface_ids")])))
            {
                self.unresolved(i, "network_interface_ids", &refs);
            }
        } else {
            nics = listed.into_iter().flatten().collect();
        }
        let primary_nic = nonempty(&a.primary_network_interface_id)
            .and_then(|p| nics.iter().position(|n| n.eq_ignore_ascii_case(p)))
            .unwrap_or(0);
        self.pending.vms.push(Vm {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            location: normalize_location(nonempty(&a.location).unwrap_or_default()),
            nics: nics.into_iter().map(|n| Link::Missing(ArmId::new(n))).collect(),
            primary_nic,
            power_state: None,
            origin: self.origin(&path),
        });
    }

    fn private_endpoint(&mut self, i: usize, a: &TfPrivateEndpoint, nics: &mut BTreeMap<String, Nic>) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        let subnet = self.link_value(i, &a.subnet_id, &[ExprStep::Key("subnet_id")], SUBNET, "subnet_id");
        let mut ips: Vec<IpAddr> = Vec::new();
        let mut candidates: Vec<(String, String)> = Vec::new();
        let mut group_ids: Vec<String> = Vec::new();
        for (c, conn) in blocks(&a.private_service_connection) {
            if let Some(t) = nonempty(&conn.private_ip_address) {
                candidates.push((t.to_string(), format!("{path}.private_service_connection[{c}].private_ip_address")));
            }
            group_ids.extend(texts(&conn.subresource_names).iter().map(|s| s.to_string()));
        }
        for (c, cfg) in blocks(&a.ip_configuration) {
            if let Some(t) = nonempty(&cfg.private_ip_address) {
                candidates.push((t.to_string(), format!("{path}.ip_configuration[{c}].private_ip_address")));
            }
            if let Some(g) = nonempty(&cfg.subresource_name)
                && !group_ids.iter().any(|x| x.eq_ignore_ascii_case(g))
            {
                group_ids.push(g.to_string());
            }
        }
        for (c, dns) in blocks(&a.custom_dns_configs) {
            for (k, t) in texts(&dns.ip_addresses).iter().enumerate() {
                candidates.push((t.to_string(), format!("{path}.custom_dns_configs[{c}].ip_addresses[{k}]")));
            }
        }
        for (text, p) in candidates {
            if let Some(ip) = self.pending.ip(&text, &p, &id)
                && !ips.contains(&ip)
            {
                ips.push(ip);
            }
        }
        // Azure creates the endpoint's NIC; Terraform only names it. It is lowered as ARM
        // exports it, so the endpoint's link resolves and its address is owned.
        let nic = blocks(&a.network_interface)
            .find_map(|(_, n)| nonempty(&n.id).map(|nid| (nid.to_string(), nonempty(&n.name).map(str::to_string))));
        if let Some((nic_id, nic_name)) = &nic {
            let key = normalize_id(nic_id);
            nics.entry(key).or_insert_with(|| Nic {
                id: ArmId::new(nic_id),
                name: nic_name.clone().unwrap_or_else(|| ArmId::new(nic_id).last_segment().to_string()),
                location: normalize_location(nonempty(&a.location).unwrap_or_default()),
                ip_forwarding: false,
                nsg: None,
                vm: None,
                primary: None,
                ip_configs: ips
                    .iter()
                    .enumerate()
                    .map(|(k, ip)| IpConfig {
                        id: ArmId::new(format!("{nic_id}/ipConfigurations/privateEndpointIpConfig{k}")),
                        name: format!("privateEndpointIpConfig{k}"),
                        private_ip: Some(*ip),
                        subnet: subnet.clone().map(|s| Link::Missing(ArmId::new(s))),
                        public_ip: None,
                        primary: k == 0,
                        application_security_groups: Vec::new(),
                    })
                    .collect(),
                private_endpoint: Some(ArmId::new(&id)),
                origin: Origin { file: self.pending.file, json_path: format!("{path}.network_interface") },
            });
        }
        self.pending.private_endpoints.push(PrivateEndpoint {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            subnet: subnet.map(|s| Link::Missing(ArmId::new(s))),
            ips,
            nic: nic.map(|(n, _)| Link::Missing(ArmId::new(n))),
            group_ids,
            origin: self.origin(&path),
        });
    }

    fn public_ip(&mut self, i: usize, a: &TfPublicIp) {
        let Some(id) = self.id(i) else { return };
        let path = self.insts[i].path.clone();
        self.pending.public_ips.push(PublicIp {
            id: ArmId::new(&id),
            name: nonempty(&a.name).unwrap_or_default().to_string(),
            ip: nonempty(&a.ip_address).and_then(|t| parse_ip(t).ok()),
            origin: self.origin(&path),
        });
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Terraform lists service names only; Azure fills in the locations (`*` for most services,
/// the region pair for Microsoft.Storage), which the export does not say, so `*` is assumed.
fn service_endpoints(v: &Strs) -> Vec<ServiceEndpoint> {
    let mut out: Vec<ServiceEndpoint> = texts(v)
        .iter()
        .map(|s| ServiceEndpoint { service: s.trim().to_string(), locations: vec!["*".to_string()] })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn route_fields(
    id: String,
    name: &str,
    prefix: &Option<String>,
    next_hop_type: &Option<String>,
    next_hop_ip: &Option<String>,
    path: &str,
) -> RouteFields {
    RouteFields {
        id,
        name: name.to_string(),
        prefixes: prefix.iter().cloned().collect(),
        prefix_path: format!("{path}.address_prefix"),
        next_hop_type: next_hop_type.clone().unwrap_or_default(),
        next_hop_type_path: format!("{path}.next_hop_type"),
        next_hop_ips: nonempty(next_hop_ip)
            .map(|ip| (ip.to_string(), format!("{path}.next_hop_in_ip_address")))
            .into_iter()
            .collect(),
        next_hop_ip_path: format!("{path}.next_hop_in_ip_address"),
        next_hop_ip_field: "next_hop_in_ip_address",
        prefix_field: "address_prefix",
        next_hop_type_field: "next_hop_type",
        path: path.to_string(),
    }
}

fn rule_fields(id: String, r: &TfRule, path: &str) -> RuleFields {
    let merge = |one: &Option<String>, many: &Strs| -> Vec<String> {
        let mut out: Vec<String> = nonempty(one).map(str::to_string).into_iter().collect();
        out.extend(texts(many).iter().map(|s| s.to_string()));
        out
    };
    RuleFields {
        id,
        name: nonempty(&r.name).unwrap_or_default().to_string(),
        protocol: r.protocol.clone().unwrap_or_default(),
        access: r.access.clone().unwrap_or_default(),
        direction: r.direction.clone().unwrap_or_default(),
        priority: r.priority,
        sources: merge(&r.source_address_prefix, &r.source_address_prefixes),
        destinations: merge(&r.destination_address_prefix, &r.destination_address_prefixes),
        source_ports: merge(&r.source_port_range, &r.source_port_ranges),
        destination_ports: merge(&r.destination_port_range, &r.destination_port_ranges),
        source_asgs: texts(&r.source_application_security_group_ids).iter().map(|s| s.to_string()).collect(),
        destination_asgs: texts(&r.destination_application_security_group_ids).iter().map(|s| s.to_string()).collect(),
        paths: RulePaths {
            object: path.to_string(),
            protocol: format!("{path}.protocol"),
            access: format!("{path}.access"),
            direction: format!("{path}.direction"),
            priority: format!("{path}.priority"),
            source: format!("{path}.source_address_prefix"),
            destination: format!("{path}.destination_address_prefix"),
            source_port: format!("{path}.source_port_range"),
            destination_port: format!("{path}.destination_port_range"),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    const SUB: &str = "11111111-2222-3333-4444-555555555555";

    fn id(rest: &str) -> String {
        format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Network/{rest}")
    }

    fn parse(text: &str) -> Pending {
        let mut p = Pending::new(0, "tf.json");
        crate::envelope::parse_text(text, &mut p).expect("the envelope parses");
        p
    }

    /// A `terraform show -json` state whose root module holds `resources`, each
    /// `(address, values)`.
    fn state(resources: &[(&str, Value)]) -> String {
        let list: Vec<Value> = resources
            .iter()
            .map(|(address, values)| {
                let addr = Address::parse(address).expect("address");
                json!({"address": address, "mode": "managed", "type": addr.rtype, "name": addr.name,
                       "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0,
                       "values": values, "sensitive_values": {}})
            })
            .collect();
        json!({"format_version": "1.0", "terraform_version": "1.9.8",
               "values": {"root_module": {"resources": list}}})
        .to_string()
    }

    fn change(address: &str, actions: &[&str], before: Value, after: Value, unknown: Value) -> Value {
        let addr = Address::parse(address).expect("address");
        json!({"address": address, "mode": "managed", "type": addr.rtype, "name": addr.name,
               "change": {"actions": actions, "before": before, "after": after, "after_unknown": unknown}})
    }

    fn plan(changes: Vec<Value>, configuration: Value) -> String {
        json!({"format_version": "1.2", "terraform_version": "1.9.8", "planned_values": {},
               "resource_changes": changes, "configuration": configuration})
        .to_string()
    }

    fn codes(p: &Pending) -> Vec<&'static str> {
        p.diagnostics.iter().map(|d| d.code).collect()
    }

    fn vnet(name: &str, space: &str) -> Value {
        json!({"id": id(&format!("virtualNetworks/{name}")), "name": name, "resource_group_name": "rg",
               "location": "westeurope", "address_space": [space]})
    }

    #[test]
    fn provider_3x_and_4x_attribute_names_mean_the_same() {
        let v3 = state(&[
            ("azurerm_virtual_network.v", vnet("v", "10.0.0.0/16")),
            (
                "azurerm_subnet.old",
                json!({"id": id("virtualNetworks/v/subnets/old"), "name": "old",
                "address_prefix": "10.0.1.0/24", "enforce_private_link_endpoint_network_policies": false}),
            ),
            (
                "azurerm_subnet.off",
                json!({"id": id("virtualNetworks/v/subnets/off"), "name": "off",
                "address_prefixes": ["10.0.2.0/24"], "private_endpoint_network_policies_enabled": false,
                "enforce_private_link_endpoint_network_policies": true}),
            ),
            (
                "azurerm_network_interface.n",
                json!({"id": id("networkInterfaces/n"), "name": "n",
                "enable_ip_forwarding": true,
                "ip_configuration": [{"name": "c", "subnet_id": id("virtualNetworks/v/subnets/old"), "private_ip_address": "10.0.1.4"}]}),
            ),
            (
                "azurerm_route_table.r",
                json!({"id": id("routeTables/r"), "name": "r", "disable_bgp_route_propagation": true, "route": []}),
            ),
            (
                "azurerm_virtual_network_gateway.g",
                json!({"id": id("virtualNetworkGateways/g"), "name": "g", "type": "Vpn", "enable_bgp": true}),
            ),
        ]);
        let v4 = state(&[
            ("azurerm_virtual_network.v", vnet("v", "10.0.0.0/16")),
            (
                "azurerm_subnet.old",
                json!({"id": id("virtualNetworks/v/subnets/old"), "name": "old",
                "address_prefixes": ["10.0.1.0/24"], "private_endpoint_network_policies": "Enabled"}),
            ),
            (
                "azurerm_subnet.off",
                json!({"id": id("virtualNetworks/v/subnets/off"), "name": "off",
                "address_prefixes": ["10.0.2.0/24"], "private_endpoint_network_policies": "Disabled"}),
            ),
            (
                "azurerm_network_interface.n",
                json!({"id": id("networkInterfaces/n"), "name": "n",
                "ip_forwarding_enabled": true,
                "ip_configuration": [{"name": "c", "subnet_id": id("virtualNetworks/v/subnets/old"), "private_ip_address": "10.0.1.4"}]}),
            ),
            (
                "azurerm_route_table.r",
                json!({"id": id("routeTables/r"), "name": "r", "bgp_route_propagation_enabled": false, "route": []}),
            ),
            (
                "azurerm_virtual_network_gateway.g",
                json!({"id": id("virtualNetworkGateways/g"), "name": "g", "type": "Vpn", "bgp_enabled": true}),
            ),
        ]);
        for (version, text) in [("3.x", v3), ("4.x", v4)] {
            let p = parse(&text);
            assert!(p.diagnostics.is_empty(), "{version}: {:?}", p.diagnostics);
            let subnet = |name: &str| &p.subnets.iter().find(|s| s.item.name == name).expect(name).item;
            assert_eq!(subnet("old").prefixes, vec!["10.0.1.0/24".parse::<IpNet>().unwrap()], "{version}");
            assert_eq!(
                subnet("old").private_endpoint_network_policies,
                PrivateEndpointNetworkPolicies::Enabled,
                "{version}: enforce_… = false and the 4.x string both mean Enabled"
            );
            assert_eq!(
                subnet("off").private_endpoint_network_policies,
                PrivateEndpointNetworkPolicies::Disabled,
                "{version}"
            );
            assert!(p.nics[0].ip_forwarding, "{version}");
            assert!(p.route_tables[0].disable_bgp_route_propagation, "{version}: inverted in 4.x");
            assert!(p.gateways[0].bgp_enabled, "{version}");
            assert_eq!(p.resources_read, 6, "{version}");
        }
        // 4.x's default (propagation enabled) and an explicit true both leave it on.
        for values in
            [json!({}), json!({"bgp_route_propagation_enabled": true}), json!({"disable_bgp_route_propagation": false})]
        {
            let mut v = json!({"id": id("routeTables/r"), "name": "r"});
            v.as_object_mut().unwrap().extend(values.as_object().unwrap().clone());
            let p = parse(&state(&[("azurerm_route_table.r", v)]));
            assert!(!p.route_tables[0].disable_bgp_route_propagation);
        }
        // The 4.x policy values beyond Enabled/Disabled.
        let p = parse(&state(&[(
            "azurerm_subnet.s",
            json!({"id": id("virtualNetworks/v/subnets/s"), "name": "s",
            "address_prefixes": ["10.0.3.0/24"], "private_endpoint_network_policies": "RouteTableEnabled"}),
        )]));
        assert_eq!(
            p.subnets[0].item.private_endpoint_network_policies,
            PrivateEndpointNetworkPolicies::RouteTableEnabled
        );
    }

    #[test]
    fn inline_blocks_and_separate_resources_merge_by_name() {
        let rt = id("routeTables/rt");
        let nsg = id("networkSecurityGroups/nsg");
        let mut hub = vnet("v", "10.0.0.0/16");
        // 4.x inline subnets carry their route table and NSG; one is also an azurerm_subnet.
        hub["subnet"] = json!([
            {"id": id("virtualNetworks/v/subnets/a"), "name": "a", "address_prefixes": ["10.0.1.0/24"],
             "route_table_id": rt, "security_group": nsg},
            {"id": id("virtualNetworks/v/subnets/b"), "name": "b", "address_prefixes": ["10.0.2.0/24"],
             "route_table_id": "", "security_group": ""},
        ]);
        let p = parse(&state(&[
            ("azurerm_virtual_network.v", hub),
            (
                "azurerm_subnet.a",
                json!({"id": id("virtualNetworks/v/subnets/a"), "name": "a", "address_prefixes": ["10.0.1.0/24"],
                "service_endpoints": ["Microsoft.Sql"]}),
            ),
            (
                "azurerm_subnet_route_table_association.b",
                json!({"id": id("virtualNetworks/v/subnets/b"),
                "subnet_id": id("virtualNetworks/v/subnets/b"), "route_table_id": rt}),
            ),
            // The table's computed `route` set also lists the azurerm_route; in no particular order.
            (
                "azurerm_route_table.rt",
                json!({"id": rt, "name": "rt", "route": [
                    {"name": "zeta", "address_prefix": "10.9.0.0/16", "next_hop_type": "vnetlocal", "next_hop_in_ip_address": ""},
                    {"name": "alpha", "address_prefix": "0.0.0.0/0", "next_hop_type": "Internet", "next_hop_in_ip_address": ""},
                    {"name": "mid", "address_prefix": "10.8.0.0/16", "next_hop_type": "VirtualAppliance", "next_hop_in_ip_address": "10.0.1.4"},
                ]}),
            ),
            (
                "azurerm_route.mid",
                json!({"id": format!("{rt}/routes/mid"), "name": "mid", "route_table_name": "rt",
                "resource_group_name": "rg", "address_prefix": "10.8.0.0/16", "next_hop_type": "VirtualAppliance",
                "next_hop_in_ip_address": "10.0.1.4"}),
            ),
            (
                "azurerm_network_security_group.nsg",
                json!({"id": nsg, "name": "nsg", "security_rule": [
                    {"name": "in", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                     "source_address_prefix": "", "source_address_prefixes": ["10.1.0.0/16", "10.2.0.0/16"],
                     "destination_address_prefix": "*", "source_port_range": "*", "destination_port_range": "",
                     "destination_port_ranges": ["80", "443"]},
                ]}),
            ),
            (
                "azurerm_network_security_rule.out",
                json!({"id": format!("{nsg}/securityRules/out"), "name": "out",
                "network_security_group_name": "nsg", "resource_group_name": "rg", "priority": 4000, "direction": "Outbound",
                "access": "Deny", "protocol": "*", "source_address_prefix": "*", "destination_address_prefix": "Internet",
                "source_port_range": "*", "destination_port_range": "*"}),
            ),
        ]));
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.subnets.len(), 2);
        let a = &p.subnets.iter().find(|s| s.item.name == "a").unwrap().item;
        assert_eq!(a.route_table.as_ref().and_then(|l| l.missing()).map(|i| i.key()), Some(normalize_id(&rt)));
        assert_eq!(a.nsg.as_ref().and_then(|l| l.missing()).map(|i| i.key()), Some(normalize_id(&nsg)));
        assert_eq!(a.service_endpoints[0].service, "Microsoft.Sql", "the azurerm_subnet's own fields win");
        let b = &p.subnets.iter().find(|s| s.item.name == "b").unwrap().item;
        assert!(b.route_table.is_some() && b.nsg.is_none(), "the association links b");
        let names: Vec<&str> = p.route_tables[0].routes.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["alpha", "mid", "zeta"], "one route per name, in name order");
        assert_eq!(p.route_tables[0].routes[2].next_hop_type, RouteNextHopType::VnetLocal);
        assert!(p.routes.is_empty());
        let rules = &p.nsgs[0].rules;
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].sources.len(), 2);
        assert_eq!(rules[0].destination_ports.len(), 2);
        assert_eq!(rules[1].destinations, vec![AddressPattern::Tag("Internet".into())]);
    }

    /// A plan that creates a VNet, a subnet (in a module instance with a `for_each` key) and a
    /// NIC in the root module that reaches the subnet through the module's output.
    fn module_plan(nic_reference: &str) -> String {
        let unknown_id = json!({"id": true});
        plan(
            vec![
                change(
                    "azurerm_resource_group.rg",
                    &["no-op"],
                    json!({}),
                    json!({"id": format!("/subscriptions/{SUB}/resourceGroups/rg"), "name": "rg"}),
                    json!({}),
                ),
                change(
                    "module.net[\"a\"].azurerm_virtual_network.this",
                    &["create"],
                    Value::Null,
                    json!({"name": "v", "resource_group_name": "rg", "location": "westeurope", "address_space": ["10.5.0.0/16"]}),
                    json!({"id": true, "subnet": true}),
                ),
                change(
                    "module.net[\"a\"].azurerm_subnet.app[0]",
                    &["create"],
                    Value::Null,
                    json!({"name": "app", "resource_group_name": "rg", "virtual_network_name": "v", "address_prefixes": ["10.5.1.0/24"]}),
                    unknown_id.clone(),
                ),
                change(
                    "azurerm_network_interface.nic",
                    &["create"],
                    Value::Null,
                    json!({"name": "nic", "resource_group_name": "rg", "location": "westeurope",
                           "ip_configuration": [{"name": "c", "private_ip_address": "10.5.1.4"}]}),
                    json!({"id": true, "ip_configuration": [{"subnet_id": true}]}),
                ),
                change(
                    "azurerm_linux_virtual_machine.vm",
                    &["create"],
                    Value::Null,
                    json!({"name": "vm", "resource_group_name": "rg", "network_interface_ids": [null]}),
                    json!({"id": true, "network_interface_ids": [true]}),
                ),
            ],
            json!({"root_module": {
                "resources": [
                    {"address": "azurerm_network_interface.nic", "mode": "managed", "type": "azurerm_network_interface", "name": "nic",
                     "expressions": {"ip_configuration": [{"name": {"constant_value": "c"},
                        "subnet_id": {"references": [nic_reference, "module.net"]}}]}},
                    {"address": "azurerm_linux_virtual_machine.vm", "mode": "managed", "type": "azurerm_linux_virtual_machine", "name": "vm",
                     "expressions": {"network_interface_ids": {"references": ["azurerm_network_interface.nic.id", "azurerm_network_interface.nic"]}}}
                ],
                "module_calls": {"net": {"source": "./net",
                    "expressions": {"resource_group_name": {"references": ["azurerm_resource_group.rg.name", "azurerm_resource_group.rg"]}},
                    "module": {
                        "outputs": {"subnet_id": {"expression": {"references": ["azurerm_subnet.app[0].id", "azurerm_subnet.app[0]", "azurerm_subnet.app"]}}},
                        "resources": [{"address": "azurerm_subnet.app", "mode": "managed", "type": "azurerm_subnet", "name": "app",
                            "expressions": {"virtual_network_name": {"references": ["azurerm_virtual_network.this.name", "azurerm_virtual_network.this"]}}}]
                    }}}
            }}),
        )
    }

    #[test]
    fn unknown_ids_are_synthesised_and_followed_through_module_outputs() {
        let p = parse(&module_plan("module.net[\"a\"].subnet_id"));
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let subnet = format!("{}/subnets/app", id("virtualNetworks/v"));
        assert_eq!(p.subnets[0].key, normalize_id(&subnet), "subscription taken from a known id");
        let nic = &p.nics[0];
        assert_eq!(nic.id.as_str(), id("networkInterfaces/nic"));
        assert_eq!(
            nic.ip_configs[0].subnet.as_ref().and_then(|l| l.missing()).map(|i| i.key()),
            Some(normalize_id(&subnet))
        );
        assert_eq!(p.vms[0].nics, vec![Link::Missing(ArmId::new(id("networkInterfaces/nic")))]);
    }

    #[test]
    fn unresolved_references_name_the_terraform_address() {
        // The output is of another module instance, which the plan does not have.
        let p = parse(&module_plan("module.net[\"b\"].subnet_id"));
        let d =
            p.diagnostics.iter().find(|d| d.code == "TerraformUnresolvedReference").expect("an unresolved reference");
        assert!(d.message.contains("`azurerm_network_interface.nic`"), "{d}");
        assert!(d.message.contains("ip_configuration[0].subnet_id"), "{d}");
        assert!(d.message.contains("module.net[\"b\"].subnet_id"), "{d}");
        assert_eq!(d.json_path.as_deref(), Some("$.resource_changes[3].change.after.ip_configuration[0].subnet_id"));
        assert_eq!(d.severity, crate::diag::Severity::Warning);
        assert!(p.nics[0].ip_configs[0].subnet.is_none(), "no guessed link");
        // Locals are not in the configuration representation.
        let p = parse(&module_plan("local.subnet_id"));
        assert_eq!(codes(&p), ["TerraformUnresolvedReference"]);
    }

    #[test]
    fn unknown_parent_names_and_inline_subnets_follow_references() {
        let p = parse(&plan(
            vec![
                change(
                    "azurerm_virtual_network.v",
                    &["create"],
                    Value::Null,
                    json!({"name": "v", "resource_group_name": "rg", "address_space": ["10.6.0.0/16"],
                           "subnet": [{"name": "only", "address_prefixes": ["10.6.1.0/24"]}]}),
                    json!({"id": true, "subnet": [{"id": true, "route_table_id": true}]}),
                ),
                change(
                    "azurerm_route_table.rt",
                    &["create"],
                    Value::Null,
                    json!({"name": "rt", "resource_group_name": "rg", "route": []}),
                    json!({"id": true}),
                ),
                change(
                    "azurerm_virtual_network_peering.p",
                    &["create"],
                    Value::Null,
                    json!({"name": "p", "resource_group_name": "rg", "remote_virtual_network_id": id("virtualNetworks/other")}),
                    json!({"id": true, "virtual_network_name": true}),
                ),
                change(
                    "azurerm_network_interface.nic",
                    &["create"],
                    Value::Null,
                    json!({"name": "nic", "resource_group_name": "rg", "ip_configuration": [{"name": "c"}]}),
                    json!({"id": true, "ip_configuration": [{"subnet_id": true}]}),
                ),
            ],
            json!({"root_module": {"resources": [
                {"address": "azurerm_virtual_network.v", "mode": "managed", "type": "azurerm_virtual_network", "name": "v",
                 "expressions": {"subnet": [{"name": {"constant_value": "only"},
                    "route_table_id": {"references": ["azurerm_route_table.rt.id", "azurerm_route_table.rt"]}}]}},
                {"address": "azurerm_virtual_network_peering.p", "mode": "managed", "type": "azurerm_virtual_network_peering", "name": "p",
                 "expressions": {"virtual_network_name": {"references": ["azurerm_virtual_network.v.name", "azurerm_virtual_network.v"]}}},
                {"address": "azurerm_network_interface.nic", "mode": "managed", "type": "azurerm_network_interface", "name": "nic",
                 "expressions": {"ip_configuration": [{"subnet_id": {"references": ["azurerm_virtual_network.v.subnet", "azurerm_virtual_network.v"]}}]}}
            ]}}),
        ));
        // No known id names a subscription: the placeholder, said once.
        assert_eq!(codes(&p), ["TerraformPlaceholderSubscription"]);
        let vnet = format!(
            "/subscriptions/{UNKNOWN_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
        );
        assert_eq!(p.peerings[0].parent, normalize_id(&vnet), "parent named by reference");
        assert_eq!(p.subnets[0].item.id.as_str(), format!("{vnet}/subnets/only"));
        assert!(p.subnets[0].item.route_table.is_some());
        assert_eq!(
            p.nics[0].ip_configs[0].subnet.as_ref().and_then(|l| l.missing()).map(|i| i.key()),
            Some(normalize_id(&format!("{vnet}/subnets/only"))),
            "a VNet's only inline subnet"
        );
        // Without a name or resource group, no id can be told.
        let p = parse(&plan(
            vec![change(
                "azurerm_network_interface.nic",
                &["create"],
                Value::Null,
                json!({"resource_group_name": "rg"}),
                json!({"id": true, "name": true}),
            )],
            json!({}),
        ));
        assert_eq!(codes(&p), ["MissingId"]);
        assert!(p.diagnostics[0].message.contains("azurerm_network_interface.nic"));
        assert!(p.nics.is_empty());
    }

    #[test]
    fn plan_deletions_are_recorded_but_not_replacements_or_associations() {
        let rt = id("routeTables/old");
        let nic = id("networkInterfaces/n");
        let p = parse(&plan(
            vec![
                change(
                    "azurerm_route_table.old",
                    &["delete"],
                    json!({"id": rt, "name": "old"}),
                    Value::Null,
                    Value::Null,
                ),
                change(
                    "azurerm_network_interface.n",
                    &["delete", "create"],
                    json!({"id": nic, "name": "n"}),
                    json!({"name": "n", "resource_group_name": "rg", "ip_configuration": []}),
                    json!({"id": true}),
                ),
                change(
                    "azurerm_subnet_route_table_association.a",
                    &["delete"],
                    json!({"id": id("virtualNetworks/v/subnets/s"), "subnet_id": id("virtualNetworks/v/subnets/s"), "route_table_id": rt}),
                    Value::Null,
                    Value::Null,
                ),
                json!({"address": "azurerm_subnet.s", "mode": "managed", "type": "azurerm_subnet", "name": "s", "deposed": "00a1b2c3",
                       "change": {"actions": ["delete"], "before": {"id": id("virtualNetworks/v/subnets/s")}, "after": null}}),
            ],
            json!({}),
        ));
        assert_eq!(p.deleted, vec![normalize_id(&rt)]);
        assert_eq!(p.nics.len(), 1, "the replacement is read from its after-value");
        assert_eq!(normalize_id(p.nics[0].id.as_str()), normalize_id(&nic));
        assert!(p.route_tables.is_empty());
        // A deleted route is gone from its table, though the table's computed `route` set still
        // lists it in the plan.
        let table = id("routeTables/t");
        let p = parse(&plan(
            vec![
                change(
                    "azurerm_route_table.t",
                    &["no-op"],
                    Value::Null,
                    json!({"id": table, "name": "t", "route": [
                    {"name": "keep", "address_prefix": "10.1.0.0/16", "next_hop_type": "None"},
                    {"name": "gone", "address_prefix": "10.2.0.0/16", "next_hop_type": "None"}]}),
                    json!({}),
                ),
                change(
                    "azurerm_route.gone",
                    &["delete"],
                    json!({"id": format!("{table}/routes/gone")}),
                    Value::Null,
                    Value::Null,
                ),
            ],
            json!({}),
        ));
        let names: Vec<&str> = p.route_tables[0].routes.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["keep"]);
    }

    #[test]
    fn peering_state_comes_from_the_reverse_peering() {
        let peering = |from: &str, to: &str| {
            json!({"id": id(&format!("virtualNetworks/{from}/virtualNetworkPeerings/{from}-{to}")), "name": format!("{from}-{to}"),
                   "virtual_network_name": from, "resource_group_name": "rg",
                   "remote_virtual_network_id": id(&format!("virtualNetworks/{to}")), "allow_gateway_transit": true})
        };
        let p = parse(&state(&[
            ("azurerm_virtual_network.a", vnet("a", "10.1.0.0/16")),
            ("azurerm_virtual_network.b", vnet("b", "10.2.0.0/16")),
            ("azurerm_virtual_network_peering.ab", peering("a", "b")),
            ("azurerm_virtual_network_peering.ba", peering("b", "a")),
            ("azurerm_virtual_network_peering.ac", peering("a", "c")),
        ]));
        let state_of = |name: &str| p.peerings.iter().find(|x| x.item.name == name).unwrap();
        assert_eq!(state_of("a-b").item.state, PeeringState::Connected);
        assert_eq!(state_of("b-a").item.state, PeeringState::Connected);
        assert_eq!(
            state_of("a-b").item.remote_address_space,
            vec!["10.2.0.0/16".parse::<IpNet>().unwrap()],
            "the remote VNet's space"
        );
        assert!(state_of("a-b").item.allow_gateway_transit && state_of("a-b").item.allow_virtual_network_access);
        assert_eq!(state_of("a-c").item.state, PeeringState::Initiated);
        assert!(state_of("a-c").item.remote_address_space.is_empty(), "remote VNet not in the input");
        assert_eq!(p.unpaired_peerings.len(), 1);
        assert!(p.unpaired_peerings[0].address.ends_with("peering.ac"));
    }

    #[test]
    fn raw_state_files_are_read() {
        let text = json!({"version": 4, "terraform_version": "1.5.7", "serial": 12, "lineage": "0c4f2a3e", "outputs": {},
            "resources": [
                {"mode": "managed", "type": "azurerm_virtual_network", "name": "v",
                 "provider": "provider[\"registry.terraform.io/hashicorp/azurerm\"]",
                 "instances": [{"schema_version": 0, "attributes": vnet("v", "10.0.0.0/16"), "sensitive_attributes": []}]},
                {"module": "module.net", "mode": "managed", "type": "azurerm_subnet", "name": "s",
                 "instances": [
                    {"index_key": 0, "attributes": {"id": id("virtualNetworks/v/subnets/s0"), "name": "s0", "address_prefixes": ["10.0.0.0/24"]}},
                    {"index_key": "x", "attributes": {"id": id("virtualNetworks/v/subnets/s1"), "name": "s1", "address_prefixes": ["10.0.1.0/24"]}}
                 ]},
                {"mode": "data", "type": "azurerm_client_config", "name": "current", "instances": [{"attributes": {"id": "x"}}]}
            ]})
        .to_string();
        let p = parse(&text);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!((p.vnets.len(), p.subnets.len()), (1, 2));
        let old = json!({"version": 3, "terraform_version": "0.11.14", "lineage": "x", "modules": [], "resources": []})
            .to_string();
        assert_eq!(codes(&parse(&old)), ["TerraformUnsupportedFormat"]);
    }

    #[test]
    fn wrong_types_name_the_json_path_and_cost_only_their_resource() {
        let mut bad = vnet("bad", "10.0.0.0/16");
        bad["address_space"] = json!("10.0.0.0/16");
        let p = parse(&state(&[
            ("azurerm_virtual_network.bad", bad),
            ("azurerm_virtual_network.good", vnet("good", "10.1.0.0/16")),
            (
                "azurerm_network_security_group.n",
                json!({"id": id("networkSecurityGroups/n"), "name": "n",
                "security_rule": [{"name": "r", "priority": "100"}]}),
            ),
            (
                "azurerm_subnet.s",
                json!({"id": id("virtualNetworks/good/subnets/s"), "name": "s", "address_prefixes": ["10.1.1.300/24"]}),
            ),
        ]));
        let wrong: Vec<&Diagnostic> = p.diagnostics.iter().filter(|d| d.code == "WrongType").collect();
        assert_eq!(wrong.len(), 2, "{:?}", p.diagnostics);
        assert_eq!(wrong[0].json_path.as_deref(), Some("$.values.root_module.resources[0].values.address_space"));
        assert!(wrong[0].message.contains("`azurerm_virtual_network.bad`"), "{}", wrong[0]);
        assert!(wrong[0].message.contains("line 1 column"), "{}", wrong[0]);
        assert_eq!(
            wrong[1].json_path.as_deref(),
            Some("$.values.root_module.resources[2].values.security_rule[0].priority")
        );
        let invalid = p.diagnostics.iter().find(|d| d.code == "InvalidPrefix").expect("InvalidPrefix");
        assert_eq!(invalid.json_path.as_deref(), Some("$.values.root_module.resources[3].values.address_prefixes"));
        assert_eq!(p.vnets.len(), 1, "the good VNet is still read");
        // In a plan, the path runs through the change's after-value.
        let p = parse(&plan(
            vec![change(
                "azurerm_network_interface.n",
                &["create"],
                Value::Null,
                json!({"name": "n", "resource_group_name": "rg", "ip_forwarding_enabled": "yes"}),
                json!({"id": true}),
            )],
            json!({}),
        ));
        assert_eq!(
            p.diagnostics[0].json_path.as_deref(),
            Some("$.resource_changes[0].change.after.ip_forwarding_enabled")
        );
    }

    #[test]
    fn malformed_terraform_never_panics() {
        let deep_modules = format!(
            "{{\"format_version\":\"1.0\",\"values\":{{\"root_module\":{}{{}}{}}}}}",
            "{\"child_modules\":[".repeat(300),
            "]}".repeat(300)
        );
        let cyclic_vars = json!({"format_version": "1.2", "resource_changes": [
                {"address": "module.m.azurerm_network_interface.n", "type": "azurerm_network_interface",
                 "change": {"actions": ["create"], "after": {"name": "n", "resource_group_name": "rg", "ip_configuration": [{}]},
                            "after_unknown": {"id": true, "ip_configuration": [{"subnet_id": true}]}}}],
            "configuration": {"root_module": {"module_calls": {"m": {
                "expressions": {"x": {"references": ["module.m.out", "module.m.out", "module.m.out"]}},
                "module": {"outputs": {"out": {"expression": {"references": ["var.x", "var.x", "var.x"]}}},
                    "resources": [{"address": "azurerm_network_interface.n", "mode": "managed",
                        "expressions": {"ip_configuration": [{"subnet_id": {"references": ["var.x", "var.x"]}}]}}]}}}}}})
        .to_string();
        let cases = [
            r#"{"format_version": 1}"#.to_string(),
            r#"{"format_version": "2.0", "values": {}}"#.to_string(),
            r#"{"format_version": "1.0", "values": {"root_module": []}}"#.to_string(),
            r#"{"terraform_version": "1", "values": {"root_module": {"child_modules": 5, "resources": [7, null, {"values": 3}]}}}"#.to_string(),
            r#"{"format_version": "1.2", "resource_changes": {}}"#.to_string(),
            r#"{"format_version": "1.2", "resource_changes": [5, null, {"address": "!!", "change": {"after": {}}}, {"change": {"actions": "delete"}}]}"#.to_string(),
            r#"{"format_version": "1.2", "resource_changes": [{"address": "azurerm_route_table.r", "type": "azurerm_route_table", "change": {"actions": ["delete"], "before": {"id": 5}}}]}"#.to_string(),
            r#"{"format_version": "1.2", "resource_changes": [{"address": "azurerm_subnet.s", "type": "azurerm_subnet", "change": {"actions": ["create"], "after": {"name": "s"}}}], "configuration": {"root_module": 7}}"#.to_string(),
            r#"{"lineage": "x", "version": 4, "resources": [{"instances": [{"attributes": null}, {"index_key": [1], "attributes": {}}]}]}"#.to_string(),
            r#"{"terraform_version": "1.9.8", "values": {"root_module": {"resources": [{"address": "module.[.x", "values": {}}]}}}"#.to_string(),
            r#"{"format_version": "1.0"}"#.to_string(),
            deep_modules,
            cyclic_vars,
        ];
        for text in &cases {
            let mut p = Pending::new(0, "tf.json");
            let _ = crate::envelope::parse_text(text, &mut p);
        }
        assert!(codes(&parse(&cases[0])).contains(&"WrongType"));
        assert!(codes(&parse(&cases[1])).contains(&"TerraformUnsupportedFormat"));
        assert!(codes(&parse(&cases[10])).contains(&"TerraformEmpty"));
        assert!(codes(&parse(&cases[11])).contains(&"NestingTooDeep"));
        assert!(codes(&parse(&cases[12])).contains(&"TerraformUnresolvedReference"));
        // Every truncation of a real plan is an error, never a panic.
        let fixture = module_plan("module.net[\"a\"].subnet_id");
        for end in (0..fixture.len()).step_by(7) {
            let mut p = Pending::new(0, "tf.json");
            let _ = crate::envelope::parse_text(&fixture[..end], &mut p);
        }
    }

    #[test]
    fn addresses_and_references_are_split_into_steps() {
        let a = Address::parse("module.spoke[\"a.b\"].module.inner[0].data.azurerm_subnet.s[\"x\"]").unwrap();
        assert_eq!(
            a.module,
            vec![("spoke".to_string(), Some("\"a.b\"".to_string())), ("inner".to_string(), Some("0".to_string()))]
        );
        assert!(a.data);
        assert_eq!(a.local(), "data.azurerm_subnet.s");
        assert_eq!(a.instance_key(), "module.spoke[\"a.b\"].module.inner[0].data.azurerm_subnet.s[\"x\"]");
        assert!(Address::parse("module.m").is_none());
        assert!(parse_steps("a..b").is_none());
        assert!(parse_steps("a[\"unterminated").is_none());
        assert_eq!(
            parse_steps("azurerm_subnet.app[0].id").unwrap(),
            vec![
                Step::Name("azurerm_subnet".into()),
                Step::Name("app".into()),
                Step::Index("0".into()),
                Step::Name("id".into())
            ]
        );
    }
}
