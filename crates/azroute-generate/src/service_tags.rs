//! A small Service Tags file with the tags the estate names.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::*;

/// A small Service Tags file (`az network list-service-tags` shape) with the tags the estate's
/// service endpoints and user routes name.
pub(crate) fn service_tags(regions: &BTreeSet<&str>) -> Value {
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
pub(crate) fn title(region: &str) -> String {
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
