//! The routing engine: effective routes and next hop exactly as Azure computes them, from a
//! [`Snapshot`], with every decision carrying its reason as data.
//!
//! Architecture invariant: the engine does no IO and knows nothing about JSON or the command
//! line. It reads a snapshot and returns plain data; the report layer decides how to print it.
//!
//! Entry point: [`RouteEngine`]. Routes are a property of a subnet's *context* (its VNet, route
//! table and service endpoints, `docs/azure-routing-rules.md` §0); each distinct context is computed
//! once and shared by every subnet and NIC that has it.

#![forbid(unsafe_code)]

pub mod compare;
pub mod diff;
pub mod effective;
pub mod endpoints;
pub mod fib;
pub mod finding;
pub mod incremental;
pub mod nexthop;
pub mod nsg;
pub mod ranges;
pub mod reach;
pub mod route;
pub mod select;
pub mod system_data;
pub mod topology;
pub mod trace;
pub mod verify;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use azroute_model::*;
use rayon::prelude::*;

pub use effective::ContextKey;
pub use endpoints::{EndpointError, TraceEndpoints};
pub use nexthop::{NextHopAnswer, next_hop};
pub use route::*;
pub use select::{
    Candidate, CandidateVerdict, Explanation, explain, invalid_text, note_text, origin_text, verdict_text,
};
pub use topology::Topology;

/// Why routes could not be computed for what was asked: a resource the question needs is not
/// in the snapshot, or is incomplete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// The subnet's route table is referenced but not exported.
    RouteTableMissing { subnet: String, route_table: ArmId },
    /// The NIC has no IP configuration.
    NicWithoutIpConfiguration { nic: String },
    /// The NIC's IP configuration names no subnet.
    NicWithoutSubnet { nic: String },
    /// The NIC's subnet is referenced but not exported.
    NicSubnetMissing { nic: String, subnet: ArmId },
    /// The VM has no network interface in its network profile.
    VmWithoutNic { vm: String },
    /// The VM's NIC is referenced but not exported.
    VmNicMissing { vm: String, nic: ArmId },
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::RouteTableMissing { subnet, route_table } => write!(
                f,
                "subnet `{subnet}` is associated with route table `{route_table}`, which is not in the snapshot; its routes cannot be computed without it"
            ),
            RouteError::NicWithoutIpConfiguration { nic } => {
                write!(f, "network interface `{nic}` has no IP configuration, so it has no subnet and no routes")
            }
            RouteError::NicWithoutSubnet { nic } => {
                write!(f, "network interface `{nic}` names no subnet in its IP configuration")
            }
            RouteError::NicSubnetMissing { nic, subnet } => {
                write!(f, "the subnet of network interface `{nic}` is not in the snapshot: `{subnet}`")
            }
            RouteError::VmWithoutNic { vm } => {
                write!(f, "virtual machine `{vm}` lists no network interface")
            }
            RouteError::VmNicMissing { vm, nic } => {
                write!(f, "the network interface of virtual machine `{vm}` is not in the snapshot: `{nic}`")
            }
        }
    }
}

impl RouteError {
    /// A hint for the user.
    pub fn hint(&self) -> &'static str {
        match self {
            RouteError::RouteTableMissing { .. } => "export route tables too: `az network route-table list`",
            RouteError::NicSubnetMissing { .. } => {
                "export the virtual network that holds the subnet: `az network vnet list`"
            }
            RouteError::VmNicMissing { .. } => "export network interfaces too: `az network nic list`",
            _ => "check the export of this resource",
        }
    }
}

impl std::error::Error for RouteError {}

/// Computes and caches effective routes for a snapshot.
pub struct RouteEngine<'s> {
    pub snap: &'s Snapshot,
    pub options: ModelOptions,
    pub topology: Arc<Topology>,
    cache: Mutex<HashMap<ContextKey, Arc<EffectiveRouteTable>>>,
    /// Each subnet's table, found once: traces look tables up at every hop.
    by_subnet: Vec<OnceLock<Result<Arc<EffectiveRouteTable>, RouteError>>>,
}

impl<'s> RouteEngine<'s> {
    pub fn new(snap: &'s Snapshot, options: ModelOptions) -> RouteEngine<'s> {
        RouteEngine::with_cache(snap, options, HashMap::new())
    }

    /// An engine that starts from already computed tables (for incremental recomputation: the
    /// caller keeps the contexts a change did not touch).
    pub fn with_cache(
        snap: &'s Snapshot,
        options: ModelOptions,
        cache: HashMap<ContextKey, Arc<EffectiveRouteTable>>,
    ) -> RouteEngine<'s> {
        RouteEngine::with_parts(snap, options, Arc::new(Topology::build(snap)), cache)
    }

    /// An engine over already derived facts and computed tables (incremental recomputation
    /// keeps both across changes that do not touch them).
    pub fn with_parts(
        snap: &'s Snapshot,
        options: ModelOptions,
        topology: Arc<Topology>,
        cache: HashMap<ContextKey, Arc<EffectiveRouteTable>>,
    ) -> RouteEngine<'s> {
        RouteEngine {
            snap,
            topology,
            options,
            cache: Mutex::new(cache),
            by_subnet: (0..snap.subnets.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The computed tables, by context, to seed another engine.
    pub fn cached_tables(&self) -> HashMap<ContextKey, Arc<EffectiveRouteTable>> {
        self.cache.lock().expect("route cache lock").clone()
    }

    /// The context key of a subnet, or why its routes cannot be computed.
    pub fn context_key(&self, subnet: SubnetIdx) -> Result<ContextKey, RouteError> {
        let s = &self.snap.subnets[subnet.index()];
        if let Some(Link::Missing(id)) = &s.route_table {
            return Err(RouteError::RouteTableMissing {
                subnet: self.snap.subnet_label(subnet),
                route_table: id.clone(),
            });
        }
        Ok(ContextKey::for_subnet(self.snap, &self.options, subnet))
    }

    /// The effective routes of a context, computed once.
    pub fn table_for_key(&self, key: &ContextKey) -> Arc<EffectiveRouteTable> {
        if let Some(t) = self.cache.lock().expect("route cache lock").get(key) {
            return Arc::clone(t);
        }
        let table = Arc::new(effective::build_table(self.snap, &self.topology, &self.options, key));
        self.cache.lock().expect("route cache lock").entry(key.clone()).or_insert(table).clone()
    }

    /// The effective routes of a subnet.
    pub fn subnet_table(&self, subnet: SubnetIdx) -> Result<Arc<EffectiveRouteTable>, RouteError> {
        self.by_subnet[subnet.index()]
            .get_or_init(|| {
                let key = self.context_key(subnet)?;
                Ok(self.table_for_key(&key))
            })
            .clone()
    }

    /// The subnet of a NIC's primary IP configuration.
    pub fn nic_subnet(&self, nic: NicIdx) -> Result<SubnetIdx, RouteError> {
        let n = &self.snap.nics[nic.index()];
        let Some(cfg) = n.primary_ip_config() else {
            return Err(RouteError::NicWithoutIpConfiguration { nic: n.name.clone() });
        };
        match &cfg.subnet {
            Some(Link::Resolved(s)) => Ok(*s),
            Some(Link::Missing(id)) => Err(RouteError::NicSubnetMissing { nic: n.name.clone(), subnet: id.clone() }),
            None => Err(RouteError::NicWithoutSubnet { nic: n.name.clone() }),
        }
    }

    /// The effective routes of a NIC (those of its subnet) and the subnet.
    pub fn nic_table(&self, nic: NicIdx) -> Result<(SubnetIdx, Arc<EffectiveRouteTable>), RouteError> {
        let subnet = self.nic_subnet(nic)?;
        Ok((subnet, self.subnet_table(subnet)?))
    }

    /// The NIC of a VM that Azure would answer for: the primary one.
    pub fn vm_primary_nic(&self, vm: VmIdx) -> Result<NicIdx, RouteError> {
        let v = &self.snap.vms[vm.index()];
        let Some(link) = v.nics.get(v.primary_nic).or_else(|| v.nics.first()) else {
            return Err(RouteError::VmWithoutNic { vm: v.name.clone() });
        };
        match link {
            Link::Resolved(n) => Ok(*n),
            Link::Missing(id) => Err(RouteError::VmNicMissing { vm: v.name.clone(), nic: id.clone() }),
        }
    }

    /// Every subnet's table, computing each distinct context once, in parallel.
    pub fn all_subnet_tables(&self) -> Vec<Result<Arc<EffectiveRouteTable>, RouteError>> {
        let keys: Vec<Result<ContextKey, RouteError>> =
            (0..self.snap.subnets.len()).map(|i| self.context_key(SubnetIdx(i as u32))).collect();
        let distinct: std::collections::HashSet<ContextKey> =
            keys.iter().filter_map(|k| k.as_ref().ok().cloned()).collect();
        let distinct: Vec<ContextKey> = distinct.into_iter().collect();
        let built: Vec<(ContextKey, Arc<EffectiveRouteTable>)> = distinct
            .into_par_iter()
            .map(|key| {
                let table = Arc::new(effective::build_table(self.snap, &self.topology, &self.options, &key));
                (key, table)
            })
            .collect();
        let mut cache = self.cache.lock().expect("route cache lock");
        for (key, table) in built {
            cache.entry(key).or_insert(table);
        }
        keys.into_iter().map(|k| k.map(|key| Arc::clone(&cache[&key]))).collect()
    }

    /// Number of distinct contexts computed so far.
    pub fn contexts_computed(&self) -> usize {
        self.cache.lock().expect("route cache lock").len()
    }
}
