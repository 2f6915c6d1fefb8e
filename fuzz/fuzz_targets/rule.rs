//! Fuzz target `rule`: NSG security rules with fuzzed field values (addresses, ports, protocol,
//! priority, direction, access, ASGs, in REST or az CLI shape, of any JSON type) inside a fixed
//! valid VNet, subnet and NIC, loaded through ingest and evaluated by the NSG engine.
//!
//! The generated JSON, not the raw fuzzer bytes, is what a finding keeps in
//! `testdata/fuzz-regressions/rule/` (`AZROUTE_FUZZ_DUMP=DIR` writes each crashing input's JSON
//! there before it is evaluated).

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const BASE: &str = "/subscriptions/00000000-0000-0000-0000-00000000f022/resourceGroups/rg-fuzz/providers";

/// One field of a rule. Mostly a spelling Azure uses for that field or fuzzed text, so that
/// most generated rules load and reach NSG evaluation; sometimes absent or of another JSON type
/// (type confusion as such is the `ingest` target's business).
#[derive(Arbitrary, Debug)]
struct Field {
    choice: u8,
    known: u8,
    text: String,
    number: i64,
    list: Vec<(u8, String)>,
}

impl Field {
    /// The field's JSON, or `None` to leave it out; `known` lists the field's usual spellings.
    fn json(&self, known: &[&str]) -> Option<Value> {
        let pick = |k: u8| known[k as usize % known.len()];
        // Zero bytes (libFuzzer's first inputs) give the first usual spelling: a valid rule.
        Some(match self.choice % 16 {
            0..=9 => json!(pick(self.known)),
            10..=12 => json!(self.text),
            13 => json!(
                self.list
                    .iter()
                    .map(|(k, t)| if k % 2 == 0 { pick(*k).to_string() } else { t.clone() })
                    .collect::<Vec<_>>()
            ),
            14 => match self.number.rem_euclid(5) {
                0 => json!(self.number),
                1 => json!(self.number as f64 / 7.0),
                2 => json!(self.number % 2 == 0),
                3 => Value::Null,
                _ => json!({"value": self.text}),
            },
            _ => return None,
        })
    }

    /// A priority: usually in Azure's range, sometimes any number, text or absent.
    fn priority(&self) -> Option<Value> {
        Some(match self.choice % 16 {
            0..=11 => json!(100 + self.number.rem_euclid(3997)),
            12 => json!(self.text),
            13 => json!(self.number),
            14 => json!(self.number as f64 / 3.0),
            _ => return None,
        })
    }
}

const PROTOCOLS: &[&str] = &["*", "Tcp", "Udp", "Icmp", "Esp", "Ah", "All", "tcp"];
const ACCESS: &[&str] = &["Allow", "Deny", "allow"];
const DIRECTIONS: &[&str] = &["Inbound", "Outbound", "outbound"];
const ADDRESSES: &[&str] = &[
    "*",
    "VirtualNetwork",
    "Internet",
    "AzureLoadBalancer",
    "Storage",
    "Storage.EastUS",
    "10.0.0.0/16",
    "10.0.1.4",
    "10.0.1.0/24",
    "0.0.0.0/0",
    "203.0.113.0/24",
    "fd00::/64",
    "::/0",
    "168.63.129.16",
];
const PORTS: &[&str] = &["*", "22", "80", "443", "1000-2000", "0-65535", "65535", "0", "3389"];

#[derive(Arbitrary, Debug)]
struct Rule {
    name: Option<String>,
    protocol: Field,
    access: Field,
    direction: Field,
    priority: Field,
    source_address_prefix: Field,
    source_address_prefixes: Field,
    destination_address_prefix: Field,
    destination_address_prefixes: Field,
    source_port_range: Field,
    source_port_ranges: Field,
    destination_port_range: Field,
    destination_port_ranges: Field,
    /// Source and destination ASGs by name (the NIC belongs to `asg-web`).
    source_asgs: Option<Vec<String>>,
    destination_asgs: Option<Vec<String>>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    rules: Vec<Rule>,
    /// Write the REST shape (fields under `properties`) rather than az CLI's flattened one.
    rest: bool,
    /// Also associate the NSG with the NIC, not only with the subnet.
    on_nic: bool,
}

fn rule_json(i: usize, r: &Rule, rest: bool) -> Value {
    let mut fields = serde_json::Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            fields.insert(key.to_string(), value);
        }
    };
    put("protocol", r.protocol.json(PROTOCOLS));
    put("access", r.access.json(ACCESS));
    put("direction", r.direction.json(DIRECTIONS));
    put("priority", r.priority.priority());
    put("sourceAddressPrefix", r.source_address_prefix.json(ADDRESSES));
    put("sourceAddressPrefixes", r.source_address_prefixes.json(ADDRESSES));
    put("destinationAddressPrefix", r.destination_address_prefix.json(ADDRESSES));
    put("destinationAddressPrefixes", r.destination_address_prefixes.json(ADDRESSES));
    put("sourcePortRange", r.source_port_range.json(PORTS));
    put("sourcePortRanges", r.source_port_ranges.json(PORTS));
    put("destinationPortRange", r.destination_port_range.json(PORTS));
    put("destinationPortRanges", r.destination_port_ranges.json(PORTS));
    let asgs = |names: &Option<Vec<String>>| {
        names.as_ref().map(|names| {
            Value::Array(
                names
                    .iter()
                    .map(|n| json!({"id": format!("{BASE}/Microsoft.Network/applicationSecurityGroups/{n}")}))
                    .collect(),
            )
        })
    };
    if let Some(v) = asgs(&r.source_asgs) {
        fields.insert("sourceApplicationSecurityGroups".into(), v);
    }
    if let Some(v) = asgs(&r.destination_asgs) {
        fields.insert("destinationApplicationSecurityGroups".into(), v);
    }
    let name = match &r.name {
        Some(name) => json!(name),
        None => json!(format!("rule{i}")),
    };
    let id = json!(format!("{BASE}/Microsoft.Network/networkSecurityGroups/nsg-fuzz/securityRules/rule{i}"));
    if rest {
        json!({"id": id, "name": name, "properties": fields})
    } else {
        fields.insert("id".into(), id);
        fields.insert("name".into(), name);
        Value::Object(fields)
    }
}

/// A VNet with one subnet (NSG `nsg-fuzz` associated), the NSG with the fuzzed rules, and a NIC
/// in the subnet that belongs to ASG `asg-web`.
fn estate(input: &Input) -> Value {
    let nsg_id = format!("{BASE}/Microsoft.Network/networkSecurityGroups/nsg-fuzz");
    let subnet_id = format!("{BASE}/Microsoft.Network/virtualNetworks/vnet-fuzz/subnets/snet-app");
    let rules: Vec<Value> = input.rules.iter().take(8).enumerate().map(|(i, r)| rule_json(i, r, input.rest)).collect();
    let nsg = if input.rest {
        json!({"id": nsg_id, "name": "nsg-fuzz", "type": "Microsoft.Network/networkSecurityGroups",
               "location": "eastus", "properties": {"securityRules": rules}})
    } else {
        json!({"id": nsg_id, "name": "nsg-fuzz", "type": "Microsoft.Network/networkSecurityGroups",
               "location": "eastus", "securityRules": rules})
    };
    let vnet = json!({
        "id": format!("{BASE}/Microsoft.Network/virtualNetworks/vnet-fuzz"), "name": "vnet-fuzz",
        "type": "Microsoft.Network/virtualNetworks", "location": "eastus",
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"id": subnet_id, "name": "snet-app", "addressPrefix": "10.0.1.0/24",
                     "networkSecurityGroup": {"id": nsg_id}}]
    });
    let mut nic = json!({
        "id": format!("{BASE}/Microsoft.Network/networkInterfaces/nic-app"), "name": "nic-app",
        "type": "Microsoft.Network/networkInterfaces", "location": "eastus",
        "ipConfigurations": [{
            "id": format!("{BASE}/Microsoft.Network/networkInterfaces/nic-app/ipConfigurations/ipconfig1"),
            "name": "ipconfig1", "primary": true, "privateIPAddress": "10.0.1.4", "subnet": {"id": subnet_id},
            "applicationSecurityGroups": [{"id": format!("{BASE}/Microsoft.Network/applicationSecurityGroups/asg-web")}]
        }]
    });
    if input.on_nic {
        nic["networkSecurityGroup"] = json!({"id": nsg_id});
    }
    json!([vnet, nsg, nic])
}

fuzz_target!(|input: Input| {
    let text = serde_json::to_vec_pretty(&estate(&input)).expect("a JSON value always serialises");
    if let Some(dir) = std::env::var_os("AZROUTE_FUZZ_DUMP") {
        let _ = std::fs::write(std::path::Path::new(&dir).join("last-rule-input.json"), &text);
    }
    let loaded = azroute_testkit::fuzz::load(&text);
    azroute_testkit::fuzz::exercise(&loaded);
});
