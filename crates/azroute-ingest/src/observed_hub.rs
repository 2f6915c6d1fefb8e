//! Hub effective routes as Azure reported them (`az network vhub get-effective-routes`, §20.5),
//! read from the wrapper `{"virtualHubId": "<hub id>", "resourceId": "<route table or connection
//! id>", "effectiveRoutes": <verbatim output>}`.
//!
//! The four shapes of the output are accepted, keys matched case-insensitively: `{"value": […]}`
//! (the 2025 API and the CLI), `{"nextLink": null, "value": […]}`, the async-operation envelope
//! `{"status": "Succeeded", "properties": {"output": {"value": […]}}}` (2024 API), and
//! PowerShell's `Get-AzVHubEffectiveRoutes` (`Value`, PascalCase keys); a bare list too.

use azroute_model::{ArmId, ObservedHubRoute, ObservedHubRoutes, Origin};
use serde_json::{Map, Value};

use crate::diag::Diagnostic;

const HINT: &str = "wrap the output of `az network vhub get-effective-routes --resource-type RouteTable --resource-id <table id> -g RG -n HUB` as {\"virtualHubId\": \"<hub id>\", \"resourceId\": \"<table or connection id>\", \"effectiveRoutes\": <output>}";

/// A key of an object, matched case-insensitively; `null` counts as absent.
fn get<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v).filter(|v| !v.is_null())
}

fn not_routes(path: &str) -> Diagnostic {
    Diagnostic::error("NotHubEffectiveRoutes", "`effectiveRoutes` is not a list of hub effective routes")
        .at(path.to_string())
        .hint(HINT)
}

fn wrong_type(path: &str, expected: &str) -> Diagnostic {
    Diagnostic::error("WrongType", format!("expected {expected}"))
        .at(path.to_string())
        .hint("a field has a different type than Azure writes; was the file edited by hand?")
}

/// The routes of any accepted shape.
pub fn hub_routes_of(value: &Value, path: &str) -> Result<Vec<ObservedHubRoute>, Diagnostic> {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter(|(_, item)| !item.is_null())
            .map(|(i, item)| hub_route(item, &format!("{path}[{i}]")))
            .collect(),
        Value::Object(map) => {
            if let Some(list) = get(map, "value") {
                return hub_routes_of(list, &format!("{path}.value"));
            }
            if let Some(Value::Object(properties)) = get(map, "properties")
                && let Some(output) = get(properties, "output")
            {
                return hub_routes_of(output, &format!("{path}.properties.output"));
            }
            if let Some(Value::Object(responses)) = get(map, "responses") {
                for status in ["200", "201"] {
                    if let Some(Value::Object(response)) = get(responses, status)
                        && let Some(body) = get(response, "body")
                    {
                        return hub_routes_of(body, &format!("{path}.responses.{status}.body"));
                    }
                }
            }
            Err(not_routes(path))
        }
        _ => Err(not_routes(path)),
    }
}

/// A string, or a list of strings.
fn strings(value: Option<&Value>, path: &str) -> Result<Vec<String>, Diagnostic> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()),
        Some(Value::Array(items)) => items
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| match v {
                Value::String(s) => Ok(s.trim().to_string()),
                _ => Err(wrong_type(path, "a string or a list of strings")),
            })
            .collect(),
        Some(_) => Err(wrong_type(path, "a string or a list of strings")),
    }
}

fn text(map: &Map<String, Value>, key: &str, path: &str) -> Result<String, Diagnostic> {
    match get(map, key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(_) => Err(wrong_type(&format!("{path}.{key}"), "a string")),
    }
}

fn hub_route(value: &Value, path: &str) -> Result<ObservedHubRoute, Diagnostic> {
    let Value::Object(map) = value else {
        return Err(wrong_type(path, "a hub effective route object"));
    };
    let address_prefixes = strings(get(map, "addressPrefixes"), &format!("{path}.addressPrefixes"))?;
    if address_prefixes.is_empty() {
        return Err(Diagnostic::error("MissingField", "the route has no `addressPrefixes`")
            .at(format!("{path}.addressPrefixes"))
            .hint(
                "every hub effective route Azure returns has addressPrefixes, nextHops, nextHopType and routeOrigin",
            ));
    }
    let next_hop_type = text(map, "nextHopType", path)?;
    if next_hop_type.is_empty() {
        return Err(Diagnostic::error("MissingField", "the route has no `nextHopType`")
            .at(format!("{path}.nextHopType"))
            .hint(
                "every hub effective route Azure returns has addressPrefixes, nextHops, nextHopType and routeOrigin",
            ));
    }
    Ok(ObservedHubRoute {
        address_prefixes,
        next_hops: strings(get(map, "nextHops"), &format!("{path}.nextHops"))?,
        next_hop_type,
        route_origin: text(map, "routeOrigin", path)?,
        as_path: text(map, "asPath", path)?,
    })
}

/// Reads the wrapper's parts (already split by the envelope reader) into observed hub routes.
pub(crate) fn hub_effective_routes(
    virtual_hub_id: &str,
    resource_id: Option<&str>,
    effective_routes: &str,
    base: &str,
    origin: Origin,
) -> Result<ObservedHubRoutes, Diagnostic> {
    if virtual_hub_id.trim().is_empty() {
        return Err(Diagnostic::error("HubRoutesWithoutHub", "`virtualHubId` is empty")
            .at(format!("{base}.virtualHubId"))
            .hint(HINT));
    }
    let value: Value = serde_json::from_str(effective_routes).map_err(|e| {
        Diagnostic::error("InvalidJson", e.to_string()).at(format!("{base}.effectiveRoutes")).hint(HINT)
    })?;
    let routes = hub_routes_of(&value, &format!("{base}.effectiveRoutes"))?;
    Ok(ObservedHubRoutes {
        virtual_hub: ArmId::new(virtual_hub_id.trim()),
        resource: ArmId::new(resource_id.unwrap_or("").trim()),
        routes,
        origin,
    })
}

/// A whole file read for `azroute verify`: `None` when it is not a hub wrapper (no top-level
/// `virtualHubId`).
pub fn parse_hub_file(file: &str, text: &str) -> Option<Result<ObservedHubRoutes, Diagnostic>> {
    let value: Value = serde_json::from_str(text).ok()?;
    let Value::Object(map) = &value else { return None };
    let hub = match get(map, "virtualHubId")? {
        Value::String(h) => h.clone(),
        _ => return Some(Err(wrong_type("$.virtualHubId", "a string").in_file(file))),
    };
    let resource = match get(map, "resourceId") {
        Some(Value::String(r)) => Some(r.as_str()),
        _ => None,
    };
    let Some(routes) = get(map, "effectiveRoutes") else {
        return Some(Err(incomplete_wrapper(true, "$").in_file(file)));
    };
    let origin = Origin { file: 0, json_path: "$".into() };
    Some(hub_effective_routes(&hub, resource, &routes.to_string(), "$", origin).map_err(|d| d.in_file(file)))
}

/// The diagnostic for a wrapper that names a hub but holds no routes (or the reverse).
pub(crate) fn incomplete_wrapper(has_hub: bool, base: &str) -> Diagnostic {
    if has_hub {
        Diagnostic::error(
            "HubRoutesWithoutRoutes",
            "the file names a hub in `virtualHubId` but has no `effectiveRoutes`",
        )
        .at(base.to_string())
        .hint(HINT)
    } else {
        Diagnostic::error("HubRoutesWithoutHub", "hub `effectiveRoutes` must come with the hub's id in `virtualHubId`")
            .at(format!("{base}.virtualHubId"))
            .hint(HINT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/reference/azure-samples/rest-api-specs/vwan");

    fn routes(text: &str) -> Vec<ObservedHubRoute> {
        let value: Value = serde_json::from_str(text).unwrap();
        hub_routes_of(&value, "$").unwrap_or_else(|d| panic!("{d}"))
    }

    #[test]
    fn the_four_shapes_read_the_same_routes() {
        let item = r#"{"addressPrefixes":["10.2.0.0/16"],"nextHops":["/x/virtualHubs/hub2"],"nextHopType":"Remote Hub","routeOrigin":"/x/virtualHubs/hub2","asPath":"65520-65520"}"#;
        let ps = r#"{"AddressPrefixes":["10.2.0.0/16"],"NextHops":["/x/virtualHubs/hub2"],"NextHopType":"Remote Hub","RouteOrigin":"/x/virtualHubs/hub2","AsPath":"65520-65520"}"#;
        let shapes = [
            format!(r#"{{"value":[{item}]}}"#),
            format!(r#"{{"nextLink":null,"value":[{item}]}}"#),
            format!(r#"{{"status":"Succeeded","properties":{{"output":{{"value":[{item}]}}}}}}"#),
            format!(r#"{{"Value":[{ps}]}}"#),
            format!("[{item}]"),
        ];
        let expected = ObservedHubRoute {
            address_prefixes: vec!["10.2.0.0/16".into()],
            next_hops: vec!["/x/virtualHubs/hub2".into()],
            next_hop_type: "Remote Hub".into(),
            route_origin: "/x/virtualHubs/hub2".into(),
            as_path: "65520-65520".into(),
        };
        for text in &shapes {
            assert_eq!(routes(text), vec![expected.clone()], "{text}");
        }
    }

    #[test]
    fn the_spec_examples_read() {
        for (file, n) in [
            ("EffectiveRoutesListForVirtualHub.json", 2),
            ("EffectiveRoutesListForRouteTable.json", 2),
            ("EffectiveRoutesListForConnection.json", 2),
            ("../2024-05-01/EffectiveRoutesListForVirtualHub.json", 2),
        ] {
            let text = std::fs::read_to_string(format!("{SAMPLES}/{file}")).unwrap();
            let r = routes(&text);
            assert_eq!(r.len(), n, "{file}");
            assert!(r.iter().any(|r| r.next_hop_type == "Remote Hub" && r.as_path == "65520-65520"), "{file}");
            assert!(r.iter().any(|r| r.next_hop_type == "ExpressRouteGateway"), "{file}");
        }
    }

    #[test]
    fn bad_routes_name_the_path() {
        let value: Value = serde_json::from_str(r#"{"value":[{"nextHopType":"Remote Hub"}]}"#).unwrap();
        let d = hub_routes_of(&value, "$.effectiveRoutes").unwrap_err();
        assert_eq!(d.code, "MissingField");
        assert_eq!(d.json_path.as_deref(), Some("$.effectiveRoutes.value[0].addressPrefixes"));
        let value: Value = serde_json::from_str(r#"{"foo":1}"#).unwrap();
        assert_eq!(hub_routes_of(&value, "$").unwrap_err().code, "NotHubEffectiveRoutes");
    }
}
