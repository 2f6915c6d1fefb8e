//! Terraform of an embedded example answers as the example (§17.1, §19.1, §20.1): the same
//! question on both, in JSON, compared once what only an export can say is taken out of both.

use serde_json::Value;

use super::{azroute, repo_str};

/// The exit status and JSON answer of `args` on `snapshot`.
pub fn answer(snapshot: &[&str], args: &[&str]) -> (i32, Value) {
    let run = azroute(&[args, snapshot, &["-o", "json"]].concat());
    assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
    (run.code, run.json())
}

/// Removes what only the Terraform answer can lack: the power-state assumption, the connection
/// status in notes, the prefixes of service-endpoint routes (Terraform lists the service only),
/// and the `derived` mark of routing-intent policy routes with its assumption (a state holds
/// the routing intent but never the `_policy_*` routes Azure writes into the hub's tables, RI-4).
pub fn without_state_only_facts(v: &mut Value) {
    match v {
        Value::Array(items) => {
            items.retain(|i| {
                !i.as_str().is_some_and(|s| {
                    ["no power state", "routing policy routes are not in", "marked derived were computed"]
                        .iter()
                        .any(|fact| s.contains(fact))
                })
            });
            items.iter_mut().for_each(without_state_only_facts);
        }
        Value::Object(map) => {
            if map.get("nextHopType").and_then(Value::as_str) == Some("VirtualNetworkServiceEndpoint") {
                map.remove("addressPrefix");
            }
            map.remove("derived");
            map.values_mut().for_each(without_state_only_facts);
            if map.get("assumptions").and_then(Value::as_array).is_some_and(Vec::is_empty) {
                map.remove("assumptions");
            }
        }
        Value::String(s) => *s = s.replace(" (Connected)", "").replace(" (status unknown)", ""),
        _ => {}
    }
}

/// Asks every question of the example and of the Terraform directory, requires the same exit
/// status and the same answer once normalised, and returns the Terraform answers as asked
/// (for the caller to check the normalisation had something to do).
pub fn same_answers(example: &str, tf_dir: &str, questions: &[&[&str]]) -> String {
    let tf_dir = repo_str(tf_dir);
    let (terraform, example) = (["--snapshot", tf_dir.as_str()], ["--example", example]);
    let mut raw = String::new();
    for args in questions {
        let (code_example, mut from_example) = answer(&example, args);
        let (code_terraform, mut from_terraform) = answer(&terraform, args);
        assert_eq!(code_example, code_terraform, "{tf_dir} {args:?}");
        raw.push_str(&from_terraform.to_string());
        without_state_only_facts(&mut from_example);
        without_state_only_facts(&mut from_terraform);
        assert_eq!(from_example, from_terraform, "{tf_dir} {args:?}");
    }
    raw
}

/// Reads a Terraform directory verbosely: every resource read (no type skipped as unmodelled)
/// and no warning.
pub fn reads_every_resource(tf_dir: &str) {
    let run = azroute(&["routes", "--snapshot", repo_str(tf_dir).as_str(), "--all", "-o", "json", "--verbose"]).ok();
    assert!(!run.stderr.contains("unmodelled type") && !run.stderr.contains("warning"), "{}", run.stderr);
}
