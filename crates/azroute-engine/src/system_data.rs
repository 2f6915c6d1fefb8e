//! Fixed system-route data: the reserved ranges Azure drops by default (§1.1, §1.4) and the
//! mapping from service-endpoint services to service tags.

use azroute_model::ReservedNoneProfile;
use ipnet::IpNet;

/// The documented reserved ranges, in the order Azure lists them (§1.1).
const DOCUMENTED: &[&str] = &["10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16"];

/// Extra `None` routes seen on the live platform but not (yet) documented (§1.4).
const PLATFORM_OBSERVED: &[&str] = &[
    "104.146.0.0/17",
    "104.147.0.0/16",
    "127.0.0.0/8",
    "157.59.0.0/16",
    "198.18.0.0/15",
    "20.35.252.0/22",
    "23.103.0.0/18",
    "25.148.0.0/15",
    "25.150.0.0/16",
    "25.152.0.0/14",
    "25.156.0.0/16",
    "25.159.0.0/16",
    "25.176.0.0/13",
    "25.184.0.0/14",
    "25.4.0.0/14",
    "40.108.0.0/17",
    "40.109.0.0/16",
];

/// The reserved ranges of a profile.
pub(crate) fn reserved_ranges(profile: ReservedNoneProfile) -> Vec<IpNet> {
    let mut texts: Vec<&str> = DOCUMENTED.to_vec();
    if profile == ReservedNoneProfile::PlatformObserved {
        texts.extend_from_slice(PLATFORM_OBSERVED);
    }
    texts.iter().map(|t| t.parse().expect("embedded reserved ranges are valid")).collect()
}

/// The service tag a service endpoint's service maps to (service name → tag).
///
/// Azure documents the services that support endpoints; the tag names are those of the Service
/// Tags file. Unknown services fall back to the part after `Microsoft.`.
pub(crate) fn service_endpoint_tag(service: &str) -> String {
    let lower = service.to_ascii_lowercase();
    let tag = match lower.as_str() {
        "microsoft.storage" | "microsoft.storage.global" => "Storage",
        "microsoft.sql" => "Sql",
        "microsoft.azurecosmosdb" => "AzureCosmosDB",
        "microsoft.keyvault" => "AzureKeyVault",
        "microsoft.servicebus" => "ServiceBus",
        "microsoft.eventhub" => "EventHub",
        "microsoft.web" => "AppService",
        "microsoft.containerregistry" => "AzureContainerRegistry",
        "microsoft.cognitiveservices" => "CognitiveServicesManagement",
        "microsoft.azureactivedirectory" => "AzureActiveDirectory",
        "microsoft.dbformysql" | "microsoft.dbforpostgresql" | "microsoft.dbformariadb" => "Sql",
        _ => {
            return service.strip_prefix("Microsoft.").unwrap_or(service).to_string();
        }
    };
    tag.to_string()
}

/// Service tags that are not fixed prefix sets and cannot be used in user routes (§3.5).
pub(crate) fn is_dynamic_tag(tag: &str) -> bool {
    ["VirtualNetwork", "Internet", "AzureLoadBalancer"].iter().any(|t| t.eq_ignore_ascii_case(tag))
}

/// Precedence among user routes with identical prefixes from service tags (§3.5): an explicit
/// CIDR beats a regional tag, which beats a top-level tag, then `AzureCloud.<region>`, then
/// `AzureCloud`.
pub(crate) fn user_prefix_rank(tag: Option<&str>) -> u8 {
    match tag {
        None => 4,
        Some(t) => {
            let lower = t.to_ascii_lowercase();
            let regional = lower.contains('.');
            match (lower.starts_with("azurecloud"), regional) {
                (false, true) => 3,
                (false, false) => 2,
                (true, true) => 1,
                (true, false) => 0,
            }
        }
    }
}
