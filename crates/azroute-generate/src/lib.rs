//! Synthetic estates for benchmarks and tests: a deterministic, seeded generator of realistic
//! hub-and-spoke (and multi-hub) estates, written in the az CLI's JSON shape (`properties`
//! flattened, as `az network … list -o json` prints it) so that anyone can reproduce our figures.
//!
//! Its own crate, so that the CLI (`azroute generate`, which only parses flags and names the
//! directory) and the benchmarks share it without it being part of reading snapshots.
//!
//! What an estate holds, per hub: a hub VNet with a `GatewaySubnet` (active-active VPN gateway
//! with BGP, a local network gateway, an IPsec connection and BGP-learned routes), an NVA subnet
//! (NVA NICs with IP forwarding behind an internal load balancer), shared and management
//! subnets; spokes peered to their hub in both directions (gateway transit on the hub side,
//! `useRemoteGateways` and `allowForwardedTraffic` on the spoke side), each with a route table
//! (0.0.0.0/0 and on-premises to the NVA, plus per-spoke user routes), an NSG on its subnets, a
//! Storage service endpoint on one subnet and some private endpoints; hubs peered to each other
//! (global peering when their regions differ). The same parameters and seed always give the
//! same bytes.

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::Path;

mod gateway;
mod hosts;
mod network;
mod plan;
mod security;
mod service_tags;
mod tables;
mod vwan;

use gateway::*;
use hosts::*;
use network::*;
use plan::*;
use security::*;
use service_tags::*;
use tables::*;
use vwan::*;

/// Regions hubs are spread over (round-robin) and spokes of other regions come from.
const REGIONS: [&str; 8] =
    ["eastus", "westeurope", "southeastasia", "australiaeast", "brazilsouth", "japaneast", "uksouth", "centralindia"];

/// NICs (and VMs) per file, so no single file is huge and ingest can parse files in parallel.
pub const NICS_PER_FILE: usize = 10_000;

/// Everything `azroute generate` can vary.
#[derive(Clone, Debug, PartialEq)]
pub struct GenerateParams {
    pub seed: u64,
    pub hubs: usize,
    pub spokes_per_hub: usize,
    pub subnets_per_spoke: usize,
    pub nics_per_subnet: usize,
    /// User routes per spoke route table.
    pub routes_per_table: usize,
    /// Spoke route tables in all, shared round-robin by the spokes of a hub; `None`: one per
    /// spoke. (Each hub also has two tables of its own: GatewaySubnet and NVA subnet.)
    pub tables: Option<usize>,
    pub nvas_per_hub: usize,
    /// Private endpoints in all, spread over the spokes' last subnets.
    pub private_endpoints: usize,
    /// Fraction of spokes deployed in another region than their hub (global peering).
    pub global_peering_fraction: f64,
    /// Security rules per NSG (the realistic mix holds at least its designed rules).
    pub nsg_rules: usize,
    /// Which NSG rules the estate has.
    pub rule_mix: RuleMix,
    /// BGP prefixes each hub's gateway has learned from on-premises.
    pub bgp_prefixes: usize,
    /// Hub-and-spoke VNets (the default) or Virtual WAN hubs.
    pub topology: EstateTopology,
}

/// The network design of a generated estate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EstateTopology {
    /// Hub VNets with gateways and NVAs, spokes peered to them (the module documentation).
    #[default]
    HubSpoke,
    /// Virtual WAN hubs with their route tables, VPN gateways and sites, every other one
    /// secured by a hub firewall with routing intent, spokes connected to them (`vwan.rs`).
    Vwan,
}

/// The NSG rules of a generated estate.
///
/// `Realistic` (the default): each spoke's NSG allows TCP 443 and 80 from `VirtualNetwork`
/// (the designed application flows: spoke to spoke through the hub's NVAs, on-premises to
/// spokes) and SSH/RDP from the hub's management subnet, and deliberately denies SSH from
/// anywhere else, everything else inbound, and SMTP (TCP 25) to the Internet; the hub's NSG
/// (NVA, shared and management subnets) allows everything from `VirtualNetwork` and the load
/// balancer's probes, so the NVAs forward the spokes' Internet traffic, and denies RDP from
/// the Internet. Rules beyond these (`nsg_rules`) are narrow allows from on-premises hosts on
/// other ports.
///
/// `Legacy`: the mix of the figures before issue 18: random rules (most inbound to
/// `VirtualNetwork` from a random source, on random ports) ending in an inbound deny-all, so
/// about 95 % of subnet pairs are `NsgDenied` on TCP/443 and the hub's NSG blocks the spokes'
/// Internet traffic at the NVA subnet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RuleMix {
    #[default]
    Realistic,
    Legacy,
}

impl RuleMix {
    pub fn name(self) -> &'static str {
        match self {
            RuleMix::Realistic => "realistic",
            RuleMix::Legacy => "legacy",
        }
    }
}

/// The named sizes of the benchmarks (issue 6): about 1k, 10k and 100k NICs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// 2 hubs × 10 spokes × 5 subnets × 10 NICs: 1k NICs, 100 subnets, 20 spoke route tables.
    K1,
    /// 4 hubs × 50 spokes: 10k NICs, 1k subnets, 200 spoke route tables, 5k user routes.
    K10,
    /// 10 hubs × 200 spokes: 100k NICs, 10k subnets, 2k route tables, 50k user routes.
    K100,
}

impl Preset {
    pub fn parse(text: &str) -> Option<Preset> {
        match text.to_ascii_lowercase().as_str() {
            "1k" => Some(Preset::K1),
            "10k" => Some(Preset::K10),
            "100k" => Some(Preset::K100),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Preset::K1 => "1k",
            Preset::K10 => "10k",
            Preset::K100 => "100k",
        }
    }

    pub fn params(self) -> GenerateParams {
        let base = GenerateParams::default();
        match self {
            Preset::K1 => base,
            Preset::K10 => GenerateParams { hubs: 4, spokes_per_hub: 50, private_endpoints: 100, ..base },
            Preset::K100 => GenerateParams { hubs: 10, spokes_per_hub: 200, private_endpoints: 1000, ..base },
        }
    }
}

impl Default for GenerateParams {
    /// The 1k preset.
    fn default() -> GenerateParams {
        GenerateParams {
            seed: 1,
            hubs: 2,
            spokes_per_hub: 10,
            subnets_per_spoke: 5,
            nics_per_subnet: 10,
            routes_per_table: 25,
            tables: None,
            nvas_per_hub: 2,
            private_endpoints: 10,
            global_peering_fraction: 0.1,
            nsg_rules: 10,
            rule_mix: RuleMix::Realistic,
            bgp_prefixes: 16,
            topology: EstateTopology::HubSpoke,
        }
    }
}

/// Parameters the address plan or Azure's limits cannot accommodate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateError(pub String);

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GenerateError {}

/// What was generated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenerateSummary {
    pub files: usize,
    pub bytes: u64,
    pub vnets: usize,
    pub subnets: usize,
    pub peerings: usize,
    pub nics: usize,
    pub vms: usize,
    pub route_tables: usize,
    pub user_routes: usize,
    pub nsgs: usize,
    pub security_rules: usize,
    pub private_endpoints: usize,
    pub gateways: usize,
    pub learned_routes: usize,
    pub load_balancers: usize,
}

/// One generated file: its path relative to the snapshot directory, and its text.
#[derive(Clone, Debug)]
pub struct GeneratedFile {
    pub path: String,
    pub text: String,
}

/// Generates an estate, handing each file to `sink` as soon as it is complete (so at most
/// one file's worth of JSON is in memory).
pub fn generate(
    params: &GenerateParams,
    sink: &mut dyn FnMut(GeneratedFile) -> io::Result<()>,
) -> Result<GenerateSummary, GenerateError> {
    let mut plan = Plan::new(params)?;
    let mut rng = Rng(params.seed);
    plan.sub = rng.uuid();
    let mut out = Output { dir: plan.sub.clone(), sink, summary: GenerateSummary::default() };
    let written = match params.topology {
        EstateTopology::HubSpoke => write_all(params, &plan, &mut rng, &mut out),
        EstateTopology::Vwan => write_all_vwan(params, &plan, &mut rng, &mut out),
    };
    written.map_err(|e| GenerateError(format!("cannot write the estate: {e}")))?;
    Ok(out.summary)
}

/// Generates an estate into `dir`, which must be new or empty.
pub fn generate_to_dir(params: &GenerateParams, dir: &Path) -> Result<GenerateSummary, GenerateError> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| GenerateError(format!("cannot list `{}`: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(GenerateError(format!(
                "`{}` is not empty; generate writes into a new or empty directory",
                dir.display()
            )));
        }
    }
    let mut sink = |file: GeneratedFile| -> io::Result<()> {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, file.text)
    };
    generate(params, &mut sink)
}

/// Generates an estate in memory: `(path, text)` pairs, as [`azroute_ingest::load_texts`] takes them.
pub fn generate_texts(params: &GenerateParams) -> Result<(Vec<(String, String)>, GenerateSummary), GenerateError> {
    let mut files = Vec::new();
    let mut sink = |file: GeneratedFile| -> io::Result<()> {
        files.push((file.path, file.text));
        Ok(())
    };
    let summary = generate(params, &mut sink)?;
    Ok((files, summary))
}

/// The estate: per hub its network, gateway, route tables, NSGs and hosts; then private
/// endpoints, the host files and the Service Tags file. (The order of the steps is the order of
/// the seeded choices, so it is part of the output.)
fn write_all(p: &GenerateParams, plan: &Plan, rng: &mut Rng, out: &mut Output<'_>) -> io::Result<()> {
    let hubs = lay_out_hubs(p, plan);
    let spokes = lay_out_spokes(p, plan, rng, &hubs);
    let mut hosts = Hosts::new();
    for (h, hub) in hubs.iter().enumerate() {
        let hub_spokes: Vec<&Spoke> = spokes.iter().filter(|s| s.hub == h).collect();
        write_hub_network(p, plan, rng, out, &hubs, h, &hub_spokes)?;
        write_hub_gateway(p, plan, rng, out, hub)?;
        write_hub_tables(p, plan, rng, out, &hubs, h, &hub_spokes)?;
        write_hub_nsgs(p, plan, rng, out, &hubs, h, &hub_spokes)?;
        hosts.add_hub_hosts(p, plan, rng, out, hub)?;
        hosts.add_spoke_hosts(p, plan, rng, out, hub, &hub_spokes)?;
    }
    hosts.add_private_endpoints(p, plan, rng, out, &hubs, &spokes);
    hosts.write(out)?;
    write_service_tags(out, &hubs, &spokes)
}

fn lay_out_hubs(p: &GenerateParams, plan: &Plan) -> Vec<Hub> {
    (0..p.hubs)
        .map(|h| {
            let block = (10u32 << 24) + h as u32 * plan.hub_block;
            let nva_start = block + plan.hub_subnet;
            Hub {
                name: format!("hub{h:02}"),
                rg: format!("rg-hub{h:02}"),
                region: REGIONS[h % REGIONS.len()],
                block,
                firewall: (p.nvas_per_hub > 0).then_some(nva_start + 4),
            }
        })
        .collect()
}

fn lay_out_spokes(p: &GenerateParams, plan: &Plan, rng: &mut Rng, hubs: &[Hub]) -> Vec<Spoke> {
    let mut spokes: Vec<Spoke> = Vec::new();
    for (h, hub) in hubs.iter().enumerate() {
        for s in 0..p.spokes_per_hub {
            let global = rng.chance(p.global_peering_fraction);
            spokes.push(Spoke {
                hub: h,
                index: s,
                name: format!("vnet-hub{h:02}-spoke{s:04}"),
                start: hub.block + plan.spokes_offset + s as u32 * plan.spoke_size,
                region: if global { REGIONS[(h + 1) % REGIONS.len()] } else { hub.region },
                table: s % plan.spoke_tables_per_hub,
            });
        }
    }
    spokes
}

/// The Service Tags file sits beside the subscription's directory, as `collect` writes it.
fn write_service_tags(out: &mut Output<'_>, hubs: &[Hub], spokes: &[Spoke]) -> io::Result<()> {
    let regions: BTreeSet<&str> = hubs.iter().map(|h| h.region).chain(spokes.iter().map(|s| s.region)).collect();
    let tags = service_tags(&regions);
    let mut text = serde_json::to_string_pretty(&tags).map_err(io::Error::other)?;
    text.push('\n');
    out.summary.files += 1;
    out.summary.bytes += text.len() as u64;
    (out.sink)(GeneratedFile { path: "service-tags.json".into(), text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> GenerateParams {
        GenerateParams {
            hubs: 2,
            spokes_per_hub: 3,
            subnets_per_spoke: 3,
            nics_per_subnet: 2,
            routes_per_table: 8,
            private_endpoints: 4,
            ..GenerateParams::default()
        }
    }

    #[test]
    fn same_seed_same_bytes_and_another_seed_differs() {
        let (a, _) = generate_texts(&small()).unwrap();
        let (b, _) = generate_texts(&small()).unwrap();
        assert_eq!(a, b);
        let (c, _) = generate_texts(&GenerateParams { seed: 2, ..small() }).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn small_estate_ingests_cleanly() {
        let (files, summary) = generate_texts(&small()).unwrap();
        let loaded = azroute_ingest::load_texts(&files);
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        let snap = &loaded.snapshot;
        assert_eq!(snap.nics.len(), summary.nics);
        assert_eq!(snap.vms.len(), summary.vms);
        assert_eq!(snap.vnets.len(), summary.vnets);
        assert_eq!(snap.subnets.len(), summary.subnets);
        assert_eq!(snap.peerings.len(), summary.peerings);
        assert_eq!(snap.route_tables.len(), summary.route_tables);
        assert_eq!(snap.route_tables.iter().map(|t| t.routes.len()).sum::<usize>(), summary.user_routes);
        assert_eq!(snap.nsgs.len(), summary.nsgs);
        assert_eq!(snap.private_endpoints.len(), summary.private_endpoints);
        assert_eq!(snap.gateways.len(), 2);
        assert!(snap.gateways.iter().all(|g| g.learned_routes_supplied));
        assert_eq!(snap.load_balancers.len(), 2);
        assert!(snap.service_tags.is_some());
        // 2 hubs × (2 NVAs + 2 × 2 shared/mgmt) + 6 spokes × 3 subnets × 2 NICs + 4 endpoint NICs.
        assert_eq!(summary.nics, 2 * (2 + 4) + 6 * 3 * 2 + 4);
    }

    #[test]
    fn presets_have_the_issue_sizes() {
        // Sizes are computed without writing the 100k estate: count from the parameters.
        let p = Preset::K100.params();
        let spokes = p.hubs * p.spokes_per_hub;
        assert_eq!(spokes * p.subnets_per_spoke * p.nics_per_subnet, 100_000);
        assert_eq!(spokes * p.subnets_per_spoke, 10_000);
        assert_eq!(spokes + 2 * p.hubs, 2_020);
        assert_eq!(spokes * p.routes_per_table, 50_000);
        let (_, s) = generate_texts(&Preset::K1.params()).unwrap();
        assert!((1_000..1_200).contains(&s.nics), "{s:?}");
        assert_eq!(s.subnets, 100 + 2 * 4);
        assert_eq!(s.route_tables, 20 + 2 * 2);
        assert!((500..600).contains(&s.user_routes), "{s:?}");
    }

    /// `--topology vwan`: hubs with their tables, connections and branches, every other hub
    /// secured with routing intent; it ingests without a diagnostic, every spoke is connected
    /// to its hub, and the same seed gives the same bytes.
    #[test]
    fn vwan_estate_ingests_cleanly() {
        let params = GenerateParams { topology: EstateTopology::Vwan, ..small() };
        let (files, summary) = generate_texts(&params).unwrap();
        assert_eq!(generate_texts(&params).unwrap().0, files);
        let loaded = azroute_ingest::load_texts(&files);
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.code != "DanglingReference").collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let snap = &loaded.snapshot;
        assert_eq!(snap.virtual_hubs.len(), 2);
        assert_eq!(snap.vwan.virtual_wans.len(), 1);
        assert_eq!(snap.vwan.hub_connections.len(), 6);
        assert_eq!(snap.vwan.hub_route_tables.len(), 4);
        assert_eq!(snap.vwan.routing_intents.len(), 1, "hub00 secured, hub01 not");
        assert_eq!(snap.vwan.vpn_gateways.len(), 2);
        assert_eq!(snap.vwan.vpn_sites.len(), 2);
        assert_eq!(snap.vnets.len(), summary.vnets);
        assert_eq!(summary.vnets, 6);
        assert_eq!(snap.nics.len(), summary.nics);
        assert_eq!(summary.nics, 6 * 3 * 2);
        assert!(snap.peerings.iter().all(|p| p.name.starts_with("RemoteVnetToHubPeering_")));
    }

    #[test]
    fn impossible_plans_are_refused() {
        let huge = GenerateParams { hubs: 100, spokes_per_hub: 2000, ..GenerateParams::default() };
        assert!(generate_texts(&huge).is_err());
        assert!(generate_texts(&GenerateParams { hubs: 0, ..GenerateParams::default() }).is_err());
        let shared = GenerateParams { tables: Some(2), ..small() };
        let (files, s) = generate_texts(&shared).unwrap();
        assert_eq!(s.route_tables, 2 + 2 * 2);
        assert!(azroute_ingest::load_texts(&files).diagnostics.is_empty());
    }
}
