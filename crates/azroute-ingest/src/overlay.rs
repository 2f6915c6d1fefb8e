//! Laying a second input (a Terraform plan, or any snapshot) over a live one before linking:
//! overlay resources replace base ones with the same id, deletions remove resources and their
//! children, `no-op` changes keep the live copy.

use std::collections::HashSet;

use crate::pending::{Child, KindVisitor, Pending, PendingItem};

impl Pending {
    /// Lays `overlay` over this (the base): the overlay's copies of resources it leaves
    /// unchanged are dropped where the base has them (the live copy stays), then every base
    /// resource the overlay replaces (same normalised id) or deletes (with the children of
    /// deleted parents) is removed, so that absorbing the overlay afterwards yields the
    /// overlaid estate.
    pub fn overlay_with(&mut self, overlay: &mut Pending) {
        // A plan names the routes and rules a live export holds inside their table or NSG as
        // resources of their own: both sides hold every child apart from its parent from here
        // on, so that a child is kept, replaced, deleted or added exactly as a top-level
        // resource is (linking nests them back).
        self.detach_inline_children();
        overlay.detach_inline_children();
        if !overlay.unchanged.is_empty() {
            let mut unchanged: HashSet<String> = overlay.unchanged.iter().cloned().collect();
            overlay.unpaired_peerings.retain(|u| !unchanged.contains(&u.key));
            // The children of a table or NSG the plan leaves alone are unchanged too (a plan
            // that changes a child does not leave its parent unchanged).
            let children: Vec<String> = (overlay.routes.iter().map(|r| (&r.parent, &r.key)))
                .chain(overlay.rules.iter().map(|r| (&r.parent, &r.key)))
                .filter(|(parent, _)| unchanged.contains(*parent))
                .map(|(_, key)| key.clone())
                .collect();
            unchanged.extend(children);
            overlay.zip_resource_kinds(self, &mut KeepLiveCopies { unchanged: &unchanged });
        }
        self.drop_children_of_replaced_parents(overlay);
        replace_in_place(&mut self.routes, &mut overlay.routes);
        replace_in_place(&mut self.rules, &mut overlay.rules);
        let deleted: HashSet<String> = overlay.deleted.iter().cloned().collect();
        self.zip_resource_kinds(overlay, &mut RemoveReplaced { deleted: &deleted });
        self.subnet_nic_refs.retain(|(subnet, _)| !deleted.contains(subnet.as_str()));
        if !overlay.service_tags.is_empty() {
            self.service_tags.clear();
        }
    }

    /// Moves the routes of every route table and the rules of every NSG into the standalone
    /// child lists, in their order.
    fn detach_inline_children(&mut self) {
        for table in &mut self.route_tables {
            let parent = table.id.key();
            self.routes.extend(table.routes.drain(..).map(|r| Child {
                key: r.id.key(),
                parent: parent.clone(),
                item: r,
            }));
        }
        for nsg in &mut self.nsgs {
            let parent = nsg.id.key();
            self.rules.extend(nsg.rules.drain(..).map(|r| Child { key: r.id.key(), parent: parent.clone(), item: r }));
        }
    }

    /// A route table or NSG the overlay replaces brings its complete set of routes or rules
    /// (Terraform's `route` and `security_rule` blocks list them all, standalone ones
    /// included): the base's are dropped with it. Subnets and peerings are not, since a VNet's
    /// `subnet` blocks may be unknown in a plan: they are replaced one by one.
    fn drop_children_of_replaced_parents(&mut self, overlay: &Pending) {
        let tables: HashSet<String> = overlay.route_tables.iter().map(|t| t.id.key()).collect();
        self.routes.retain(|r| !tables.contains(&r.parent));
        let nsgs: HashSet<String> = overlay.nsgs.iter().map(|n| n.id.key()).collect();
        self.rules.retain(|r| !nsgs.contains(&r.parent));
    }
}

/// Children the overlay changes (same id) take their place in the base's order: the order of
/// a table's routes and an NSG's rules is part of what they say (the first of two routes for
/// one prefix wins), and Azure keeps it when a child is updated.
fn replace_in_place<T>(base: &mut [Child<T>], overlay: &mut Vec<Child<T>>) {
    let positions: std::collections::HashMap<&str, usize> =
        base.iter().enumerate().map(|(i, c)| (c.key.as_str(), i)).collect();
    let mut placed = Vec::new();
    for (j, child) in overlay.iter().enumerate() {
        if let Some(&i) = positions.get(child.key.as_str()) {
            placed.push((i, j));
        }
    }
    if placed.is_empty() {
        return;
    }
    let mut taken: Vec<Option<Child<T>>> = overlay.drain(..).map(Some).collect();
    for &(i, j) in &placed {
        if let Some(child) = taken[j].take() {
            base[i] = child;
        }
    }
    overlay.extend(taken.into_iter().flatten());
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
