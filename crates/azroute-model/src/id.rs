//! Azure Resource Manager ids: kept as written for display, compared case-insensitively.

use std::fmt;

/// An ARM resource id exactly as the export wrote it.
///
/// ARM ids are case-insensitive (different resource providers return different casing for the
/// same resource group), so equality and lookups go through [`normalize_id`]; the original
/// string is kept for display so users see their own ids.
#[derive(Clone, Debug, Default)]
pub struct ArmId(String);

impl ArmId {
    pub fn new(id: impl Into<String>) -> ArmId {
        ArmId(id.into())
    }

    /// The id as written in the input.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The normalised key used for lookups (see [`normalize_id`]).
    pub fn key(&self) -> String {
        normalize_id(&self.0)
    }

    /// The last path segment (a resource's own name as its id spells it).
    pub fn last_segment(&self) -> &str {
        self.0.trim_end_matches('/').rsplit('/').next().unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl PartialEq for ArmId {
    fn eq(&self, other: &ArmId) -> bool {
        self.key() == other.key()
    }
}

impl Eq for ArmId {}

impl fmt::Display for ArmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Normalises an ARM id for comparison: trimmed, lower-cased, one leading `/`, no trailing `/`,
/// and the singular `resourceGroup/` segment some exports write turned into `resourceGroups/`.
pub fn normalize_id(id: &str) -> String {
    // Whitespace and slashes are trimmed together, so a key normalises to itself (`a/ /` would
    // otherwise keep a trailing space that a second pass removes).
    let trimmed = id.trim_matches(|c: char| c == '/' || c.is_whitespace());
    let mut key = String::with_capacity(trimmed.len() + 2);
    key.push('/');
    for ch in trimmed.chars() {
        key.push(ch.to_ascii_lowercase());
    }
    // Only the resource-group segment is respelled: first, or right after `subscriptions/{id}`.
    // A resource named `resourceGroup` further on (`virtualNetworks/resourceGroup/subnets/x`)
    // keeps its name, so the same id with either spelling of the group segment gives one key.
    let group_at = if key.starts_with("/resourcegroup/") {
        Some(0)
    } else if let Some(rest) = key.strip_prefix("/subscriptions/") {
        rest.find('/').map(|end| "/subscriptions/".len() + end).filter(|&at| key[at..].starts_with("/resourcegroup/"))
    } else {
        None
    };
    if let Some(at) = group_at {
        key.replace_range(at..at + "/resourcegroup/".len(), "/resourcegroups/");
    }
    key
}

/// The part of a normalised id from `/resourcegroups/` on.
///
/// Some exports (Batfish's test snapshots, hand-written files) write ids without the
/// `/subscriptions/{id}` prefix; matching on this suffix lets them link to full ids when the
/// match is unique.
pub fn rg_relative_key(normalized: &str) -> Option<&str> {
    normalized.find("/resourcegroups/").map(|pos| &normalized[pos..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_case_insensitively_and_ignore_slashes() {
        let a = ArmId::new("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/V/");
        let b = ArmId::new("/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v");
        assert_eq!(a, b);
        assert_eq!(a.last_segment(), "V");
    }

    #[test]
    fn relative_ids_share_the_resource_group_suffix() {
        let full = normalize_id("/subscriptions/s/resourceGroups/test/providers/X/y/z");
        let relative = normalize_id("resourceGroups/test/providers/X/y/z");
        assert_eq!(rg_relative_key(&full), rg_relative_key(&relative));
        let singular = normalize_id("resourceGroup/test/providers/X/y/z");
        assert_eq!(rg_relative_key(&singular), rg_relative_key(&full));
    }

    /// Fuzz finding (target `parse`): only the group segment is respelled, so both spellings of
    /// an id whose later segment is named `resourceGroup` give one key, and keys are stable.
    #[test]
    fn only_the_group_segment_is_respelled() {
        let vnet = "providers/Microsoft.Network/virtualNetworks/resourceGroup/subnets/app";
        let plural = normalize_id(&format!("/subscriptions/s/resourceGroups/rg/{vnet}"));
        let singular = normalize_id(&format!("/subscriptions/s/resourceGroup/rg/{vnet}"));
        assert_eq!(plural, singular);
        assert!(plural.ends_with("/virtualnetworks/resourcegroup/subnets/app"), "{plural}");
        assert_eq!(normalize_id("resourceGroup/rg/x/resourceGroup/y"), "/resourcegroups/rg/x/resourcegroup/y");
        for text in [
            "a/ /",
            " /x/ ",
            "resourc)eGroup/x/resourceGroup/x/r",
            "/subscriptions/s/resourceGroup/a/resourceGroup/b/resourceGroup/c",
            "/subscriptions//resourceGroup/a",
        ] {
            let key = normalize_id(text);
            assert_eq!(normalize_id(&key), key, "`{text}` does not normalise to a stable key");
        }
    }
}
