//! Azure Resource Manager ids: kept as written for display, compared case-insensitively.

use std::fmt;
use std::sync::Arc;

/// An ARM resource id exactly as the export wrote it.
///
/// ARM ids are case-insensitive (different resource providers return different casing for the
/// same resource group), so equality and lookups go through [`normalize_id`]; the original
/// string is kept for display so users see their own ids.
///
/// The text is shared (`Arc<str>`): a clone costs no copy, and ingest gives every reference to
/// the same resource in a file one allocation (a 100k-NIC estate repeats each subnet's id in
/// every NIC of it).
#[derive(Clone, Debug, Default)]
pub struct ArmId(Arc<str>);

impl ArmId {
    pub fn new(id: impl AsRef<str>) -> ArmId {
        ArmId(Arc::from(id.as_ref()))
    }

    /// An id whose text is already shared (see [`ArmId`]).
    pub fn shared(id: Arc<str>) -> ArmId {
        ArmId(id)
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
    let mut key = String::with_capacity(id.len() + 2);
    normalize_id_into(id, &mut key);
    key
}

/// [`normalize_id`] into a reusable buffer (cleared first), for lookups that should not
/// allocate.
pub fn normalize_id_into(id: &str, key: &mut String) {
    key.clear();
    // Whitespace and slashes are trimmed together, so a key normalises to itself (`a/ /` would
    // otherwise keep a trailing space that a second pass removes).
    let trimmed = id.trim_matches(|c: char| c == '/' || c.is_whitespace());
    key.push('/');
    key.push_str(trimmed);
    key.make_ascii_lowercase();
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
}

/// A 64-bit hash of a normalised id (FxHash's multiply-rotate over 8-byte words, then a
/// murmur3 finaliser so that every bit depends on every byte). Deterministic across runs.
pub fn id_hash(normalized: &str) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h: u64 = normalized.len() as u64;
    let mut chunks = normalized.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    let rest = chunks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
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
