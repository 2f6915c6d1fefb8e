//! Terraform addresses and references split into steps (`module.spoke["a"].azurerm_subnet.app[0]`).

use super::*;

// ===== Addresses and references =====

/// One step of a Terraform address or reference: `module`, `spoke`, `["a"]`, `azurerm_subnet`…
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Name(String),
    /// The text between brackets, as written (`0`, `"a"`).
    Index(String),
}

/// Splits `module.spoke["a.b"].azurerm_subnet.app[0].id` into steps; `None` when malformed.
pub(super) fn parse_steps(text: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    let mut name = String::new();
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !name.is_empty() {
                    out.push(Step::Name(std::mem::take(&mut name)));
                } else if !matches!(out.last(), Some(Step::Index(_))) {
                    return None;
                }
            }
            '[' => {
                if !name.is_empty() {
                    out.push(Step::Name(std::mem::take(&mut name)));
                }
                let mut inner = String::new();
                let mut in_string = false;
                let mut escaped = false;
                loop {
                    let d = chars.next()?;
                    if in_string {
                        inner.push(d);
                        if escaped {
                            escaped = false;
                        } else if d == '\\' {
                            escaped = true;
                        } else if d == '"' {
                            in_string = false;
                        }
                    } else if d == '"' {
                        in_string = true;
                        inner.push(d);
                    } else if d == ']' {
                        break;
                    } else {
                        inner.push(d);
                    }
                }
                out.push(Step::Index(inner.trim().to_string()));
            }
            _ => name.push(c),
        }
    }
    if !name.is_empty() {
        out.push(Step::Name(name));
    }
    (!out.is_empty()).then_some(out)
}

/// A module instance step: the call name and the instance key, if any.
pub(super) type ModuleStep = (String, Option<String>);

pub(super) fn render_module(module: &[ModuleStep]) -> String {
    let mut out = String::new();
    for (call, key) in module {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str("module.");
        out.push_str(call);
        if let Some(k) = key {
            out.push('[');
            out.push_str(k);
            out.push(']');
        }
    }
    out
}

/// A resource instance address, split.
#[derive(Clone, Debug, Default)]
pub(super) struct Address {
    pub(super) module: Vec<ModuleStep>,
    pub(super) data: bool,
    pub(super) rtype: String,
    pub(super) name: String,
    pub(super) index: Option<String>,
}

impl Address {
    pub(super) fn parse(text: &str) -> Option<Address> {
        let steps = parse_steps(text)?;
        let mut module = Vec::new();
        let mut i = 0;
        while let (Some(Step::Name(m)), Some(Step::Name(call))) = (steps.get(i), steps.get(i + 1)) {
            if m != "module" {
                break;
            }
            let key = match steps.get(i + 2) {
                Some(Step::Index(k)) => {
                    i += 1;
                    Some(k.clone())
                }
                _ => None,
            };
            module.push((call.clone(), key));
            i += 2;
        }
        let mut data = false;
        if let Some(Step::Name(d)) = steps.get(i)
            && d == "data"
        {
            data = true;
            i += 1;
        }
        let (Some(Step::Name(rtype)), Some(Step::Name(name))) = (steps.get(i), steps.get(i + 1)) else {
            return None;
        };
        let index = match steps.get(i + 2) {
            Some(Step::Index(k)) => Some(k.clone()),
            _ => None,
        };
        Some(Address { module, data, rtype: rtype.clone(), name: name.clone(), index })
    }

    /// The module-local resource address without the instance key (`data.azurerm_subnet.a`).
    pub(super) fn local(&self) -> String {
        format!("{}{}.{}", if self.data { "data." } else { "" }, self.rtype, self.name)
    }

    /// The absolute address without the instance key.
    pub(super) fn resource_key(&self) -> String {
        let m = render_module(&self.module);
        if m.is_empty() { self.local() } else { format!("{m}.{}", self.local()) }
    }

    /// The absolute instance address, in Terraform's canonical form.
    pub(super) fn instance_key(&self) -> String {
        match &self.index {
            Some(k) => format!("{}[{k}]", self.resource_key()),
            None => self.resource_key(),
        }
    }
}

/// A step into the configuration's block expressions: an attribute, a list element, or the
/// element of a set-typed block whose `name` is a given constant.
#[derive(Clone, Copy, Debug)]
pub(super) enum ExprStep<'s> {
    Key(&'s str),
    Idx(usize),
    Named(&'s str),
}

/// One resource instance read from the input.
pub(super) struct Instance<'t> {
    pub(super) addr: Address,
    /// The address as written.
    pub(super) shown: String,
    pub(super) values: &'t RawValue,
    /// JSON path of `values`.
    pub(super) path: String,
    /// `after_unknown` of a plan change.
    pub(super) unknown: Option<Value>,
    /// What a plan does to the resource (`State` for a state's resources).
    pub(super) planned: Planned,
}

/// What a plan does to one resource instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Planned {
    /// Read from a state, not a plan.
    State,
    /// Actions `["no-op"]` (or `["read"]`): Terraform leaves the resource as it is, so laid over
    /// a live snapshot the live copy stays.
    Unchanged,
    /// `["create"]` or `["update"]`.
    Changed,
    /// `["delete", "create"]` or `["create", "delete"]`, with the id before: when the new
    /// resource's id differs (a name that forces replacement), the old one is deleted.
    Replaced { before_id: Option<String> },
}

impl Planned {
    /// From a change's actions (never `["delete"]`, which is a deletion).
    pub(super) fn of(actions: &[String], before_id: Option<String>) -> Planned {
        let is = |list: &[&str]| actions.len() == list.len() && actions.iter().zip(list).all(|(a, b)| a == b);
        if is(&["no-op"]) || is(&["read"]) {
            Planned::Unchanged
        } else if is(&["delete", "create"]) || is(&["create", "delete"]) {
            Planned::Replaced { before_id }
        } else {
            Planned::Changed
        }
    }
}
