//! Effective routes as Azure itself reported them for a NIC (`az network nic
//! show-effective-route-table`), kept as Azure wrote them so `verify` can compare them with
//! what azroute computes.

use crate::id::ArmId;

/// How an observed route table names its NIC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObservedNicRef {
    /// The NIC's resource id (from a `{"nicId": …}` wrapper).
    Id(ArmId),
    /// The NIC's name (from the file name `<nic-name>.json`).
    Name(String),
}

impl ObservedNicRef {
    /// The id or name as text, for lookups and messages.
    pub fn as_str(&self) -> &str {
        match self {
            ObservedNicRef::Id(id) => id.as_str(),
            ObservedNicRef::Name(name) => name,
        }
    }
}

/// One effective route as Azure reported it. Text fields keep Azure's spelling; comparison
/// rules (case, IP and prefix normalisation) belong to the engine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObservedRoute {
    /// The user route's name, when Azure gave one.
    pub name: Option<String>,
    /// `Default`, `User`, `VirtualNetworkGateway`, …
    pub source: String,
    /// `Active` or `Invalid`.
    pub state: String,
    /// `addressPrefix`: CIDR prefixes (or, rarely, other text Azure printed).
    pub address_prefixes: Vec<String>,
    pub next_hop_type: String,
    pub next_hop_ips: Vec<String>,
    /// `disableBgpRoutePropagation`, when present.
    pub disable_bgp_route_propagation: Option<bool>,
}

/// The effective routes Azure reported for one NIC, read from one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedRouteTable {
    /// The file they were read from.
    pub file: String,
    pub nic: ObservedNicRef,
    pub routes: Vec<ObservedRoute>,
}
