//! A VNet's custom DNS servers (`dhcpOptions.dnsServers`, §16.7) in the REST, az CLI (flattened)
//! and Resource Graph (lower-cased type, `data`) dialects; Azure-provided DNS (no list) is empty;
//! a value that is not an address names the file and JSON path.

use azroute_ingest::load_texts;

const ID: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v";

fn dns_of(text: &str) -> (Vec<String>, Vec<String>) {
    let loaded = load_texts(&[("f.json".into(), text.into())]);
    let servers = loaded.snapshot.vnets[0].dns_servers.iter().map(|ip| ip.to_string()).collect();
    let problems =
        loaded.diagnostics.iter().map(|d| format!("{} {}", d.code, d.json_path.as_deref().unwrap_or(""))).collect();
    (servers, problems)
}

#[test]
fn dns_servers_read_the_same_in_every_dialect() {
    let rest = format!(
        r#"{{"id": "{ID}", "name": "v", "type": "Microsoft.Network/virtualNetworks", "properties": {{
          "addressSpace": {{"addressPrefixes": ["10.0.0.0/16"]}},
          "dhcpOptions": {{"dnsServers": ["10.0.1.4", "10.0.1.5"]}}}}}}"#
    );
    let cli = format!(
        r#"[{{"id": "{ID}", "name": "v", "type": "Microsoft.Network/virtualNetworks",
          "addressSpace": {{"addressPrefixes": ["10.0.0.0/16"]}}, "dhcpOptions": {{"dnsServers": ["10.0.1.4", "10.0.1.5"]}}}}]"#
    );
    let graph = format!(
        r#"{{"data": [{}]}}"#,
        rest.replace("Microsoft.Network/virtualNetworks\"", "microsoft.network/virtualnetworks\"")
    );
    for text in [rest, cli, graph] {
        let (servers, problems) = dns_of(&text);
        assert_eq!(servers, ["10.0.1.4", "10.0.1.5"], "{text}");
        assert!(problems.is_empty(), "{problems:?}");
    }
}

#[test]
fn azure_provided_dns_is_an_empty_list() {
    for options in ["", r#", "dhcpOptions": {"dnsServers": []}"#, r#", "dhcpOptions": null"#] {
        let text = format!(
            r#"[{{"id": "{ID}", "name": "v", "type": "Microsoft.Network/virtualNetworks",
              "addressSpace": {{"addressPrefixes": ["10.0.0.0/16"]}}{options}}}]"#
        );
        let (servers, problems) = dns_of(&text);
        assert!(servers.is_empty() && problems.is_empty(), "{options}: {servers:?} {problems:?}");
    }
}

#[test]
fn a_dns_server_that_is_not_an_address_names_its_path() {
    let text = format!(
        r#"{{"id": "{ID}", "name": "v", "type": "Microsoft.Network/virtualNetworks", "properties": {{
          "addressSpace": {{"addressPrefixes": ["10.0.0.0/16"]}}, "dhcpOptions": {{"dnsServers": ["10.0.1.4", "dns.contoso.com"]}}}}}}"#
    );
    let (servers, problems) = dns_of(&text);
    assert_eq!(servers, ["10.0.1.4"]);
    assert_eq!(problems, ["InvalidIpAddress $.properties.dhcpOptions.dnsServers[1]"]);
}
