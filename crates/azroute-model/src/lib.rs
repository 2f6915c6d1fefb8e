//! Pure data model of an Azure virtual-network estate: resources, typed indices and lookups.
//!
//! Architecture invariant: this crate does no IO and knows nothing about JSON. Ingest builds a
//! [`Snapshot`]; the engine reads it. References between resources are resolved to typed
//! indices once, when the snapshot is built; a reference that names a resource the export does
//! not contain stays a [`Link::Missing`] carrying the id, so the question that needs it can say
//! exactly what is missing.

#![forbid(unsafe_code)]

mod content;
mod id;
mod network;
mod observed;
mod options;
mod prefix;
mod snapshot;

pub use content::{HasOrigin, SnapshotDelta, content, snapshot_delta};
pub use id::{ArmId, id_hash, normalize_id, normalize_id_into, rg_relative_key};
pub use network::*;
pub use observed::{ObservedNicRef, ObservedRoute, ObservedRouteTable};
pub use options::*;
pub use prefix::{
    PrefixError, contains_prefix, internet_prefixes, is_internet, is_private_or_reserved, parse_ip, parse_prefix,
    parse_prefix_lenient, prefix_of_ip,
};
pub use snapshot::{LookupError, ResourceKind, Snapshot, SourceFile};
