//! Linking: merges what every file held into one snapshot, drops exact duplicates, refuses
//! conflicting ones, resolves references to typed indices and checks what Azure would refuse.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use azroute_model::*;
use rayon::prelude::*;

use crate::diag::{Diagnostic, Severity};
use crate::lower::{AssociationKind, Child, Pending};

struct Ctx<'a> {
    files: &'a [SourceFile],
    diagnostics: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn file(&self, origin: &Origin) -> String {
        self.files.get(origin.file as usize).map(|f| f.path.clone()).unwrap_or_else(|| "<built-in>".to_string())
    }

    /// Sorts by key and removes duplicates: identical copies silently, conflicting ones with
    /// an error naming both places. In place: a large estate's vectors are not copied.
    fn dedupe<T: HasOrigin + Send>(&mut self, mut items: Vec<(String, T)>, what: &str) -> Vec<(String, T)> {
        items.par_sort_by(|a, b| a.0.cmp(&b.0));
        // `dedup_by` hands the later item first and removes it when the closure says so.
        items.dedup_by(|(key, item), (last_key, last)| {
            if key != last_key {
                return false;
            }
            self.report_duplicate(last, item, what);
            true
        });
        items
    }

    /// [`Ctx::dedupe`] for kinds whose keys are not needed afterwards (the NICs and VMs of a
    /// large estate): only the keys and an index are sorted and the items permuted in place, so
    /// no second copy of the items, nor a sort buffer of them, exists at the peak.
    fn dedupe_by_id<T: HasOrigin + Send + Sync>(&mut self, mut items: Vec<T>, what: &str) -> Vec<T> {
        let mut keys: Vec<(String, usize)> =
            items.par_iter().enumerate().map(|(i, item)| (normalize_id(item.id_str()), i)).collect();
        // Unstable is enough: the index breaks ties, so equal ids keep their input order.
        keys.par_sort_unstable();
        // Put items[i] = old items[keys[i].1], following each index through the swaps already
        // made (the cycle walk of std's `sort_by_cached_key`).
        for i in 0..items.len() {
            let mut from = keys[i].1;
            while from < i {
                from = keys[from].1;
            }
            keys[i].1 = from;
            items.swap(i, from);
        }
        let mut kept = 0;
        for i in 0..items.len() {
            if kept > 0 && keys[i].0 == keys[kept - 1].0 {
                self.report_duplicate(&items[kept - 1], &items[i], what);
                continue;
            }
            items.swap(kept, i);
            keys.swap(kept, i);
            kept += 1;
        }
        items.truncate(kept);
        items
    }

    /// A second copy of a resource: nothing when identical, an error naming both places when
    /// the content differs.
    fn report_duplicate<T: HasOrigin>(&mut self, kept: &T, later: &T, what: &str) {
        if content(kept) == content(later) {
            return;
        }
        let d = Diagnostic::error(
            "ConflictingDuplicate",
            format!(
                "the {what} `{}` appears twice with different content: {} at {} and {} at {}",
                later.id_str(),
                self.file(kept.origin_ref()),
                kept.origin_ref().json_path,
                self.file(later.origin_ref()),
                later.origin_ref().json_path
            ),
        )
        .in_file(self.file(later.origin_ref()))
        .at(later.origin_ref().json_path.clone())
        .resource(later.id_str())
        .hint("ids are compared case-insensitively; remove the stale copy from the snapshot");
        self.diagnostics.push(d);
    }
}

/// Exact and `resourceGroups/…`-relative lookup of normalised keys.
struct KeyIndex {
    exact: HashMap<String, u32>,
    relative: HashMap<String, Vec<u32>>,
}

impl KeyIndex {
    fn new<'k>(keys: impl Iterator<Item = &'k str>) -> KeyIndex {
        let mut exact = HashMap::new();
        let mut relative: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, key) in keys.enumerate() {
            exact.insert(key.to_string(), i as u32);
            if let Some(rel) = rg_relative_key(key) {
                relative.entry(rel.to_string()).or_default().push(i as u32);
            }
        }
        KeyIndex { exact, relative }
    }

    fn get(&self, key: &str) -> Option<u32> {
        if let Some(&i) = self.exact.get(key) {
            return Some(i);
        }
        let rel = rg_relative_key(key)?;
        match self.relative.get(rel).map(|v| v.as_slice()) {
            Some([only]) => Some(*only),
            _ => None,
        }
    }
}

/// Each resource with its normalised id (computed here, in parallel, rather than kept from
/// parsing: the keys live only while their kind is sorted and deduplicated).
fn keyed<T: HasOrigin + Send>(v: Vec<T>) -> Vec<(String, T)> {
    use rayon::prelude::*;
    v.into_par_iter().map(|item| (normalize_id(item.id_str()), item)).collect()
}

/// Tracks references to resources the export does not contain, reported once per target.
#[derive(Default)]
struct Dangling {
    targets: BTreeMap<String, (ResourceKind, String, usize, String)>,
}

impl Dangling {
    fn note(&mut self, kind: ResourceKind, target: &ArmId, referrer: &str) {
        let entry =
            self.targets.entry(target.key()).or_insert_with(|| (kind, target.to_string(), 0, referrer.to_string()));
        entry.2 += 1;
    }
}

impl Dangling {
    /// Adds another part's references, keeping the first referrer of each target (parts are
    /// absorbed in input order, so the result does not depend on how work was split).
    fn absorb(&mut self, other: Dangling) {
        for (key, (kind, id, count, referrer)) in other.targets {
            self.targets.entry(key).or_insert((kind, id, 0, referrer)).2 += count;
        }
    }
}

/// Resolves the references of a large vector in parallel chunks.
fn resolve_all<R: Send>(
    snapshot: &Snapshot,
    dangling: &mut Dangling,
    items: &mut [R],
    resolve_one: impl Fn(&Snapshot, &mut Dangling, &mut R) + Sync,
) {
    use rayon::prelude::*;
    let parts: Vec<Dangling> = items
        .par_chunks_mut(4096)
        .map(|chunk| {
            let mut d = Dangling::default();
            for item in chunk {
                resolve_one(snapshot, &mut d, item);
            }
            d
        })
        .collect();
    for part in parts {
        dangling.absorb(part);
    }
}

fn resolve<T: Copy>(
    snapshot: &Snapshot,
    dangling: &mut Dangling,
    link: &mut Link<T>,
    kind: ResourceKind,
    referrer: &str,
    make: fn(u32) -> T,
) {
    if let Link::Missing(id) = link {
        match snapshot.resolve_id(kind, id.as_str()) {
            Some(idx) => *link = Link::Resolved(make(idx)),
            None => dangling.note(kind, id, referrer),
        }
    }
}

fn resolve_opt<T: Copy>(
    snapshot: &Snapshot,
    dangling: &mut Dangling,
    link: &mut Option<Link<T>>,
    kind: ResourceKind,
    referrer: &str,
    make: fn(u32) -> T,
) {
    if let Some(l) = link {
        resolve(snapshot, dangling, l, kind, referrer, make);
    }
}

/// Builds the snapshot from everything read.
pub(crate) fn link(mut all: Pending, files: Vec<SourceFile>) -> (Snapshot, Vec<Diagnostic>) {
    let mut ctx = Ctx { files: &files, diagnostics: std::mem::take(&mut all.diagnostics) };

    let vnets = ctx.dedupe(keyed(all.vnets), "virtual network");
    let vnet_index = KeyIndex::new(vnets.iter().map(|(k, _)| k.as_str()));
    let mut vnets: Vec<Vnet> = vnets.into_iter().map(|(_, v)| v).collect();

    // Children need their parent: a subnet whose VNet is not exported cannot be routed.
    let attach = |ctx: &mut Ctx, children: Vec<Child<Subnet>>| -> Vec<(String, Subnet)> {
        let mut out = Vec::new();
        for child in children {
            match vnet_index.get(&child.parent) {
                Some(v) => {
                    let mut item = child.item;
                    item.vnet = VnetIdx(v);
                    out.push((child.key, item));
                }
                None => ctx.diagnostics.push(
                    Diagnostic::warning(
                        "MissingParent",
                        format!("subnet `{}` skipped: its virtual network is not in the snapshot", child.item.name),
                    )
                    .in_file(ctx.file(&child.item.origin))
                    .at(child.item.origin.json_path.clone())
                    .resource(child.item.id.as_str())
                    .hint("export the virtual network too (`az network vnet list`)"),
                ),
            }
        }
        out
    };
    let subnets = attach(&mut ctx, all.subnets);
    let subnets = ctx.dedupe(subnets, "subnet");
    let subnet_keys: Vec<String> = subnets.iter().map(|(k, _)| k.clone()).collect();
    let mut subnets: Vec<Subnet> = subnets.into_iter().map(|(_, s)| s).collect();

    let mut peerings_in = Vec::new();
    for child in all.peerings {
        match vnet_index.get(&child.parent) {
            Some(v) => {
                let mut item = child.item;
                item.vnet = VnetIdx(v);
                peerings_in.push((child.key, item));
            }
            None => ctx.diagnostics.push(
                Diagnostic::warning(
                    "MissingParent",
                    format!("peering `{}` skipped: its virtual network is not in the snapshot", child.item.name),
                )
                .in_file(ctx.file(&child.item.origin))
                .at(child.item.origin.json_path.clone())
                .resource(child.item.id.as_str()),
            ),
        }
    }
    let mut peerings: Vec<Peering> = ctx.dedupe(peerings_in, "peering").into_iter().map(|(_, p)| p).collect();

    // Route tables, with standalone routes merged in.
    let tables = ctx.dedupe(keyed(all.route_tables), "route table");
    let table_index = KeyIndex::new(tables.iter().map(|(k, _)| k.as_str()));
    let mut route_tables: Vec<RouteTable> = tables.into_iter().map(|(_, t)| t).collect();
    for child in all.routes {
        match table_index.get(&child.parent) {
            Some(t) => {
                let table = &mut route_tables[t as usize];
                match table.routes.iter().position(|r| r.id.key() == child.key) {
                    Some(existing) if content(&table.routes[existing]) != content(&child.item) => ctx.diagnostics.push(
                        Diagnostic::error(
                            "ConflictingDuplicate",
                            format!("route `{}` appears twice with different content", child.item.name),
                        )
                        .in_file(ctx.file(&child.item.origin))
                        .at(child.item.origin.json_path.clone())
                        .resource(child.item.id.as_str()),
                    ),
                    Some(_) => {}
                    None => table.routes.push(child.item),
                }
            }
            None => ctx.diagnostics.push(
                Diagnostic::warning(
                    "MissingParent",
                    format!("route `{}` skipped: its route table is not in the snapshot", child.item.name),
                )
                .in_file(ctx.file(&child.item.origin))
                .at(child.item.origin.json_path.clone())
                .resource(child.item.id.as_str()),
            ),
        }
    }

    let nsgs = ctx.dedupe(keyed(all.nsgs), "network security group");
    let nsg_index = KeyIndex::new(nsgs.iter().map(|(k, _)| k.as_str()));
    let mut nsgs: Vec<Nsg> = nsgs.into_iter().map(|(_, n)| n).collect();
    for child in all.rules {
        match nsg_index.get(&child.parent) {
            Some(n) => {
                let nsg = &mut nsgs[n as usize];
                if !nsg.rules.iter().any(|r| r.id.key() == child.key) {
                    nsg.rules.push(child.item);
                }
            }
            None => ctx.diagnostics.push(
                Diagnostic::warning(
                    "MissingParent",
                    format!("security rule `{}` skipped: its NSG is not in the snapshot", child.item.name),
                )
                .in_file(ctx.file(&child.item.origin))
                .at(child.item.origin.json_path.clone())
                .resource(child.item.id.as_str()),
            ),
        }
    }

    // The two largest kinds, side by side (each on its own diagnostics; all are sorted later).
    let files_ref = ctx.files;
    let (nics_in, vms_in) = (std::mem::take(&mut all.nics), std::mem::take(&mut all.vms));
    let ((mut nics, nic_diagnostics), (vms, vm_diagnostics)) = rayon::join(
        || {
            let mut c = Ctx { files: files_ref, diagnostics: Vec::new() };
            let v: Vec<Nic> = c.dedupe_by_id(nics_in, "network interface");
            (v, c.diagnostics)
        },
        || {
            let mut c = Ctx { files: files_ref, diagnostics: Vec::new() };
            let v: Vec<Vm> = c.dedupe_by_id(vms_in, "virtual machine");
            (v, c.diagnostics)
        },
    );
    ctx.diagnostics.extend(nic_diagnostics);
    ctx.diagnostics.extend(vm_diagnostics);
    let gateways: Vec<VnetGateway> = ctx.dedupe_by_id(all.gateways, "virtual network gateway");
    let local_gateways: Vec<LocalNetworkGateway> = ctx.dedupe_by_id(all.local_gateways, "local network gateway");
    let connections: Vec<Connection> = ctx.dedupe_by_id(all.connections, "connection");
    let private_endpoints: Vec<PrivateEndpoint> = ctx.dedupe_by_id(all.private_endpoints, "private endpoint");
    let load_balancers: Vec<LoadBalancer> = ctx.dedupe_by_id(all.load_balancers, "load balancer");
    let public_ips: Vec<PublicIp> = ctx.dedupe_by_id(all.public_ips, "public IP address");

    apply_associations(&mut ctx, all.associations, &subnet_keys, &mut subnets, &mut nics);

    for (i, subnet) in subnets.iter().enumerate() {
        vnets[subnet.vnet.index()].subnets.push(SubnetIdx(i as u32));
    }
    for (i, peering) in peerings.iter().enumerate() {
        vnets[peering.vnet.index()].peerings.push(PeeringIdx(i as u32));
    }

    let mut snapshot = Snapshot::default();
    snapshot.files = files.clone();
    snapshot.vnets = vnets;
    snapshot.subnets = std::mem::take(&mut subnets);
    snapshot.peerings = std::mem::take(&mut peerings);
    snapshot.route_tables = route_tables;
    snapshot.nics = nics;
    snapshot.vms = vms;
    snapshot.gateways = gateways;
    snapshot.local_gateways = local_gateways;
    snapshot.connections = connections;
    snapshot.nsgs = nsgs;
    snapshot.private_endpoints = private_endpoints;
    snapshot.load_balancers = load_balancers;
    snapshot.public_ips = public_ips;
    snapshot.rebuild_index();

    // Each kind's references point at other kinds only, so each vector in turn is taken out,
    // resolved against the snapshot holding all the others (lookups confirm a hit against the
    // target's own id), and put back.
    let mut dangling = Dangling::default();
    let d = &mut dangling;
    let mut subnets = std::mem::take(&mut snapshot.subnets);
    for s in &mut subnets {
        let who = s.id.as_str();
        resolve_opt(&snapshot, d, &mut s.route_table, ResourceKind::RouteTable, who, RouteTableIdx);
        resolve_opt(&snapshot, d, &mut s.nsg, ResourceKind::NetworkSecurityGroup, who, NsgIdx);
    }
    snapshot.subnets = subnets;
    let mut peerings = std::mem::take(&mut snapshot.peerings);
    for p in &mut peerings {
        let who = p.id.as_str();
        resolve(&snapshot, d, &mut p.remote_vnet, ResourceKind::VirtualNetwork, who, VnetIdx);
    }
    snapshot.peerings = peerings;
    let mut nics = std::mem::take(&mut snapshot.nics);
    resolve_all(&snapshot, d, &mut nics, |snap, d, n: &mut Nic| {
        let who = n.id.as_str();
        resolve_opt(snap, d, &mut n.nsg, ResourceKind::NetworkSecurityGroup, who, NsgIdx);
        resolve_opt(snap, d, &mut n.vm, ResourceKind::VirtualMachine, who, VmIdx);
        for c in &mut n.ip_configs {
            resolve_opt(snap, d, &mut c.subnet, ResourceKind::Subnet, who, SubnetIdx);
            resolve_opt(snap, d, &mut c.public_ip, ResourceKind::PublicIpAddress, who, PublicIpIdx);
        }
    });
    snapshot.nics = nics;
    let mut vms = std::mem::take(&mut snapshot.vms);
    resolve_all(&snapshot, d, &mut vms, |snap, d, v: &mut Vm| {
        let who = v.id.as_str();
        for l in &mut v.nics {
            resolve(snap, d, l, ResourceKind::NetworkInterface, who, NicIdx);
        }
    });
    snapshot.vms = vms;
    let mut gateways = std::mem::take(&mut snapshot.gateways);
    for g in &mut gateways {
        let who = g.id.as_str();
        resolve_opt(&snapshot, d, &mut g.vnet, ResourceKind::VirtualNetwork, who, VnetIdx);
    }
    snapshot.gateways = gateways;
    let mut connections = std::mem::take(&mut snapshot.connections);
    for c in &mut connections {
        let who = c.id.as_str();
        resolve_opt(&snapshot, d, &mut c.gateway1, ResourceKind::VirtualNetworkGateway, who, GatewayIdx);
        resolve_opt(&snapshot, d, &mut c.gateway2, ResourceKind::VirtualNetworkGateway, who, GatewayIdx);
        resolve_opt(&snapshot, d, &mut c.local_gateway2, ResourceKind::LocalNetworkGateway, who, LocalGatewayIdx);
    }
    snapshot.connections = connections;
    let mut pes = std::mem::take(&mut snapshot.private_endpoints);
    for p in &mut pes {
        let who = p.id.as_str();
        resolve_opt(&snapshot, d, &mut p.subnet, ResourceKind::Subnet, who, SubnetIdx);
        resolve_opt(&snapshot, d, &mut p.nic, ResourceKind::NetworkInterface, who, NicIdx);
    }
    snapshot.private_endpoints = pes;
    let mut lbs = std::mem::take(&mut snapshot.load_balancers);
    for lb in &mut lbs {
        let who = lb.id.as_str();
        for f in &mut lb.frontends {
            resolve_opt(&snapshot, d, &mut f.subnet, ResourceKind::Subnet, who, SubnetIdx);
        }
        for l in &mut lb.backend_nics {
            resolve(&snapshot, d, l, ResourceKind::NetworkInterface, who, NicIdx);
        }
    }
    snapshot.load_balancers = lbs;

    pair_terraform_peerings(&mut snapshot, &mut ctx, &all.unpaired_peerings);

    // The NIC of a VM that names it is that VM's, even when the NIC itself does not say so.
    for (vi, vm) in snapshot.vms.iter().enumerate() {
        for l in &vm.nics {
            if let Some(n) = l.resolved() {
                let nic = &mut snapshot.nics[n.index()];
                if nic.vm.is_none() {
                    nic.vm = Some(Link::Resolved(VmIdx(vi as u32)));
                }
            }
        }
    }

    for (key, (kind, id, count, referrer)) in dangling.targets {
        let _ = key;
        ctx.diagnostics.push(
            Diagnostic::warning(
                "DanglingReference",
                format!(
                    "{} `{}` is referenced {} but is not in the snapshot",
                    kind.noun(),
                    id,
                    if count == 1 { "once".to_string() } else { format!("{count} times") }
                ),
            )
            .resource(referrer)
            .hint(format!("export the {} too; answers that need it will stop with an error naming it", kind.noun())),
        );
    }

    // Subnet back-references to NICs the export lacks: a sign the export is incomplete.
    let subnet_lookup: HashMap<&str, usize> = subnet_keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut missing_by_subnet: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (subnet_key, nic_keys) in &all.subnet_nic_refs {
        let Some(&si) = subnet_lookup.get(subnet_key.as_str()) else {
            continue;
        };
        for nic in nic_keys {
            if snapshot.resolve_id(ResourceKind::NetworkInterface, nic).is_none() {
                let list = missing_by_subnet.entry(si).or_default();
                if !list.contains(nic) {
                    list.push(nic.clone());
                }
            }
        }
    }
    for (si, missing) in missing_by_subnet {
        let subnet = &snapshot.subnets[si];
        ctx.diagnostics.push(
            Diagnostic::warning(
                "IncompleteExport",
                format!(
                    "subnet `{}` lists IP configurations of {} network interface(s) that are not in the snapshot (first: {})",
                    snapshot.subnet_label(SubnetIdx(si as u32)),
                    missing.len(),
                    missing[0]
                ),
            )
            .resource(subnet.id.as_str())
            .hint("this only matters for questions about those NICs; export them with `az network nic list`"),
        );
    }

    // Learned routes belong to their gateway.
    for learned in all.learned {
        match snapshot.resolve_id(ResourceKind::VirtualNetworkGateway, &learned.gateway_id) {
            Some(g) => {
                let gw = &mut snapshot.gateways[g as usize];
                gw.learned_routes_supplied = true;
                for r in learned.routes {
                    if !gw.learned_routes.contains(&r) {
                        gw.learned_routes.push(r);
                    }
                }
            }
            None => ctx.diagnostics.push(
                Diagnostic::warning(
                    "DanglingReference",
                    format!(
                        "learned routes name gateway `{}`, which is not in the snapshot; ignored",
                        learned.gateway_id
                    ),
                )
                .in_file(ctx.file(&learned.origin))
                .at(learned.origin.json_path.clone())
                .hint("export the gateway with `az network vnet-gateway list -g RG`"),
            ),
        }
    }

    // One Service Tags file; the newest wins.
    let mut tags = all.service_tags;
    tags.sort_by_key(|(t, _)| std::cmp::Reverse(t.change_number));
    if tags.len() > 1 {
        ctx.diagnostics.push(
            Diagnostic::warning(
                "SeveralServiceTagFiles",
                format!(
                    "{} Service Tags files found; using the one with the highest changeNumber ({})",
                    tags.len(),
                    tags[0].0.change_number
                ),
            )
            .in_file(ctx.file(&tags[0].1)),
        );
    }
    snapshot.service_tags = tags.into_iter().next().map(|(t, _)| t);

    validate(&snapshot, &mut ctx);
    let mut diagnostics = ctx.diagnostics;
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    (snapshot, diagnostics)
}

/// Terraform association resources whose subnet or NIC was read from another file (a separate
/// state, or an export of resources Terraform does not manage).
fn apply_associations(
    ctx: &mut Ctx,
    associations: Vec<crate::lower::PendingAssociation>,
    subnet_keys: &[String],
    subnets: &mut [Subnet],
    nics: &mut [Nic],
) {
    if associations.is_empty() {
        return;
    }
    let subnet_index = KeyIndex::new(subnet_keys.iter().map(|k| k.as_str()));
    let nic_keys: Vec<String> = nics.iter().map(|n| n.id.key()).collect();
    let nic_index = KeyIndex::new(nic_keys.iter().map(|k| k.as_str()));
    // Removals (a plan deleting an association) first, so that a new association of the same
    // subnet or NIC in the same plan wins.
    let mut associations = associations;
    associations.sort_by_key(|a| a.value.is_some());
    for a in associations {
        let applied = match a.kind {
            AssociationKind::SubnetRouteTable => subnet_index
                .get(&a.target)
                .map(|s| subnets[s as usize].route_table = a.value.clone().map(Link::Missing)),
            AssociationKind::SubnetNsg => {
                subnet_index.get(&a.target).map(|s| subnets[s as usize].nsg = a.value.clone().map(Link::Missing))
            }
            AssociationKind::NicNsg => {
                nic_index.get(&a.target).map(|n| nics[n as usize].nsg = a.value.clone().map(Link::Missing))
            }
        };
        if applied.is_none() {
            let what = match a.kind {
                AssociationKind::NicNsg => "network interface",
                _ => "subnet",
            };
            ctx.diagnostics.push(
                Diagnostic::warning(
                    "DanglingReference",
                    format!(
                        "`{}` associates `{}` with {what} `{}`, which is not in the snapshot; ignored",
                        a.address,
                        a.value.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "nothing".into()),
                        a.target
                    ),
                )
                .in_file(ctx.file(&a.origin))
                .at(a.origin.json_path.clone())
                .hint(format!("add the state or export that holds the {what}")),
            );
        }
    }
}

/// Terraform records no peering state. A Terraform peering whose reverse peering was not in
/// the same Terraform input was lowered as `Initiated`; it is `Connected` when the reverse
/// peering is anywhere in the snapshot (another state, or an Azure export) and not
/// `Disconnected`.
fn pair_terraform_peerings(snapshot: &mut Snapshot, ctx: &mut Ctx, unpaired: &[crate::lower::UnpairedPeering]) {
    let mut connect = Vec::new();
    for u in unpaired {
        let Some(p) = snapshot.resolve_id(ResourceKind::Peering, &u.key) else {
            continue;
        };
        let peering = &snapshot.peerings[p as usize];
        let reverse = peering.remote_vnet.resolved().and_then(|r| {
            snapshot.vnets[r.index()].peerings.iter().copied().find(|q| {
                let q = &snapshot.peerings[q.index()];
                q.remote_vnet.resolved() == Some(peering.vnet) && q.state != PeeringState::Disconnected
            })
        });
        match reverse {
            Some(_) => connect.push(p as usize),
            None => ctx.diagnostics.push(
                Diagnostic::warning(
                    "TerraformPeeringUnpaired",
                    format!(
                        "`{}`: Terraform records no peering state and the reverse peering (from `{}`) is not in the snapshot; assumed Initiated, so it gives no routes",
                        u.address,
                        peering.remote_vnet.missing().map(|id| id.to_string()).unwrap_or_else(|| {
                            peering.remote_vnet.resolved().map(|r| snapshot.vnets[r.index()].name.clone()).unwrap_or_default()
                        })
                    ),
                )
                .in_file(ctx.file(&u.origin))
                .at(u.origin.json_path.clone())
                .resource(peering.id.as_str())
                .hint("add the state or export that holds the remote side's peering; Azure connects a peering only when both sides exist"),
            ),
        }
    }
    for p in connect {
        snapshot.peerings[p].state = PeeringState::Connected;
    }
}

/// Checks of values that each look fine alone but that Azure refuses together.
fn validate(snapshot: &Snapshot, ctx: &mut Ctx) {
    for table in &snapshot.route_tables {
        let mut seen: HashMap<String, &Route> = HashMap::new();
        for route in &table.routes {
            let key = route.prefix.text().to_ascii_lowercase();
            if let Some(first) = seen.get(&key) {
                ctx.diagnostics.push(
                    Diagnostic::warning(
                        "DuplicatePrefixInRouteTable",
                        format!(
                            "route table `{}` has two routes for {} (`{}` and `{}`); Azure refuses this, azroute uses `{}` and lists `{}` as Invalid",
                            table.name,
                            route.prefix.text(),
                            first.name,
                            route.name,
                            first.name,
                            route.name
                        ),
                    )
                    .in_file(ctx.file(&route.origin))
                    .at(route.origin.json_path.clone())
                    .resource(table.id.as_str())
                    .hint("a prefix may appear only once per route table; delete or change one of the routes"),
                );
            } else {
                seen.insert(key, route);
            }
        }
    }

    // Two NICs with the same private IP in one VNet: Azure allocates addresses uniquely.
    let mut owners: HashMap<(VnetIdx, IpAddr), &Nic> = HashMap::new();
    for nic in &snapshot.nics {
        for cfg in &nic.ip_configs {
            let (Some(ip), Some(subnet)) = (cfg.private_ip, cfg.subnet.as_ref().and_then(|l| l.resolved())) else {
                continue;
            };
            let vnet = snapshot.subnets[subnet.index()].vnet;
            if let Some(other) = owners.get(&(vnet, ip)) {
                if other.id != nic.id {
                    ctx.diagnostics.push(
                        Diagnostic::warning(
                            "DuplicatePrivateIp",
                            format!("{ip} is claimed by two network interfaces in `{}`: `{}` and `{}`", snapshot.vnets[vnet.index()].name, other.name, nic.name),
                        )
                        .in_file(ctx.file(&nic.origin))
                        .at(nic.origin.json_path.clone())
                        .resource(nic.id.as_str())
                        .hint("Azure assigns each private IP once per VNet; traces to this address are ambiguous and stop with an error"),
                    );
                }
            } else {
                owners.insert((vnet, ip), nic);
            }
            if !snapshot.subnets[subnet.index()].contains(ip) && !snapshot.subnets[subnet.index()].prefixes.is_empty() {
                ctx.diagnostics.push(
                    Diagnostic::warning(
                        "IpOutsideSubnet",
                        format!("{ip} of `{}` is outside its subnet `{}`", nic.name, snapshot.subnet_label(subnet)),
                    )
                    .in_file(ctx.file(&nic.origin))
                    .at(nic.origin.json_path.clone())
                    .resource(nic.id.as_str()),
                );
            }
        }
    }

    for subnet in &snapshot.subnets {
        let vnet = &snapshot.vnets[subnet.vnet.index()];
        for p in &subnet.prefixes {
            if !vnet.address_space.iter().any(|space| contains_prefix(space, p)) {
                ctx.diagnostics.push(
                    Diagnostic::warning(
                        "SubnetOutsideAddressSpace",
                        format!("subnet `{}` prefix {p} is outside the address space of `{}`", subnet.name, vnet.name),
                    )
                    .in_file(ctx.file(&subnet.origin))
                    .at(subnet.origin.json_path.clone())
                    .resource(subnet.id.as_str()),
                );
            }
        }
    }

    let _ = Severity::Info;
}

#[cfg(test)]
mod tests {
    use crate::{Severity, load_texts};

    const SUB: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers";

    fn nic(id: &str, ip_forwarding: bool) -> String {
        format!(
            r#"{{"id": "{SUB}/Microsoft.Network/networkInterfaces/{id}", "name": "{id}", "type": "Microsoft.Network/networkInterfaces", "properties": {{"enableIPForwarding": {ip_forwarding}, "ipConfigurations": []}}}}"#
        )
    }

    // `dedupe_by_id` (NICs, VMs and the smaller kinds): sorted by normalised id, the first copy
    // in input order kept, identical copies dropped silently, a conflicting copy reported once.
    #[test]
    fn duplicate_nics_keep_the_first_copy_and_report_conflicts() {
        let a = format!("[{}, {}, {}]", nic("nic-c", false), nic("NIC-B", false), nic("nic-a", true));
        let b = format!("[{}, {}, {}]", nic("nic-b", false), nic("Nic-A", false), nic("nic-d", false));
        let loaded = load_texts(&[("a.json".to_string(), a), ("b.json".to_string(), b)]);
        let names: Vec<&str> = loaded.snapshot.nics.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["nic-a", "NIC-B", "nic-c", "nic-d"], "sorted by id, first copy kept");
        assert!(loaded.snapshot.nics[0].ip_forwarding, "the copy from a.json wins");
        let conflicts: Vec<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.code == "ConflictingDuplicate" && d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert_eq!(conflicts.len(), 1, "only nic-a differs between its copies: {conflicts:?}");
        assert!(conflicts[0].contains("a.json") && conflicts[0].contains("b.json"), "{}", conflicts[0]);
    }
}
