//! Terraform of an egress estate (§17.1) gives the same answers as the same estate in ARM JSON:
//! a Standard public load balancer with an outbound rule (`azurerm_lb`,
//! `azurerm_lb_backend_address_pool`, `azurerm_lb_outbound_rule`,
//! `azurerm_network_interface_backend_address_pool_association`) is the `LoadBalancerOutbound`
//! egress of its backend NIC, with the frontend's public IP; an instance VM of an
//! `azurerm_orchestrated_virtual_machine_scale_set` (`virtual_machine_scale_set_id`) has no
//! default outbound access (§17.2). In azurerm 3.x and 4.x attribute names.

use azroute_engine::*;
use azroute_ingest::load_texts;
use azroute_model::*;
use serde_json::{Value, json};

const RG: &str = "/subscriptions/s/resourceGroups/rg/providers";

fn net(rest: &str) -> String {
    format!("{RG}/Microsoft.Network/{rest}")
}

fn compute(rest: &str) -> String {
    format!("{RG}/Microsoft.Compute/{rest}")
}

fn load(name: &str, text: String) -> Snapshot {
    let loaded = load_texts(&[(name.into(), text)]);
    let problems: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{problems:?}");
    loaded.snapshot
}

/// The estate as `az` lists it.
fn arm() -> Snapshot {
    let subnet = |name: &str, prefix: &str, dao: bool| json!({"id": net(&format!("virtualNetworks/vnet/subnets/{name}")), "name": name, "addressPrefix": prefix, "defaultOutboundAccess": dao});
    let nic = |name: &str, ip: &str, subnet: &str| {
        json!({"id": net(&format!("networkInterfaces/{name}")), "name": name, "type": "Microsoft.Network/networkInterfaces",
            "location": "westeurope", "ipConfigurations": [{"id": net(&format!("networkInterfaces/{name}/ipConfigurations/ip")),
            "name": "ip", "privateIPAddress": ip, "primary": true, "subnet": {"id": net(&format!("virtualNetworks/vnet/subnets/{subnet}"))}}]})
    };
    let lb = net("loadBalancers/lb-out");
    let resources = json!([
        {"id": net("virtualNetworks/vnet"), "name": "vnet", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
         "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
         "subnets": [subnet("snet-private", "10.0.1.0/24", false), subnet("snet-open", "10.0.3.0/24", true)]},
        nic("nic-lb", "10.0.1.6", "snet-private"),
        nic("nic-flex", "10.0.3.4", "snet-open"),
        {"id": net("publicIPAddresses/pip-lb"), "name": "pip-lb", "type": "Microsoft.Network/publicIPAddresses", "ipAddress": "20.0.0.7"},
        {"id": lb, "name": "lb-out", "type": "Microsoft.Network/loadBalancers", "sku": {"name": "Standard"},
         "frontendIPConfigurations": [{"id": format!("{lb}/frontendIPConfigurations/out"), "name": "out",
            "publicIPAddress": {"id": net("publicIPAddresses/pip-lb")}}],
         "backendAddressPools": [{"id": format!("{lb}/backendAddressPools/pool"), "name": "pool",
            "backendIPConfigurations": [{"id": net("networkInterfaces/nic-lb/ipConfigurations/ip")}]}],
         "outboundRules": [{"name": "egress", "frontendIPConfigurations": [{"id": format!("{lb}/frontendIPConfigurations/out")}],
            "backendAddressPool": {"id": format!("{lb}/backendAddressPools/pool")}}]},
        {"id": compute("virtualMachineScaleSets/flex"), "name": "flex", "type": "Microsoft.Compute/virtualMachineScaleSets",
         "orchestrationMode": "Flexible"},
        {"id": compute("virtualMachines/vm-flex"), "name": "vm-flex", "type": "Microsoft.Compute/virtualMachines",
         "location": "westeurope", "virtualMachineScaleSet": {"id": compute("virtualMachineScaleSets/flex")},
         "networkProfile": {"networkInterfaces": [{"id": net("networkInterfaces/nic-flex")}]}},
    ]);
    load("estate.json", resources.to_string())
}

fn resource(address: &str, values: Value) -> Value {
    let (rtype, name) = address.split_once('.').unwrap();
    json!({"address": address, "mode": "managed", "type": rtype, "name": name,
           "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0, "values": values})
}

/// The same estate as `terraform show -json` of a state; `v4`: azurerm 4.x attribute names.
fn terraform(v4: bool) -> Snapshot {
    let common =
        |id: String, name: &str| json!({"id": id, "name": name, "resource_group_name": "rg", "location": "westeurope"});
    let with = |mut base: Value, extra: Value| {
        for (k, v) in extra.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    };
    let subnet = |name: &str, prefix: &str, dao: bool| {
        resource(
            &format!("azurerm_subnet.{}", name.replace('-', "_")),
            json!({"id": net(&format!("virtualNetworks/vnet/subnets/{name}")), "name": name, "resource_group_name": "rg",
                "virtual_network_name": "vnet", "address_prefixes": [prefix], "default_outbound_access_enabled": dao}),
        )
    };
    let forwarding = if v4 { "ip_forwarding_enabled" } else { "enable_ip_forwarding" };
    let nic = |name: &str, ip: &str, subnet: &str| {
        let mut values = with(
            common(net(&format!("networkInterfaces/{name}")), name),
            json!({"ip_configuration": [{"name": "ip", "primary": true, "private_ip_address": ip,
                "subnet_id": net(&format!("virtualNetworks/vnet/subnets/{subnet}"))}]}),
        );
        values[forwarding] = json!(false);
        resource(&format!("azurerm_network_interface.{}", name.replace('-', "_")), values)
    };
    let lb = net("loadBalancers/lb-out");
    let pool = format!("{lb}/backendAddressPools/pool");
    let resources = json!([
        resource(
            "azurerm_virtual_network.vnet",
            with(common(net("virtualNetworks/vnet"), "vnet"), json!({"address_space": ["10.0.0.0/16"]}))
        ),
        subnet("snet-private", "10.0.1.0/24", false),
        subnet("snet-open", "10.0.3.0/24", true),
        nic("nic-lb", "10.0.1.6", "snet-private"),
        nic("nic-flex", "10.0.3.4", "snet-open"),
        resource(
            "azurerm_public_ip.pip_lb",
            with(
                common(net("publicIPAddresses/pip-lb"), "pip-lb"),
                json!({"ip_address": "20.0.0.7", "sku": "Standard"})
            )
        ),
        resource(
            "azurerm_lb.lb_out",
            with(
                common(lb.clone(), "lb-out"),
                json!({"sku": "Standard",
            "frontend_ip_configuration": [{"name": "out", "id": format!("{lb}/frontendIPConfigurations/out"),
                "public_ip_address_id": net("publicIPAddresses/pip-lb"), "subnet_id": "", "private_ip_address": ""}]})
            )
        ),
        resource("azurerm_lb_backend_address_pool.pool", json!({"id": pool, "name": "pool", "loadbalancer_id": lb})),
        resource(
            "azurerm_lb_outbound_rule.egress",
            json!({"id": format!("{lb}/outboundRules/egress"), "name": "egress",
            "loadbalancer_id": lb, "backend_address_pool_id": pool, "protocol": "All",
            "frontend_ip_configuration": [{"name": "out", "id": format!("{lb}/frontendIPConfigurations/out")}]})
        ),
        resource(
            "azurerm_network_interface_backend_address_pool_association.nic_lb",
            json!({
            "id": format!("{}/ipConfigurations/ip|{pool}", net("networkInterfaces/nic-lb")),
            "network_interface_id": net("networkInterfaces/nic-lb"), "ip_configuration_name": "ip", "backend_address_pool_id": pool})
        ),
        resource(
            "azurerm_orchestrated_virtual_machine_scale_set.flex",
            with(common(compute("virtualMachineScaleSets/flex"), "flex"), json!({"platform_fault_domain_count": 1}))
        ),
        resource(
            "azurerm_linux_virtual_machine.vm_flex",
            with(
                common(compute("virtualMachines/vm-flex"), "vm-flex"),
                json!({"network_interface_ids": [net("networkInterfaces/nic-flex")], "virtual_machine_scale_set_id": compute("virtualMachineScaleSets/flex")})
            )
        ),
    ]);
    let doc = json!({"format_version": "1.0", "values": {"root_module": {"resources": resources}}});
    load("state.json", doc.to_string())
}

/// What a trace from `from` to 8.8.8.8 comes to: verdict, egress method and public IPs,
/// finding codes.
/// A trace's verdict, egress (method and public IPs) and finding codes.
type Outcome = (Verdict, Option<(EgressMethod, Vec<EgressAddress>)>, Vec<&'static str>);

fn internet(snap: &Snapshot, from: &str) -> Outcome {
    let engine = RouteEngine::new(snap, ModelOptions::default());
    let tracer = Tracer::new(&engine);
    let nic = snap.find_nic(from).expect("source NIC");
    let ip = snap.nics[nic.index()].primary_ip_config().unwrap().private_ip.unwrap();
    let request = TraceRequest {
        source: TraceSource::Nic { nic, ip },
        destination: "8.8.8.8".parse().unwrap(),
        protocol: Protocol::Tcp,
        source_port: 50000,
        destination_port: 443,
    };
    let t = tracer.trace(request).unwrap();
    let egress = t.forward.egress.as_ref().map(|e| (e.method, e.public_ips.clone()));
    (t.forward.verdict, egress, t.findings.iter().map(|f| f.code.as_str()).collect())
}

#[test]
fn load_balancer_outbound_rules_from_terraform_equal_arm() {
    let arm = arm();
    let expected = internet(&arm, "nic-lb");
    let public = vec![EgressAddress::Address("20.0.0.7".parse().unwrap())];
    assert_eq!(expected, (Verdict::ExitedToInternet, Some((EgressMethod::LoadBalancerOutbound, public)), vec![]));
    for v4 in [false, true] {
        let tf = terraform(v4);
        let lb = &tf.load_balancers[0];
        assert_eq!((lb.sku.as_str(), lb.is_public(), lb.outbound_rules.len()), ("Standard", true, 1), "v4={v4}");
        assert_eq!(lb.backend_nics, lb.outbound_rules[0].backend_nics, "v4={v4}");
        assert_eq!(internet(&tf, "nic-lb"), expected, "v4={v4}");
    }
}

/// Without the association the NIC is in no pool: a private subnet without a method.
#[test]
fn a_nic_outside_the_pool_has_no_load_balancer_egress() {
    let mut tf = terraform(true);
    for lb in &mut tf.load_balancers {
        lb.outbound_rules.iter_mut().for_each(|r| r.backend_nics.clear());
    }
    let (verdict, egress, codes) = internet(&tf, "nic-lb");
    assert_eq!((verdict, egress, codes), (Verdict::Dropped, None, vec!["PrivateSubnetNoEgress"]));
}

#[test]
fn flexible_scale_set_instances_from_terraform_equal_arm() {
    let arm = arm();
    let expected = internet(&arm, "nic-flex");
    assert_eq!(expected, (Verdict::Dropped, None, vec!["PrivateSubnetNoEgress"]));
    for v4 in [false, true] {
        let tf = terraform(v4);
        let vm = &tf.vms[tf.vms.iter().position(|v| v.name == "vm-flex").unwrap()];
        assert!(vm.scale_set.as_ref().is_some_and(|s| s.resolved().is_some()), "v4={v4}");
        assert_eq!(internet(&tf, "nic-flex"), expected, "v4={v4}");
    }
}
