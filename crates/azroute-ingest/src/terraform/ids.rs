//! Ids: known ids kept, unknown ones synthesised as Azure will assign them.

use super::*;

impl<'p, 't> Lowerer<'p, 't> {
    // ----- Ids -----

    pub(super) fn assign_ids(&mut self, hint_ids: &[String]) {
        let mut known: Vec<String> = Vec::new();
        for i in 0..self.insts.len() {
            if let Some((Some(id), _, _)) = self.attrs[i].as_ref().map(Attrs::common) {
                known.push(id.to_string());
                self.ids[i] = Some(id.to_string());
            }
        }
        for id in known.iter().chain(hint_ids) {
            if let Some((sub, rg)) = subscription_of(id) {
                if self.any_subscription.is_none() {
                    self.any_subscription = Some(sub.clone());
                }
                if let Some(rg) = rg {
                    self.subscriptions.entry(rg).or_insert(sub);
                }
            }
        }
        // Top-level resources, then children (whose parents now have ids).
        for i in 0..self.insts.len() {
            // Resources already known, data sources, and resources that could not be read
            // (already reported) need no synthesised id.
            if self.ids[i].is_some() || self.insts[i].addr.data || self.attrs[i].is_none() {
                continue;
            }
            let Some(arm_type) = arm_type_of(&self.insts[i].addr.rtype) else {
                continue;
            };
            let (_, name, rg) = self.attrs[i].as_ref().map(Attrs::common).unwrap_or((None, None, None));
            let (name, rg) = (name.map(str::to_string), rg.map(str::to_string));
            match (name, rg) {
                (Some(name), Some(rg)) => {
                    self.ids[i] = Some(self.synthesise(&rg, arm_type, &name));
                }
                _ => self.no_id(i),
            }
        }
        for i in 0..self.insts.len() {
            // Resources already known, data sources, and resources that could not be read
            // (already reported) need no synthesised id.
            if self.ids[i].is_some() || self.insts[i].addr.data || self.attrs[i].is_none() {
                continue;
            }
            let child = match &self.attrs[i] {
                Some(Attrs::Subnet(a)) => Some((
                    a.name.clone(),
                    a.resource_group_name.clone(),
                    a.virtual_network_name.clone(),
                    "virtual_network_name",
                    VNET,
                    "Microsoft.Network/virtualNetworks",
                    "subnets",
                )),
                Some(Attrs::Peering(a)) => Some((
                    a.name.clone(),
                    a.resource_group_name.clone(),
                    a.virtual_network_name.clone(),
                    "virtual_network_name",
                    VNET,
                    "Microsoft.Network/virtualNetworks",
                    "virtualNetworkPeerings",
                )),
                Some(Attrs::Route(a)) => Some((
                    a.name.clone(),
                    a.resource_group_name.clone(),
                    a.route_table_name.clone(),
                    "route_table_name",
                    ROUTE_TABLE,
                    "Microsoft.Network/routeTables",
                    "routes",
                )),
                Some(Attrs::Rule(a)) => Some((
                    a.name.clone(),
                    a.resource_group_name.clone(),
                    a.network_security_group_name.clone(),
                    "network_security_group_name",
                    NSG,
                    "Microsoft.Network/networkSecurityGroups",
                    "securityRules",
                )),
                _ => None,
            };
            let Some((name, rg, parent_name, parent_attr, parent_types, parent_arm, segment)) = child else {
                continue;
            };
            let parent = self.parent(i, parent_name.as_deref(), rg.as_deref(), parent_attr, parent_types, parent_arm);
            match (parent, nonempty(&name)) {
                (Some(parent), Some(name)) => {
                    self.ids[i] = Some(format!("{parent}/{segment}/{name}"));
                }
                _ => self.no_id(i),
            }
        }
    }

    fn no_id(&mut self, i: usize) {
        let inst = &self.insts[i];
        self.pending.missing_id(MissingId::NotKnownYet(&inst.shown), inst.path.clone());
    }

    /// The id Azure gives a new resource: subscription (from a known id in the same resource
    /// group, else any known id), resource group, type, name.
    pub(super) fn synthesise(&mut self, rg: &str, arm_type: &str, name: &str) -> String {
        let sub = match self.subscriptions.get(&rg.to_ascii_lowercase()).or(self.any_subscription.as_ref()) {
            Some(sub) => sub.clone(),
            None => {
                self.used_placeholder_subscription = true;
                UNKNOWN_SUBSCRIPTION.to_string()
            }
        };
        let (provider, kind) = arm_type.split_once('/').unwrap_or(("Microsoft.Network", arm_type));
        format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/{kind}/{name}")
    }

    /// The id of a child's parent, named by `<parent>_name` and `resource_group_name`: a parent
    /// in the input with that name and group, else the id Azure gives it; when the name is not
    /// known yet, the resource Terraform's references name.
    pub(super) fn parent(
        &mut self,
        i: usize,
        name: Option<&str>,
        rg: Option<&str>,
        attr: &str,
        types: &[&str],
        arm_type: &str,
    ) -> Option<String> {
        if let (Some(name), Some(rg)) = (name.filter(|n| !n.trim().is_empty()), rg.filter(|r| !r.trim().is_empty())) {
            for j in 0..self.insts.len() {
                if !types.contains(&self.insts[j].addr.rtype.as_str()) {
                    continue;
                }
                let Some((_, Some(n), Some(r))) = self.attrs[j].as_ref().map(Attrs::common) else {
                    continue;
                };
                if n.eq_ignore_ascii_case(name)
                    && r.eq_ignore_ascii_case(rg)
                    && let Some(id) = &self.ids[j]
                {
                    return Some(id.clone());
                }
            }
            return Some(self.synthesise(rg, arm_type, name));
        }
        self.follow(i, &[ExprStep::Key(attr)], types, attr)
    }
}
