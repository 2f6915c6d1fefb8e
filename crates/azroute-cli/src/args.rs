//! Command-line arguments: one struct per command, plus the snapshot and modelling options
//! every command shares.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "azroute",
    version,
    about = "Azure virtual-network routing, reproduced offline: effective routes, next hop and why",
    long_about = "azroute reads an exported snapshot of an Azure estate (az CLI, REST or Resource Graph JSON) \
and computes every NIC's and subnet's effective routes exactly as Azure does, with no Azure access.",
    after_help = "Examples:\n  azroute examples\n  azroute routes --example hub-spoke --nic nic-app1\n  azroute next-hop --example hub-spoke --vm vm-app1 --dest-ip 10.2.1.4 --explain\n  azroute routes --snapshot ./export --subnet vnet-hub/GatewaySubnet -o json\n\nExit status: 0 success, 1 a problem was found (where a command says so), 2 bad input or usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Effective routes of a NIC, VM or subnet, shaped like `az network nic show-effective-route-table`.
    #[command(
        after_help = "Examples:\n  azroute routes --example hub-spoke --nic nic-app1\n  azroute routes --example hub-spoke --vm vm-app2 -o json\n  azroute routes --example hub-spoke --subnet vnet-hub/GatewaySubnet --explain\n  azroute routes --snapshot ./export --nic /subscriptions/.../networkInterfaces/web-nic -o csv\n  azroute routes --snapshot ./export --all -o json > all-routes.json"
    )]
    Routes(RoutesArgs),
    /// Next hop for a destination, like Network Watcher's `az network watcher show-next-hop`.
    #[command(
        name = "next-hop",
        after_help = "Examples:\n  azroute next-hop --example hub-spoke --vm vm-app1 --dest-ip 8.8.8.8\n  azroute next-hop --example hub-spoke --nic nic-shared --dest-ip 10.1.1.4 --explain\n  azroute next-hop --snapshot ./export --vm web01 --dest-ip 172.16.5.9 -o json"
    )]
    NextHop(NextHopArgs),
    /// Effective security rules of a NIC (subnet NSG and NIC NSG, tags expanded), like `az network nic list-effective-nsg`.
    #[command(
        name = "security-rules",
        after_help = "Examples:\n  azroute security-rules --example hub-spoke --nic nic-app1\n  azroute security-rules --example hub-spoke --nic nic-app2 -o json"
    )]
    SecurityRules(SecurityRulesArgs),
    /// Network Watcher's IP flow verify: would the NSGs allow this flow at this NIC?
    #[command(
        name = "ip-flow",
        after_help = "Examples:\n  azroute ip-flow --example hub-spoke --nic nic-app2 --direction Inbound --protocol TCP --local 10.2.1.4:443 --remote 10.1.1.4:50000\n  azroute ip-flow --example hub-spoke --nic nic-app2 --direction Inbound --protocol TCP --local 10.2.1.4:3389 --remote 203.0.113.9:* -o json"
    )]
    IpFlow(IpFlowArgs),
    /// Follow a packet hop by hop and its reply back, through NVAs, peerings, gateways and NSGs.
    #[command(
        after_help = "Examples:\n  azroute trace --example hub-spoke --from vm-app1 --to vm-app2 --port 443\n  azroute trace --example hub-spoke --from 172.16.1.10 --to nic-app1 --port 22\n  azroute trace --example troubleshoot --from 203.0.113.50 --to 20.110.7.45 --port 443 -o mermaid\n\nExit status: 0 when the packet arrives and nothing is wrong, 1 when it is dropped or a finding of severity error is raised, 2 on bad input."
    )]
    Trace(TraceArgs),
    /// The reachability matrix: every source subnet against every destination subnet,
    /// on-premises prefix and the Internet.
    #[command(
        after_help = "Examples:\n  azroute reach --example hub-spoke\n  azroute reach --example troubleshoot --problems\n  azroute reach --snapshot ./export --from 'vnet-spoke*/*' --to '*/snet-db' -o csv\n  azroute reach --snapshot ./export --protocol UDP --port 53 -o json\n\nCells: Delivered, DeliveredThroughNva, Asymmetric, Dropped (with the finding code) or Mixed\n(addresses of the subnet fare differently; JSON lists each outcome with a sample pair).\nGlobs match `vnet/subnet`, the subnet name or its id, case-insensitively (`*` and `?`).\n\nExit status: 0 computed, 2 bad input or usage."
    )]
    Reach(ReachArgs),
    /// What changes between two snapshots: effective routes per subnet, then reachability.
    #[command(
        after_help = "Examples:\n  azroute examples --export hub-spoke --out ./before\n  azroute diff --before ./before --after ./after\n  azroute diff --before example:hub-spoke --after ./after -o json\n  azroute diff --before ./export-monday --after ./export-friday --routes-only\n\nReachability changes: Lost, NewlyAllowed, NowThroughNva, NowSkipsNva, NvaChanged, ReasonChanged.\n\nExit status: 1 when reachability is lost (for CI gates), 0 otherwise, 2 bad input or usage."
    )]
    Diff(DiffArgs),
    /// What a Terraform plan will do to a live estate, before it is applied.
    #[command(
        after_help = "Examples:\n  terraform show -json plan.out > plan.json\n  azroute what-if --snapshot ./export --plan plan.json\n  azroute what-if --snapshot ./export --plan plan.json -o json --from 'vnet-spoke*/*'\n\nExit status: 1 when reachability is lost (for CI gates), 0 otherwise, 2 bad input or usage."
    )]
    WhatIf(WhatIfArgs),
    /// Find and explain every routing misconfiguration of an estate, with the fix.
    #[command(
        after_help = "Examples:\n  azroute doctor --example troubleshoot\n  azroute doctor --example hub-spoke --severity warning\n  azroute doctor --snapshot ./export --only AsymmetricPath,RoutingLoop -o json\n  azroute doctor --snapshot ./export -o sarif --fail-on error > azroute.sarif\n  azroute doctor --explain ForcedTunnelBreaksInbound\n\nExit status: 1 when a finding reaches --fail-on, 0 otherwise, 2 on bad input."
    )]
    Doctor(DoctorArgs),
    /// Compare azroute's effective routes with Azure's own (`show-effective-route-table` outputs).
    #[command(
        after_help = "Examples:\n  azroute verify --snapshot ./export --actual ./export/<subscription>/actual\n  azroute verify --snapshot ./export --actual ./routes/web-nic.json -o json\n\nExit status: 0 every route agrees, 1 differences were found, 2 bad input or usage."
    )]
    Verify(VerifyArgs),
    /// Export a snapshot by running the Azure CLI you are logged into (`az login`).
    #[command(
        after_help = "Examples:\n  azroute collect --out ./export\n  azroute collect --out ./export --subscription 00000000-0000-0000-0000-000000000000 --subscription contoso-prod --service-tags westeurope\n  azroute collect --out ./export --effective-routes\n  azroute verify --snapshot ./export --actual ./export/<subscription>/actual\n\nExit status: 0 everything collected, 1 collected with failures (listed in manifest.json), 2 not logged in, az missing or bad usage."
    )]
    Collect(CollectArgs),
    /// List the embedded example estates.
    #[command(
        after_help = "Examples:\n  azroute examples\n  azroute routes --example troubleshoot --nic nic-web\n  azroute examples --export hub-spoke --out ./hub-spoke"
    )]
    Examples(ExamplesArgs),
    /// Write a synthetic, seeded estate (hub-and-spoke, az CLI JSON) for benchmarks and tests.
    #[command(
        after_help = "Examples:\n  azroute generate --out ./estate-1k --preset 1k\n  azroute generate --out ./estate-100k --preset 100k --seed 7\n  azroute generate --out ./small --hubs 1 --spokes-per-hub 3 --nics-per-subnet 2\n  azroute routes --snapshot ./estate-1k --all -o json > routes.json\n\nThe same parameters and seed always write the same bytes.\nPresets: 1k (2 hubs x 10 spokes), 10k (4 x 50), 100k (10 x 200: 100k NICs, 10k subnets, 2k route tables, 50k user routes); flags override a preset's values."
    )]
    Generate(GenerateArgs),
}

/// Where the snapshot comes from.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Snapshot")]
pub struct SnapshotArgs {
    /// A directory (every *.json and *.tfstate below it) or a single file: Azure JSON exports,
    /// `terraform show -json` of a state or plan, or a raw terraform.tfstate.
    #[arg(long, value_name = "PATH", conflicts_with = "example", required_unless_present = "example")]
    pub snapshot: Option<PathBuf>,
    /// Use an embedded example estate instead (see `azroute examples`).
    #[arg(long, value_name = "NAME")]
    pub example: Option<String>,
    /// Refuse input files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 512 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Print every warning and what was read (files, resources, skipped types).
    #[arg(short, long)]
    pub verbose: bool,
    /// Print no warnings (errors are always printed).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReservedNoneProfileArg {
    /// The four documented ranges (10/8, 172.16/12, 192.168/16, 100.64/10).
    Documented,
    /// Also the extra ranges seen on the live platform (docs/azure-routing-rules.md §1.4).
    PlatformObserved,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum NoneRemovalArg {
    /// Documented: a user route for 0.0.0.0/0 removes the reserved None routes.
    UdrOnly,
    /// Also a 0.0.0.0/0 learned from a gateway.
    UdrAndBgp,
    /// Never remove them.
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PeeringAccessArg {
    /// Observed: allowVirtualNetworkAccess=false only removes the peer from the VirtualNetwork tag.
    TagOnly,
    /// 2018 documentation: no traffic flows over the peering.
    Drop,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SubnetPeeringScopeArg {
    /// Observed: every local subnet gets the remote subnets' routes.
    AllLocalSubnets,
    /// Documented intent: only the listed local subnets.
    ListedSubnetsOnly,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Ipv6RoutesArg {
    /// Assumed: VnetLocal per IPv6 range and ::/0 Internet.
    MirrorIpv4,
    /// No IPv6 system routes.
    None,
}

/// Options for behaviour Azure leaves disputed (docs/azure-routing-rules.md §13 and §14b). Defaults
/// are the documented behaviour.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Modelling options (disputed Azure behaviour; defaults are documented)")]
pub struct ModelArgs {
    /// Which reserved ranges get default None routes.
    #[arg(long, value_enum, default_value_t = ReservedNoneProfileArg::Documented)]
    pub reserved_none_profile: ReservedNoneProfileArg,
    /// When the reserved None routes disappear because 0.0.0.0/0 is overridden.
    #[arg(long, value_enum, default_value_t = NoneRemovalArg::UdrOnly)]
    pub drop_reserved_none_routes_on_default_override: NoneRemovalArg,
    /// Apply plain longest-prefix match between user routes and service-endpoint routes
    /// (issue #111706) instead of the documented "service-endpoint routes cannot be overridden".
    #[arg(long)]
    pub se_routes_lpm_strict: bool,
    /// What allowVirtualNetworkAccess=false on a peering does.
    #[arg(long, value_enum, default_value_t = PeeringAccessArg::TagOnly)]
    pub peering_access_false_semantics: PeeringAccessArg,
    /// Whether a peering drops forwarded packets unless the receiving side allows forwarded traffic.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub allow_forwarded_traffic_enforced: bool,
    /// Which local subnets receive routes of a subnet peering.
    #[arg(long, value_enum, default_value_t = SubnetPeeringScopeArg::AllLocalSubnets)]
    pub subnet_peering_scope: SubnetPeeringScopeArg,
    /// IPv6 system routes (undocumented by Azure).
    #[arg(long, value_enum, default_value_t = Ipv6RoutesArg::MirrorIpv4)]
    pub ipv6_system_routes: Ipv6RoutesArg,
}

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
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// A network interface: its name (unique across the snapshot) or id.
    #[arg(long, value_name = "NIC", group = "target")]
    pub nic: Option<String>,
    /// A virtual machine (its primary NIC is shown): name or id.
    #[arg(long, value_name = "VM", group = "target")]
    pub vm: Option<String>,
    /// A subnet as VNET/SUBNET (names) or its id.
    #[arg(long, value_name = "VNET/SUBNET", group = "target")]
    pub subnet: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = RoutesFormat::Table)]
    pub output: RoutesFormat,
    /// Say why each route exists and why Invalid routes lost (adds `origin`, `reason` and `notes` to JSON).
    #[arg(long)]
    pub explain: bool,
    /// Every NIC's effective routes, streamed (needs `-o json` or `-o csv`).
    #[arg(long, group = "target")]
    pub all: bool,
}

#[derive(Args, Debug)]
pub struct NextHopArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// The NIC to answer for (Network Watcher's targetNicResourceId): name or id.
    #[arg(long, value_name = "NIC", group = "target", required_unless_present = "vm")]
    pub nic: Option<String>,
    /// The VM to answer for (its primary NIC): name or id.
    #[arg(long, value_name = "VM", group = "target")]
    pub vm: Option<String>,
    /// Destination IP address.
    #[arg(long, value_name = "IP")]
    pub dest_ip: String,
    /// Source IP address (must belong to the VM; picks the NIC of a multi-NIC VM).
    #[arg(long, value_name = "IP")]
    pub source_ip: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = NextHopFormat::Table)]
    pub output: NextHopFormat,
    /// List every route whose prefix contains the destination, which won and why each other lost.
    #[arg(long)]
    pub explain: bool,
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
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// The network interface: name or id.
    #[arg(long, value_name = "NIC", group = "target", required_unless_present = "vm")]
    pub nic: Option<String>,
    /// A virtual machine (its primary NIC): name or id.
    #[arg(long, value_name = "VM", group = "target")]
    pub vm: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TableJson::Table)]
    pub output: TableJson,
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
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// The network interface whose NSGs decide: name or id.
    #[arg(long, value_name = "NIC", group = "target", required_unless_present = "vm")]
    pub nic: Option<String>,
    /// A virtual machine (its primary NIC): name or id.
    #[arg(long, value_name = "VM", group = "target")]
    pub vm: Option<String>,
    /// Direction of the flow at the NIC.
    #[arg(long, value_enum)]
    pub direction: DirectionArg,
    /// Protocol of the flow.
    #[arg(long, value_enum)]
    pub protocol: IpFlowProtocolArg,
    /// The NIC's side of the flow: IP:PORT (PORT may be `*`).
    #[arg(long, value_name = "IP:PORT")]
    pub local: String,
    /// The other side of the flow: IP:PORT (PORT may be `*`).
    #[arg(long, value_name = "IP:PORT")]
    pub remote: String,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TableJson::Table)]
    pub output: TableJson,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TraceProtocolArg {
    #[value(name = "TCP", alias = "tcp", alias = "Tcp")]
    Tcp,
    #[value(name = "UDP", alias = "udp", alias = "Udp")]
    Udp,
    #[value(name = "ICMP", alias = "icmp", alias = "Icmp")]
    Icmp,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TraceFormat {
    Table,
    Json,
    Mermaid,
}

#[derive(Args, Debug)]
pub struct TraceArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Where the packet starts: a NIC or VM (name or id), or an IP (a NIC's, on-premises or the Internet).
    #[arg(long, value_name = "NIC|VM|IP")]
    pub from: String,
    /// Where it goes: an IP, or a NIC or VM (its primary private IP).
    #[arg(long, value_name = "IP|NIC|VM")]
    pub to: String,
    /// Protocol.
    #[arg(long, value_enum, default_value_t = TraceProtocolArg::Tcp)]
    pub protocol: TraceProtocolArg,
    /// Destination port (TCP/UDP).
    #[arg(long, value_name = "N", default_value_t = 443)]
    pub port: u16,
    /// Source port (TCP/UDP).
    #[arg(long, value_name = "N", default_value_t = 50000)]
    pub source_port: u16,
    /// Treat an address of a subnet that no NIC holds as a host there, at either end (as
    /// `azroute reach` does); without it such a destination is reported as NoHostAtDestination.
    #[arg(long)]
    pub assume_host: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TraceFormat::Table)]
    pub output: TraceFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReachFormat {
    Table,
    Json,
    Csv,
}

/// Which cells a reachability matrix has, and the flow it tests.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Reachability")]
pub struct ReachScopeArgs {
    /// Source subnets (rows): a glob over `vnet/subnet`, the subnet name or id. Default: every
    /// subnet except GatewaySubnet and RouteServerSubnet.
    #[arg(long, value_name = "SUBNET-GLOB")]
    pub from: Option<String>,
    /// Destination subnets (columns), as --from.
    #[arg(long, value_name = "SUBNET-GLOB")]
    pub to: Option<String>,
    /// Leave out the on-premises prefix columns.
    #[arg(long)]
    pub no_on_premises: bool,
    /// Leave out the Internet column.
    #[arg(long)]
    pub no_internet: bool,
    /// The address that stands for the Internet.
    #[arg(long, value_name = "IP", default_value = "203.0.113.10")]
    pub internet_address: std::net::IpAddr,
    /// Protocol.
    #[arg(long, value_enum, default_value_t = TraceProtocolArg::Tcp)]
    pub protocol: TraceProtocolArg,
    /// Destination port (TCP/UDP).
    #[arg(long, value_name = "N", default_value_t = 443)]
    pub port: u16,
    /// Source port (TCP/UDP).
    #[arg(long, value_name = "N", default_value_t = 50000)]
    pub source_port: u16,
    /// Routing only: do not evaluate NSGs.
    #[arg(long)]
    pub no_nsg: bool,
}

#[derive(Args, Debug)]
pub struct ReachArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub scope: ReachScopeArgs,
    /// List only cells where connections do not all succeed (the summary still counts all).
    #[arg(long)]
    pub problems: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ReachFormat::Table)]
    pub output: ReachFormat,
}

/// What a before/after comparison prints.
#[derive(Args, Debug, Clone)]
pub struct CompareArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub scope: ReachScopeArgs,
    /// Compare effective routes only (skip the reachability matrices).
    #[arg(long)]
    pub routes_only: bool,
    /// Recompute the after side in full, even when it differs from the before side only in
    /// routes, associations and peerings (which are otherwise recomputed incrementally).
    #[arg(long)]
    pub full: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TableJson::Table)]
    pub output: TableJson,
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
    /// Refuse input files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 512 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Print every warning and what was read.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print no warnings (errors are always printed).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    #[command(flatten)]
    pub compare: CompareArgs,
}

#[derive(Args, Debug)]
pub struct WhatIfArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    /// `terraform show -json plan.out` (or any snapshot) to lay over the live snapshot: its
    /// resources replace those with the same id, its deletions remove them.
    #[arg(long, value_name = "PLAN")]
    pub plan: PathBuf,
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
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Azure's effective routes: a directory of `az network nic show-effective-route-table -o json`
    /// outputs, one file per NIC (`<nic-name>.json`, or the wrapper
    /// {"nicId": "<id>", "effectiveRoutes": <output>}), or one such file.
    #[arg(long, value_name = "DIR")]
    pub actual: PathBuf,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = VerifyFormat::Table)]
    pub output: VerifyFormat,
}

#[derive(Args, Debug)]
pub struct CollectArgs {
    /// The snapshot directory to create (new, or empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A subscription id or name; repeat for several. Default: the current one (`az account show`).
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
    /// Print no progress (errors are always printed).
    #[arg(short, long)]
    pub quiet: bool,
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
    Warning,
    Error,
}

#[derive(Args, Debug)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub snapshot: DoctorSnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Run and report only these checks (codes, comma-separated).
    #[arg(long, value_name = "CODE,...", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Report findings of this severity and above.
    #[arg(long, value_enum, default_value_t = SeverityArg::Info)]
    pub severity: SeverityArg,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = DoctorFormat::Table)]
    pub output: DoctorFormat,
    /// Exit with status 1 when a finding of this severity (or worse) is reported.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// The most NVA paths traffic analysis traces (an evenly spread sample beyond it).
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    pub max_traces: usize,
    /// Print the long explanation of one check and the Azure documentation it rests on.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
}

/// The snapshot options, optional for `doctor --explain`.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Snapshot")]
pub struct DoctorSnapshotArgs {
    /// A directory (every *.json below it) or a single JSON file exported from Azure.
    #[arg(long, value_name = "PATH", conflicts_with = "example")]
    pub snapshot: Option<PathBuf>,
    /// Use an embedded example estate instead (see `azroute examples`).
    #[arg(long, value_name = "NAME")]
    pub example: Option<String>,
    /// Refuse input files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 512 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Print every warning and what was read.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print no ingest warnings (errors are always printed).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
}

impl DoctorSnapshotArgs {
    pub fn to_snapshot_args(&self) -> SnapshotArgs {
        SnapshotArgs {
            snapshot: self.snapshot.clone(),
            example: self.example.clone(),
            max_file_size: self.max_file_size,
            verbose: self.verbose,
            quiet: self.quiet,
        }
    }
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
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// The snapshot directory to create (new, or empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Start from a named size (default 1k); the flags below override its values.
    #[arg(long, value_enum)]
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
    /// Spoke route tables in all, shared round-robin by the spokes of a hub (default: one per spoke).
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
    /// BGP prefixes each hub's gateway has learned from on-premises.
    #[arg(long, value_name = "N")]
    pub bgp_prefixes: Option<usize>,
}
