//! Keeping secrets out of the snapshot: az outputs are persisted only after every key that can
//! hold a credential (tokens, passwords, client secrets, shared and authorization keys, custom
//! data) is removed, and error text is cleared of anything that looks like a token.

use serde_json::Value;

/// Lower-cased fragments of key names whose values are never written.
const SECRET_KEY_FRAGMENTS: &[&str] = &[
    "token",
    "password",
    "secret",
    "sharedkey",
    "authorizationkey",
    "primarykey",
    "secondarykey",
    "privatekey",
    "connectionstring",
    "customdata",
];

/// Whether a key names a secret (`accessToken`, `refreshToken`, `clientSecret`, `password`,
/// `adminPassword`, `sharedKey`, `radiusServerSecret`, …).
pub fn is_secret_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    SECRET_KEY_FRAGMENTS.iter().any(|f| lower.contains(f))
}

/// Whether a string looks like a JSON Web Token (what `az account get-access-token` returns).
pub fn looks_like_jwt(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix("Bearer ").or_else(|| t.strip_prefix("bearer ")).unwrap_or(t);
    t.starts_with("eyJ")
        && t.len() >= 20
        && t.split('.').count() >= 2
        && t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '='))
}

/// Removes secret keys (and string values that look like tokens) from a JSON value, returning
/// the names of the keys removed. Iterative, so no input can exhaust the stack.
pub fn strip_secrets(value: &mut Value) -> Vec<String> {
    let mut removed = Vec::new();
    let mut stack: Vec<&mut Value> = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                let doomed: Vec<String> = map
                    .iter()
                    .filter(|(k, v)| is_secret_key(k) || v.as_str().is_some_and(looks_like_jwt))
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in doomed {
                    map.remove(&k);
                    removed.push(k);
                }
                stack.extend(map.values_mut());
            }
            Value::Array(items) => {
                items.retain(|item| !item.as_str().is_some_and(looks_like_jwt));
                stack.extend(items.iter_mut());
            }
            _ => {}
        }
    }
    removed.sort();
    removed.dedup();
    removed
}

/// Error text fit for the manifest: tokens replaced, length bounded.
pub fn clean_error_text(text: &str) -> String {
    const LIMIT: usize = 2000;
    let cleaned: Vec<String> = text
        .lines()
        .map(|line| {
            line.split(' ')
                .map(|word| {
                    let bare = word.trim_matches(|c: char| matches!(c, '"' | '\'' | ',' | ';' | '(' | ')' | '[' | ']'));
                    if looks_like_jwt(bare) { word.replace(bare, "[redacted]") } else { word.to_string() }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut out = cleaned.join("\n");
    if out.len() > LIMIT {
        let mut cut = LIMIT;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_keys_are_removed_at_any_depth() {
        let mut v = json!([{
            "name": "cn",
            "sharedKey": "abc",
            "accessToken": "x",
            "nested": {"refreshToken": "y", "clientSecret": "z", "keep": 1,
                       "list": [{"password": "p", "adminPassword": null, "ok": true}]},
            "vpnClientConfiguration": {"radiusServerSecret": "r", "vpnClientAddressPool": {"addressPrefixes": ["172.16.201.0/24"]}},
            "jwt": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwcyJ9.c2ln"
        }]);
        let removed = strip_secrets(&mut v);
        assert_eq!(
            removed,
            vec![
                "accessToken",
                "adminPassword",
                "clientSecret",
                "jwt",
                "password",
                "radiusServerSecret",
                "refreshToken",
                "sharedKey"
            ]
        );
        assert_eq!(
            v,
            json!([{"name": "cn", "nested": {"keep": 1, "list": [{"ok": true}]},
                    "vpnClientConfiguration": {"vpnClientAddressPool": {"addressPrefixes": ["172.16.201.0/24"]}}}])
        );
    }

    #[test]
    fn routing_keys_are_kept() {
        for key in ["addressPrefix", "nextHopIpAddress", "id", "bgpSettings", "publicCertData", "keyData"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn error_text_loses_tokens() {
        let text = "ERROR: bad token eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwcyJ9.c2ln here\n\n";
        assert_eq!(clean_error_text(text), "ERROR: bad token [redacted] here");
        assert!(clean_error_text(&"x".repeat(5000)).chars().count() <= 2001);
    }
}
