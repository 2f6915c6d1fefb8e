//! [`RouteEngine`]: the effective routes of a snapshot's subnets and NICs, each distinct route
//! context computed once and shared; and [`RouteError`], why a question's routes cannot be
//! computed.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use azroute_model::*;
use rayon::prelude::*;

use crate::effective::{self, ContextKey};
use crate::route::EffectiveRouteTable;
use crate::topology::Topology;

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
///
/// The snapshot, options and topology are fixed at construction: every cached table was
/// computed from them, so they are readable but never replaced.
pub struct RouteEngine<'s> {
    snap: &'s Snapshot,
    options: ModelOptions,
    topology: Arc<Topology>,
    cache: Mutex<HashMap<ContextKey, Arc<EffectiveRouteTable>>>,
    /// Each subnet's table, found once: traces look tables up at every hop.
    by_subnet: Vec<OnceLock<Result<Arc<EffectiveRouteTable>, RouteError>>>,
}

/// One value per distinct route context of a snapshot's subnets, and the context of each
/// subnet: what [`RouteEngine::map_route_contexts`] returns.
pub struct PerContext<T> {
    values: Vec<T>,
    /// Per subnet: the index of its context in `values`, or why its routes cannot be computed.
    slot_of_subnet: Vec<Result<u32, RouteError>>,
}

impl<T> PerContext<T> {
    /// The value of a subnet's context, or why the subnet's routes cannot be computed.
    pub fn subnet(&self, subnet: SubnetIdx) -> Result<&T, &RouteError> {
        match &self.slot_of_subnet[subnet.index()] {
            Ok(slot) => Ok(&self.values[*slot as usize]),
            Err(err) => Err(err),
        }
    }

    /// Number of distinct contexts.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl<'s> RouteEngine<'s> {
    pub fn new(snap: &'s Snapshot, options: ModelOptions) -> RouteEngine<'s> {
        let topology = Arc::new(Topology::build_with(snap, &options));
        RouteEngine::with_parts(snap, options, topology, HashMap::new())
    }

    /// An engine over already derived facts and computed tables (incremental recomputation
    /// keeps both across changes that do not touch them). `topology` and `cache` must have
    /// been computed from `snap` and `options`.
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

    /// The snapshot the engine answers for.
    pub fn snap(&self) -> &'s Snapshot {
        self.snap
    }

    /// The options every table was computed with.
    pub fn options(&self) -> &ModelOptions {
        &self.options
    }

    /// The facts shared by route contexts (peering states, gateway attachments, …).
    pub fn topology(&self) -> &Topology {
        &self.topology
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
        if let Some(t) = self.cached(key) {
            return t;
        }
        let table = Arc::new(self.build(key));
        self.cache.lock().expect("route cache lock").entry(key.clone()).or_insert(table).clone()
    }

    fn cached(&self, key: &ContextKey) -> Option<Arc<EffectiveRouteTable>> {
        self.cache.lock().expect("route cache lock").get(key).cloned()
    }

    fn build(&self, key: &ContextKey) -> EffectiveRouteTable {
        effective::build_table(self.snap, &self.topology, &self.options, key)
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

    /// The distinct contexts of every subnet, and each subnet's index into them.
    fn distinct_contexts(&self) -> (Vec<ContextKey>, Vec<Result<u32, RouteError>>) {
        let mut ids: HashMap<ContextKey, u32> = HashMap::new();
        let mut distinct: Vec<ContextKey> = Vec::new();
        let slot_of_subnet = (0..self.snap.subnets.len())
            .map(|i| {
                let key = self.context_key(SubnetIdx(i as u32))?;
                let next = ids.len() as u32;
                Ok(*ids.entry(key).or_insert_with_key(|key| {
                    distinct.push(key.clone());
                    next
                }))
            })
            .collect();
        (distinct, slot_of_subnet)
    }

    /// Every subnet's table, computing each distinct context once, in parallel, and keeping
    /// it in the cache.
    pub fn all_subnet_tables(&self) -> Vec<Result<Arc<EffectiveRouteTable>, RouteError>> {
        let (distinct, slot_of_subnet) = self.distinct_contexts();
        let tables: Vec<Arc<EffectiveRouteTable>> = distinct.par_iter().map(|key| self.table_for_key(key)).collect();
        slot_of_subnet.into_iter().map(|slot| slot.map(|slot| Arc::clone(&tables[slot as usize]))).collect()
    }

    /// `f` of every distinct route context's table, computed in parallel, with the context of
    /// each subnet. A table not already cached is built for `f` and dropped after it, not
    /// kept: a whole-estate export holds only what `f` returns.
    pub fn map_route_contexts<T, F>(&self, f: F) -> PerContext<T>
    where
        T: Send,
        F: Fn(&EffectiveRouteTable) -> T + Sync,
    {
        let (distinct, slot_of_subnet) = self.distinct_contexts();
        let values = distinct
            .par_iter()
            .map(|key| match self.cached(key) {
                Some(table) => f(&table),
                None => f(&self.build(key)),
            })
            .collect();
        PerContext { values, slot_of_subnet }
    }
}
