//! Linking: merges what every file held into one snapshot, drops exact duplicates, refuses
//! conflicting ones, resolves references to typed indices and checks what Azure would refuse.
//! [`link`] is the list of steps; resolving references (`resolve.rs`), what only Terraform input
//! needs (`terraform_links.rs`) and the checks across resources (`validate.rs`) are beside it.

mod avnm_peerings;
mod hubs;
mod resolve;
mod terraform_links;
mod validate;
mod vwan_peerings;

use std::collections::{BTreeMap, HashMap, HashSet};

use azroute_model::*;
use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::pending::{Child, Pending, PendingLearned};
use resolve::{Dangling, KeyIndex, keyed, resolve_references};
use terraform_links::{apply_associations, pair_terraform_peerings};
use validate::validate;

/// Builds the snapshot from everything read.
pub(crate) fn link(mut all: Pending, files: Vec<SourceFile>) -> (Snapshot, Vec<Diagnostic>) {
    let mut ctx = Ctx { files: &files, diagnostics: std::mem::take(&mut all.diagnostics) };
    let mut merged = ctx.merge_resources(&mut all);
    apply_associations(
        &mut ctx,
        std::mem::take(&mut all.associations),
        &merged.subnet_keys,
        &mut merged.subnets,
        &mut merged.nics,
    );
    hubs::apply_hub_subnets(&mut merged.virtual_hubs, std::mem::take(&mut all.hub_subnets));
    let subnet_keys = std::mem::take(&mut merged.subnet_keys);
    let mut snapshot = merged.into_snapshot(files.clone());
    let dangling = resolve_references(&mut snapshot);
    pair_terraform_peerings(&mut snapshot, &mut ctx, &all.unpaired_peerings);
    avnm_peerings::add_hub_peerings(&mut snapshot);
    vwan_peerings::add_hub_connection_peerings(&mut snapshot);
    adopt_nics_of_vms(&mut snapshot);
    ctx.report_dangling(dangling);
    ctx.report_incomplete_exports(&snapshot, &subnet_keys, &all.subnet_nic_refs);
    ctx.attach_learned_routes(&mut snapshot, std::mem::take(&mut all.learned));
    hubs::attach_hub_learned_routes(&mut ctx, &mut snapshot, std::mem::take(&mut all.hub_learned));
    ctx.choose_service_tags(&mut snapshot, std::mem::take(&mut all.service_tags));
    validate(&snapshot, &mut ctx);
    let mut diagnostics = ctx.diagnostics;
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    (snapshot, diagnostics)
}

/// Adds peerings the platform creates to a linked snapshot, each listed on its VNet (first, or
/// after the others), and rebuilds the id index.
fn add_peerings(snapshot: &mut Snapshot, created: Vec<Peering>, first: bool) {
    if created.is_empty() {
        return;
    }
    for peering in created {
        let i = PeeringIdx(snapshot.peerings.len() as u32);
        let listed = &mut snapshot.vnets[peering.vnet.index()].peerings;
        if first {
            listed.insert(0, i)
        } else {
            listed.push(i)
        }
        snapshot.peerings.push(peering);
    }
    snapshot.rebuild_index();
}

/// Every kind deduplicated, children under their parents, references not yet resolved.
struct Merged {
    vnets: Vec<Vnet>,
    subnets: Vec<Subnet>,
    /// Normalised ids of `subnets`, in the same order.
    subnet_keys: Vec<String>,
    peerings: Vec<Peering>,
    route_tables: Vec<RouteTable>,
    nsgs: Vec<Nsg>,
    nics: Vec<Nic>,
    vms: Vec<Vm>,
    gateways: Vec<VnetGateway>,
    local_gateways: Vec<LocalNetworkGateway>,
    connections: Vec<Connection>,
    private_endpoints: Vec<PrivateEndpoint>,
    load_balancers: Vec<LoadBalancer>,
    public_ips: Vec<PublicIp>,
    firewalls: Vec<Firewall>,
    firewall_policies: Vec<FirewallPolicy>,
    ip_groups: Vec<IpGroup>,
    virtual_hubs: Vec<VirtualHub>,
    vwan: Vwan,
    avnm: Avnm,
    platform: PlatformKinds,
}

/// The egress and platform-service kinds (§17.1), moved into the snapshot as they are.
struct PlatformKinds {
    nat_gateways: Vec<NatGateway>,
    public_ip_prefixes: Vec<PublicIpPrefix>,
    application_gateways: Vec<ApplicationGateway>,
    bastion_hosts: Vec<BastionHost>,
    dns_inbound_endpoints: Vec<DnsResolverInboundEndpoint>,
    scale_sets: Vec<ScaleSet>,
}

impl Merged {
    /// The snapshot, with each VNet listing its subnets and peerings, and its id index built.
    fn into_snapshot(self, files: Vec<SourceFile>) -> Snapshot {
        let Merged {
            mut vnets,
            subnets,
            subnet_keys: _,
            peerings,
            route_tables,
            nsgs,
            nics,
            vms,
            gateways,
            local_gateways,
            connections,
            private_endpoints,
            load_balancers,
            public_ips,
            firewalls,
            firewall_policies,
            ip_groups,
            platform,
            avnm,
            virtual_hubs,
            vwan,
        } = self;
        for (i, subnet) in subnets.iter().enumerate() {
            vnets[subnet.vnet.index()].subnets.push(SubnetIdx(i as u32));
        }
        for (i, peering) in peerings.iter().enumerate() {
            vnets[peering.vnet.index()].peerings.push(PeeringIdx(i as u32));
        }
        let mut snapshot = Snapshot::default();
        snapshot.files = files;
        snapshot.vnets = vnets;
        snapshot.subnets = subnets;
        snapshot.peerings = peerings;
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
        snapshot.firewalls = firewalls;
        snapshot.firewall_policies = firewall_policies;
        snapshot.ip_groups = ip_groups;
        snapshot.nat_gateways = platform.nat_gateways;
        snapshot.public_ip_prefixes = platform.public_ip_prefixes;
        snapshot.application_gateways = platform.application_gateways;
        snapshot.bastion_hosts = platform.bastion_hosts;
        snapshot.dns_inbound_endpoints = platform.dns_inbound_endpoints;
        snapshot.scale_sets = platform.scale_sets;
        snapshot.avnm = avnm;
        snapshot.virtual_hubs = virtual_hubs;
        snapshot.vwan = vwan;
        snapshot.rebuild_index();
        snapshot
    }
}

/// The NIC of a VM that names it is that VM's, even when the NIC itself does not say so.
fn adopt_nics_of_vms(snapshot: &mut Snapshot) {
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
}

struct Ctx<'a> {
    files: &'a [SourceFile],
    diagnostics: Vec<Diagnostic>,
}

impl Ctx<'_> {
    pub(super) fn file(&self, origin: &Origin) -> String {
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
        if kept.same_content(later) {
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

    /// Each kind sorted and deduplicated; subnets and peerings attached to their VNets, routes
    /// and rules read apart from their table or NSG nested in it.
    fn merge_resources(&mut self, all: &mut Pending) -> Merged {
        let vnets = self.dedupe(keyed(std::mem::take(&mut all.vnets)), "virtual network");
        let vnet_index = KeyIndex::new(vnets.iter().map(|(k, _)| k.as_str()));
        let vnets: Vec<Vnet> = vnets.into_iter().map(|(_, v)| v).collect();
        let subnets = self.attach_to_vnets(std::mem::take(&mut all.subnets), &vnet_index, "subnet", |s, v| s.vnet = v);
        let subnets = self.dedupe(subnets, "subnet");
        let subnet_keys: Vec<String> = subnets.iter().map(|(k, _)| k.clone()).collect();
        let subnets: Vec<Subnet> = subnets.into_iter().map(|(_, s)| s).collect();
        let peerings =
            self.attach_to_vnets(std::mem::take(&mut all.peerings), &vnet_index, "peering", |p, v| p.vnet = v);
        let peerings: Vec<Peering> = self.dedupe(peerings, "peering").into_iter().map(|(_, p)| p).collect();
        let route_tables = self.with_children(
            std::mem::take(&mut all.route_tables),
            std::mem::take(&mut all.routes),
            ["route table", "route"],
            |t: &mut RouteTable| &mut t.routes,
        );
        let nsgs = self.with_children(
            std::mem::take(&mut all.nsgs),
            std::mem::take(&mut all.rules),
            ["network security group", "security rule"],
            |n: &mut Nsg| &mut n.rules,
        );
        let mut firewall_policies = self.with_children(
            std::mem::take(&mut all.firewall_policies),
            std::mem::take(&mut all.rule_collection_groups),
            ["firewall policy", "rule collection group"],
            |p: &mut FirewallPolicy| &mut p.rule_collection_groups,
        );
        for policy in &mut firewall_policies {
            // Ordered by id, so a group read inline or apart gives the same answers.
            policy.rule_collection_groups.sort_by_key(|g| normalize_id(g.id.as_str()));
        }
        let (nics, vms) = self.nics_and_vms(std::mem::take(&mut all.nics), std::mem::take(&mut all.vms));
        Merged {
            vnets,
            subnets,
            subnet_keys,
            peerings,
            route_tables,
            nsgs,
            nics,
            vms,
            gateways: self.dedupe_by_id(std::mem::take(&mut all.gateways), "virtual network gateway"),
            local_gateways: self.dedupe_by_id(std::mem::take(&mut all.local_gateways), "local network gateway"),
            connections: self.dedupe_by_id(std::mem::take(&mut all.connections), "connection"),
            private_endpoints: self.dedupe_by_id(std::mem::take(&mut all.private_endpoints), "private endpoint"),
            load_balancers: self.dedupe_by_id(std::mem::take(&mut all.load_balancers), "load balancer"),
            public_ips: self.dedupe_by_id(std::mem::take(&mut all.public_ips), "public IP address"),
            firewalls: self.dedupe_by_id(std::mem::take(&mut all.firewalls), "Azure Firewall"),
            firewall_policies,
            ip_groups: self.dedupe_by_id(std::mem::take(&mut all.ip_groups), "IP group"),
            platform: PlatformKinds {
                nat_gateways: self.dedupe_by_id(std::mem::take(&mut all.nat_gateways), "NAT gateway"),
                public_ip_prefixes: self.dedupe_by_id(std::mem::take(&mut all.public_ip_prefixes), "public IP prefix"),
                application_gateways: self
                    .dedupe_by_id(std::mem::take(&mut all.application_gateways), "application gateway"),
                bastion_hosts: self.dedupe_by_id(std::mem::take(&mut all.bastion_hosts), "Bastion host"),
                dns_inbound_endpoints: self
                    .dedupe_by_id(std::mem::take(&mut all.dns_inbound_endpoints), "DNS resolver inbound endpoint"),
                scale_sets: self.dedupe_by_id(std::mem::take(&mut all.scale_sets), "virtual machine scale set"),
            },
            virtual_hubs: self.virtual_hubs(all),
            vwan: self.vwan(all),
            avnm: self.avnm(all),
        }
    }

    /// The AVNM kinds, each deduplicated and sorted by id (§18.1).
    fn avnm(&mut self, all: &mut Pending) -> Avnm {
        // Copies from effective answers and active lists stand in for configurations and rules
        // the snapshot does not export itself (§18.6); the export wins when both are there.
        adopt_missing(&mut all.connectivity_configurations, std::mem::take(&mut all.avnm_connectivity_copies));
        adopt_missing(&mut all.admin_rules, std::mem::take(&mut all.avnm_admin_rule_copies));
        Avnm {
            network_groups: self.dedupe_by_id(std::mem::take(&mut all.network_groups), "network group"),
            static_members: self.dedupe_by_id(std::mem::take(&mut all.static_members), "static member"),
            connectivity_configurations: self
                .dedupe_by_id(std::mem::take(&mut all.connectivity_configurations), "connectivity configuration"),
            security_admin_configurations: self
                .dedupe_by_id(std::mem::take(&mut all.security_admin_configurations), "security admin configuration"),
            admin_rule_collections: self
                .dedupe_by_id(std::mem::take(&mut all.admin_rule_collections), "admin rule collection"),
            admin_rules: self.dedupe_by_id(std::mem::take(&mut all.admin_rules), "security admin rule"),
            routing_configurations: self
                .dedupe_by_id(std::mem::take(&mut all.routing_configurations), "routing configuration"),
            routing_rule_collections: self
                .dedupe_by_id(std::mem::take(&mut all.routing_rule_collections), "routing rule collection"),
            routing_rules: self.dedupe_by_id(std::mem::take(&mut all.routing_rules), "routing rule"),
            deployments: self.dedupe_by_id(std::mem::take(&mut all.avnm_deployments), "AVNM deployment"),
            effective_connectivity: self.dedupe_by_id(
                std::mem::take(&mut all.effective_connectivity),
                "effective connectivity configurations answer",
            ),
            effective_admin_rules: self
                .dedupe_by_id(std::mem::take(&mut all.effective_admin_rules), "effective security admin rules answer"),
        }
    }

    /// Children need their parent: a subnet or peering whose VNet is not exported cannot be
    /// routed.
    fn attach_to_vnets<T: HasOrigin>(
        &mut self,
        children: Vec<Child<T>>,
        vnet_index: &KeyIndex,
        what: &str,
        set_vnet: fn(&mut T, VnetIdx),
    ) -> Vec<(String, T)> {
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            match vnet_index.get(&child.parent) {
                Some(v) => {
                    let mut item = child.item;
                    set_vnet(&mut item, VnetIdx(v));
                    out.push((child.key, item));
                }
                None => {
                    let hint = (what == "subnet").then_some("export the virtual network too (`az network vnet list`)");
                    self.missing_parent(&child.item, what, "virtual network", hint);
                }
            }
        }
        out
    }

    /// Parents (route tables, NSGs) deduplicated, with the children read apart from them
    /// nested in: a second copy of a child, inline or not, is dropped when identical and
    /// refused when it differs, as for every resource.
    fn with_children<P: HasOrigin + Send, C: HasOrigin>(
        &mut self,
        parents: Vec<P>,
        children: Vec<Child<C>>,
        [parent_what, child_what]: [&str; 2],
        nested: fn(&mut P) -> &mut Vec<C>,
    ) -> Vec<P> {
        let parents = self.dedupe(keyed(parents), parent_what);
        let index = KeyIndex::new(parents.iter().map(|(k, _)| k.as_str()));
        let mut parents: Vec<P> = parents.into_iter().map(|(_, p)| p).collect();
        for parent in &mut parents {
            self.dedupe_nested(nested(parent), child_what);
        }
        for child in children {
            let Some(p) = index.get(&child.parent) else {
                self.missing_parent(&child.item, child_what, parent_what, None);
                continue;
            };
            let list = nested(&mut parents[p as usize]);
            match list.iter().position(|c| normalize_id(c.id_str()) == child.key) {
                Some(existing) => {
                    let kept = list[existing].clone();
                    self.report_duplicate(&kept, &child.item, child_what);
                }
                None => list.push(child.item),
            }
        }
        parents
    }

    /// Children listed twice inside one parent: the first copy kept, a differing one refused.
    fn dedupe_nested<C: HasOrigin>(&mut self, items: &mut Vec<C>, what: &str) {
        if items.len() < 2 {
            return;
        }
        let mut seen: HashMap<String, usize> = HashMap::with_capacity(items.len());
        let mut duplicates = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(&first) = seen.get(&normalize_id(item.id_str())) {
                duplicates.push((first, i));
            } else {
                seen.insert(normalize_id(item.id_str()), i);
            }
        }
        for &(first, later) in &duplicates {
            self.report_duplicate(&items[first], &items[later], what);
        }
        let drop: HashSet<usize> = duplicates.into_iter().map(|(_, later)| later).collect();
        let mut i = 0;
        items.retain(|_| {
            i += 1;
            !drop.contains(&(i - 1))
        });
    }

    fn missing_parent<T: HasOrigin>(&mut self, item: &T, what: &str, parent_what: &str, hint: Option<&str>) {
        let name = ArmId::new(item.id_str()).last_segment().to_string();
        let parent_what = if parent_what == "network security group" { "NSG" } else { parent_what };
        let d = Diagnostic::warning(
            "MissingParent",
            format!("{what} `{name}` skipped: its {parent_what} is not in the snapshot"),
        )
        .in_file(self.file(item.origin_ref()))
        .at(item.origin_ref().json_path.clone())
        .resource(item.id_str())
        .maybe_hint(hint.map(str::to_string));
        self.diagnostics.push(d);
    }

    /// The two largest kinds, side by side (each on its own diagnostics; all are sorted later).
    fn nics_and_vms(&mut self, nics: Vec<Nic>, vms: Vec<Vm>) -> (Vec<Nic>, Vec<Vm>) {
        let files = self.files;
        let ((nics, nic_diagnostics), (vms, vm_diagnostics)) = rayon::join(
            || {
                let mut c = Ctx { files, diagnostics: Vec::new() };
                let v: Vec<Nic> = c.dedupe_by_id(nics, "network interface");
                (v, c.diagnostics)
            },
            || {
                let mut c = Ctx { files, diagnostics: Vec::new() };
                let v: Vec<Vm> = c.dedupe_by_id(vms, "virtual machine");
                (v, c.diagnostics)
            },
        );
        self.diagnostics.extend(nic_diagnostics);
        self.diagnostics.extend(vm_diagnostics);
        (nics, vms)
    }

    fn report_dangling(&mut self, dangling: Dangling) {
        for (kind, id, count, referrer) in dangling.targets.into_values() {
            if is_virtual_wan_hidden_vnet(&id) {
                continue;
            }
            self.diagnostics.push(
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
                .hint(format!(
                    "export the {} too; answers that need it will stop with an error naming it",
                    kind.noun()
                )),
            );
        }
    }

    /// Subnet back-references to NICs the export lacks: a sign the export is incomplete.
    fn report_incomplete_exports(
        &mut self,
        snapshot: &Snapshot,
        subnet_keys: &[String],
        subnet_nic_refs: &[(String, Vec<String>)],
    ) {
        let subnet_lookup: HashMap<&str, usize> =
            subnet_keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let mut missing_by_subnet: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (subnet_key, nic_keys) in subnet_nic_refs {
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
            self.diagnostics.push(
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
    }

    /// Learned routes belong to their gateway.
    fn attach_learned_routes(&mut self, snapshot: &mut Snapshot, learned: Vec<PendingLearned>) {
        for learned in learned {
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
                None => self.diagnostics.push(
                    Diagnostic::warning(
                        "DanglingReference",
                        format!(
                            "learned routes name gateway `{}`, which is not in the snapshot; ignored",
                            learned.gateway_id
                        ),
                    )
                    .in_file(self.file(&learned.origin))
                    .at(learned.origin.json_path.clone())
                    .hint("export the gateway with `az network vnet-gateway list -g RG`"),
                ),
            }
        }
    }

    /// One Service Tags file; the newest wins.
    fn choose_service_tags(&mut self, snapshot: &mut Snapshot, mut tags: Vec<(ServiceTags, Origin)>) {
        tags.sort_by_key(|(t, _)| std::cmp::Reverse(t.change_number));
        if tags.len() > 1 {
            self.diagnostics.push(
                Diagnostic::warning(
                    "SeveralServiceTagFiles",
                    format!(
                        "{} Service Tags files found; using the one with the highest changeNumber ({})",
                        tags.len(),
                        tags[0].0.change_number
                    ),
                )
                .in_file(self.file(&tags[0].1)),
            );
        }
        snapshot.service_tags = tags.into_iter().next().map(|(t, _)| t);
    }
}

/// Adds to `exported` the `copies` whose id it lacks, one copy per id (§18.6).
fn adopt_missing<T: HasOrigin>(exported: &mut Vec<T>, copies: Vec<T>) {
    let mut known: std::collections::HashSet<String> = exported.iter().map(|r| normalize_id(r.id_str())).collect();
    for copy in copies {
        if known.insert(normalize_id(copy.id_str())) {
            exported.push(copy);
        }
    }
}

/// A Virtual WAN hub's hidden VNet (`RG_<hub>_<guid>/…/virtualNetworks/HV_<hub>_<guid>`), the
/// remote side of every spoke's `RemoteVnetToHubPeering_*` (§20.1): Microsoft owns it and no
/// export can hold it, so a reference to it is not a missing resource; the hub routing reads the
/// hub itself instead.
fn is_virtual_wan_hidden_vnet(id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or("");
    name.starts_with("hv_") && lower.contains("/resourcegroups/rg_") && lower.contains("/virtualnetworks/hv_")
}

#[cfg(test)]
mod tests {
    use crate::{Severity, load_texts};

    const SUB: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers";

    fn nic(id: &str, ip_forwarding: bool) -> String {
        named_nic(id, id, ip_forwarding)
    }

    fn named_nic(id: &str, name: &str, ip_forwarding: bool) -> String {
        format!(
            r#"{{"id": "{SUB}/Microsoft.Network/networkInterfaces/{id}", "name": "{name}", "type": "Microsoft.Network/networkInterfaces", "properties": {{"enableIPForwarding": {ip_forwarding}, "ipConfigurations": []}}}}"#
        )
    }

    // `dedupe_by_id` (NICs, VMs and the smaller kinds): sorted by normalised id, the first copy
    // in input order kept, identical copies dropped silently (an id differing only in case is the
    // same resource), a conflicting copy reported once.
    #[test]
    fn duplicate_nics_keep_the_first_copy_and_report_conflicts() {
        let a = format!("[{}, {}, {}]", nic("nic-c", false), nic("NIC-B", false), nic("nic-a", true));
        let b = format!("[{}, {}, {}]", named_nic("nic-b", "NIC-B", false), nic("Nic-A", false), nic("nic-d", false));
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
        // A name is compared exactly: the same NIC named in another case is a conflict.
        let a = nic("nic-e", false);
        let b = named_nic("nic-e", "NIC-E", false);
        let loaded = load_texts(&[("a.json".to_string(), a), ("b.json".to_string(), b)]);
        assert!(loaded.diagnostics.iter().any(|d| d.code == "ConflictingDuplicate"), "{:?}", loaded.diagnostics);
        assert!(conflicts[0].contains("a.json") && conflicts[0].contains("b.json"), "{}", conflicts[0]);
    }
}
