//! The envelopes of Terraform JSON (`terraform show -json` of a state or plan, raw state) and the
//! reader that collects resource instances from them.

use super::*;

// ===== Envelopes =====

/// The top level of `terraform show -json` output or of a raw state file; each part is read
/// separately so a malformed part costs only itself.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Document<'a> {
    #[serde(borrow)]
    pub(super) format_version: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) values: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) prior_state: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) resource_changes: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) configuration: Option<&'a RawValue>,
    /// Raw state: `version` (4) and `resources`.
    #[serde(borrow)]
    pub(super) version: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) resources: Option<&'a RawValue>,
}

/// `{"values": …}` of a state representation (`prior_state`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct StateRepr<'a> {
    #[serde(borrow)]
    pub(super) values: Option<&'a RawValue>,
}

/// A values representation: `{"root_module": …}`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ValuesRepr<'a> {
    #[serde(borrow)]
    pub(super) root_module: Option<&'a RawValue>,
}

/// A module of a values representation.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ModuleRepr<'a> {
    pub(super) address: Option<String>,
    #[serde(borrow)]
    pub(super) resources: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    pub(super) child_modules: Option<Vec<&'a RawValue>>,
}

/// A resource of a values representation.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ResourceRepr<'a> {
    pub(super) address: Option<String>,
    pub(super) mode: Option<String>,
    #[serde(rename = "type")]
    pub(super) rtype: Option<String>,
    pub(super) name: Option<String>,
    #[serde(borrow)]
    pub(super) values: Option<&'a RawValue>,
}

/// One entry of a plan's `resource_changes`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ChangeRepr<'a> {
    pub(super) address: Option<String>,
    pub(super) mode: Option<String>,
    #[serde(rename = "type")]
    pub(super) rtype: Option<String>,
    pub(super) name: Option<String>,
    #[serde(borrow)]
    pub(super) deposed: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) change: Option<ChangeBody<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ChangeBody<'a> {
    pub(super) actions: Option<Vec<String>>,
    #[serde(borrow)]
    pub(super) before: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) after: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) after_unknown: Option<&'a RawValue>,
}

/// A resource of a raw state file.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawStateResource<'a> {
    pub(super) module: Option<String>,
    pub(super) mode: Option<String>,
    #[serde(rename = "type")]
    pub(super) rtype: Option<String>,
    pub(super) name: Option<String>,
    #[serde(borrow)]
    pub(super) instances: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawStateInstance<'a> {
    #[serde(borrow)]
    pub(super) index_key: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) attributes: Option<&'a RawValue>,
}

/// Collects resource instances from the envelopes.
pub(super) struct Reader<'p, 't> {
    pub(super) pending: &'p mut Pending,
    pub(super) file_text: &'t str,
    pub(super) insts: Vec<Instance<'t>>,
    /// Data sources: only their ids are used, to follow references.
    pub(super) data_insts: Vec<Instance<'t>>,
    /// Ids of plans' before-values (deleted and replaced resources): they name subscriptions.
    pub(super) hint_ids: Vec<String>,
}

impl<'t> Reader<'_, 't> {
    /// Reads `raw` as `T`, reporting a wrong type with its path.
    pub(super) fn typed<T: Deserialize<'t>>(
        &mut self,
        raw: &'t RawValue,
        path: &str,
        address: Option<&str>,
        what: &str,
    ) -> Option<T> {
        match serde_json::from_str::<T>(raw.get()) {
            Ok(v) => Some(v),
            Err(err) => {
                let inner =
                    serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(raw.get()))
                        .err()
                        .map(|e| e.path().to_string());
                let what = match address {
                    Some(a) => format!("`{a}`"),
                    None => what.to_string(),
                };
                wrong_type(self.pending, self.file_text, raw.get(), path, &err, inner, &what);
                None
            }
        }
    }

    /// A values representation: walks `root_module` and its `child_modules` without recursion.
    pub(super) fn values(&mut self, raw: &'t RawValue, path: &str, data_only: bool) {
        let Some(values) = self.typed::<ValuesRepr<'_>>(raw, path, None, "values") else {
            return;
        };
        let Some(root) = values.root_module else {
            return;
        };
        let mut work: Vec<(&'t RawValue, String, usize)> = vec![(root, format!("{path}.root_module"), 0)];
        while let Some((raw, mpath, depth)) = work.pop() {
            if depth > MAX_MODULE_DEPTH {
                self.pending.diag(
                    Diagnostic::error(
                        "NestingTooDeep",
                        format!("Terraform modules nest more than {MAX_MODULE_DEPTH} levels deep; the deeper modules were skipped"),
                    )
                    .at(mpath)
                    .hint("no real configuration nests modules this deep; is this the right file?"),
                );
                continue;
            }
            let Some(module) = self.typed::<ModuleRepr<'_>>(raw, &mpath, None, "module") else {
                continue;
            };
            let module_address = module.address.clone().unwrap_or_default();
            for (i, r) in module.resources.iter().flatten().enumerate() {
                let rpath = format!("{mpath}.resources[{i}]");
                let Some(res) = self.typed::<ResourceRepr<'_>>(r, &rpath, None, "resource") else {
                    continue;
                };
                let data = res.mode.as_deref() == Some("data");
                if data_only && !data {
                    continue;
                }
                let address = res.address.clone().unwrap_or_else(|| {
                    let local = format!(
                        "{}{}.{}",
                        if data { "data." } else { "" },
                        res.rtype.clone().unwrap_or_default(),
                        res.name.clone().unwrap_or_default()
                    );
                    if module_address.is_empty() { local } else { format!("{module_address}.{local}") }
                });
                let Some(values) = res.values else {
                    continue;
                };
                self.push(&address, values, format!("{rpath}.values"), None, &rpath, Planned::State);
            }
            // Pushed in reverse so modules are read in file order.
            let children = module.child_modules.unwrap_or_default();
            for (i, child) in children.into_iter().enumerate().rev() {
                work.push((child, format!("{mpath}.child_modules[{i}]"), depth + 1));
            }
        }
    }

    /// A plan's `resource_changes`.
    pub(super) fn changes(&mut self, raw: &'t RawValue, path: &str) {
        let Some(list) = self.typed::<Vec<&'t RawValue>>(raw, path, None, "resource_changes") else {
            return;
        };
        for (i, item) in list.into_iter().enumerate() {
            let cpath = format!("{path}[{i}]");
            let Some(change) = self.typed::<ChangeRepr<'_>>(item, &cpath, None, "resource change") else {
                continue;
            };
            let data = change.mode.as_deref() == Some("data");
            let address = change.address.clone().unwrap_or_else(|| {
                format!(
                    "{}{}.{}",
                    if data { "data." } else { "" },
                    change.rtype.clone().unwrap_or_default(),
                    change.name.clone().unwrap_or_default()
                )
            });
            let Some(body) = change.change else {
                continue;
            };
            let before_id = body.before.and_then(|b| serde_json::from_str::<TfCommon>(b.get()).ok()).and_then(|b| b.id);
            if let Some(id) = &before_id {
                self.hint_ids.push(id.clone());
            }
            let actions = body.actions.clone().unwrap_or_default();
            if actions.len() == 1 && actions[0] == "delete" {
                // A deposed object being deleted is an old copy, not the resource itself.
                if change.deposed.is_none() && !data {
                    self.deletion(&address, change.rtype.as_deref(), body.before, &cpath);
                }
                continue;
            }
            let Some(after) = body.after.filter(|a| a.get().trim() != "null") else {
                continue;
            };
            let unknown = body.after_unknown.and_then(|u| serde_json::from_str::<Value>(u.get()).ok());
            let planned = Planned::of(&actions, before_id);
            self.push(&address, after, format!("{cpath}.change.after"), unknown, &cpath, planned);
        }
    }

    /// Records the id a plan deletes.
    pub(super) fn deletion(&mut self, address: &str, rtype: Option<&str>, before: Option<&'t RawValue>, path: &str) {
        // An association's id is its subnet's (or `nic|nsg`): deleting it changes the subnet
        // or NIC, it deletes no ARM resource.
        let Some(before) = before else {
            return;
        };
        let kind = match rtype {
            Some("azurerm_subnet_route_table_association") => Some(AssociationKind::SubnetRouteTable),
            Some("azurerm_subnet_network_security_group_association") => Some(AssociationKind::SubnetNsg),
            Some("azurerm_network_interface_security_group_association") => Some(AssociationKind::NicNsg),
            Some("azurerm_subnet_nat_gateway_association") => Some(AssociationKind::SubnetNatGateway),
            _ => None,
        };
        if let Some(kind) = kind {
            // Laid over a live snapshot, the subnet or NIC loses its route table or NSG.
            let Some(before) =
                self.typed::<TfAssociationTarget>(before, &format!("{path}.change.before"), Some(address), "")
            else {
                return;
            };
            let target = match kind {
                AssociationKind::NicNsg => before.network_interface_id,
                _ => before.subnet_id,
            };
            if let Some(target) = target.filter(|t| !t.trim().is_empty()) {
                let origin = Origin { file: self.pending.file, json_path: format!("{path}.change.before").into() };
                self.pending.associations.push(PendingAssociation {
                    kind,
                    target: normalize_id(&target),
                    value: None,
                    address: address.to_string(),
                    origin,
                });
            }
            return;
        }
        let Some(common) = self.typed::<TfCommon>(before, &format!("{path}.change.before"), Some(address), "") else {
            return;
        };
        match common.id.filter(|id| !id.trim().is_empty()) {
            Some(id) => {
                let key = normalize_id(&id);
                if !self.pending.deleted.contains(&key) {
                    self.pending.deleted.push(key);
                }
            }
            None => self.pending.missing_id(MissingId::DeletedWithoutId(address), format!("{path}.change.before")),
        }
    }

    /// A raw `terraform.tfstate` (version 4).
    pub(super) fn raw_state(&mut self, raw: &'t RawValue, path: &str) {
        let Some(list) = self.typed::<Vec<&'t RawValue>>(raw, path, None, "resources") else {
            return;
        };
        for (i, item) in list.into_iter().enumerate() {
            let rpath = format!("{path}[{i}]");
            let Some(res) = self.typed::<RawStateResource<'_>>(item, &rpath, None, "resource") else {
                continue;
            };
            let data = res.mode.as_deref() == Some("data");
            let local = format!(
                "{}{}.{}",
                if data { "data." } else { "" },
                res.rtype.clone().unwrap_or_default(),
                res.name.clone().unwrap_or_default()
            );
            let resource = match res.module.as_deref().filter(|m| !m.is_empty()) {
                Some(m) => format!("{m}.{local}"),
                None => local,
            };
            for (j, inst) in res.instances.iter().flatten().enumerate() {
                let ipath = format!("{rpath}.instances[{j}]");
                let Some(instance) = self.typed::<RawStateInstance<'_>>(inst, &ipath, None, "instance") else {
                    continue;
                };
                let address = match instance.index_key {
                    Some(k) if k.get().trim() != "null" => {
                        format!("{resource}[{}]", k.get().trim())
                    }
                    _ => resource.clone(),
                };
                let Some(attributes) = instance.attributes else {
                    continue;
                };
                self.push(&address, attributes, format!("{ipath}.attributes"), None, &ipath, Planned::State);
            }
        }
    }

    pub(super) fn push(
        &mut self,
        address: &str,
        values: &'t RawValue,
        path: String,
        unknown: Option<Value>,
        object_path: &str,
        planned: Planned,
    ) {
        let Some(addr) = Address::parse(address) else {
            self.pending.diag(
                Diagnostic::warning(
                    "TerraformBadAddress",
                    format!("`{address}` is not a Terraform resource address; skipped"),
                )
                .at(object_path),
            );
            return;
        };
        let inst = Instance { addr, shown: address.to_string(), values, path, unknown, planned };
        if inst.addr.data {
            self.data_insts.push(inst);
        } else {
            self.insts.push(inst);
        }
    }
}
