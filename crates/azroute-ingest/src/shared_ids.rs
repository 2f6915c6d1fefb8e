//! One allocation per distinct referenced id in a file: every NIC of a subnet names the subnet's
//! id (and often its NSG's), so a 100k-NIC estate held each such id a hundred times as text.

use std::cell::RefCell;
use std::sync::Arc;

use azroute_model::ArmId;
// Fx rather than SipHash: ids are hashed once per reference (millions at 100k NICs) and come
// from the user's own export.
use rustc_hash::FxHashSet as HashSet;

thread_local! {
    /// The ids referenced so far in the file this thread is reading (cleared per file by
    /// [`forget`], so that the table never outlives a file and costs at most one file's
    /// distinct references).
    static REFERENCED: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::default());
}

/// An [`ArmId`] for a referenced id, sharing its text with every earlier reference to the same
/// text in this file.
pub(crate) fn referenced_id(text: &str) -> ArmId {
    REFERENCED.with(|table| {
        let mut table = table.borrow_mut();
        if let Some(shared) = table.get(text) {
            return ArmId::shared(Arc::clone(shared));
        }
        let shared: Arc<str> = Arc::from(text);
        table.insert(Arc::clone(&shared));
        ArmId::shared(shared)
    })
}

/// Drops this thread's table (the ids themselves live on in what was read).
pub(crate) fn forget() {
    REFERENCED.with(|table| *table.borrow_mut() = HashSet::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_one_id_share_one_allocation_until_forgotten() {
        forget();
        let a = referenced_id("/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v");
        let b = referenced_id("/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v");
        let other = referenced_id("/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/w");
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert!(!std::ptr::eq(a.as_str(), other.as_str()));
        forget();
        let c = referenced_id("/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v");
        assert_eq!(c, a);
        assert!(!std::ptr::eq(a.as_str(), c.as_str()));
    }

    #[test]
    fn the_nics_of_a_file_share_their_subnet_and_nsg_ids() {
        let nic = |name: &str| {
            format!(
                r#"{{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/{name}", "type": "Microsoft.Network/networkInterfaces", "properties": {{"networkSecurityGroup": {{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkSecurityGroups/g"}}, "ipConfigurations": [{{"name": "c", "properties": {{"subnet": {{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/a"}}}}}}]}}}}"#
            )
        };
        let text = format!("[{}, {}]", nic("n1"), nic("n2"));
        let read = crate::parse_one(0, "nics.json", &text);
        let subnet = |i: usize| read.nics[i].ip_configs[0].subnet.as_ref().and_then(|l| l.missing()).unwrap().as_str();
        let nsg = |i: usize| read.nics[i].nsg.as_ref().and_then(|l| l.missing()).unwrap().as_str();
        assert!(subnet(0).ends_with("/subnets/a"));
        assert!(std::ptr::eq(subnet(0), subnet(1)));
        assert!(std::ptr::eq(nsg(0), nsg(1)));
    }
}
