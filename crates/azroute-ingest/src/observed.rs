//! Effective routes as Azure reported them (`az network nic show-effective-route-table`), read
//! for `azroute verify`: one file per NIC.
//!
//! Accepted shapes, keys matched case-insensitively: the az CLI output `{"value": [...]}` (with
//! or without `nextLink`; older CLIs add `additionalProperties`), a bare list of routes
//! (PowerShell's `Get-AzEffectiveRouteTable | ConvertTo-Json` spells keys `AddressPrefix`, …), a
//! REST API spec example (`responses.200.body`), and the wrapper
//! `{"nicId": "<NIC id>", "effectiveRoutes": <any of those>}`. Without the wrapper, the file name
//! (`<nic-name>.json`) names the NIC.

use std::path::Path;

use azroute_model::{ArmId, ObservedHubRoutes, ObservedNicRef, ObservedRoute, ObservedRouteTable};
use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::{IngestOptions, discover, with_file_text};

/// Reads every `*.json` file a path names (a directory, recursively, or one file). Files that
/// cannot be read as effective routes become error diagnostics; the others are returned in
/// path order.
pub fn load_observed(path: &Path, options: &IngestOptions) -> (Vec<ObservedRouteTable>, Vec<Diagnostic>) {
    let all = load_observed_all(path, options);
    (all.nics, all.diagnostics)
}

/// What a directory of Azure's own answers holds: NICs' effective routes, and Virtual WAN hub
/// effective routes (the `{"virtualHubId", "resourceId", "effectiveRoutes"}` wrapper, §20.5).
#[derive(Debug, Default)]
pub struct ObservedFiles {
    pub nics: Vec<ObservedRouteTable>,
    /// Each with the file it was read from.
    pub hubs: Vec<(String, ObservedHubRoutes)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every `*.json` file a path names, each as a NIC's or a hub's effective routes.
pub fn load_observed_all(path: &Path, options: &IngestOptions) -> ObservedFiles {
    let paths = match discover(path) {
        Ok(paths) => paths,
        Err(diag) => {
            let diag = if diag.code == "EmptySnapshot" {
                Diagnostic::error(
                    "NoObservedRoutes",
                    format!("no `*.json` files below `{}`", path.display()),
                )
                .hint("save `az network nic show-effective-route-table -o json` outputs there, one file per NIC (`azroute collect --effective-routes` does)")
            } else {
                diag
            };
            return ObservedFiles { diagnostics: vec![diag], ..ObservedFiles::default() };
        }
    };
    let mut out = ObservedFiles::default();
    for p in paths {
        let shown = p.display().to_string();
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let result = with_file_text(&p, options, |text| match crate::observed_hub::parse_hub_file(&shown, text) {
            Some(hub) => hub.map(Observed::Hub),
            None => parse_observed(&shown, &stem, text).map(Observed::Nic),
        })
        .and_then(|r| r);
        match result {
            Ok(Observed::Nic(table)) => out.nics.push(table),
            Ok(Observed::Hub(hub)) => out.hubs.push((shown, hub)),
            Err(diag) => out.diagnostics.push(diag),
        }
    }
    out
}

enum Observed {
    Nic(ObservedRouteTable),
    Hub(ObservedHubRoutes),
}

/// Parses one file of effective routes. `file` is shown in messages; `stem` (the file name
/// without `.json`) names the NIC unless the file wraps the routes with `nicId`.
pub fn parse_observed(file: &str, stem: &str, text: &str) -> Result<ObservedRouteTable, Diagnostic> {
    let fail = |d: Diagnostic| d.in_file(file);
    if text.trim().is_empty() {
        return Err(fail(
            Diagnostic::error("EmptyFile", "the file is empty")
                .hint("save the output of `az network nic show-effective-route-table -o json` into it"),
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|err| {
        let code = if err.is_eof() { "TruncatedJson" } else { "InvalidJson" };
        fail(
            Diagnostic::error(code, format!("{err}"))
                .hint("this is not the JSON output of `az network nic show-effective-route-table -o json`"),
        )
    })?;
    let mut nic = ObservedNicRef::Name(stem.to_string());
    let mut body = &value;
    let mut path = "$".to_string();
    if let Value::Object(map) = &value {
        let nic_id = get(map, "nicId");
        let wrapped = get(map, "effectiveRoutes");
        match (nic_id, wrapped) {
            (Some(Value::String(id)), Some(routes)) if !id.trim().is_empty() => {
                nic = ObservedNicRef::Id(ArmId::new(id.trim()));
                body = routes;
                path = "$.effectiveRoutes".to_string();
            }
            (None, None) => {}
            (_, None) => {
                return Err(fail(
                    Diagnostic::error("WrapperWithoutRoutes", "the file names a NIC in `nicId` but has no `effectiveRoutes`")
                        .at("$")
                        .hint("wrap the output as {\"nicId\": \"<NIC id>\", \"effectiveRoutes\": <output of show-effective-route-table>}"),
                ));
            }
            (_, Some(_)) => {
                return Err(fail(
                    Diagnostic::error("WrapperWithoutNic", "`effectiveRoutes` must come with the NIC's id as a string in `nicId`")
                        .at("$.nicId")
                        .hint("wrap the output as {\"nicId\": \"<NIC id>\", \"effectiveRoutes\": <output of show-effective-route-table>}, or drop the wrapper and name the file <nic-name>.json"),
                ));
            }
        }
    }
    let routes = routes_of(body, &path).map_err(fail)?;
    Ok(ObservedRouteTable { file: file.to_string(), nic, routes })
}

/// A key of an object, matched case-insensitively; `null` counts as absent.
fn get<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v).filter(|v| !v.is_null())
}

fn not_routes(path: &str) -> Diagnostic {
    Diagnostic::error(
        "NotEffectiveRoutes",
        "this is not a list of effective routes",
    )
    .at(path.to_string())
    .hint("expected the output of `az network nic show-effective-route-table -o json` ({\"value\": [...]}), a list of routes, a REST example, or {\"nicId\": …, \"effectiveRoutes\": …}")
}

/// The routes of an envelope: a list, `{"value": …}`, or a REST example's `responses.200.body`.
fn routes_of(value: &Value, path: &str) -> Result<Vec<ObservedRoute>, Diagnostic> {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter(|(_, item)| !item.is_null())
            .map(|(i, item)| route(item, &format!("{path}[{i}]")))
            .collect(),
        Value::Object(map) => {
            if let Some(list) = get(map, "value") {
                return routes_of(list, &format!("{path}.value"));
            }
            if let Some(Value::Object(responses)) = get(map, "responses") {
                for status in ["200", "201"] {
                    if let Some(Value::Object(response)) = get(responses, status)
                        && let Some(body) = get(response, "body")
                    {
                        return routes_of(body, &format!("{path}.responses.{status}.body"));
                    }
                }
            }
            if let Some(extra @ Value::Object(_)) = get(map, "additionalProperties") {
                return routes_of(extra, &format!("{path}.additionalProperties"));
            }
            Err(not_routes(path))
        }
        _ => Err(not_routes(path)),
    }
}

/// A string, or a list of strings (`addressPrefix`, `nextHopIpAddress`).
fn strings(value: Option<&Value>, path: &str) -> Result<Vec<String>, Diagnostic> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(if s.trim().is_empty() { Vec::new() } else { vec![s.trim().to_string()] }),
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

fn wrong_type(path: &str, expected: &str) -> Diagnostic {
    Diagnostic::error("WrongType", format!("expected {expected}"))
        .at(path.to_string())
        .hint("a field has a different type than Azure writes; was the file edited by hand?")
}

fn text(map: &Map<String, Value>, key: &str, path: &str) -> Result<Option<String>, Diagnostic> {
    match get(map, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(_) => Err(wrong_type(&format!("{path}.{key}"), "a string")),
    }
}

fn required(map: &Map<String, Value>, key: &str, path: &str) -> Result<String, Diagnostic> {
    match text(map, key, path)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(Diagnostic::error("MissingField", format!("the route has no `{key}`"))
            .at(format!("{path}.{key}"))
            .hint("every effective route Azure returns has source, state, addressPrefix and nextHopType")),
    }
}

/// One route object. Fields may also sit under `properties` or (older CLIs)
/// `additionalProperties`.
fn route(value: &Value, path: &str) -> Result<ObservedRoute, Diagnostic> {
    let Value::Object(outer) = value else {
        return Err(wrong_type(path, "an effective route object"));
    };
    let mut map = outer.clone();
    for nested in ["properties", "additionalProperties"] {
        if let Some(Value::Object(inner)) = get(outer, nested) {
            for (k, v) in inner {
                if !v.is_null() && get(&map, k).is_none() {
                    map.insert(k.clone(), v.clone());
                }
            }
        }
    }
    let address_prefixes = strings(get(&map, "addressPrefix"), &format!("{path}.addressPrefix"))?;
    if address_prefixes.is_empty() {
        return Err(Diagnostic::error("MissingField", "the route has no `addressPrefix`")
            .at(format!("{path}.addressPrefix"))
            .hint("every effective route Azure returns has source, state, addressPrefix and nextHopType"));
    }
    let disable_bgp_route_propagation = match get(&map, "disableBgpRoutePropagation") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        Some(_) => {
            return Err(wrong_type(&format!("{path}.disableBgpRoutePropagation"), "a boolean"));
        }
    };
    Ok(ObservedRoute {
        name: text(&map, "name", path)?.filter(|n| !n.is_empty()),
        source: required(&map, "source", path)?,
        state: required(&map, "state", path)?,
        address_prefixes,
        next_hop_type: required(&map, "nextHopType", path)?,
        next_hop_ips: strings(get(&map, "nextHopIpAddress"), &format!("{path}.nextHopIpAddress"))?,
        disable_bgp_route_propagation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTE: &str = r#"{"addressPrefix":["10.0.0.0/16"],"disableBgpRoutePropagation":false,"nextHopIpAddress":[],"nextHopType":"VnetLocal","source":"Default","state":"Active"}"#;
    const NIC_ID: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic1";

    fn one(text: &str) -> ObservedRouteTable {
        parse_observed("t.json", "nic-a", text).unwrap_or_else(|d| panic!("{d}"))
    }

    #[test]
    fn every_accepted_shape_reads_the_same_route() {
        let expected = ObservedRoute {
            name: None,
            source: "Default".into(),
            state: "Active".into(),
            address_prefixes: vec!["10.0.0.0/16".into()],
            next_hop_type: "VnetLocal".into(),
            next_hop_ips: vec![],
            disable_bgp_route_propagation: Some(false),
        };
        let shapes = [
            format!(r#"{{"value":[{ROUTE}]}}"#),
            format!(r#"{{"nextLink":null,"value":[{ROUTE}]}}"#),
            format!(r#"[{ROUTE}]"#),
            format!(r#"{{"parameters":{{}},"responses":{{"200":{{"body":{{"value":[{ROUTE}]}}}},"202":{{}}}}}}"#),
            r#"{"additionalProperties":{},"nextLink":null,"value":[{"additionalProperties":{},"addressPrefix":["10.0.0.0/16"],"disableBgpRoutePropagation":false,"name":null,"nextHopIpAddress":[],"nextHopType":"VnetLocal","source":"Default","state":"Active"}]}"#.to_string(),
            r#"[{"Name":null,"Source":"Default","State":"Active","AddressPrefix":["10.0.0.0/16"],"NextHopType":"VnetLocal","NextHopIpAddress":[],"DisableBgpRoutePropagation":false}]"#.to_string(),
        ];
        for text in &shapes {
            let t = one(text);
            assert_eq!(t.nic, ObservedNicRef::Name("nic-a".into()), "{text}");
            assert_eq!(t.routes, vec![expected.clone()], "{text}");
        }
        let wrapped = format!(r#"{{"nicId":"{NIC_ID}","effectiveRoutes":{}}}"#, shapes[0]);
        let t = one(&wrapped);
        assert_eq!(t.nic, ObservedNicRef::Id(ArmId::new(NIC_ID)));
        assert_eq!(t.routes, vec![expected]);
    }

    #[test]
    fn strings_and_names_are_read() {
        let t = one(
            r#"{"value":[{"name":"udr","source":"User","state":"Invalid","addressPrefix":"0.0.0.0/0","nextHopType":"VirtualAppliance","nextHopIpAddress":"10.0.1.4"}]}"#,
        );
        let r = &t.routes[0];
        assert_eq!(r.name.as_deref(), Some("udr"));
        assert_eq!(r.address_prefixes, vec!["0.0.0.0/0"]);
        assert_eq!(r.next_hop_ips, vec!["10.0.1.4"]);
        assert_eq!(r.disable_bgp_route_propagation, None);
    }

    #[test]
    fn bad_files_name_the_problem() {
        let err = |text: &str| parse_observed("bad.json", "x", text).unwrap_err();
        assert_eq!(err("").code, "EmptyFile");
        assert_eq!(err("{\"value\": [").code, "TruncatedJson");
        assert_eq!(err("nope").code, "InvalidJson");
        assert_eq!(err(r#"{"foo": 1}"#).code, "NotEffectiveRoutes");
        let d = err(r#"{"value":[{"source":"Default","state":"Active","addressPrefix":["10.0.0.0/8"]}]}"#);
        assert_eq!(d.code, "MissingField");
        assert_eq!(d.json_path.as_deref(), Some("$.value[0].nextHopType"));
        assert_eq!(d.file.as_deref(), Some("bad.json"));
        let d = err(r#"{"value":[{"source":"Default","state":"Active","addressPrefix":[5],"nextHopType":"None"}]}"#);
        assert_eq!(d.code, "WrongType");
        assert_eq!(d.json_path.as_deref(), Some("$.value[0].addressPrefix"));
        assert_eq!(err(r#"{"effectiveRoutes":[]}"#).code, "WrapperWithoutNic");
        assert_eq!(err(r#"{"nicId":"/x"}"#).code, "WrapperWithoutRoutes");
    }
}
