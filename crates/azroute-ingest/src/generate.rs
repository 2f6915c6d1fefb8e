//! Synthetic estates for benchmarks and tests: a deterministic, seeded generator of realistic
//! hub-and-spoke (and multi-hub) estates, written in the az CLI's JSON shape (`properties`
//! flattened, as `az network … list -o json` prints it) so that anyone can reproduce our figures.
//!
//! Ingest is the crate that knows Azure's JSON, so the writer lives here; the CLI's
//! `azroute generate` only parses flags and names the directory.
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

use serde_json::{Value, json};

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
    /// Security rules per NSG.
    pub nsg_rules: usize,
    /// BGP prefixes each hub's gateway has learned from on-premises.
    pub bgp_prefixes: usize,
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
            bgp_prefixes: 16,
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

/// SplitMix64 (Steele, Lea and Flood): a few lines, good enough statistically, and the same
/// sequence on every platform, which is all a seeded generator needs.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

fn ip(addr: u32) -> String {
    std::net::Ipv4Addr::from(addr).to_string()
}

fn cidr(addr: u32, size: u32) -> String {
    format!("{}/{}", ip(addr), 32 - size.trailing_zeros())
}

/// Addresses a subnet needs for `hosts` (Azure reserves five), a power of two, at least /29.
fn subnet_size(hosts: usize) -> u32 {
    ((hosts + 5) as u32).next_power_of_two().max(8)
}

fn reference(id: &str, rg: &str) -> Value {
    json!({"id": id, "resourceGroup": rg})
}

/// The layout every generated resource hangs off.
struct Plan {
    sub: String,
    hub_block: u32,
    hub_subnet: u32,
    spoke_size: u32,
    spoke_subnet: u32,
    spokes_offset: u32,
    spoke_tables_per_hub: usize,
}

/// One spoke: where it is and what it is called.
struct Spoke {
    hub: usize,
    index: usize,
    name: String,
    start: u32,
    region: &'static str,
    table: usize,
}

struct Hub {
    name: String,
    rg: String,
    region: &'static str,
    block: u32,
    /// The NVA address spokes send traffic to: the load balancer's frontend, else the NVA.
    firewall: Option<u32>,
}

impl Plan {
    fn new(p: &GenerateParams) -> Result<Plan, GenerateError> {
        if p.hubs == 0 {
            return Err(GenerateError("an estate needs at least one hub (--hubs)".into()));
        }
        if p.subnets_per_spoke == 0 && p.spokes_per_hub > 0 {
            return Err(GenerateError("a spoke needs at least one subnet (--subnets-per-spoke)".into()));
        }
        if !(0.0..=1.0).contains(&p.global_peering_fraction) {
            return Err(GenerateError("--global-peering-fraction is a fraction between 0 and 1".into()));
        }
        if p.nsg_rules > 1000 {
            return Err(GenerateError("an NSG holds at most 1000 rules (--nsg-rules)".into()));
        }
        if p.routes_per_table > 1000 {
            return Err(GenerateError("a route table holds at most 1000 routes (--routes-per-table)".into()));
        }
        if p.tables == Some(0) && p.spokes_per_hub > 0 {
            return Err(GenerateError("--tables must be at least 1".into()));
        }
        let spokes = p.hubs * p.spokes_per_hub;
        if p.private_endpoints > 0 && spokes == 0 {
            return Err(GenerateError("private endpoints are placed in spokes; add spokes".into()));
        }
        let pes_per_spoke = if spokes == 0 { 0 } else { p.private_endpoints.div_ceil(spokes) };
        let too_big =
            || GenerateError("the estate does not fit in 10.0.0.0/8; use fewer hubs, spokes, subnets or NICs".into());
        let spoke_subnet = subnet_size(p.nics_per_subnet + pes_per_spoke);
        let spoke_size = (spoke_subnet as u64 * p.subnets_per_spoke.max(1) as u64).next_power_of_two();
        let hub_subnet = subnet_size(p.nics_per_subnet.max(p.nvas_per_hub + 1)).max(64);
        let hub_size = 4 * hub_subnet as u64;
        let spokes_offset = hub_size.div_ceil(spoke_size) * spoke_size;
        let hub_block = (spokes_offset + spoke_size * p.spokes_per_hub as u64).next_power_of_two();
        if hub_block * p.hubs as u64 > 1 << 24 || spoke_size > 1 << 24 {
            return Err(too_big());
        }
        let spoke_tables_per_hub = match p.tables {
            None => p.spokes_per_hub,
            Some(n) => n.div_ceil(p.hubs).clamp(1, p.spokes_per_hub.max(1)),
        };
        Ok(Plan {
            sub: String::new(),
            hub_block: hub_block as u32,
            hub_subnet,
            spoke_size: spoke_size as u32,
            spoke_subnet,
            spokes_offset: spokes_offset as u32,
            spoke_tables_per_hub,
        })
    }

    fn id(&self, rg: &str, provider: &str, path: &str) -> String {
        format!("/subscriptions/{}/resourceGroups/{rg}/providers/{provider}/{path}", self.sub)
    }

    fn net(&self, rg: &str, path: &str) -> String {
        self.id(rg, "Microsoft.Network", path)
    }
}

/// Buffers resources of one kind and writes them in files of at most `per_file` each.
struct Chunked {
    stem: &'static str,
    per_file: usize,
    items: Vec<Value>,
    written: usize,
}

impl Chunked {
    fn new(stem: &'static str, per_file: usize) -> Chunked {
        Chunked { stem, per_file, items: Vec::new(), written: 0 }
    }

    fn push(&mut self, item: Value, out: &mut Output<'_>) -> io::Result<()> {
        self.items.push(item);
        if self.items.len() >= self.per_file {
            self.flush(out)?;
        }
        Ok(())
    }

    fn flush(&mut self, out: &mut Output<'_>) -> io::Result<()> {
        if self.items.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(&mut self.items);
        out.write(format!("{}-{:03}.json", self.stem, self.written), &Value::Array(items))?;
        self.written += 1;
        Ok(())
    }
}

/// Where files go, and the running summary.
struct Output<'s> {
    dir: String,
    sink: &'s mut dyn FnMut(GeneratedFile) -> io::Result<()>,
    summary: GenerateSummary,
}

impl Output<'_> {
    fn write(&mut self, name: String, value: &Value) -> io::Result<()> {
        // az prints JSON indented by two spaces, keys sorted; so does serde_json's pretty
        // printer over its (sorted) maps.
        let mut text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        text.push('\n');
        self.summary.files += 1;
        self.summary.bytes += text.len() as u64;
        (self.sink)(GeneratedFile { path: format!("{}/{name}", self.dir), text })
    }
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
    write_all(params, &plan, &mut rng, &mut out).map_err(|e| GenerateError(format!("cannot write the estate: {e}")))?;
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

/// Generates an estate in memory: `(path, text)` pairs, as [`crate::load_texts`] takes them.
pub fn generate_texts(params: &GenerateParams) -> Result<(Vec<(String, String)>, GenerateSummary), GenerateError> {
    let mut files = Vec::new();
    let mut sink = |file: GeneratedFile| -> io::Result<()> {
        files.push((file.path, file.text));
        Ok(())
    };
    let summary = generate(params, &mut sink)?;
    Ok((files, summary))
}

fn write_all(p: &GenerateParams, plan: &Plan, rng: &mut Rng, out: &mut Output<'_>) -> io::Result<()> {
    let hubs: Vec<Hub> = (0..p.hubs)
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
        .collect();
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

    let mut nics = Chunked::new("nic-list", NICS_PER_FILE);
    let mut vms = Chunked::new("vm-list", NICS_PER_FILE);
    let mut lbs: Vec<Value> = Vec::new();
    let mut pes: Vec<Value> = Vec::new();
    let mut pe_nics: Vec<Value> = Vec::new();

    for (h, hub) in hubs.iter().enumerate() {
        let hub_spokes: Vec<&Spoke> = spokes.iter().filter(|s| s.hub == h).collect();
        write_hub_network(p, plan, rng, out, &hubs, h, &hub_spokes)?;
        write_hub_gateway(p, plan, rng, out, hub)?;
        write_hub_tables(p, plan, rng, out, &hubs, h, &hub_spokes)?;
        write_hub_nsgs(p, plan, rng, out, &hubs, h, &hub_spokes)?;

        // Hub NICs: NVAs (IP forwarding on), then shared and management VMs.
        let vnet = format!("vnet-{}", hub.name);
        let nva_start = hub.block + plan.hub_subnet;
        let mut backends = Vec::new();
        for i in 0..p.nvas_per_hub {
            let name = format!("{}-nva{i}", hub.name);
            let subnet_id = plan.net(&hub.rg, &format!("virtualNetworks/{vnet}/subnets/snet-nva"));
            let (nic, vm) =
                nic_and_vm(plan, rng, &hub.rg, hub.region, &name, &subnet_id, nva_start + 5 + i as u32, true);
            backends.push(json!({"id": format!("{}/ipConfigurations/ipconfig1", nic["id"].as_str().unwrap_or_default()), "resourceGroup": hub.rg}));
            nics.push(nic, out)?;
            vms.push(vm, out)?;
            out.summary.nics += 1;
            out.summary.vms += 1;
        }
        for (k, subnet) in ["snet-shared", "snet-mgmt"].iter().enumerate() {
            let start = hub.block + (2 + k as u32) * plan.hub_subnet;
            let subnet_id = plan.net(&hub.rg, &format!("virtualNetworks/{vnet}/subnets/{subnet}"));
            for i in 0..p.nics_per_subnet {
                let name = format!("{}-{}-{i:03}", hub.name, &subnet[5..]);
                let (nic, vm) =
                    nic_and_vm(plan, rng, &hub.rg, hub.region, &name, &subnet_id, start + 4 + i as u32, false);
                nics.push(nic, out)?;
                vms.push(vm, out)?;
                out.summary.nics += 1;
                out.summary.vms += 1;
            }
        }
        if let Some(fw) = hub.firewall {
            lbs.push(load_balancer(plan, rng, hub, fw, backends));
            out.summary.load_balancers += 1;
        }

        // Spoke NICs and VMs.
        for spoke in &hub_spokes {
            for sn in 0..p.subnets_per_spoke {
                let start = spoke.start + sn as u32 * plan.spoke_subnet;
                let subnet_id = plan.net(&hub.rg, &format!("virtualNetworks/{}/subnets/snet-{sn}", spoke.name));
                for i in 0..p.nics_per_subnet {
                    let name = format!("{}-s{:04}-n{sn}-{i:03}", hub.name, spoke.index);
                    let (nic, vm) =
                        nic_and_vm(plan, rng, &hub.rg, spoke.region, &name, &subnet_id, start + 4 + i as u32, false);
                    nics.push(nic, out)?;
                    vms.push(vm, out)?;
                    out.summary.nics += 1;
                    out.summary.vms += 1;
                }
            }
        }
    }

    // Private endpoints, round-robin over the spokes, in each spoke's last subnet, taking
    // addresses from the top of the subnet down (NICs take them from the bottom up).
    for k in 0..p.private_endpoints {
        let spoke = &spokes[k % spokes.len()];
        let slot = (k / spokes.len()) as u32;
        let hub = &hubs[spoke.hub];
        let sn = p.subnets_per_spoke - 1;
        let subnet_start = spoke.start + sn as u32 * plan.spoke_subnet;
        let address = subnet_start + plan.spoke_subnet - 2 - slot;
        let subnet_id = plan.net(&hub.rg, &format!("virtualNetworks/{}/subnets/snet-{sn}", spoke.name));
        let (pe, nic) = private_endpoint(plan, rng, hub, spoke, k, &subnet_id, address);
        pes.push(pe);
        pe_nics.push(nic);
        out.summary.private_endpoints += 1;
        out.summary.nics += 1;
    }
    for nic in pe_nics {
        nics.push(nic, out)?;
    }
    nics.flush(out)?;
    vms.flush(out)?;
    if !lbs.is_empty() {
        out.write("lb-list.json".into(), &Value::Array(lbs))?;
    }
    if !pes.is_empty() {
        out.write("private-endpoint-list.json".into(), &Value::Array(pes))?;
    }
    let regions: BTreeSet<&str> = hubs.iter().map(|h| h.region).chain(spokes.iter().map(|s| s.region)).collect();
    let tags = service_tags(&regions);
    let mut text = serde_json::to_string_pretty(&tags).map_err(io::Error::other)?;
    text.push('\n');
    out.summary.files += 1;
    out.summary.bytes += text.len() as u64;
    // The Service Tags file sits beside the subscription's directory, as `collect` writes it.
    (out.sink)(GeneratedFile { path: "service-tags.json".into(), text })?;
    Ok(())
}

/// Hub VNet and its spokes (subnets and peerings inline), one file per hub.
fn write_hub_network(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hubs: &[Hub],
    h: usize,
    spokes: &[&Spoke],
) -> io::Result<()> {
    let hub = &hubs[h];
    let rg = hub.rg.as_str();
    let vnet = format!("vnet-{}", hub.name);
    let hub_size = 4 * plan.hub_subnet;
    let hub_nsg = plan.net(rg, &format!("networkSecurityGroups/nsg-{}", hub.name));
    let subnet = |rng: &mut Rng,
                  vnet: &str,
                  name: &str,
                  start: u32,
                  size: u32,
                  table: Option<String>,
                  nsg: Option<&str>,
                  extra: &[(&str, Value)]| {
        let mut s = json!({
            "addressPrefix": cidr(start, size),
            "etag": format!("W/\"{}\"", rng.uuid()),
            "id": plan.net(rg, &format!("virtualNetworks/{vnet}/subnets/{name}")),
            "name": name,
            "privateEndpointNetworkPolicies": "Disabled",
            "privateLinkServiceNetworkPolicies": "Enabled",
            "provisioningState": "Succeeded",
            "resourceGroup": rg,
            "type": "Microsoft.Network/virtualNetworks/subnets",
        });
        if let Some(t) = table {
            s["routeTable"] = reference(&t, rg);
        }
        if let Some(n) = nsg {
            s["networkSecurityGroup"] = reference(n, rg);
        }
        for (k, v) in extra {
            s[*k] = v.clone();
        }
        s
    };
    let peering = |rng: &mut Rng,
                   from: &str,
                   name: &str,
                   to_rg: &str,
                   to: &str,
                   to_space: &str,
                   transit: bool,
                   use_remote: bool| {
        json!({
            "allowForwardedTraffic": true,
            "allowGatewayTransit": transit,
            "allowVirtualNetworkAccess": true,
            "doNotVerifyRemoteGateways": false,
            "etag": format!("W/\"{}\"", rng.uuid()),
            "id": plan.net(rg, &format!("virtualNetworks/{from}/virtualNetworkPeerings/{name}")),
            "name": name,
            "peerCompleteVnets": true,
            "peeringState": "Connected",
            "peeringSyncLevel": "FullyInSync",
            "provisioningState": "Succeeded",
            "remoteAddressSpace": {"addressPrefixes": [to_space]},
            "remoteVirtualNetwork": reference(&plan.net(to_rg, &format!("virtualNetworks/{to}")), to_rg),
            "remoteVirtualNetworkAddressSpace": {"addressPrefixes": [to_space]},
            "resourceGroup": rg,
            "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            "useRemoteGateways": use_remote,
        })
    };
    let mut vnets = Vec::new();

    // The hub.
    let mut subnets = vec![subnet(
        rng,
        &vnet,
        "GatewaySubnet",
        hub.block,
        32,
        Some(plan.net(rg, &format!("routeTables/rt-{}-gateway", hub.name))),
        None,
        &[],
    )];
    subnets.push(subnet(
        rng,
        &vnet,
        "snet-nva",
        hub.block + plan.hub_subnet,
        plan.hub_subnet,
        Some(plan.net(rg, &format!("routeTables/rt-{}-nva", hub.name))),
        Some(&hub_nsg),
        &[],
    ));
    for (k, name) in ["snet-shared", "snet-mgmt"].iter().enumerate() {
        subnets.push(subnet(
            rng,
            &vnet,
            name,
            hub.block + (2 + k as u32) * plan.hub_subnet,
            plan.hub_subnet,
            None,
            Some(&hub_nsg),
            &[],
        ));
    }
    let mut peerings = Vec::new();
    for (o, other) in hubs.iter().enumerate() {
        if o == h {
            continue;
        }
        let to = format!("vnet-{}", other.name);
        peerings.push(peering(
            rng,
            &vnet,
            &format!("{}-to-{}", hub.name, other.name),
            &other.rg,
            &to,
            &cidr(other.block, hub_size),
            false,
            false,
        ));
    }
    for spoke in spokes {
        peerings.push(peering(
            rng,
            &vnet,
            &format!("{}-to-spoke{:04}", hub.name, spoke.index),
            rg,
            &spoke.name,
            &cidr(spoke.start, plan.spoke_size),
            true,
            false,
        ));
    }
    out.summary.subnets += subnets.len();
    out.summary.peerings += peerings.len();
    vnets.push(vnet_json(plan, rng, rg, &vnet, hub.region, &cidr(hub.block, hub_size), subnets, peerings));

    // The spokes.
    for spoke in spokes {
        let table = plan.net(rg, &format!("routeTables/rt-{}-spoke{:04}", hub.name, spoke.table));
        let nsg = plan.net(rg, &format!("networkSecurityGroups/nsg-{}-spoke{:04}", hub.name, spoke.index));
        let mut subnets = Vec::new();
        for sn in 0..p.subnets_per_spoke {
            let start = spoke.start + sn as u32 * plan.spoke_subnet;
            // One subnet per spoke reaches Storage over a service endpoint (its own context).
            let extra: Vec<(&str, Value)> = if sn == 1 {
                vec![(
                    "serviceEndpoints",
                    json!([{"locations": [spoke.region], "provisioningState": "Succeeded", "service": "Microsoft.Storage"}]),
                )]
            } else {
                Vec::new()
            };
            let name = format!("snet-{sn}");
            subnets.push(subnet(
                rng,
                &spoke.name,
                &name,
                start,
                plan.spoke_subnet,
                Some(table.clone()),
                Some(&nsg),
                &extra,
            ));
        }
        let to = format!("vnet-{}", hub.name);
        let peerings = vec![peering(
            rng,
            &spoke.name,
            &format!("spoke{:04}-to-{}", spoke.index, hub.name),
            rg,
            &to,
            &cidr(hub.block, hub_size),
            false,
            true,
        )];
        out.summary.subnets += subnets.len();
        out.summary.peerings += peerings.len();
        vnets.push(vnet_json(
            plan,
            rng,
            rg,
            &spoke.name,
            spoke.region,
            &cidr(spoke.start, plan.spoke_size),
            subnets,
            peerings,
        ));
    }
    out.summary.vnets += vnets.len();
    out.write(format!("vnet-list-{}.json", hub.name), &Value::Array(vnets))
}

#[allow(clippy::too_many_arguments)]
fn vnet_json(
    plan: &Plan,
    rng: &mut Rng,
    rg: &str,
    name: &str,
    region: &str,
    space: &str,
    subnets: Vec<Value>,
    peerings: Vec<Value>,
) -> Value {
    json!({
        "addressSpace": {"addressPrefixes": [space]},
        "enableDdosProtection": false,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("virtualNetworks/{name}")),
        "location": region,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "subnets": subnets,
        "type": "Microsoft.Network/virtualNetworks",
        "virtualNetworkPeerings": peerings,
    })
}

/// The hub's VPN gateway, its local network gateway, the connection, and the learned routes.
fn write_hub_gateway(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hub: &Hub,
) -> io::Result<()> {
    let rg = hub.rg.as_str();
    let vnet = format!("vnet-{}", hub.name);
    let gw_name = format!("vgw-{}", hub.name);
    let gw_id = plan.net(rg, &format!("virtualNetworkGateways/{gw_name}"));
    let gw_subnet = plan.net(rg, &format!("virtualNetworks/{vnet}/subnets/GatewaySubnet"));
    let instances = [hub.block + 4, hub.block + 5];
    let onprem_octet = 16 + (hub_index(hub) % 16) as u32;
    let onprem_peer = ip((172 << 24) | (onprem_octet << 16) | (255 << 8) | 254);
    let gateway = json!([{
        "activeActive": true,
        "bgpSettings": {
            "asn": 65515,
            "bgpPeeringAddress": format!("{},{}", ip(instances[0]), ip(instances[1])),
            "bgpPeeringAddresses": instances.iter().enumerate().map(|(i, a)| json!({
                "customBgpIpAddresses": [],
                "defaultBgpIpAddresses": [ip(*a)],
                "ipconfigurationId": format!("{gw_id}/ipConfigurations/ipconfig{i}"),
                "tunnelIpAddresses": [ip(0x1450_0000 + rng.below(1 << 16) as u32)],
            })).collect::<Vec<_>>(),
            "peerWeight": 0,
        },
        "enableBgp": true,
        "enablePrivateIpAddress": false,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "gatewayType": "Vpn",
        "id": gw_id,
        "ipConfigurations": (0..2).map(|i| json!({
            "etag": format!("W/\"{}\"", rng.uuid()),
            "id": format!("{gw_id}/ipConfigurations/ipconfig{i}"),
            "name": format!("ipconfig{i}"),
            "privateIPAllocationMethod": "Dynamic",
            "provisioningState": "Succeeded",
            "publicIPAddress": reference(&plan.net(rg, &format!("publicIPAddresses/pip-{gw_name}-{i}")), rg),
            "resourceGroup": rg,
            "subnet": reference(&gw_subnet, rg),
        })).collect::<Vec<_>>(),
        "location": hub.region,
        "name": gw_name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "sku": {"capacity": 2, "name": "VpnGw2AZ", "tier": "VpnGw2AZ"},
        "type": "Microsoft.Network/virtualNetworkGateways",
        "vpnGatewayGeneration": "Generation2",
        "vpnType": "RouteBased",
    }]);
    out.write(format!("vnet-gateway-list-{rg}.json"), &gateway)?;
    out.summary.gateways += 1;

    let lng_name = format!("lng-{}-onprem", hub.name);
    let lng_id = plan.net(rg, &format!("localNetworkGateways/{lng_name}"));
    let lng = json!([{
        "bgpSettings": {"asn": 65050, "bgpPeeringAddress": onprem_peer, "peerWeight": 0},
        "etag": format!("W/\"{}\"", rng.uuid()),
        "gatewayIpAddress": ip((203 << 24) | (113 << 8) | (10 + hub_index(hub) as u32 % 200)),
        "id": lng_id,
        "localNetworkAddressSpace": {"addressPrefixes": [format!("172.{onprem_octet}.0.0/16")]},
        "location": hub.region,
        "name": lng_name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "type": "Microsoft.Network/localNetworkGateways",
    }]);
    out.write(format!("local-gateway-list-{rg}.json"), &lng)?;

    let cn_name = format!("cn-{}-onprem", hub.name);
    let connection = json!([{
        "connectionMode": "Default",
        "connectionProtocol": "IKEv2",
        "connectionStatus": "Connected",
        "connectionType": "IPsec",
        "dpdTimeoutSeconds": 45,
        "egressBytesTransferred": rng.below(1 << 40),
        "enableBgp": true,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("connections/{cn_name}")),
        "ingressBytesTransferred": rng.below(1 << 40),
        "localNetworkGateway2": reference(&lng_id, rg),
        "location": hub.region,
        "name": cn_name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "routingWeight": 0,
        "type": "Microsoft.Network/connections",
        "useLocalAzureIpAddress": false,
        "usePolicyBasedTrafficSelectors": false,
        "virtualNetworkGateway1": reference(&gw_id, rg),
    }]);
    out.write(format!("vpn-connection-list-{rg}.json"), &connection)?;

    // `list-learned-routes`: the hub's own range (origin Network, not programmed back) and the
    // on-premises prefixes learned over eBGP, once per gateway instance.
    let mut learned = Vec::new();
    for a in instances {
        learned.push(json!({
            "asPath": "", "localAddress": ip(a), "network": cidr(hub.block, 4 * plan.hub_subnet),
            "nextHop": "", "origin": "Network", "sourcePeer": ip(a), "weight": 32768,
        }));
    }
    let mut prefixes = BTreeSet::new();
    prefixes.insert(format!("172.{onprem_octet}.0.0/16"));
    while prefixes.len() < p.bgp_prefixes.max(1) {
        let len = 20 + rng.below(5) as u32;
        let base = match rng.below(3) {
            0 => (172 << 24) | (onprem_octet << 16),
            1 => (192 << 24) | (168 << 16),
            _ => (172 << 24) | ((16 + rng.below(16) as u32) << 16),
        };
        let addr = base | (rng.next() as u32 & 0xffff & !((1u32 << (32 - len)) - 1));
        prefixes.insert(cidr(addr, 1 << (32 - len)));
    }
    for prefix in &prefixes {
        for a in instances {
            learned.push(json!({
                "asPath": "65050", "localAddress": ip(a), "network": prefix,
                "nextHop": onprem_peer, "origin": "EBgp", "sourcePeer": onprem_peer, "weight": 32768,
            }));
        }
    }
    out.summary.learned_routes += learned.len();
    let wrapper = json!({"gatewayId": gw_id, "learnedRoutes": {"value": learned}});
    out.write(format!("learned-routes-{gw_name}.json"), &wrapper)
}

fn hub_index(hub: &Hub) -> usize {
    hub.name[3..].parse().unwrap_or(0)
}

fn route(plan: &Plan, rg: &str, table: &str, name: &str, prefix: &str, hop: &str, hop_ip: Option<u32>) -> Value {
    let mut r = json!({
        "addressPrefix": prefix,
        "hasBgpOverride": false,
        "id": plan.net(rg, &format!("routeTables/{table}/routes/{name}")),
        "name": name,
        "nextHopType": hop,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/routeTables/routes",
    });
    if let Some(a) = hop_ip {
        r["nextHopIpAddress"] = Value::String(ip(a));
    }
    r
}

#[allow(clippy::too_many_arguments)]
fn route_table(
    plan: &Plan,
    rng: &mut Rng,
    rg: &str,
    name: &str,
    region: &str,
    disable_bgp: bool,
    routes: Vec<Value>,
    subnets: Vec<Value>,
) -> Value {
    json!({
        "disableBgpRoutePropagation": disable_bgp,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("routeTables/{name}")),
        "location": region,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "routes": routes,
        "subnets": subnets,
        "type": "Microsoft.Network/routeTables",
    })
}

/// The hub's GatewaySubnet and NVA tables, then its spokes' tables, one file per hub.
fn write_hub_tables(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hubs: &[Hub],
    h: usize,
    spokes: &[&Spoke],
) -> io::Result<()> {
    let hub = &hubs[h];
    let rg = hub.rg.as_str();
    let vnet = format!("vnet-{}", hub.name);
    let mut tables = Vec::new();
    let hop = |fw: Option<u32>| if fw.is_some() { "VirtualAppliance" } else { "Internet" };

    // GatewaySubnet: traffic from on-premises to each spoke is inspected by the NVA.
    let name = format!("rt-{}-gateway", hub.name);
    let mut routes = Vec::new();
    if hub.firewall.is_some() {
        for spoke in spokes {
            routes.push(route(
                plan,
                rg,
                &name,
                &format!("to-spoke{:04}-via-fw", spoke.index),
                &cidr(spoke.start, plan.spoke_size),
                "VirtualAppliance",
                hub.firewall,
            ));
        }
    }
    out.summary.user_routes += routes.len();
    let subnet = reference(&plan.net(rg, &format!("virtualNetworks/{vnet}/subnets/GatewaySubnet")), rg);
    tables.push(route_table(plan, rng, rg, &name, hub.region, false, routes, vec![subnet]));

    // NVA subnet: other hubs' spokes through their own NVA.
    let name = format!("rt-{}-nva", hub.name);
    let mut routes = Vec::new();
    for (o, other) in hubs.iter().enumerate() {
        if o != h && other.firewall.is_some() {
            routes.push(route(
                plan,
                rg,
                &name,
                &format!("to-{}-via-fw", other.name),
                &cidr(other.block, plan.hub_block),
                "VirtualAppliance",
                other.firewall,
            ));
        }
    }
    out.summary.user_routes += routes.len();
    let subnet = reference(&plan.net(rg, &format!("virtualNetworks/{vnet}/subnets/snet-nva")), rg);
    tables.push(route_table(plan, rng, rg, &name, hub.region, false, routes, vec![subnet]));

    // Spoke tables.
    for t in 0..plan.spoke_tables_per_hub.min(spokes.len()) {
        let name = format!("rt-{}-spoke{t:04}", hub.name);
        let users: Vec<&&Spoke> = spokes.iter().filter(|s| s.table == t).collect();
        let region = users.first().map(|s| s.region).unwrap_or(hub.region);
        let mut routes = Vec::new();
        let mut seen = BTreeSet::new();
        let mut add = |routes: &mut Vec<Value>, name_: String, prefix: String, hop_type: &str, hop_ip: Option<u32>| {
            if routes.len() < p.routes_per_table && seen.insert(prefix.clone()) {
                routes.push(route(plan, rg, &name, &name_, &prefix, hop_type, hop_ip));
            }
        };
        add(&mut routes, "default-via-fw".into(), "0.0.0.0/0".into(), hop(hub.firewall), hub.firewall);
        add(&mut routes, "onprem-via-fw".into(), "172.16.0.0/12".into(), hop(hub.firewall), hub.firewall);
        for other in hubs.iter().filter(|o| o.name != hub.name).take(p.routes_per_table / 4) {
            add(
                &mut routes,
                format!("{}-via-fw", other.name),
                cidr(other.block, plan.hub_block),
                hop(hub.firewall),
                hub.firewall,
            );
        }
        if t % 10 == 0 {
            add(&mut routes, "storage-direct".into(), "Storage".into(), "Internet", None);
        }
        let mut tries = 0;
        while routes.len() < p.routes_per_table && tries < 100 * p.routes_per_table {
            tries += 1;
            let n = routes.len();
            match rng.below(10) {
                0..=5 => {
                    let len = 24 + rng.below(5) as u32;
                    let addr = (192 << 24) | (168 << 16) | (rng.next() as u32 & 0xffff & !((1u32 << (32 - len)) - 1));
                    add(
                        &mut routes,
                        format!("partner-{n:03}"),
                        cidr(addr, 1 << (32 - len)),
                        hop(hub.firewall),
                        hub.firewall,
                    );
                }
                6 | 7 => {
                    let addr = (20 << 24) | ((rng.next() as u32 & 0xffff) << 8);
                    add(&mut routes, format!("saas-{n:03}"), cidr(addr, 256), "Internet", None);
                }
                8 => {
                    let addr = (100 << 24) | (64 << 16) | ((rng.next() as u32 & 0x3fff) << 8);
                    add(&mut routes, format!("blackhole-{n:03}"), cidr(addr, 256), "None", None);
                }
                _ => {
                    let octet = 16 + (h % 16) as u32;
                    let addr = (172 << 24) | (octet << 16) | ((rng.next() as u32 & 0xff) << 8);
                    add(&mut routes, format!("onprem-direct-{n:03}"), cidr(addr, 256), "VirtualNetworkGateway", None);
                }
            }
        }
        out.summary.user_routes += routes.len();
        let mut subnets = Vec::new();
        for spoke in &users {
            for sn in 0..p.subnets_per_spoke {
                subnets
                    .push(reference(&plan.net(rg, &format!("virtualNetworks/{}/subnets/snet-{sn}", spoke.name)), rg));
            }
        }
        // Every tenth table keeps on-premises routes away from its spokes (forced tunnelling).
        let disable_bgp = t % 10 == 9;
        tables.push(route_table(plan, rng, rg, &name, region, disable_bgp, routes, subnets));
    }
    out.summary.route_tables += tables.len();
    out.write(format!("route-table-list-{}.json", hub.name), &Value::Array(tables))
}

fn security_rules(p: &GenerateParams, plan: &Plan, rng: &mut Rng, rg: &str, nsg: &str, hub_space: &str) -> Vec<Value> {
    let sources = ["VirtualNetwork", "10.0.0.0/8", "172.16.0.0/12", "Internet", "AzureLoadBalancer", "*", hub_space];
    let ports = ["443", "80", "22", "3389", "1433", "8080-8090", "*"];
    let protocols = ["Tcp", "Udp", "*", "Icmp"];
    (0..p.nsg_rules)
        .map(|i| {
            let inbound = i % 3 != 2;
            let deny = i + 1 == p.nsg_rules && p.nsg_rules > 1;
            let name = format!("rule-{i:03}");
            json!({
                "access": if deny { "Deny" } else { "Allow" },
                "destinationAddressPrefix": if inbound { "VirtualNetwork" } else { *rng.pick(&sources) },
                "destinationAddressPrefixes": [],
                "destinationPortRange": if deny { "*" } else { *rng.pick(&ports) },
                "destinationPortRanges": [],
                "direction": if inbound { "Inbound" } else { "Outbound" },
                "etag": format!("W/\"{}\"", rng.uuid()),
                "id": plan.net(rg, &format!("networkSecurityGroups/{nsg}/securityRules/{name}")),
                "name": name,
                "priority": 100 + 10 * i,
                "protocol": if deny { "*" } else { *rng.pick(&protocols) },
                "provisioningState": "Succeeded",
                "resourceGroup": rg,
                "sourceAddressPrefix": if inbound { *rng.pick(&sources) } else { "VirtualNetwork" },
                "sourceAddressPrefixes": [],
                "sourcePortRange": "*",
                "sourcePortRanges": [],
                "type": "Microsoft.Network/networkSecurityGroups/securityRules",
            })
        })
        .collect()
}

fn nsg_json(
    plan: &Plan,
    rng: &mut Rng,
    rg: &str,
    name: &str,
    region: &str,
    rules: Vec<Value>,
    subnets: Vec<Value>,
) -> Value {
    json!({
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": plan.net(rg, &format!("networkSecurityGroups/{name}")),
        "location": region,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "securityRules": rules,
        "subnets": subnets,
        "type": "Microsoft.Network/networkSecurityGroups",
    })
}

/// One NSG for the hub's subnets and one per spoke (on all its subnets), one file per hub.
fn write_hub_nsgs(
    p: &GenerateParams,
    plan: &Plan,
    rng: &mut Rng,
    out: &mut Output<'_>,
    hubs: &[Hub],
    h: usize,
    spokes: &[&Spoke],
) -> io::Result<()> {
    let hub = &hubs[h];
    let rg = hub.rg.as_str();
    let vnet = format!("vnet-{}", hub.name);
    let space = cidr(hub.block, plan.hub_block);
    let mut nsgs = Vec::new();
    let name = format!("nsg-{}", hub.name);
    let rules = security_rules(p, plan, rng, rg, &name, &space);
    out.summary.security_rules += rules.len();
    let subnets = ["snet-nva", "snet-shared", "snet-mgmt"]
        .iter()
        .map(|s| reference(&plan.net(rg, &format!("virtualNetworks/{vnet}/subnets/{s}")), rg))
        .collect();
    nsgs.push(nsg_json(plan, rng, rg, &name, hub.region, rules, subnets));
    for spoke in spokes {
        let name = format!("nsg-{}-spoke{:04}", hub.name, spoke.index);
        let rules = security_rules(p, plan, rng, rg, &name, &space);
        out.summary.security_rules += rules.len();
        let subnets = (0..p.subnets_per_spoke)
            .map(|sn| reference(&plan.net(rg, &format!("virtualNetworks/{}/subnets/snet-{sn}", spoke.name)), rg))
            .collect();
        nsgs.push(nsg_json(plan, rng, rg, &name, spoke.region, rules, subnets));
    }
    out.summary.nsgs += nsgs.len();
    out.write(format!("nsg-list-{}.json", hub.name), &Value::Array(nsgs))
}

fn mac(rng: &mut Rng) -> String {
    let v = rng.next();
    format!("00-0D-3A-{:02X}-{:02X}-{:02X}", (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff)
}

/// A VM's NIC and the VM (`az vm list -d` shape), as the az CLI lists them.
#[allow(clippy::too_many_arguments)]
fn nic_and_vm(
    plan: &Plan,
    rng: &mut Rng,
    rg: &str,
    region: &str,
    name: &str,
    subnet_id: &str,
    address: u32,
    forwarding: bool,
) -> (Value, Value) {
    let nic_name = format!("nic-{name}");
    let vm_name = format!("vm-{name}");
    let nic_id = plan.net(rg, &format!("networkInterfaces/{nic_name}"));
    let vm_id = plan.id(rg, "Microsoft.Compute", &format!("virtualMachines/{vm_name}"));
    let etag = format!("W/\"{}\"", rng.uuid());
    let mac = mac(rng);
    let nic = json!({
        "auxiliaryMode": "None",
        "auxiliarySku": "None",
        "disableTcpStateTracking": false,
        "dnsSettings": {"appliedDnsServers": [], "dnsServers": [], "internalDomainNameSuffix": format!("{:x}.bx.internal.cloudapp.net", rng.next())},
        "enableAcceleratedNetworking": !forwarding,
        "enableIPForwarding": forwarding,
        "etag": etag,
        "hostedWorkloads": [],
        "id": nic_id,
        "ipConfigurations": [{
            "etag": etag,
            "id": format!("{nic_id}/ipConfigurations/ipconfig1"),
            "name": "ipconfig1",
            "primary": true,
            "privateIPAddress": ip(address),
            "privateIPAddressVersion": "IPv4",
            "privateIPAllocationMethod": if forwarding { "Static" } else { "Dynamic" },
            "provisioningState": "Succeeded",
            "resourceGroup": rg,
            "subnet": reference(subnet_id, rg),
            "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
        }],
        "location": region,
        "macAddress": mac,
        "name": nic_name,
        "nicType": "Standard",
        "primary": true,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "tapConfigurations": [],
        "type": "Microsoft.Network/networkInterfaces",
        "virtualMachine": reference(&vm_id, rg),
        "vnetEncryptionSupported": false,
    });
    let vm = json!({
        "hardwareProfile": {"vmSize": if forwarding { "Standard_D4s_v5" } else { "Standard_B2s" }},
        "id": vm_id,
        "location": region,
        "macAddresses": mac,
        "name": vm_name,
        "networkProfile": {"networkInterfaces": [{"id": nic_id, "primary": true, "resourceGroup": rg}]},
        "osProfile": {
            "adminUsername": "azureuser",
            "allowExtensionOperations": true,
            "computerName": vm_name,
            "linuxConfiguration": {"disablePasswordAuthentication": true, "provisionVMAgent": true},
            "secrets": [],
        },
        "powerState": "VM running",
        "privateIps": ip(address),
        "provisioningState": "Succeeded",
        "publicIps": "",
        "resourceGroup": rg,
        "storageProfile": {
            "dataDisks": [],
            "imageReference": {"offer": "0001-com-ubuntu-server-jammy", "publisher": "Canonical", "sku": "22_04-lts-gen2", "version": "latest"},
            "osDisk": {
                "caching": "ReadWrite",
                "createOption": "FromImage",
                "deleteOption": "Delete",
                "diskSizeGb": 30,
                "managedDisk": {"id": plan.id(rg, "Microsoft.Compute", &format!("disks/{vm_name}-osdisk")), "storageAccountType": "Premium_LRS"},
                "name": format!("{vm_name}-osdisk"),
                "osType": "Linux",
            },
        },
        "type": "Microsoft.Compute/virtualMachines",
        "vmId": rng.uuid(),
    });
    (nic, vm)
}

fn load_balancer(plan: &Plan, rng: &mut Rng, hub: &Hub, frontend: u32, backends: Vec<Value>) -> Value {
    let rg = hub.rg.as_str();
    let name = format!("ilb-{}-fw", hub.name);
    let id = plan.net(rg, &format!("loadBalancers/{name}"));
    let subnet = plan.net(rg, &format!("virtualNetworks/vnet-{}/subnets/snet-nva", hub.name));
    json!({
        "backendAddressPools": [{
            "backendIPConfigurations": backends,
            "id": format!("{id}/backendAddressPools/nva"),
            "name": "nva",
            "resourceGroup": rg,
        }],
        "etag": format!("W/\"{}\"", rng.uuid()),
        "frontendIPConfigurations": [{
            "id": format!("{id}/frontendIPConfigurations/fw"),
            "name": "fw",
            "privateIPAddress": ip(frontend),
            "privateIPAddressVersion": "IPv4",
            "privateIPAllocationMethod": "Static",
            "provisioningState": "Succeeded",
            "resourceGroup": rg,
            "subnet": reference(&subnet, rg),
        }],
        "id": id,
        "loadBalancingRules": [{
            "backendPort": 0, "frontendPort": 0, "name": "ha-ports", "protocol": "All",
        }],
        "location": hub.region,
        "name": name,
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "resourceGuid": rng.uuid(),
        "sku": {"name": "Standard", "tier": "Regional"},
        "type": "Microsoft.Network/loadBalancers",
    })
}

fn private_endpoint(
    plan: &Plan,
    rng: &mut Rng,
    hub: &Hub,
    spoke: &Spoke,
    k: usize,
    subnet_id: &str,
    address: u32,
) -> (Value, Value) {
    let rg = hub.rg.as_str();
    let account = format!("st{}{:05}", hub.name, k);
    let name = format!("pe-{account}");
    let id = plan.net(rg, &format!("privateEndpoints/{name}"));
    let nic_name = format!("{name}.nic.{:08x}", rng.next() as u32);
    let nic_id = plan.net(rg, &format!("networkInterfaces/{nic_name}"));
    let pe = json!({
        "customDnsConfigs": [{"fqdn": format!("{account}.blob.core.windows.net"), "ipAddresses": [ip(address)]}],
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": id,
        "location": spoke.region,
        "name": name,
        "networkInterfaces": [reference(&nic_id, rg)],
        "privateLinkServiceConnections": [{
            "groupIds": ["blob"],
            "id": format!("{id}/privateLinkServiceConnections/{name}"),
            "name": name,
            "privateLinkServiceConnectionState": {"actionsRequired": "None", "description": "Auto-Approved", "status": "Approved"},
            "privateLinkServiceId": plan.id(rg, "Microsoft.Storage", &format!("storageAccounts/{account}")),
            "provisioningState": "Succeeded",
        }],
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "subnet": reference(subnet_id, rg),
        "type": "Microsoft.Network/privateEndpoints",
    });
    let nic = json!({
        "enableAcceleratedNetworking": false,
        "enableIPForwarding": false,
        "etag": format!("W/\"{}\"", rng.uuid()),
        "id": nic_id,
        "ipConfigurations": [{
            "id": format!("{nic_id}/ipConfigurations/privateEndpointIpConfig.{:08x}", rng.next() as u32),
            "name": "privateEndpointIpConfig",
            "primary": true,
            "privateIPAddress": ip(address),
            "privateIPAddressVersion": "IPv4",
            "privateIPAllocationMethod": "Dynamic",
            "provisioningState": "Succeeded",
            "resourceGroup": rg,
            "subnet": reference(subnet_id, rg),
            "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
        }],
        "location": spoke.region,
        "name": nic_name,
        "nicType": "Standard",
        "privateEndpoint": reference(&id, rg),
        "provisioningState": "Succeeded",
        "resourceGroup": rg,
        "type": "Microsoft.Network/networkInterfaces",
    });
    (pe, nic)
}

/// A small Service Tags file (`az network list-service-tags` shape) with the tags the estate's
/// service endpoints and user routes name.
fn service_tags(regions: &BTreeSet<&str>) -> Value {
    let tag = |name: String, region: &str, service: &str, prefixes: Vec<String>| {
        json!({
            "id": name,
            "name": name,
            "properties": {
                "addressPrefixes": prefixes,
                "changeNumber": 1,
                "networkFeatures": ["API", "NSG", "UDR", "FW"],
                "platform": "Azure",
                "region": region,
                "regionId": 0,
                "systemService": service,
            },
        })
    };
    let mut values = Vec::new();
    let mut all = Vec::new();
    for (i, region) in REGIONS.iter().enumerate() {
        let storage = vec![format!("20.{}.0.0/16", 38 + i), format!("52.239.{}.0/22", 128 + 4 * i)];
        all.extend(storage.iter().cloned());
        if regions.contains(region) {
            values.push(tag(format!("Storage.{}", title(region)), region, "AzureStorage", storage));
            values.push(tag(
                format!("Sql.{}", title(region)),
                region,
                "AzureSQL",
                vec![format!("40.{}.0.0/20", 70 + i)],
            ));
        }
    }
    values.insert(0, tag("Storage".into(), "", "AzureStorage", all));
    json!({"changeNumber": 1, "cloud": "Public", "values": values})
}

/// `eastus` → `EastUS`, `westeurope` → `WestEurope`, as Service Tags names regions.
fn title(region: &str) -> String {
    match region {
        "eastus" => "EastUS",
        "westeurope" => "WestEurope",
        "southeastasia" => "SoutheastAsia",
        "australiaeast" => "AustraliaEast",
        "brazilsouth" => "BrazilSouth",
        "japaneast" => "JapanEast",
        "uksouth" => "UKSouth",
        "centralindia" => "CentralIndia",
        other => other,
    }
    .to_string()
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
        let loaded = crate::load_texts(&files);
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

    #[test]
    fn impossible_plans_are_refused() {
        let huge = GenerateParams { hubs: 100, spokes_per_hub: 2000, ..GenerateParams::default() };
        assert!(generate_texts(&huge).is_err());
        assert!(generate_texts(&GenerateParams { hubs: 0, ..GenerateParams::default() }).is_err());
        let shared = GenerateParams { tables: Some(2), ..small() };
        let (files, s) = generate_texts(&shared).unwrap();
        assert_eq!(s.route_tables, 2 + 2 * 2);
        assert!(crate::load_texts(&files).diagnostics.is_empty());
    }
}
