//! Differences between two snapshots of an estate (before and after a change): the effective
//! routes that change per subnet, and the reachability that changes between subnets,
//! on-premises prefixes and the Internet.
//!
//! Resources are matched across the two snapshots by their normalised ARM id, never by index:
//! the snapshots are loaded separately. Routes are matched by (source, address prefixes); a
//! route whose next hop, state or name differs is `Changed` (state flips Active↔Invalid
//! included).

use std::collections::{BTreeMap, HashMap};

use azroute_model::*;
use ipnet::IpNet;

use crate::reach::{CellOutcome, Column, ReachCell, ReachMatrix, Reachability, TouchingCells};
use crate::{EffectiveRoute, EffectiveRouteTable, RouteEngine, RouteError, RouteSource};

/// How one route differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteChange {
    Added(EffectiveRoute),
    Removed(EffectiveRoute),
    /// The same (source, prefix) with a different next hop, state or name; the fields that
    /// differ use Azure's names (`nextHopType`, `nextHopIpAddress`, `state`, `name`).
    Changed {
        before: Box<EffectiveRoute>,
        after: Box<EffectiveRoute>,
        fields: Vec<&'static str>,
    },
}

/// A subnet whose effective routes change (and so do those of every NIC in it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubnetRouteDiff {
    /// The subnet in each snapshot (`None` where it does not exist).
    pub before: Option<SubnetIdx>,
    pub after: Option<SubnetIdx>,
    /// Route-table propagation flag on each side (printed with the routes).
    pub disable_bgp_before: bool,
    pub disable_bgp_after: bool,
    pub changes: Vec<RouteChange>,
    /// Routes could not be computed on one side.
    pub error: Option<RouteError>,
}

/// Where a reachability cell points, comparable across snapshots.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DestinationKey {
    Subnet(String),
    OnPremises(IpNet),
    /// A Virtual WAN branch prefix: the connection's normalised id, and the prefix.
    Branch(String, IpNet),
    Internet,
}

/// How the reachability of a cell changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReachChangeKind {
    /// Address pairs that connected no longer do (dropped, or asymmetric now).
    Lost,
    /// Address pairs that did not connect now do.
    NewlyAllowed,
    /// Still connects, but now passes an NVA it did not.
    NowThroughNva,
    /// Still connects, but no longer passes the NVA it did.
    NowSkipsNva,
    /// Still connects, through other NVAs.
    NvaChanged,
    /// Still fails, for another reason.
    ReasonChanged,
    /// One side cannot be decided: an Azure Firewall on the way whose verdict the snapshot
    /// cannot decide (§16.4). Neither lost nor allowed.
    Undecided,
}

impl ReachChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReachChangeKind::Lost => "Lost",
            ReachChangeKind::NewlyAllowed => "NewlyAllowed",
            ReachChangeKind::NowThroughNva => "NowThroughNva",
            ReachChangeKind::NowSkipsNva => "NowSkipsNva",
            ReachChangeKind::NvaChanged => "NvaChanged",
            ReachChangeKind::ReasonChanged => "ReasonChanged",
            ReachChangeKind::Undecided => "Undecided",
        }
    }
}

/// One side of a changed cell, summarised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellSide {
    pub reach: Reachability,
    pub code: Option<&'static str>,
    /// NVA NIC names of the main outcome.
    pub via: Vec<String>,
    /// Address pairs that connect, of all pairs.
    pub connecting_pairs: u128,
    pub pairs: u128,
    /// The pair worth tracing on this side (a failing one where there is one).
    pub sample: (std::net::IpAddr, std::net::IpAddr),
}

/// A cell whose reachability changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReachChange {
    pub kind: ReachChangeKind,
    /// The source subnet's `vnet/subnet` and id.
    pub source: String,
    pub source_id: String,
    pub destination: String,
    pub destination_key: DestinationKey,
    pub before: Option<CellSide>,
    pub after: Option<CellSide>,
}

/// Matches subnets of two snapshots by normalised id.
pub fn match_subnets(before: &Snapshot, after: &Snapshot) -> Vec<(Option<SubnetIdx>, Option<SubnetIdx>)> {
    let mut by_key: BTreeMap<String, (Option<SubnetIdx>, Option<SubnetIdx>)> = BTreeMap::new();
    for (i, s) in before.subnets.iter().enumerate() {
        by_key.entry(s.id.key()).or_default().0 = Some(SubnetIdx(i as u32));
    }
    for (i, s) in after.subnets.iter().enumerate() {
        by_key.entry(s.id.key()).or_default().1 = Some(SubnetIdx(i as u32));
    }
    by_key.into_values().collect()
}

fn route_key(r: &EffectiveRoute) -> (RouteSource, Vec<String>) {
    (r.source, r.prefix_text.iter().map(|p| p.to_ascii_lowercase()).collect())
}

/// The differences between two tables of the same subnet.
pub fn diff_tables(before: &EffectiveRouteTable, after: &EffectiveRouteTable) -> Vec<RouteChange> {
    let mut remaining: HashMap<(RouteSource, Vec<String>), Vec<&EffectiveRoute>> = HashMap::new();
    for r in &after.routes {
        remaining.entry(route_key(r)).or_default().push(r);
    }
    let mut changes = Vec::new();
    for b in &before.routes {
        let candidates = remaining.entry(route_key(b)).or_default();
        if candidates.is_empty() {
            changes.push(RouteChange::Removed(b.clone()));
            continue;
        }
        // Prefer an identical route, then the first with the same key.
        let pick = candidates.iter().position(|a| fields_differ(b, a).is_empty()).unwrap_or(0);
        let a = candidates.remove(pick);
        let fields = fields_differ(b, a);
        if !fields.is_empty() {
            changes.push(RouteChange::Changed { before: Box::new(b.clone()), after: Box::new(a.clone()), fields });
        }
    }
    for a in &after.routes {
        if let Some(list) = remaining.get_mut(&route_key(a))
            && let Some(i) = list.iter().position(|x| std::ptr::eq(*x, a))
        {
            list.remove(i);
            changes.push(RouteChange::Added(a.clone()));
        }
    }
    changes
}

fn fields_differ(b: &EffectiveRoute, a: &EffectiveRoute) -> Vec<&'static str> {
    let mut fields = Vec::new();
    if b.next_hop_type != a.next_hop_type {
        fields.push("nextHopType");
    }
    if b.next_hop_ips != a.next_hop_ips {
        fields.push("nextHopIpAddress");
    }
    if b.state != a.state {
        fields.push("state");
    }
    if b.name != a.name {
        fields.push("name");
    }
    fields
}

/// The route differences of one subnet that exists on both sides with the same index (an
/// incremental change), or `None` when its routes did not change.
pub fn diff_subnet(
    subnet: SubnetIdx,
    before: &EffectiveRouteTable,
    after: &EffectiveRouteTable,
) -> Option<SubnetRouteDiff> {
    let changes = diff_tables(before, after);
    (!changes.is_empty()).then_some(SubnetRouteDiff {
        before: Some(subnet),
        after: Some(subnet),
        disable_bgp_before: before.disable_bgp_route_propagation,
        disable_bgp_after: after.disable_bgp_route_propagation,
        changes,
        error: None,
    })
}

/// Every subnet whose effective routes differ, sorted by `vnet/subnet` of the after side
/// (before side for removed subnets).
pub fn diff_routes(before: &RouteEngine<'_>, after: &RouteEngine<'_>) -> Vec<SubnetRouteDiff> {
    let empty = EffectiveRouteTable {
        routes: Vec::new(),
        disable_bgp_route_propagation: false,
        route_table: None,
        vnet: VnetIdx(0),
        notes: Vec::new(),
        fib: Default::default(),
    };
    let before_tables = before.all_subnet_tables();
    let after_tables = after.all_subnet_tables();
    let mut out = Vec::new();
    for (b, a) in match_subnets(before.snap(), after.snap()) {
        let tb = b.map(|i| before_tables[i.index()].clone());
        let ta = a.map(|i| after_tables[i.index()].clone());
        let error = match (&tb, &ta) {
            (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e.clone()),
            _ => None,
        };
        if let Some(error) = error {
            out.push(SubnetRouteDiff {
                before: b,
                after: a,
                disable_bgp_before: false,
                disable_bgp_after: false,
                changes: Vec::new(),
                error: Some(error),
            });
            continue;
        }
        let tb = tb.map(|t| t.expect("errors handled above"));
        let ta = ta.map(|t| t.expect("errors handled above"));
        let changes = diff_tables(tb.as_deref().unwrap_or(&empty), ta.as_deref().unwrap_or(&empty));
        if changes.is_empty() {
            continue;
        }
        out.push(SubnetRouteDiff {
            before: b,
            after: a,
            disable_bgp_before: tb.as_ref().is_some_and(|t| t.disable_bgp_route_propagation),
            disable_bgp_after: ta.as_ref().is_some_and(|t| t.disable_bgp_route_propagation),
            changes,
            error: None,
        });
    }
    let label = |d: &SubnetRouteDiff| match (d.after, d.before) {
        (Some(a), _) => after.snap().subnet_label(a),
        (None, Some(b)) => before.snap().subnet_label(b),
        (None, None) => String::new(),
    };
    out.sort_by_cached_key(label);
    out
}

/// The key of a column, comparable across snapshots.
pub fn destination_key(snap: &Snapshot, column: &Column) -> DestinationKey {
    match column {
        Column::Subnet(s) => DestinationKey::Subnet(snap.subnets[s.index()].id.key()),
        Column::OnPremises { prefix, .. } => DestinationKey::OnPremises(*prefix),
        Column::Branch(b) => DestinationKey::Branch(b.connection.key(), b.prefix),
        Column::Internet(_) => DestinationKey::Internet,
    }
}

fn side(snap: &Snapshot, m: &ReachMatrix, cell: &ReachCell) -> CellSide {
    let parts = m.cell_outcomes(cell);
    let connecting: u128 = parts.iter().filter(|p| m.outcome(p).reach.connects()).map(|p| p.address_pairs).sum();
    let pairs: u128 = parts.iter().map(|p| p.address_pairs).sum();
    let main = &parts[0];
    let sample: &CellOutcome = parts.iter().find(|p| !m.outcome(p).reach.connects()).unwrap_or(main);
    CellSide {
        reach: cell.reach,
        code: cell.code.or(m.outcome(sample).code),
        via: m.outcome(main).via_names(snap),
        connecting_pairs: connecting,
        pairs,
        sample: (sample.sample_source, sample.sample_destination),
    }
}

/// Compares two matrices cell by cell (subnets matched by id).
pub fn diff_reach(
    before_snap: &Snapshot,
    before: &ReachMatrix,
    after_snap: &Snapshot,
    after: &ReachMatrix,
) -> Vec<ReachChange> {
    let every = |m: &ReachMatrix| -> Vec<(usize, usize, ReachCell)> {
        (0..m.rows.len())
            .flat_map(|r| (0..m.columns.len()).map(move |c| (r, c)))
            .map(|(r, c)| (r, c, *m.cell(r, c)))
            .collect()
    };
    diff_cells(before_snap, before, &every(before), after_snap, after, &every(after))
}

/// Compares the cells two partial matrices hold ([`crate::reach::reach_touching`] on each
/// side, for the same subnets): when every other cell is known to be unchanged, the same
/// changes as [`diff_reach`] on the whole matrices.
pub fn diff_reach_touching(
    before_snap: &Snapshot,
    before: &TouchingCells,
    after_snap: &Snapshot,
    after: &TouchingCells,
) -> Vec<ReachChange> {
    diff_cells(before_snap, &before.head, &before.cells, after_snap, &after.head, &after.cells)
}

/// Compares the listed (row, column, cell) cells of two matrices, matched by source subnet id
/// and destination key.
fn diff_cells(
    before_snap: &Snapshot,
    before: &ReachMatrix,
    before_cells: &[(usize, usize, ReachCell)],
    after_snap: &Snapshot,
    after: &ReachMatrix,
    after_cells: &[(usize, usize, ReachCell)],
) -> Vec<ReachChange> {
    type Key = (String, DestinationKey);
    let cells = |snap: &Snapshot, m: &ReachMatrix, listed: &[(usize, usize, ReachCell)]| {
        let mut out: BTreeMap<Key, (String, String, String, CellSide)> = BTreeMap::new();
        for (r, c, cell) in listed {
            let row = m.rows[*r];
            let s = &snap.subnets[row.index()];
            let column = &m.columns[*c];
            out.insert(
                (s.id.key(), destination_key(snap, column)),
                (snap.subnet_label(row), s.id.to_string(), column.label(snap), side(snap, m, cell)),
            );
        }
        out
    };
    let mut b = cells(before_snap, before, before_cells);
    let a = cells(after_snap, after, after_cells);
    let mut out = Vec::new();
    for (key, (source, source_id, destination, after_side)) in a {
        let before_side = b.remove(&key).map(|(_, _, _, s)| s);
        if let Some(kind) = classify(before_side.as_ref(), Some(&after_side)) {
            out.push(ReachChange {
                kind,
                source,
                source_id,
                destination,
                destination_key: key.1,
                before: before_side,
                after: Some(after_side),
            });
        }
    }
    for (key, (source, source_id, destination, before_side)) in b {
        if let Some(kind) = classify(Some(&before_side), None) {
            out.push(ReachChange {
                kind,
                source,
                source_id,
                destination,
                destination_key: key.1,
                before: Some(before_side),
                after: None,
            });
        }
    }
    out.sort_by(|x, y| (x.kind, &x.source, &x.destination).cmp(&(y.kind, &y.source, &y.destination)));
    out
}

/// How a cell changed; `None` when it did not in any way the report shows.
fn classify(before: Option<&CellSide>, after: Option<&CellSide>) -> Option<ReachChangeKind> {
    // A side a firewall leaves undecided is not a loss nor a gain (§16.4): say so.
    let undecided = |s: Option<&CellSide>| s.is_some_and(|s| s.reach == Reachability::Indeterminate);
    let outcome = |s: Option<&CellSide>| s.map(|s| (s.reach, s.code));
    if (undecided(before) || undecided(after)) && outcome(before) != outcome(after) {
        return Some(ReachChangeKind::Undecided);
    }
    let share = |s: Option<&CellSide>| s.map(|s| (s.connecting_pairs, s.pairs)).unwrap_or((0, 0));
    let (bc, bt) = share(before);
    let (ac, at) = share(after);
    // Compare fractions (subnet sizes may differ between the snapshots): bc/bt vs ac/at.
    let (lhs, rhs) = (bc.saturating_mul(at.max(1)), ac.saturating_mul(bt.max(1)));
    let before_connects = bc > 0;
    let after_connects = ac > 0;
    if (after.is_none() && before_connects) || (after.is_some() && before.is_some() && lhs > rhs) {
        return Some(ReachChangeKind::Lost);
    }
    if (before.is_none() && after_connects) || (after.is_some() && before.is_some() && lhs < rhs) {
        return Some(ReachChangeKind::NewlyAllowed);
    }
    let (b, a) = (before?, after?);
    if b.reach.connects() && a.reach.connects() {
        return match (b.via.is_empty(), a.via.is_empty()) {
            (true, false) => Some(ReachChangeKind::NowThroughNva),
            (false, true) => Some(ReachChangeKind::NowSkipsNva),
            _ if b.via != a.via => Some(ReachChangeKind::NvaChanged),
            _ => None,
        };
    }
    if (b.reach, b.code) != (a.reach, a.code) {
        return Some(ReachChangeKind::ReasonChanged);
    }
    None
}
