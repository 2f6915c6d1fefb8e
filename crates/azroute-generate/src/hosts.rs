//! What holds addresses in subnets: VM NICs and VMs, load balancers, private endpoints and their NICs.

use std::io;

use serde_json::{Value, json};

use crate::*;

pub(crate) fn mac(rng: &mut Rng) -> String {
    let v = rng.next();
    format!("00-0D-3A-{:02X}-{:02X}-{:02X}", (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff)
}

/// A VM's NIC and the VM (`az vm list -d` shape), as the az CLI lists them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn nic_and_vm(
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

pub(crate) fn load_balancer(plan: &Plan, rng: &mut Rng, hub: &Hub, frontend: u32, backends: Vec<Value>) -> Value {
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

pub(crate) fn private_endpoint(
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

/// The hosts of the estate as they are generated: NICs and VMs cut into files as they come,
/// load balancers and private endpoints (with their NICs) listed at the end.
pub(crate) struct Hosts {
    nics: Chunked,
    vms: Chunked,
    lbs: Vec<Value>,
    pes: Vec<Value>,
    pe_nics: Vec<Value>,
}

impl Hosts {
    pub(crate) fn new() -> Hosts {
        Hosts {
            nics: Chunked::new("nic-list", NICS_PER_FILE),
            vms: Chunked::new("vm-list", NICS_PER_FILE),
            lbs: Vec::new(),
            pes: Vec::new(),
            pe_nics: Vec::new(),
        }
    }

    fn push_vm(&mut self, (nic, vm): (Value, Value), out: &mut Output<'_>) -> io::Result<()> {
        self.nics.push(nic, out)?;
        self.vms.push(vm, out)?;
        out.summary.nics += 1;
        out.summary.vms += 1;
        Ok(())
    }

    /// Hub NICs: NVAs (IP forwarding on) behind the hub's load balancer, then shared and
    /// management VMs.
    pub(crate) fn add_hub_hosts(
        &mut self,
        p: &GenerateParams,
        plan: &Plan,
        rng: &mut Rng,
        out: &mut Output<'_>,
        hub: &Hub,
    ) -> io::Result<()> {
        let vnet = format!("vnet-{}", hub.name);
        let nva_start = hub.block + plan.hub_subnet;
        let mut backends = Vec::new();
        // Azure Firewall replaces the NVAs and their load balancer (`firewall.rs`).
        let nvas = if p.hub_appliance == HubAppliance::Nva { p.nvas_per_hub } else { 0 };
        for i in 0..nvas {
            let name = format!("{}-nva{i}", hub.name);
            let subnet_id = plan.net(&hub.rg, &format!("virtualNetworks/{vnet}/subnets/snet-nva"));
            let (nic, vm) =
                nic_and_vm(plan, rng, &hub.rg, hub.region, &name, &subnet_id, nva_start + 5 + i as u32, true);
            backends.push(json!({"id": format!("{}/ipConfigurations/ipconfig1", nic["id"].as_str().unwrap_or_default()), "resourceGroup": hub.rg}));
            self.push_vm((nic, vm), out)?;
        }
        for (k, subnet) in ["snet-shared", "snet-mgmt"].iter().enumerate() {
            let start = hub.block + (2 + k as u32) * plan.hub_subnet;
            let subnet_id = plan.net(&hub.rg, &format!("virtualNetworks/{vnet}/subnets/{subnet}"));
            for i in 0..p.nics_per_subnet {
                let name = format!("{}-{}-{i:03}", hub.name, &subnet[5..]);
                let host = nic_and_vm(plan, rng, &hub.rg, hub.region, &name, &subnet_id, start + 4 + i as u32, false);
                self.push_vm(host, out)?;
            }
        }
        if let Some(fw) = hub.firewall.filter(|_| nvas > 0) {
            self.lbs.push(load_balancer(plan, rng, hub, fw, backends));
            out.summary.load_balancers += 1;
        }
        Ok(())
    }

    /// Spoke NICs and VMs.
    pub(crate) fn add_spoke_hosts(
        &mut self,
        p: &GenerateParams,
        plan: &Plan,
        rng: &mut Rng,
        out: &mut Output<'_>,
        hub: &Hub,
        spokes: &[&Spoke],
    ) -> io::Result<()> {
        for spoke in spokes {
            for sn in 0..p.subnets_per_spoke {
                let start = spoke.start + sn as u32 * plan.spoke_subnet;
                let subnet_id = plan.net(&hub.rg, &format!("virtualNetworks/{}/subnets/snet-{sn}", spoke.name));
                for i in 0..p.nics_per_subnet {
                    let name = format!("{}-s{:04}-n{sn}-{i:03}", hub.name, spoke.index);
                    let host =
                        nic_and_vm(plan, rng, &hub.rg, spoke.region, &name, &subnet_id, start + 4 + i as u32, false);
                    self.push_vm(host, out)?;
                }
            }
        }
        Ok(())
    }

    /// Private endpoints, round-robin over the spokes, in each spoke's last subnet, taking
    /// addresses from the top of the subnet down (NICs take them from the bottom up).
    pub(crate) fn add_private_endpoints(
        &mut self,
        p: &GenerateParams,
        plan: &Plan,
        rng: &mut Rng,
        out: &mut Output<'_>,
        hubs: &[Hub],
        spokes: &[Spoke],
    ) {
        for k in 0..p.private_endpoints {
            let spoke = &spokes[k % spokes.len()];
            let slot = (k / spokes.len()) as u32;
            let hub = &hubs[spoke.hub];
            let sn = p.subnets_per_spoke - 1;
            let subnet_start = spoke.start + sn as u32 * plan.spoke_subnet;
            let address = subnet_start + plan.spoke_subnet - 2 - slot;
            let subnet_id = plan.net(&hub.rg, &format!("virtualNetworks/{}/subnets/snet-{sn}", spoke.name));
            let (pe, nic) = private_endpoint(plan, rng, hub, spoke, k, &subnet_id, address);
            self.pes.push(pe);
            self.pe_nics.push(nic);
            out.summary.private_endpoints += 1;
            out.summary.nics += 1;
        }
    }

    /// The remaining NIC and VM files, then load balancers and private endpoints.
    pub(crate) fn write(mut self, out: &mut Output<'_>) -> io::Result<()> {
        for nic in std::mem::take(&mut self.pe_nics) {
            self.nics.push(nic, out)?;
        }
        self.nics.flush(out)?;
        self.vms.flush(out)?;
        if !self.lbs.is_empty() {
            out.write("lb-list.json".into(), &Value::Array(self.lbs))?;
        }
        if !self.pes.is_empty() {
            out.write("private-endpoint-list.json".into(), &Value::Array(self.pes))?;
        }
        Ok(())
    }
}
