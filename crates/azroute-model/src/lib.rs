//! Pure data model of an Azure virtual-network estate: resources, typed indices and lookups.
//!
//! Architecture invariant: this crate does no IO and knows nothing about JSON. Ingest builds a
//! [`Snapshot`]; the engine reads it. References between resources are resolved to typed
//! indices once, when the snapshot is built; a reference that names a resource the export does
//! not contain stays a [`Link::Missing`] carrying the id, so the question that needs it can say
//! exactly what is missing.
//!

#![forbid(unsafe_code)]

//! The resources are grouped by concern: [`reference`] (typed indices, links, origins),
//! [`vnet`], [`route_table`], [`compute`] (NICs and VMs), [`gateway`], [`security`] (NSGs),
//! [`services`] (private endpoints, load balancers, public IPs), [`firewall`] (Azure Firewall,
//! its policies, rule collection groups and IP groups) and [`service_tags`]. Field names
//! follow Azure's own vocabulary (`enableIPForwarding` becomes `ip_forwarding`,
//! `disableBgpRoutePropagation` stays `disable_bgp_route_propagation`) so that a reader who knows
//! the ARM schema can find each value. Enums are open: Azure adds values over time, and an
//! unknown value is carried as `Other(String)` rather than rejected.

mod avnm;
mod compute;
mod content;
mod delta;
mod firewall;
mod gateway;
mod hub;
mod id;
mod lookup;
mod observed;
mod options;
mod platform;
mod prefix;
mod reference;
mod route_table;
mod security;
mod service_tags;
mod services;
mod severity;
mod snapshot;
mod vnet;
mod vwan;

pub use avnm::*;
pub use compute::*;
pub use content::{HasOrigin, SameContent};
pub use delta::{SnapshotDelta, snapshot_delta};
pub use firewall::*;
pub use gateway::*;
pub use hub::*;
pub use id::{ArmId, id_hash, normalize_id, normalize_id_into, rg_relative_key};
pub use lookup::{Candidate, LookupError, similar_names};
pub use observed::{ObservedNicRef, ObservedRoute, ObservedRouteTable};
pub use options::*;
pub use platform::*;
pub use prefix::{
    InclusiveRange, PrefixError, contains_prefix, internet_prefixes, internet_ranges, is_internet,
    is_private_or_reserved, parse_ip, parse_prefix, parse_prefix_lenient, prefix_of_ip,
};
pub use reference::*;
pub use route_table::*;
pub use security::*;
pub use service_tags::*;
pub use services::*;
pub use severity::Severity;
pub use snapshot::{ResourceKind, Snapshot, SourceFile};
pub use vnet::*;
pub use vwan::*;
