//! The arguments of each command: its own options first; the shared snapshot, reachability
//! and modelling options (`common.rs`) are flattened in last, so `-h` lists them last.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::common::*;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RoutesFormat {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum NextHopFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct RoutesArgs {
    /// A network interface: its name (unique across the snapshot), RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "NIC", group = "target")]
    pub nic: Option<String>,
    /// A virtual machine (its primary NIC is shown): name, RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "VM", group = "target")]
    pub vm: Option<String>,
    /// A subnet as VNET/SUBNET (names), RESOURCE-GROUP/VNET/SUBNET or its id.
    #[arg(long, value_name = "VNET/SUBNET", group = "target")]
    pub subnet: Option<String>,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = RoutesFormat::Table)]
    pub output: RoutesFormat,
    /// Say why each route exists and why Invalid routes lost (JSON: adds `origin`, `reason`,
    /// `notes`).
    #[arg(long)]
    pub explain: bool,
    /// Every NIC's effective routes, streamed (needs `-o json` or `-o csv`).
    #[arg(long, group = "target")]
    pub all: bool,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args, Debug)]
pub struct NextHopArgs {
    /// The NIC to answer for (Network Watcher's targetNicResourceId): name, RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "NIC", group = "target", required_unless_present = "vm")]
    pub nic: Option<String>,
    /// The VM to answer for (its primary NIC): name, RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "VM", group = "target")]
    pub vm: Option<String>,
    /// Destination IP address.
    #[arg(long, value_name = "IP")]
    pub dest_ip: String,
    /// Source IP address (must belong to the VM; picks the NIC of a multi-NIC VM).
    #[arg(long, value_name = "IP")]
    pub source_ip: Option<String>,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = NextHopFormat::Table)]
    pub output: NextHopFormat,
    /// List every route whose prefix contains the destination, which won and why each other lost.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args, Debug)]
pub struct ExamplesArgs {
    /// Print the names only, one per line.
    #[arg(long)]
    pub names: bool,
    /// Write an example's files into --out (to edit it and compare with `azroute diff`).
    #[arg(long, value_name = "NAME", requires = "out")]
    pub export: Option<String>,
    /// The directory to write into (created if missing; existing files are never overwritten).
    #[arg(long, value_name = "DIR", requires = "export")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TableJson {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct SecurityRulesArgs {
    /// The network interface: name, RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "NIC", group = "target", required_unless_present = "vm")]
    pub nic: Option<String>,
    /// A virtual machine (its primary NIC): name, RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "VM", group = "target")]
    pub vm: Option<String>,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = TableJson::Table)]
    pub output: TableJson,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DirectionArg {
    #[value(name = "Inbound", alias = "inbound")]
    Inbound,
    #[value(name = "Outbound", alias = "outbound")]
    Outbound,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum IpFlowProtocolArg {
    #[value(name = "TCP", alias = "tcp", alias = "Tcp")]
    Tcp,
    #[value(name = "UDP", alias = "udp", alias = "Udp")]
    Udp,
}

#[derive(Args, Debug)]
pub struct IpFlowArgs {
    /// The network interface whose NSGs decide: name, RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "NIC", group = "target", required_unless_present = "vm")]
    pub nic: Option<String>,
    /// A virtual machine (its primary NIC): name, RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "VM", group = "target")]
    pub vm: Option<String>,
    /// Direction of the flow at the NIC.
    #[arg(long, value_name = "DIR", value_enum)]
    pub direction: DirectionArg,
    /// Protocol of the flow.
    #[arg(long, value_name = "PROTO", value_enum)]
    pub protocol: IpFlowProtocolArg,
    /// The NIC's side of the flow: IP:PORT (PORT may be `*`).
    #[arg(long, value_name = "IP:PORT")]
    pub local: String,
    /// The other side of the flow: IP:PORT (PORT may be `*`).
    #[arg(long, value_name = "IP:PORT")]
    pub remote: String,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = TableJson::Table)]
    pub output: TableJson,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TraceFormat {
    Table,
    Json,
    Mermaid,
}

#[derive(Args, Debug)]
pub struct TraceArgs {
    /// Where the packet starts: a NIC or VM (name, RESOURCE-GROUP/NAME or id), or an IP (a
    /// NIC's, on-premises behind a gateway, or the Internet).
    #[arg(long, value_name = "NIC|VM|IP")]
    pub from: String,
    /// Where it goes: an IP, or a NIC or VM (its private IP of the source's family).
    #[arg(long, value_name = "IP|NIC|VM")]
    pub to: String,
    /// Protocol.
    #[arg(long, value_name = "PROTO", value_enum, default_value_t = ProtocolArg::Tcp)]
    pub protocol: ProtocolArg,
    #[command(flatten)]
    pub ports: PortArgs,
    /// Treat an address of a subnet that no NIC holds as a host there, at either end (as
    /// `azroute reach` does); without it such a destination is reported as NoHostAtDestination.
    #[arg(long)]
    pub assume_host: bool,
    /// The host name (HTTP Host, TLS SNI) an Azure Firewall's application rules match; without
    /// it a flow such a rule may decide is Indeterminate.
    #[arg(long, value_name = "NAME")]
    pub fqdn: Option<String>,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = TraceFormat::Table)]
    pub output: TraceFormat,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// `generate --topology`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TopologyArg {
    HubSpoke,
    Vwan,
}

/// `generate --hub-appliance`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum HubApplianceArg {
    Nva,
    AzureFirewall,
}

/// `generate --rule-mix`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RuleMixArg {
    Realistic,
    Legacy,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReachFormat {
    Table,
    Json,
    Csv,
}

/// The level of a reachability matrix.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReachBy {
    /// One cell per source subnet and destination subnet (or on-premises prefix, Internet).
    Subnet,
    /// One cell per source VNet and destination VNet (or on-premises prefix, Internet),
    /// summarising its subnet cells: how many of each reachability, how many per code, and the
    /// worst outcome.
    Vnet,
}

#[derive(Args, Debug)]
pub struct ReachArgs {
    /// The matrix's level: `subnet` cells, or `vnet` cells summarising them (for large
    /// estates: computed from the same address classes, without holding the subnet cells).
    #[arg(long, value_name = "LEVEL", value_enum, default_value_t = ReachBy::Subnet)]
    pub by: ReachBy,
    /// List only cells where connections do not all succeed (the summary still counts all).
    #[arg(long)]
    pub problems: bool,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = ReachFormat::Table)]
    pub output: ReachFormat,
    #[command(flatten)]
    pub scope: ReachScopeArgs,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// What a before/after comparison prints.
#[derive(Args, Debug, Clone)]
pub struct CompareArgs {
    /// Compare effective routes only (skip the reachability matrices).
    #[arg(long)]
    pub routes_only: bool,
    /// Recompute the after side in full, even when it differs from the before side only in
    /// routes, associations and peerings (which are otherwise recomputed incrementally).
    #[arg(long)]
    pub full: bool,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = TableJson::Table)]
    pub output: TableJson,
    #[command(flatten)]
    pub scope: ReachScopeArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The estate before: a snapshot directory or file (Azure JSON or Terraform), or
    /// `example:NAME` for an embedded example.
    #[arg(long, value_name = "SNAPSHOT")]
    pub before: String,
    /// The estate after, as --before.
    #[arg(long, value_name = "SNAPSHOT")]
    pub after: String,
    #[command(flatten)]
    pub compare: CompareArgs,
    #[command(flatten)]
    pub load: LoadArgs,
}

#[derive(Args, Debug)]
pub struct WhatIfArgs {
    /// `terraform show -json plan.out` (or any snapshot) to lay over the live snapshot: its
    /// resources replace those with the same id, its deletions remove them.
    #[arg(long, value_name = "PLAN")]
    pub plan: PathBuf,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub compare: CompareArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum VerifyFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Azure's effective routes: a directory of `az network nic show-effective-route-table
    /// -o json` outputs, one file per NIC (`<nic-name>.json`, or the wrapper {"nicId": "<id>",
    /// "effectiveRoutes": <output>}), or one such file.
    #[arg(long, value_name = "DIR")]
    pub actual: PathBuf,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = VerifyFormat::Table)]
    pub output: VerifyFormat,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args, Debug)]
pub struct CollectArgs {
    /// The snapshot directory to create (new, or empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A subscription id or name; repeat for several. Default: the current one (`az account
    /// show`).
    #[arg(long = "subscription", value_name = "ID")]
    pub subscriptions: Vec<String>,
    /// Also save the Service Tags file for this location (`az network list-service-tags`).
    #[arg(long, value_name = "LOCATION")]
    pub service_tags: Option<String>,
    /// The Azure CLI executable.
    #[arg(long, value_name = "PATH", default_value = if cfg!(windows) { "az.cmd" } else { "az" })]
    pub az: PathBuf,
    /// Retries of a call Azure throttled (HTTP 429), with exponential backoff from 2 s.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub retries: u32,
    /// Also save Azure's effective routes of every NIC of a running VM into
    /// `<subscription>/actual/`, for `azroute verify`.
    #[arg(long)]
    pub effective_routes: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DoctorFormat {
    Table,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SeverityArg {
    Info,
    Warning,
    Error,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FailOnArg {
    /// Exit 1 when a warning or an error is reported.
    Warning,
    /// Exit 1 when an error is reported (the default).
    Error,
    /// Always exit 0 once the checks ran.
    Never,
}

#[derive(Args, Debug)]
pub struct DoctorArgs {
    /// Run and report only these checks (codes, comma-separated).
    #[arg(long, value_name = "CODE,...", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Report findings of this severity and above.
    #[arg(long, value_name = "LEVEL", value_enum, default_value_t = SeverityArg::Info)]
    pub severity: SeverityArg,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = DoctorFormat::Table)]
    pub output: DoctorFormat,
    /// Exit with status 1 when a finding of this severity or worse is reported.
    #[arg(long, value_name = "LEVEL", value_enum, default_value_t = FailOnArg::Error)]
    pub fail_on: FailOnArg,
    /// On estates too large for exhaustive traffic analysis (over 2.5 million matrix cells), the
    /// most NVA paths the sampled analysis traces (an evenly spread sample beyond it).
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    pub max_traces: usize,
    /// Trace every cell of the reachability matrix whatever the estate's size, instead of
    /// sampling above 2.5 million cells: at 100k NICs about 52 s on two cores in under 1 GB
    /// (BENCHMARKS.md).
    #[arg(long)]
    pub exhaustive: bool,
    /// Print the long explanation of one check and the Azure documentation it rests on.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PresetArg {
    /// About 1k NICs: 2 hubs x 10 spokes x 5 subnets x 10 NICs.
    #[value(name = "1k")]
    K1,
    /// About 10k NICs: 4 hubs x 50 spokes.
    #[value(name = "10k")]
    K10,
    /// About 100k NICs: 10 hubs x 200 spokes, 10k subnets, 2k route tables, 50k user routes.
    #[value(name = "100k")]
    K100,
    /// About 1M NICs: 40 hubs x 500 spokes, 100k subnets, 20k route tables, 500k user routes
    /// (about 4.7 GB of JSON).
    #[value(name = "1m")]
    M1,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// The snapshot directory to create (new, or empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Start from a named size (default 1k); the flags below override its values.
    #[arg(long, value_name = "SIZE", value_enum)]
    pub preset: Option<PresetArg>,
    /// Seed of the pseudo-random choices (user routes, NSG rules, global spokes, etags).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Hub VNets (each with a VPN gateway, NVAs behind a load balancer, and its spokes).
    #[arg(long, value_name = "N")]
    pub hubs: Option<usize>,
    /// Spoke VNets peered to each hub.
    #[arg(long, value_name = "N")]
    pub spokes_per_hub: Option<usize>,
    /// Subnets in each spoke.
    #[arg(long, value_name = "N")]
    pub subnets_per_spoke: Option<usize>,
    /// NICs (each with a VM) in each subnet.
    #[arg(long, value_name = "N")]
    pub nics_per_subnet: Option<usize>,
    /// User routes in each spoke route table.
    #[arg(long, value_name = "N")]
    pub routes_per_table: Option<usize>,
    /// Spoke route tables in all, shared round-robin by a hub's spokes (default: one per spoke).
    #[arg(long, value_name = "N")]
    pub tables: Option<usize>,
    /// NVA NICs (IP forwarding on) in each hub, behind an internal load balancer.
    #[arg(long, value_name = "N")]
    pub nvas_per_hub: Option<usize>,
    /// Private endpoints in all, spread over the spokes.
    #[arg(long, value_name = "N")]
    pub private_endpoints: Option<usize>,
    /// Fraction of spokes in another region than their hub (global peering).
    #[arg(long, value_name = "F")]
    pub global_peering_fraction: Option<f64>,
    /// Security rules in each NSG.
    #[arg(long, value_name = "N")]
    pub nsg_rules: Option<usize>,
    /// The NSG rules: `realistic` (the designed flows allowed: TCP 443 and 80 between the
    /// spokes, on-premises and the hub, SSH and RDP from the hub's management subnet, the
    /// spokes' Internet traffic through the NVAs; deliberate denies: SSH from elsewhere, all
    /// other inbound traffic to the spokes, SMTP to the Internet, RDP from the Internet to the
    /// hub), or `legacy` (random rules ending in an inbound deny-all, as before issue 18:
    /// about 95 % of the TCP/443 matrix is NsgDenied; to compare with older figures).
    #[arg(long, value_name = "MIX", value_enum, default_value_t = RuleMixArg::Realistic)]
    pub rule_mix: RuleMixArg,
    /// BGP prefixes each hub's gateway has learned from on-premises.
    #[arg(long, value_name = "N")]
    pub bgp_prefixes: Option<usize>,
    /// `hub-spoke` (hub VNets with gateways and NVAs), or `vwan`: Virtual WAN hubs with their
    /// route tables, VPN gateways and sites, every other hub secured by a hub firewall with
    /// routing intent (when --nvas-per-hub > 0), spokes connected to them.
    #[arg(long, value_name = "DESIGN", value_enum, default_value_t = TopologyArg::HubSpoke)]
    pub topology: TopologyArg,
    /// What inspects the hubs' traffic: `nva` (NVA VMs behind an internal load balancer; the
    /// default, so that older estates and figures are generated byte for byte as before) or
    /// `azure-firewall` (an AZFW_VNet Standard Azure Firewall in AzureFirewallSubnet with a
    /// public IP and a firewall policy allowing the designed flows, TCP 443 and 80, and denying
    /// SMTP out and administration towards on-premises; with --topology vwan, that policy on
    /// the secured hubs' AZFW_Hub firewalls).
    #[arg(long, value_name = "APPLIANCE", value_enum, default_value_t = HubApplianceArg::Nva)]
    pub hub_appliance: HubApplianceArg,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address to listen on (port 0 picks a free one).
    #[arg(long, value_name = "ADDR:PORT", default_value = azroute_web::DEFAULT_LISTEN)]
    pub listen: std::net::SocketAddr,
    /// Allow an address other than loopback: anyone who can reach it can then read the estate.
    #[arg(long)]
    pub allow_remote: bool,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Overwrite --out if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write `azroute.1` and one page per command (`azroute-routes.1`, …) into this directory
    /// instead of printing `azroute.1` to stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The protocol of a flow through Azure Firewall (`Any`: a flow of any protocol).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FirewallProtocolArg {
    #[value(name = "TCP", alias = "tcp", alias = "Tcp")]
    Tcp,
    #[value(name = "UDP", alias = "udp", alias = "Udp")]
    Udp,
    #[value(name = "ICMP", alias = "icmp", alias = "Icmp")]
    Icmp,
    #[value(name = "Any", alias = "any", alias = "ANY")]
    Any,
}

/// The default no-SNAT ranges (§16.3, C19).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SnatDefaultRangesArg {
    /// IANA RFC 1918 and RFC 6598 (the SNAT page).
    #[value(name = "rfc1918-rfc6598")]
    Rfc1918Rfc6598,
    /// IANA RFC 1918 only (the FAQ, the Terraform docs).
    #[value(name = "rfc1918")]
    Rfc1918,
}

/// Azure Firewall's disputed behaviour (§16.6).
#[derive(Args, Debug, Clone, Copy)]
#[command(next_help_heading = "Azure Firewall options")]
pub struct FirewallOptionArgs {
    /// What `IANAPrivateRanges` (the default no-SNAT list) holds (C19).
    #[arg(long, value_name = "RANGES", value_enum, default_value_t = SnatDefaultRangesArg::Rfc1918Rfc6598)]
    pub snat_default_ranges: SnatDefaultRangesArg,
    /// Process a parent policy's DNAT collections (C20; the policy overview says they are not
    /// inherited).
    #[arg(long)]
    pub inherit_parent_dnat: bool,
    /// Run a DNAT-translated flow through the network rules and let an explicit Deny there win
    /// (C21; the rule-processing page says a DNAT match is final).
    #[arg(long)]
    pub dnat_respects_network_deny: bool,
    /// A DNAT rule to the firewall's private IP never matches (C33; the 2023 known issues; the
    /// 2025 known issues and the DNAT tutorial support it on Standard and Premium).
    #[arg(long)]
    pub dnat_private_ip_unsupported: bool,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("hub_target").required(true).args(["route_table", "connection"])))]
pub struct HubRoutesArgs {
    /// The Virtual WAN hub: name, RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "HUB")]
    pub hub: String,
    /// One of the hub's route tables (name or id); with routing intent, also the firewall's name.
    #[arg(long, value_name = "NAME")]
    pub route_table: Option<String>,
    /// One of the hub's connections (VNet, VPN or ExpressRoute; name or id): the routes it receives.
    #[arg(long, value_name = "NAME")]
    pub connection: Option<String>,
    /// Say why each route is there: association, propagation, label, static route or routing intent.
    #[arg(long)]
    pub explain: bool,
    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = TableJson::Table)]
    pub output: TableJson,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Args, Debug)]
pub struct FirewallFlowArgs {
    /// The Azure Firewall: name, RESOURCE-GROUP/NAME or id.
    #[arg(long, value_name = "NAME")]
    pub firewall: String,
    /// Protocol of the flow.
    #[arg(long, value_name = "PROTO", value_enum)]
    pub protocol: FirewallProtocolArg,
    /// The flow's source: IP or IP:PORT.
    #[arg(long, value_name = "IP[:PORT]")]
    pub source: String,
    /// The flow's destination: IP:PORT (IP alone for ICMP or Any).
    #[arg(long, value_name = "IP:PORT")]
    pub destination: String,
    /// The host name (HTTP Host, TLS SNI) application rules match, and the name a network rule's
    /// FQDN resolved to.
    #[arg(long, value_name = "NAME")]
    pub fqdn: Option<String>,
    /// List every candidate rule in processing order and why it did not match.
    #[arg(long)]
    pub explain: bool,

    /// Output format.
    #[arg(short, long, value_name = "FORMAT", value_enum, default_value_t = TableJson::Table)]
    pub output: TableJson,
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// `--default-outbound-unset` (§17.2).
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DefaultOutboundUnsetArg {
    Allowed,
    Private,
}
