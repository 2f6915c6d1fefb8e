//! Input the user did not mean: text that is not UTF-8 but is still an export (UTF-16 from
//! Windows PowerShell's `>`), a line az printed to stderr saved with the JSON, PowerShell's
//! `ConvertTo-Json` at its default depth (nested objects turned into type names), and files
//! that hold no Azure resource at all (an editor's settings, a `package.json`). Each is named
//! with what to do, instead of a JSON parser's message or silence.

use std::borrow::Cow;

use crate::diag::Diagnostic;
use crate::pending::Pending;

/// The text of a file: UTF-8 (a byte-order mark dropped), or UTF-16 with a byte-order mark
/// (little-endian is what Windows PowerShell 5.1's `>` and `Out-File` write; big-endian is
/// accepted too).
pub(crate) fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, Diagnostic> {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, u16::from_le_bytes).map(Cow::Owned),
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, u16::from_be_bytes).map(Cow::Owned),
        _ => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text))),
            Err(err) => {
                let offset = err.valid_up_to();
                Err(Diagnostic::error(
                    "NotUtf8",
                    format!("the file is not UTF-8 text (invalid byte at offset {offset})"),
                )
                .hint("Azure exports are UTF-8 JSON (UTF-16 is read when it starts with a byte-order mark); save the file as UTF-8"))
            }
        },
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, Diagnostic> {
    let bad = |what: String| {
        Diagnostic::error("NotUtf16", format!("the file starts with a UTF-16 byte-order mark but {what}"))
            .hint("save the export again, or as UTF-8 (`Out-File -Encoding utf8`)")
    };
    if !bytes.len().is_multiple_of(2) {
        return Err(bad(format!("has an odd number of bytes ({})", bytes.len() + 2)));
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .enumerate()
        .map(|(i, c)| c.map_err(|_| bad(format!("holds an unpaired surrogate at byte offset {}", 2 + 2 * i))))
        .collect()
}

/// A file that is not JSON because it starts with a line az printed to its standard error
/// (`2>&1` saved it with the output): the diagnostic that says so, else the parser's.
pub(crate) fn explain_parse_failure(text: &str, parsed: Diagnostic) -> Diagnostic {
    let first = text.trim_start().lines().next().unwrap_or("");
    let az_prefixes = ["WARNING:", "ERROR:", "DEBUG:", "INFO:"];
    if !az_prefixes.iter().any(|p| first.starts_with(p)) {
        return parsed;
    }
    let shown: String = first.chars().take(120).collect();
    Diagnostic::error("AzCliMessageInFile", format!("the file starts with a line az printed to stderr: `{shown}`"))
        .at("$")
        .hint("save only az's standard output (`az … -o json > file`, without `2>&1`), or delete that line")
}

/// Texts `ConvertTo-Json` writes for nested objects deeper than its `-Depth` (2 by default).
const POWERSHELL_DEPTH_MARKS: [&str; 3] = ["\"System.Collections.Hashtable\"", "\"System.Object[]\"", "\"@{"];

/// After a file is read: a file PowerShell cut at its default depth is one error saying so
/// (instead of the type errors its strings cause), and a file with no Azure resource in it is
/// named.
pub(crate) fn check_read_file(text: &str, pending: &mut Pending) {
    let read_nothing = read_nothing(pending);
    if (read_nothing || !pending.diagnostics.is_empty()) && POWERSHELL_DEPTH_MARKS.iter().any(|m| text.contains(m)) {
        pending.diagnostics.clear();
        pending.diag(
            Diagnostic::error(
                "PowerShellDepthTruncated",
                "the file was written by PowerShell's `ConvertTo-Json` at its default depth: nested objects became strings such as \"@{id=…}\" or \"System.Object[]\"",
            )
            .hint("export again with `ConvertTo-Json -Depth 100` (or use `az … -o json`)"),
        );
        return;
    }
    // An empty list is an export of a kind the estate has none of; collect's manifest and
    // effective routes saved for `verify` are meant to be there.
    let meant = pending.untyped_objects == 0 || text.contains("\"azrouteManifest\"");
    if read_nothing && !meant && !is_effective_routes(text, &pending.file_path) {
        let objects = pending.untyped_objects;
        pending.diag(
            Diagnostic::warning(
                "NoAzureResources",
                format!("the file holds no Azure resources ({objects} JSON object(s) without a resource type); nothing was read from it"),
            )
            .hint("is it an export? snapshot directories hold the outputs of the `az` commands in the README (directories named `node_modules` or starting with `.` are not read)"),
        );
    }
}

/// Nothing of Azure came out of the file: no resource (modelled or not), Service Tags,
/// learned routes, plan changes, or diagnostic.
fn read_nothing(p: &Pending) -> bool {
    p.resources_read == 0
        && p.skipped_types.is_empty()
        && p.service_tags.is_empty()
        && p.learned.is_empty()
        && p.hub_learned.is_empty()
        && p.observed_hub_routes.is_empty()
        && p.deleted.is_empty()
        && p.unchanged.is_empty()
        && p.associations.is_empty()
        && p.diagnostics.is_empty()
}

/// Effective routes saved beside the snapshot, for `verify`: untyped, but meant.
fn is_effective_routes(text: &str, path: &str) -> bool {
    crate::observed::parse_observed(path, "", text).is_ok_and(|table| !table.routes.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load_texts;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            out.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        out
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded_and_broken_utf16_is_named() {
        let text = r#"{"value": [], "é": "ü𝄞"}"#;
        assert_eq!(decode_text(&utf16(text, false)).unwrap(), text);
        assert_eq!(decode_text(&utf16(text, true)).unwrap(), text);
        assert_eq!(decode_text("\u{feff}[]".as_bytes()).unwrap(), "[]");
        let mut odd = utf16(text, false);
        odd.push(b'x');
        assert_eq!(decode_text(&odd).unwrap_err().code, "NotUtf16");
        let lone_surrogate = [0xFF, 0xFE, 0x00, 0xD8, b'a', 0x00];
        assert!(decode_text(&lone_surrogate).unwrap_err().message.contains("unpaired surrogate at byte offset 2"));
        assert_eq!(decode_text(&[b'[', 0xE9, b']']).unwrap_err().code, "NotUtf8");
    }

    #[test]
    fn only_files_without_anything_of_azure_are_named() {
        let codes = |name: &str, text: &str| -> Vec<&'static str> {
            load_texts(&[(name.to_string(), text.to_string())]).diagnostics.iter().map(|d| d.code).collect()
        };
        assert_eq!(codes("settings.json", r#"{"editor.tabSize": 2}"#), ["NoAzureResources"]);
        // An empty list is an export of a kind the estate has none of.
        assert!(codes("list.json", "[]").is_empty());
        assert!(codes("value.json", r#"{"value": []}"#).is_empty());
        assert_eq!(codes("objects.json", r#"[{"a": 1}]"#), ["NoAzureResources"]);
        // Effective routes saved beside the exports are meant (for `verify`).
        let routes = r#"{"value": [{"addressPrefix": ["10.0.0.0/16"], "nextHopType": "VnetLocal", "source": "Default", "state": "Active", "nextHopIpAddress": []}]}"#;
        assert!(codes("nic1.json", routes).is_empty());
        // Unmodelled resource types are Azure resources.
        assert!(codes("kv.json", r#"[{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/v", "type": "Microsoft.KeyVault/vaults"}]"#).is_empty());
    }

    #[test]
    fn az_messages_and_powershell_depth_are_recognised() {
        let codes = |text: &str| -> Vec<&'static str> {
            load_texts(&[("a.json".to_string(), text.to_string())]).diagnostics.iter().map(|d| d.code).collect()
        };
        assert_eq!(
            codes("ERROR: (AuthorizationFailed) The client does not have authorization\n"),
            ["AzCliMessageInFile"]
        );
        assert_eq!(codes("not json"), ["InvalidJson"]);
        let shallow = r#"[{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n", "type": "Microsoft.Network/networkInterfaces", "properties": {"ipConfigurations": "System.Object[]"}}]"#;
        assert_eq!(codes(shallow), ["PowerShellDepthTruncated"]);
    }
}
