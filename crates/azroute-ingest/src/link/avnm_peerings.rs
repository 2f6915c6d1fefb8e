//! The hub–spoke peerings an Azure Virtual Network Manager hub-and-spoke configuration creates
//! on deployment (§18.2, AV-C2), for the pairs the export lacks: a Terraform plan or state holds
//! the configuration but never the `ANM_…` peerings, and an export taken before deployment
//! neither. Exported peerings are kept as they are; one pair is added per spoke that has no
//! peering with its hub on a side (named `ANM_{configuration}_{local}_{remote}`, origin the
//! configuration's), with `useHubGateway` as gateway transit and `allowForwardedTraffic` on;
//! the engine reads that setting of these peerings from option `avnm_peering_forwarded_traffic`
//! (§18.7, C32).

use azroute_model::*;

/// Adds the peerings AVNM creates that the snapshot lacks (references already resolved).
pub(super) fn add_hub_peerings(snapshot: &mut Snapshot) {
    let created = hub_peerings(snapshot);
    super::add_peerings(snapshot, created, false);
}

fn hub_peerings(snap: &Snapshot) -> Vec<Peering> {
    let avnm = &snap.avnm;
    let find = |id: &ArmId| snap.resolve_id(ResourceKind::VirtualNetwork, id.as_str()).map(|v| v as usize);
    let mut existing: Vec<(usize, usize)> =
        snap.peerings.iter().filter_map(|p| Some((p.vnet.index(), p.remote_vnet.resolved()?.index()))).collect();
    let vnets = &snap.vnets;
    let mut out = Vec::new();
    for config in avnm.connectivity_configurations.iter().filter(|c| c.topology == ConnectivityTopology::HubAndSpoke) {
        let Some(hub) = config.hubs.first().and_then(find) else { continue };
        for item in &config.applies_to {
            let mut spokes: Vec<usize> = avnm
                .candidate_vnets(&item.network_group)
                .filter_map(find)
                .filter(|&v| v != hub && avnm.joins(config, &item.network_group, &vnets[v].id, &vnets[v].location))
                .collect();
            spokes.sort_unstable();
            spokes.dedup();
            for spoke in spokes {
                for (local, remote) in [(spoke, hub), (hub, spoke)] {
                    if existing.contains(&(local, remote)) {
                        continue;
                    }
                    existing.push((local, remote));
                    out.push(peering(vnets, config, item.use_hub_gateway, (local, remote), local == hub));
                }
            }
        }
    }
    out
}

fn peering(
    vnets: &[Vnet],
    config: &ConnectivityConfiguration,
    use_hub_gateway: bool,
    (local, remote): (usize, usize),
    at_hub: bool,
) -> Peering {
    let (l, r) = (&vnets[local], &vnets[remote]);
    let name = format!("ANM_{}_{}_{}", config.name, l.name, r.name);
    Peering {
        id: ArmId::new(format!("{}/virtualNetworkPeerings/{name}", l.id.as_str())),
        name,
        vnet: VnetIdx(local as u32),
        remote_vnet: Link::Resolved(VnetIdx(remote as u32)),
        state: PeeringState::Connected,
        allow_virtual_network_access: true,
        allow_forwarded_traffic: true,
        allow_gateway_transit: at_hub && use_hub_gateway,
        use_remote_gateways: !at_hub && use_hub_gateway,
        remote_address_space: r.address_space.clone(),
        remote_virtual_network_address_space: r.address_space.clone(),
        peer_complete_vnets: true,
        local_subnet_names: Vec::new(),
        remote_subnet_names: Vec::new(),
        origin: config.origin.clone(),
    }
}
