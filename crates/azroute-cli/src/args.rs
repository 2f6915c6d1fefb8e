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
        after_help = "Examples:\n  azroute routes --example hub-spoke --nic nic-app1\n  azroute routes --example hub-spoke --vm vm-app2 -o json\n  azroute routes --example hub-spoke --subnet vnet-hub/GatewaySubnet --explain\n  azroute routes --snapshot ./export --nic /subscriptions/.../networkInterfaces/web-nic -o csv"
    )]
    Routes(RoutesArgs),
    /// Next hop for a destination, like Network Watcher's `az network watcher show-next-hop`.
    #[command(
        name = "next-hop",
        after_help = "Examples:\n  azroute next-hop --example hub-spoke --vm vm-app1 --dest-ip 8.8.8.8\n  azroute next-hop --example hub-spoke --nic nic-shared --dest-ip 10.1.1.4 --explain\n  azroute next-hop --snapshot ./export --vm web01 --dest-ip 172.16.5.9 -o json"
    )]
    NextHop(NextHopArgs),
    /// List the embedded example estates.
    #[command(
        after_help = "Examples:\n  azroute examples\n  azroute routes --example troubleshoot --nic nic-web"
    )]
    Examples(ExamplesArgs),
}

/// Where the snapshot comes from.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Snapshot")]
pub struct SnapshotArgs {
    /// A directory (every *.json and *.tfstate below it) or a single file: Azure JSON exports,
    /// `terraform show -json` of a state or plan, or a raw terraform.tfstate.
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "example",
        required_unless_present = "example"
    )]
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
    /// Also the extra ranges seen on the live platform (§1.4 of the routing reference).
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

/// Options for behaviour Azure leaves disputed (§13/§14b of the routing reference). Defaults
/// are the documented behaviour.
#[derive(Args, Debug, Clone)]
#[command(
    next_help_heading = "Modelling options (disputed Azure behaviour; defaults are documented)"
)]
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
}

#[derive(Args, Debug)]
pub struct NextHopArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// The NIC to answer for (Network Watcher's targetNicResourceId): name or id.
    #[arg(
        long,
        value_name = "NIC",
        group = "target",
        required_unless_present = "vm"
    )]
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
}
