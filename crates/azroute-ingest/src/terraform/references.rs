//! Following an unknown link attribute through the plan's `configuration` references (module
//! calls, `var.` inputs, module outputs) to the resource it names.

use super::*;

impl<'p, 't> Lowerer<'p, 't> {
    // ----- References -----

    /// The configuration module of a module instance path (instance keys dropped).
    pub(super) fn module_config(&self, module: &[ModuleStep]) -> Option<&Value> {
        let mut m = self.configuration.as_ref()?.get("root_module")?;
        for (call, _) in module {
            m = m.get("module_calls")?.get(call)?.get("module")?;
        }
        Some(m)
    }

    /// The configuration `expressions` of an instance's resource block.
    pub(super) fn expressions(&self, i: usize) -> Option<&Value> {
        let addr = &self.insts[i].addr;
        let module = self.module_config(&addr.module)?;
        let local = addr.local();
        let suffix = format!(".{local}");
        let mode = if addr.data { "data" } else { "managed" };
        module
            .get("resources")?
            .as_array()?
            .iter()
            .find(|r| {
                r.get("address").and_then(Value::as_str).is_some_and(|a| a == local || a.ends_with(&suffix))
                    && r.get("mode").and_then(Value::as_str).is_none_or(|m| m == mode)
            })?
            .get("expressions")
    }

    /// The `references` of the expression at `path` below an instance's block.
    pub(super) fn references(&self, i: usize, path: &[ExprStep<'_>]) -> Vec<String> {
        let Some(mut e) = self.expressions(i) else {
            return Vec::new();
        };
        for step in path {
            let next = match step {
                ExprStep::Key(k) => e.get(*k),
                ExprStep::Idx(n) => e.get(*n),
                ExprStep::Named(name) => e.as_array().and_then(|blocks| {
                    blocks.iter().find(|b| {
                        b.get("name")
                            .and_then(|n| n.get("constant_value"))
                            .and_then(Value::as_str)
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    })
                }),
            };
            match next {
                Some(v) => e = v,
                None => return Vec::new(),
            }
        }
        string_list(e.get("references"))
    }

    /// Whether `after_unknown` marks the value at `path` unknown.
    pub(super) fn is_unknown(&self, i: usize, path: &[ExprStep<'_>]) -> bool {
        let Some(mut m) = self.insts[i].unknown.as_ref() else {
            return false;
        };
        for step in path {
            if m.as_bool() == Some(true) {
                return true;
            }
            let next = match step {
                ExprStep::Key(k) => m.get(*k),
                ExprStep::Idx(n) => m.get(*n),
                ExprStep::Named(_) => None,
            };
            match next {
                Some(v) => m = v,
                None => return false,
            }
        }
        m.as_bool() == Some(true)
    }

    /// Instances a reference names, in scope of a module instance, following `var.` inputs
    /// and module outputs.
    pub(super) fn resolve(&self, scope: &[ModuleStep], reference: &str, depth: u32) -> Vec<usize> {
        if depth > MAX_REFERENCE_DEPTH || self.budget.get() == 0 {
            return Vec::new();
        }
        self.budget.set(self.budget.get() - 1);
        let Some(steps) = parse_steps(reference) else {
            return Vec::new();
        };
        let name = |k: usize| match steps.get(k) {
            Some(Step::Name(n)) => Some(n.as_str()),
            _ => None,
        };
        let index = |k: usize| match steps.get(k) {
            Some(Step::Index(x)) => Some(x.clone()),
            _ => None,
        };
        match name(0) {
            Some("var") => {
                let (Some(var), Some((call, _))) = (name(1), scope.last()) else {
                    return Vec::new();
                };
                let parent = &scope[..scope.len() - 1];
                let refs = self
                    .module_config(parent)
                    .and_then(|m| m.get("module_calls"))
                    .and_then(|c| c.get(call))
                    .and_then(|c| c.get("expressions"))
                    .and_then(|e| e.get(var))
                    .map(|e| string_list(e.get("references")))
                    .unwrap_or_default();
                self.resolve_all(parent, &refs, depth + 1)
            }
            Some("module") => {
                let Some(call) = name(1) else {
                    return Vec::new();
                };
                let key = index(2);
                let output = if key.is_some() { name(3) } else { name(2) };
                let Some(output) = output else {
                    return Vec::new();
                };
                let mut child = scope.to_vec();
                child.push((call.to_string(), key));
                let refs = self
                    .module_config(&child)
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(output))
                    .and_then(|o| o.get("expression"))
                    .map(|e| string_list(e.get("references")))
                    .unwrap_or_default();
                self.resolve_all(&child, &refs, depth + 1)
            }
            Some("data") => match (name(1), name(2)) {
                (Some(t), Some(n)) => self.lookup(scope, true, t, n, index(3)),
                _ => Vec::new(),
            },
            Some("local" | "each" | "count" | "path" | "terraform" | "self") | None => Vec::new(),
            Some(t) => match name(1) {
                Some(n) => self.lookup(scope, false, t, n, index(2)),
                None => Vec::new(),
            },
        }
    }

    pub(super) fn resolve_all(&self, scope: &[ModuleStep], refs: &[String], depth: u32) -> Vec<usize> {
        let mut out = Vec::new();
        for r in refs {
            for t in self.resolve(scope, r, depth) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }

    pub(super) fn lookup(
        &self,
        scope: &[ModuleStep],
        data: bool,
        rtype: &str,
        name: &str,
        index: Option<String>,
    ) -> Vec<usize> {
        let addr = Address {
            module: scope.to_vec(),
            data,
            rtype: rtype.to_string(),
            name: name.to_string(),
            index: index.clone(),
        };
        if let Some(&i) = self.by_instance.get(&addr.instance_key()) {
            return vec![i];
        }
        if index.is_none()
            && let Some([only]) = self.by_resource.get(&addr.resource_key()).map(Vec::as_slice)
        {
            return vec![*only];
        }
        Vec::new()
    }

    /// Follows the references of an unknown attribute to the ids of resources of `types`.
    pub(super) fn follow_all(&self, i: usize, path: &[ExprStep<'_>], types: &[&str]) -> (Vec<String>, Vec<String>) {
        let refs = self.references(i, path);
        let scope = self.insts[i].addr.module.clone();
        self.budget.set(MAX_REFERENCE_STEPS);
        let ids = self.resolve_all(&scope, &refs, 0).into_iter().flat_map(|t| self.target_ids(t, types)).fold(
            Vec::new(),
            |mut acc, id| {
                if !acc.iter().any(|a: &String| a.eq_ignore_ascii_case(&id)) {
                    acc.push(id);
                }
                acc
            },
        );
        (ids, refs)
    }

    /// The ids a reference to instance `t` yields for an attribute that names `types`: its own
    /// id, or for a subnet attribute that names a VNet (`one(azurerm_virtual_network.x.subnet).id`)
    /// the VNet's inline subnet when it has exactly one.
    pub(super) fn target_ids(&self, t: usize, types: &[&str]) -> Vec<String> {
        let rtype = self.insts[t].addr.rtype.as_str();
        if types.contains(&rtype) {
            return self.ids[t].clone().into_iter().collect();
        }
        if types == SUBNET
            && let (Some(Attrs::Vnet(v)), Some(vnet_id)) = (&self.attrs[t], &self.ids[t])
        {
            let inline: Vec<&TfVnetSubnet> = blocks(&v.subnet).map(|(_, b)| b).collect();
            if let [only] = inline.as_slice()
                && let Some(name) = nonempty(&only.name)
            {
                return vec![
                    nonempty(&only.id).map(str::to_string).unwrap_or_else(|| format!("{vnet_id}/subnets/{name}")),
                ];
            }
        }
        Vec::new()
    }

    /// The id an unknown attribute will hold, from the configuration's references; reports
    /// when it cannot be told.
    pub(super) fn follow(&mut self, i: usize, path: &[ExprStep<'_>], types: &[&str], shown: &str) -> Option<String> {
        let (ids, refs) = self.follow_all(i, path, types);
        if let Some(first) = ids.into_iter().next() {
            return Some(first);
        }
        if !refs.is_empty() || self.is_unknown(i, path) {
            self.unresolved(i, shown, &refs);
        }
        None
    }

    pub(super) fn unresolved(&mut self, i: usize, shown: &str, refs: &[String]) {
        let inst = &self.insts[i];
        let message = if refs.is_empty() {
            format!(
                "`{}`: `{shown}` is not known until apply and the plan's configuration names no resource for it; the link is left out",
                inst.shown
            )
        } else {
            format!(
                "`{}`: `{shown}` is not known until apply and its references ({}) name no resource in this Terraform input; the link is left out",
                inst.shown,
                refs.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
            )
        };
        let path = format!("{}.{}", inst.path, shown);
        let id = self.ids[i].clone().unwrap_or_default();
        self.pending.diag(
            Diagnostic::warning("TerraformUnresolvedReference", message)
                .at(path)
                .resource(id)
                .hint(if self.is_plan {
                    "references are followed through resources, module outputs and `var.` inputs of this plan; links through locals, data sources read at apply time or other states cannot be followed"
                } else {
                    "state values are complete; this attribute is empty in the state"
                }),
        );
    }

    /// A link attribute: its value when known, else what its references name.
    pub(super) fn link_value(
        &mut self,
        i: usize,
        value: &Option<String>,
        path: &[ExprStep<'_>],
        types: &[&str],
        shown: &str,
    ) -> Option<String> {
        match nonempty(value) {
            Some(v) => Some(v.to_string()),
            None => self.follow(i, path, types, shown),
        }
    }

    pub(super) fn origin(&self, path: &str) -> Origin {
        Origin { file: self.pending.file, json_path: path.into() }
    }

    /// The id of instance `i`; `None` (already reported) when it has none.
    pub(super) fn id(&self, i: usize) -> Option<String> {
        self.ids[i].clone()
    }
}
