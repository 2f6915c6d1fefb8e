//! Complete `az` commands for the fixes findings suggest: resource group and names taken from
//! the resources' ids, so each command can be pasted as it is (one phrasing for trace and
//! doctor alike).

use azroute_model::ArmId;

/// The resource group and the name of a resource from its id; `<resource-group>` when the id
/// has none (a hand-written or partial export).
fn group_and_name(id: &ArmId) -> (&str, &str) {
    let text = id.as_str();
    let segments: Vec<&str> = text.split('/').collect();
    let group = segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case("resourceGroups"))
        .and_then(|i| segments.get(i + 1))
        .copied()
        .unwrap_or("<resource-group>");
    (group, id.last_segment())
}

/// `az vm start -g RG -n NAME`.
pub fn vm_start(vm: &ArmId) -> String {
    let (group, name) = group_and_name(vm);
    format!("az vm start -g {group} -n {name}")
}

/// `az network nic update -g RG -n NAME --ip-forwarding true`.
pub fn nic_ip_forwarding(nic: &ArmId) -> String {
    let (group, name) = group_and_name(nic);
    format!("az network nic update -g {group} -n {name} --ip-forwarding true")
}

/// `az network vnet subnet update -g RG --vnet-name VNET -n SUBNET --route-table TABLE`.
pub fn subnet_route_table(subnet: &ArmId, table: &ArmId) -> String {
    let (group, name) = group_and_name(subnet);
    let segments: Vec<&str> = subnet.as_str().split('/').collect();
    let vnet = segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case("virtualNetworks"))
        .and_then(|i| segments.get(i + 1))
        .copied()
        .unwrap_or("<vnet>");
    // A table in another resource group is named by id.
    let (table_group, table_name) = group_and_name(table);
    let table_arg = if table_group.eq_ignore_ascii_case(group) { table_name } else { table.as_str() };
    format!("az network vnet subnet update -g {group} --vnet-name {vnet} -n {name} --route-table {table_arg}")
}

/// `az network vnet-gateway update -g RG -n NAME --gateway-default-site SITE`.
pub fn gateway_default_site(gateway: &ArmId) -> String {
    let (group, name) = group_and_name(gateway);
    format!("az network vnet-gateway update -g {group} -n {name} --gateway-default-site <local-network-gateway>")
}

/// Associating a table with a subnet the finding cannot name: the subnet's group, VNet and
/// name are left for the reader; the table is named by id, which works from any group.
pub fn associate_route_table(table: &ArmId) -> String {
    format!(
        "az network vnet subnet update -g <resource-group> --vnet-name <vnet> -n <subnet> --route-table {}",
        table.as_str()
    )
}

/// `az network routeserver update -g RG -n NAME --allow-b2b-traffic true` (§19.2 RS-7).
pub fn route_server_branch_to_branch(route_server: &ArmId) -> String {
    let (group, name) = group_and_name(route_server);
    format!("az network routeserver update -g {group} -n {name} --allow-b2b-traffic true")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBNET: &str =
        "/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-db/subnets/db";

    #[test]
    fn commands_name_group_and_resource() {
        let vm = ArmId::new("/subscriptions/s/resourceGroups/rg-a/providers/Microsoft.Compute/virtualMachines/vm-fw");
        assert_eq!(vm_start(&vm), "az vm start -g rg-a -n vm-fw");
        let nic =
            ArmId::new("/subscriptions/s/resourceGroups/RG-B/providers/Microsoft.Network/networkInterfaces/nic-fw");
        assert_eq!(nic_ip_forwarding(&nic), "az network nic update -g RG-B -n nic-fw --ip-forwarding true");
    }

    #[test]
    fn a_table_of_another_group_is_named_by_id() {
        let same = ArmId::new("/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/routeTables/rt");
        assert_eq!(
            subnet_route_table(&ArmId::new(SUBNET), &same),
            "az network vnet subnet update -g rg-net --vnet-name vnet-db -n db --route-table rt"
        );
        let other = ArmId::new("/subscriptions/s/resourceGroups/rg-x/providers/Microsoft.Network/routeTables/rt");
        assert!(
            subnet_route_table(&ArmId::new(SUBNET), &other).ends_with(&format!("--route-table {}", other.as_str()))
        );
    }

    #[test]
    fn an_id_without_group_says_so() {
        assert_eq!(vm_start(&ArmId::new("vm-1")), "az vm start -g <resource-group> -n vm-1");
    }
}
