//! What only Terraform input needs at link time: association resources applied to subnets and
//! NICs read elsewhere, and the state of peerings whose reverse peering is in another file.

use azroute_model::*;

use super::{Ctx, KeyIndex};
use crate::diag::Diagnostic;
use crate::pending::{AssociationKind, PendingAssociation, UnpairedPeering};

/// Terraform association resources whose subnet or NIC was read from another file (a separate
/// state, or an export of resources Terraform does not manage).
pub(super) fn apply_associations(
    ctx: &mut Ctx,
    associations: Vec<PendingAssociation>,
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
            AssociationKind::SubnetNatGateway => subnet_index
                .get(&a.target)
                .map(|s| subnets[s as usize].nat_gateway = a.value.clone().map(Link::Missing)),
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
pub(super) fn pair_terraform_peerings(snapshot: &mut Snapshot, ctx: &mut Ctx, unpaired: &[UnpairedPeering]) {
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
