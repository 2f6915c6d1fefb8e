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

// Modules are private: the crate's surface is exactly what is re-exported below.
mod admin_rules;
mod compare;
mod connected_groups;
mod diff;
mod effective;
mod endpoints;
mod fib;
mod finding;
mod firewall;
mod incremental;
mod managed_routes;
mod nexthop;
mod nsg;
mod nsg_compiled;
mod option_assumptions;
mod progress;
mod ranges;
mod reach;
mod route;
mod route_engine;
mod route_server;
mod route_server_text;
mod select;
mod system_data;
mod topology;
mod trace;
mod verify;
mod vwan;

pub use admin_rules::{AdminExemption, AdminVerdict, AppliedAdminRule};
pub use compare::{CompareMethod, CompareRequest, Comparison, compare};
pub use connected_groups::{ConnectedGroup, ConnectedGroups, network_group_subnets, network_group_vnets};
pub use diff::{
    CellSide, DestinationKey, ReachChange, ReachChangeKind, RouteChange, SubnetRouteDiff, destination_key, diff_reach,
    diff_reach_touching, diff_routes, diff_subnet, diff_tables, match_subnets,
};
pub use effective::{ContextKey, ip_text};
pub use endpoints::{End, EndpointError, IpFamily, TraceEndpoints, resolve as resolve_trace_endpoints};
pub use fib::{Fib, FibEntry, LookupRoutes, lookup_routes};
pub use option_assumptions::{OptionAssumption, option_assumptions};
// The findings' vocabulary (codes, catalogue, typed evidence) is data the report words.
pub use finding::*;
pub use firewall::{
    CandidateRule, Dnat, FirewallAction, FirewallCaveats, FirewallFlow, FirewallPass, FirewallVerdict,
    IndeterminateReason, NoMatch, RuleMatch, RulePlace, ShadowedRule, Snat, Undecided, app_rules_shadowed_by_network,
    evaluate_firewall, firewall_dns_proxy, firewall_policy_chain, fqdn_matches, fqdn_network_rules,
    icmp_internet_network_rules, nat_collections, private_ranges, shadowed_rules,
};
pub use incremental::{Affected, Change, IncrementalEngine, ReachMethod, changes_of};
pub use managed_routes::{ManagedRoutes, managed_routes};
pub use nexthop::{NextHopAnswer, next_hop};
pub use nsg::{
    AZURE_HOST_IP, AppliedTo, EffectiveRule, Flow, FlowDecision, NsgEvaluation, NsgLevel, SecurityEngine, nsg_rules,
};
pub use progress::{NoProgress, PROGRESS_CHUNK, Progress, Stage};
pub use ranges::{FirstOwner, RangeSet};
pub use reach::{
    BranchColumn, BranchKind, CellOutcome, Column, DEFAULT_INTERNET_ADDRESS, FailedDirection, Invalidation, PairCache,
    PairOutcome, ReachCell, ReachMatrix, ReachQuery, ReachStats, ReachStream, Reachability, SubnetSelectError,
    TouchingCells, VnetCell, VnetColumn, VnetReachMatrix, in_default_scope, on_premises_label, on_premises_site, reach,
    reach_by_vnet, reach_incremental, reach_pair, reach_stream, reach_touching, reach_tracer, reach_with_progress,
    select_subnets, transit_subnets,
};
pub use route::{
    EffectiveRoute, EffectiveRouteTable, GatewayRouteKind, InvalidReason, NextHopType, RouteOrigin, RouteSource,
    RouteState, TableNote,
};
pub use route_engine::{PerContext, RouteEngine, RouteError};
pub use route_server::{
    AZURE_ROUTER_ASN, DroppedRoute, PEER_ROUTE_LIMIT, RouteServerDrop, RouteServerRib, RouteServerRoute, RouteServers,
    as_path_holds, as_path_len, peer_asn_refused, peer_route_count,
};
pub use select::{
    Candidate, CandidateVerdict, Explanation, explain, invalid_text, note_text, origin_text, verdict_text,
};
pub use topology::{GatewayAttachment, GatewayPrefix, PeeringStatus, Topology};
pub use trace::{
    Addressing, Assumption, Assumptions, Egress, EgressAddress, EgressMethod, HOP_LIMIT, Hop, HopKind, HopNote,
    HopResource, NsgCheck, Owner, PathTrace, RouteUsed, Trace, TraceRequest, TraceSource, Tracer, Verdict,
    flexible_scale_set, nic_explicit_egress,
};
pub use verify::{
    DifferenceKind, FieldChange, LikelyCause, NicVerification, RouteDifference, RouteFacts, RouteField, VerifyCounts,
    cause_code, cause_text, total_counts, verify_nic,
};
pub use vwan::{
    HubConnectionState, HubEffectiveRoute, HubNextHopType, HubNote, HubRouteFacts, HubRouteReason, HubRouting,
    HubTable, HubVerification, HubVerifyError, OfferKind, PropagationBy, VwanRouting, hub_of_peering,
    is_virtual_wan_hub_peering, routing_intent_splits, verify_hub,
};
