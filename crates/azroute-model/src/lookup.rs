//! Finding a resource by what a person types: a name (unique across the snapshot),
//! `RESOURCE-GROUP/NAME`, or an id; "did you mean" suggestions when nothing matches.

use std::fmt;

use crate::*;

/// One resource a name could mean: its short unambiguous form and its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// `RESOURCE-GROUP/NAME` (for subnets `RESOURCE-GROUP/VNET/SUBNET`), accepted back as a query.
    pub short: String,
    pub id: String,
}

/// Why a name or id given on the command line did not pick exactly one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupError {
    /// Nothing has that name or id; `similar` holds the closest names (best first).
    NotFound { kind: ResourceKind, query: String, similar: Vec<String> },
    /// Several resources have that name.
    Ambiguous { kind: ResourceKind, query: String, candidates: Vec<Candidate> },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::NotFound { kind, query, similar } => {
                write!(f, "no {} named or with id `{}` in the snapshot", kind.noun(), query)?;
                match similar.as_slice() {
                    [] => Ok(()),
                    [one] => write!(f, "; did you mean `{one}`?"),
                    many => write!(f, "; did you mean one of: {}?", many.join(", ")),
                }
            }
            LookupError::Ambiguous { kind, query, candidates } => {
                write!(f, "the {} name `{}` is ambiguous; it names {}:", kind.noun(), query, candidates.len())?;
                let width = candidates.iter().map(|c| c.short.len()).max().unwrap_or(0);
                for c in candidates {
                    write!(f, "\n  {:<width$}  {}", c.short, c.id)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LookupError {}

impl Candidate {
    /// A resource named `name` with id `id`: `RESOURCE-GROUP/NAME` when the id names a group.
    pub fn new(name: &str, id: &str) -> Candidate {
        let short = match resource_group(id) {
            Some(rg) => format!("{rg}/{name}"),
            None => name.to_string(),
        };
        Candidate { short, id: id.to_string() }
    }
}

/// How many suggestions a "did you mean" offers at most.
const SUGGESTIONS: usize = 5;

/// The names closest to `query` (case-insensitive), best first: names within a small edit
/// distance, or that contain the query (or are contained in it).
pub fn similar_names<'a>(query: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let q = query.trim().to_ascii_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, String)> = names
        .into_iter()
        .filter_map(|name| {
            let lower = name.to_ascii_lowercase();
            let distance = strsim::damerau_levenshtein(&q, &lower);
            // A third of the longer name, at least 2: typos and dropped letters, not other names.
            let close = distance <= (q.len().max(lower.len()) / 3).max(2);
            let contains = !lower.is_empty() && (lower.contains(&q) || q.contains(&lower));
            (close || contains).then(|| (distance, name.to_string()))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(SUGGESTIONS).map(|(_, name)| name).collect()
}

/// The resource group named in an id (`…/resourceGroups/RG/…`), as written.
fn resource_group(id: &str) -> Option<&str> {
    let mut parts = id.split('/');
    while let Some(part) = parts.next() {
        if part.eq_ignore_ascii_case("resourceGroups") {
            return parts.next();
        }
    }
    None
}

/// A name, or `RESOURCE-GROUP/NAME`.
struct NameQuery<'q> {
    group: Option<&'q str>,
    name: &'q str,
}

impl<'q> NameQuery<'q> {
    fn parse(q: &'q str) -> NameQuery<'q> {
        match q.split_once('/') {
            Some((group, name)) if !group.is_empty() && !name.contains('/') => NameQuery { group: Some(group), name },
            _ => NameQuery { group: None, name: q },
        }
    }

    fn matches(&self, name: &str, id: &str) -> bool {
        name.eq_ignore_ascii_case(self.name)
            && self.group.is_none_or(|g| resource_group(id).is_some_and(|rg| rg.eq_ignore_ascii_case(g)))
    }
}

impl Snapshot {
    /// One resource of `kind` by id, `RESOURCE-GROUP/NAME` or name.
    fn find_by<'a, T: 'a>(
        &'a self,
        kind: ResourceKind,
        query: &str,
        items: &'a [T],
        name_of: impl Fn(&T) -> &str,
        id_of: impl Fn(&T) -> &str,
    ) -> Result<usize, LookupError> {
        let q = query.trim();
        if q.contains('/')
            && let Some(idx) = self.resolve_id(kind, q)
        {
            return Ok(idx as usize);
        }
        let wanted = NameQuery::parse(q);
        let hits: Vec<usize> =
            (0..items.len()).filter(|&i| wanted.matches(name_of(&items[i]), id_of(&items[i]))).collect();
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err(LookupError::NotFound {
                kind,
                query: q.to_string(),
                similar: similar_names(wanted.name, items.iter().map(&name_of)),
            }),
            _ => Err(LookupError::Ambiguous {
                kind,
                query: q.to_string(),
                candidates: hits.iter().map(|&i| Candidate::new(name_of(&items[i]), id_of(&items[i]))).collect(),
            }),
        }
    }

    /// Finds a NIC by name (unique across the snapshot), `RESOURCE-GROUP/NAME` or id.
    pub fn find_nic(&self, query: &str) -> Result<NicIdx, LookupError> {
        self.find_by(ResourceKind::NetworkInterface, query, &self.nics, |n| &n.name, |n| n.id.as_str())
            .map(|i| NicIdx(i as u32))
    }

    /// Finds an Azure Firewall by name (unique across the snapshot), `RESOURCE-GROUP/NAME` or id.
    pub fn find_firewall(&self, query: &str) -> Result<FirewallIdx, LookupError> {
        self.find_by(ResourceKind::AzureFirewall, query, &self.firewalls, |f| &f.name, |f| f.id.as_str())
            .map(|i| FirewallIdx(i as u32))
    }

    /// Finds a virtual hub (Virtual WAN hub or Route Server) by name, `RESOURCE-GROUP/NAME` or id.
    pub fn find_virtual_hub(&self, query: &str) -> Result<VirtualHubIdx, LookupError> {
        self.find_by(ResourceKind::VirtualHub, query, &self.virtual_hubs, |h| &h.name, |h| h.id.as_str())
            .map(|i| VirtualHubIdx(i as u32))
    }

    /// Finds a VM by name (unique across the snapshot), `RESOURCE-GROUP/NAME` or id.
    pub fn find_vm(&self, query: &str) -> Result<VmIdx, LookupError> {
        self.find_by(ResourceKind::VirtualMachine, query, &self.vms, |v| &v.name, |v| v.id.as_str())
            .map(|i| VmIdx(i as u32))
    }

    /// Finds a VNet by name (unique across the snapshot), `RESOURCE-GROUP/NAME` or id.
    pub fn find_vnet(&self, query: &str) -> Result<VnetIdx, LookupError> {
        self.find_by(ResourceKind::VirtualNetwork, query, &self.vnets, |v| &v.name, |v| v.id.as_str())
            .map(|i| VnetIdx(i as u32))
    }

    /// Finds a route table by name (unique across the snapshot), `RESOURCE-GROUP/NAME` or id.
    pub fn find_route_table(&self, query: &str) -> Result<RouteTableIdx, LookupError> {
        self.find_by(ResourceKind::RouteTable, query, &self.route_tables, |t| &t.name, |t| t.id.as_str())
            .map(|i| RouteTableIdx(i as u32))
    }

    /// Finds a subnet as `VNET/SUBNET`, `RESOURCE-GROUP/VNET/SUBNET`, a subnet name unique
    /// across the snapshot, or its id.
    pub fn find_subnet(&self, query: &str) -> Result<SubnetIdx, LookupError> {
        let q = query.trim();
        if let Some(idx) = q.contains('/').then(|| self.resolve_id(ResourceKind::Subnet, q)).flatten() {
            return Ok(SubnetIdx(idx));
        }
        let parts: Vec<&str> = q.split('/').collect();
        let (vnet_q, subnet_q) = match parts.as_slice() {
            [subnet] => return self.find_subnet_by_name(subnet),
            [vnet, subnet] => (vnet.to_string(), *subnet),
            [group, vnet, subnet] if !group.is_empty() => (format!("{group}/{vnet}"), *subnet),
            _ => {
                return Err(LookupError::NotFound {
                    kind: ResourceKind::Subnet,
                    query: q.to_string(),
                    similar: vec![],
                });
            }
        };
        let vnet = self.find_vnet(&vnet_q)?;
        let vnet_name = &self.vnets[vnet.index()].name;
        let in_vnet = &self.vnets[vnet.index()].subnets;
        match in_vnet.iter().find(|s| self.subnets[s.index()].name.eq_ignore_ascii_case(subnet_q)) {
            Some(s) => Ok(*s),
            None => {
                let similar = similar_names(subnet_q, in_vnet.iter().map(|s| self.subnets[s.index()].name.as_str()));
                Err(LookupError::NotFound {
                    kind: ResourceKind::Subnet,
                    query: q.to_string(),
                    similar: similar.into_iter().map(|s| format!("{vnet_name}/{s}")).collect(),
                })
            }
        }
    }

    /// A bare subnet name, accepted when it is unique across the snapshot.
    fn find_subnet_by_name(&self, name: &str) -> Result<SubnetIdx, LookupError> {
        let label = |i: usize| self.subnet_label(SubnetIdx(i as u32));
        let hits: Vec<usize> =
            (0..self.subnets.len()).filter(|&i| self.subnets[i].name.eq_ignore_ascii_case(name)).collect();
        match hits.as_slice() {
            [one] => Ok(SubnetIdx(*one as u32)),
            [] => {
                let labels: Vec<String> = (0..self.subnets.len()).map(label).collect();
                let names = self.subnets.iter().map(|s| s.name.as_str()).chain(labels.iter().map(String::as_str));
                Err(LookupError::NotFound {
                    kind: ResourceKind::Subnet,
                    query: name.to_string(),
                    similar: similar_names(name, names),
                })
            }
            _ => Err(LookupError::Ambiguous {
                kind: ResourceKind::Subnet,
                query: name.to_string(),
                candidates: hits
                    .iter()
                    .map(|&i| Candidate { short: label(i), id: self.subnets[i].id.to_string() })
                    .collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_and_parts_best_first() {
        let names = ["nic-app1", "nic-app2", "nic-fw", "vm-db"];
        assert_eq!(similar_names("nic-ap1", names), ["nic-app1", "nic-app2"]);
        assert_eq!(similar_names("NIC-FW", names), ["nic-fw"]);
        assert_eq!(similar_names("fw", names), ["nic-fw"]);
        assert!(similar_names("gateway", names).is_empty());
        assert!(similar_names("  ", names).is_empty());
        assert_eq!(similar_names("AsymetricPath", ["AsymmetricPath", "RoutingLoop"]), ["AsymmetricPath"]);
    }

    #[test]
    fn resource_group_is_read_from_the_id() {
        assert_eq!(resource_group("/subscriptions/s/resourceGroups/rg-A/providers/X/y/z"), Some("rg-A"));
        assert_eq!(resource_group("/subscriptions/s/resourcegroups/rg-b/providers/X/y/z"), Some("rg-b"));
        assert_eq!(resource_group("no-group"), None);
    }

    #[test]
    fn a_name_with_a_group_needs_both_to_match() {
        let id = "/subscriptions/s/resourceGroups/rg-a/providers/Microsoft.Network/networkInterfaces/nic";
        assert!(NameQuery::parse("nic").matches("NIC", id));
        assert!(NameQuery::parse("RG-A/nic").matches("nic", id));
        assert!(!NameQuery::parse("rg-b/nic").matches("nic", id));
        assert!(!NameQuery::parse("rg-a/other").matches("nic", id));
    }

    #[test]
    fn ambiguous_lists_each_candidate_by_group_and_id() {
        let err = LookupError::Ambiguous {
            kind: ResourceKind::NetworkInterface,
            query: "nic".into(),
            candidates: vec![
                Candidate { short: "rg-a/nic".into(), id: "/x/rg-a/nic".into() },
                Candidate { short: "rg-bb/nic".into(), id: "/x/rg-bb/nic".into() },
            ],
        };
        assert_eq!(
            err.to_string(),
            "the network interface name `nic` is ambiguous; it names 2:\n  rg-a/nic   /x/rg-a/nic\n  rg-bb/nic  /x/rg-bb/nic"
        );
    }
}
