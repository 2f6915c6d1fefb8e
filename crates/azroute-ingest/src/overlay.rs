//! Laying a second input (a Terraform plan, or any snapshot) over a live one before linking:
//! overlay resources replace base ones with the same id, deletions remove resources and their
//! children, `no-op` changes keep the live copy.

use std::collections::HashSet;

use crate::pending::{KindVisitor, Pending, PendingItem};

impl Pending {
    /// Lays `overlay` over this (the base): the overlay's copies of resources it leaves
    /// unchanged are dropped where the base has them (the live copy stays), then every base
    /// resource the overlay replaces (same normalised id) or deletes (with the children of
    /// deleted parents) is removed, so that absorbing the overlay afterwards yields the
    /// overlaid estate.
    pub fn overlay_with(&mut self, overlay: &mut Pending) {
        if !overlay.unchanged.is_empty() {
            let unchanged: HashSet<String> = overlay.unchanged.iter().cloned().collect();
            // Inline children of a base route table or NSG are inside it; standalone ones may be
            // exported separately: either way the base keeps them.
            overlay.unpaired_peerings.retain(|u| !unchanged.contains(&u.key));
            overlay.zip_resource_kinds(self, &mut KeepLiveCopies { unchanged: &unchanged });
        }
        let deleted: HashSet<String> = overlay.deleted.iter().cloned().collect();
        self.zip_resource_kinds(overlay, &mut RemoveReplaced { deleted: &deleted });
        // Children of a deleted or replaced parent that the base holds inline go with it (a
        // replaced route table brings its own routes); standalone children were handled above.
        self.subnet_nic_refs.retain(|(subnet, _)| !deleted.contains(subnet.as_str()));
        if !overlay.service_tags.is_empty() {
            self.service_tags.clear();
        }
    }
}

/// Drops the overlay's copies of resources it leaves unchanged where the base has them.
struct KeepLiveCopies<'a> {
    unchanged: &'a HashSet<String>,
}

impl KindVisitor for KeepLiveCopies<'_> {
    fn visit<T: PendingItem>(&mut self, over: &mut Vec<T>, base: &mut Vec<T>) {
        let in_base: HashSet<String> = base.iter().map(|k| k.key().into_owned()).collect();
        over.retain(|k| {
            let key = k.key();
            !(self.unchanged.contains(key.as_ref()) && in_base.contains(key.as_ref()))
        });
    }
}

/// Drops the base resources the overlay replaces (same normalised id) or deletes (with the
/// children of deleted parents).
struct RemoveReplaced<'a> {
    deleted: &'a HashSet<String>,
}

impl KindVisitor for RemoveReplaced<'_> {
    fn visit<T: PendingItem>(&mut self, base: &mut Vec<T>, over: &mut Vec<T>) {
        let replaced: HashSet<String> = over.iter().map(|k| k.key().into_owned()).collect();
        base.retain(|k| {
            let key = k.key();
            !replaced.contains(key.as_ref())
                && !self.deleted.contains(key.as_ref())
                && !k.parent_key().is_some_and(|p| self.deleted.contains(p))
        });
    }
}
