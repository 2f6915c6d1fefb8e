//! `verify`: azroute's effective routes for a NIC compared with the ones Azure reported for it,
//! route by route, with the likely cause of each difference where one fits.
//!
//! Routes are paired by (prefix set, source); a pair that differs in state, next hop type or
//! next hop IPs is *changed*. A route azroute computes and Azure does not show is *missing*
//! (from Azure's answer); a route Azure shows and azroute does not compute is *extra*.

use std::collections::HashMap;
use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;

use crate::route::{EffectiveRoute, EffectiveRouteTable, NextHopType, RouteSource};
use crate::system_data::reserved_ranges;
use crate::{RouteEngine, RouteError};

/// The comparable facts of one route, computed or observed, in Azure's spelling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteFacts {
    pub name: Option<String>,
    pub source: String,
    pub state: String,
    pub prefixes: Vec<String>,
    pub next_hop_type: String,
    pub next_hop_ips: Vec<String>,
}

impl RouteFacts {
    pub fn from_computed(route: &EffectiveRoute) -> RouteFacts {
        RouteFacts {
            name: route.name.clone(),
            source: route.source.as_str().to_string(),
            state: route.state.as_str().to_string(),
            prefixes: route.prefix_text.clone(),
            next_hop_type: route.next_hop_type.as_str().to_string(),
            next_hop_ips: route.next_hop_ips.iter().map(|ip| ip.to_string()).collect(),
        }
    }

    pub fn from_observed(route: &ObservedRoute) -> RouteFacts {
        RouteFacts {
            name: route.name.clone(),
            source: route.source.clone(),
            state: route.state.clone(),
            prefixes: route.address_prefixes.clone(),
            next_hop_type: route.next_hop_type.clone(),
            next_hop_ips: route.next_hop_ips.clone(),
        }
    }

    /// `Default 10.0.0.0/16 → VnetLocal`, `User 0.0.0.0/0 → VirtualAppliance 10.0.1.4`.
    pub fn label(&self) -> String {
        let mut s = format!("{} {} → {}", self.source, self.prefixes.join(" "), self.next_hop_type);
        if !self.next_hop_ips.is_empty() {
            s.push(' ');
            s.push_str(&self.next_hop_ips.join(" "));
        }
        s
    }

    /// What pairs a computed route with an observed one: the prefix set and the source.
    fn key(&self) -> (Vec<String>, String) {
        let mut prefixes: Vec<String> = self.prefixes.iter().map(|p| canonical_prefix(p)).collect();
        prefixes.sort();
        prefixes.dedup();
        (prefixes, self.source.to_ascii_lowercase())
    }

    fn ip_set(&self) -> Vec<String> {
        let mut ips: Vec<String> = self.next_hop_ips.iter().map(|ip| canonical_ip(ip)).collect();
        ips.sort();
        ips.dedup();
        ips
    }

    fn parsed_ips(&self) -> Vec<IpAddr> {
        self.next_hop_ips.iter().filter_map(|ip| ip.trim().parse().ok()).collect()
    }

    fn is(&self, source: &str, next_hop_type: &str) -> bool {
        self.source.eq_ignore_ascii_case(source) && self.next_hop_type.eq_ignore_ascii_case(next_hop_type)
    }
}

fn canonical_prefix(text: &str) -> String {
    match text.trim().parse::<IpNet>() {
        Ok(net) => net.to_string(),
        Err(_) => text.trim().to_ascii_lowercase(),
    }
}

fn canonical_ip(text: &str) -> String {
    match text.trim().parse::<IpAddr>() {
        Ok(ip) => ip.to_string(),
        Err(_) => text.trim().to_ascii_lowercase(),
    }
}

/// A field of a paired route that differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteField {
    State,
    NextHopType,
    NextHopIp,
}

impl RouteField {
    /// Azure's field name.
    pub fn as_str(self) -> &'static str {
        match self {
            RouteField::State => "state",
            RouteField::NextHopType => "nextHopType",
            RouteField::NextHopIp => "nextHopIpAddress",
        }
    }
}

/// One field's two values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: RouteField,
    pub computed: String,
    pub observed: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DifferenceKind {
    /// azroute computes the route; Azure does not show it.
    Missing,
    /// Azure shows the route; azroute does not compute it.
    Extra,
    /// Same prefixes and source, different state or next hop.
    Changed,
}

impl DifferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DifferenceKind::Missing => "missing",
            DifferenceKind::Extra => "extra",
            DifferenceKind::Changed => "changed",
        }
    }
}

/// A likely reason for a difference: something azroute does not model, or the snapshot lacks.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LikelyCause {
    /// Azure shows `ConnectedGroup` routes azroute does not compute: the Azure Virtual Network
    /// Manager connectivity configuration, network group or member behind them is not in the
    /// snapshot (dynamic members come from Azure Policy, §18.1).
    AvnmConnectivity,
    /// Azure shows gateway routes azroute lacks, and the serving gateways have no learned-routes
    /// file in the snapshot.
    BgpRoutesNotInSnapshot { gateways: Vec<String> },
    /// Azure shows gateway routes pointing at a Route Server peer or a hub router, or no gateway
    /// in the snapshot serves the VNet: Azure Route Server or Virtual WAN.
    RouteServerOrVirtualWan { next_hop: Option<String> },
    /// Azure shows no `None` route for 172.16.0.0/12: the platform still used the older
    /// reserved list (§1.1).
    OlderReservedList,
    /// Azure shows `None` routes for the extra reserved ranges seen on the live platform (§1.4).
    PlatformReservedRanges,
    /// azroute could not expand a service tag: the snapshot has no Service Tags file, or an
    /// older one.
    ServiceTagsMissing,
}

/// A difference between the two tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteDifference {
    pub kind: DifferenceKind,
    pub computed: Option<RouteFacts>,
    pub observed: Option<RouteFacts>,
    /// For `Changed`: every field that differs.
    pub changes: Vec<FieldChange>,
    pub cause: Option<LikelyCause>,
}

/// The comparison for one NIC.
#[derive(Clone, Debug)]
pub struct NicVerification {
    pub nic: NicIdx,
    pub subnet: SubnetIdx,
    /// Routes that agree field for field (azroute's side).
    pub matched: Vec<RouteFacts>,
    pub differences: Vec<RouteDifference>,
}

/// Counts of a comparison, for one NIC or all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerifyCounts {
    pub nics: usize,
    pub matched: usize,
    pub missing: usize,
    pub extra: usize,
    pub changed: usize,
}

impl VerifyCounts {
    pub fn total(&self) -> usize {
        self.matched + self.missing + self.extra + self.changed
    }

    pub fn differences(&self) -> usize {
        self.missing + self.extra + self.changed
    }

    /// matched / (matched + missing + extra + changed), in percent; 100 when there is nothing
    /// to compare.
    pub fn agreement(&self) -> f64 {
        if self.total() == 0 { 100.0 } else { self.matched as f64 * 100.0 / self.total() as f64 }
    }

    fn add(&mut self, other: &VerifyCounts) {
        self.nics += other.nics;
        self.matched += other.matched;
        self.missing += other.missing;
        self.extra += other.extra;
        self.changed += other.changed;
    }
}

impl NicVerification {
    pub fn counts(&self) -> VerifyCounts {
        let mut c = VerifyCounts { nics: 1, matched: self.matched.len(), ..VerifyCounts::default() };
        for d in &self.differences {
            match d.kind {
                DifferenceKind::Missing => c.missing += 1,
                DifferenceKind::Extra => c.extra += 1,
                DifferenceKind::Changed => c.changed += 1,
            }
        }
        c
    }

    /// The distinct likely causes of this NIC's differences.
    pub fn causes(&self) -> Vec<LikelyCause> {
        let mut causes: Vec<LikelyCause> = self.differences.iter().filter_map(|d| d.cause.clone()).collect();
        causes.sort();
        causes.dedup();
        causes
    }
}

/// Counts over every NIC.
pub fn total_counts(results: &[NicVerification]) -> VerifyCounts {
    let mut total = VerifyCounts::default();
    for r in results {
        total.add(&r.counts());
    }
    total
}

/// Compares azroute's routes for `nic` with the routes Azure reported for it.
pub fn verify_nic(
    engine: &RouteEngine<'_>,
    nic: NicIdx,
    observed: &[ObservedRoute],
) -> Result<NicVerification, RouteError> {
    let (subnet, table) = engine.nic_table(nic)?;
    let computed: Vec<RouteFacts> = table.routes.iter().map(RouteFacts::from_computed).collect();
    let observed: Vec<RouteFacts> = observed.iter().map(RouteFacts::from_observed).collect();
    let mut by_key: HashMap<(Vec<String>, String), Vec<usize>> = HashMap::new();
    for (j, o) in observed.iter().enumerate() {
        by_key.entry(o.key()).or_default().push(j);
    }
    let mut used = vec![false; observed.len()];
    let mut paired: Vec<Option<usize>> = vec![None; computed.len()];
    // Exact agreement first, so a duplicate key pairs with its identical twin.
    for (i, c) in computed.iter().enumerate() {
        if let Some(js) = by_key.get(&c.key())
            && let Some(&j) = js.iter().find(|&&j| !used[j] && changes(c, &observed[j]).is_empty())
        {
            used[j] = true;
            paired[i] = Some(j);
        }
    }
    for (i, c) in computed.iter().enumerate() {
        if paired[i].is_none()
            && let Some(js) = by_key.get(&c.key())
            && let Some(&j) = js.iter().find(|&&j| !used[j])
        {
            used[j] = true;
            paired[i] = Some(j);
        }
    }
    let context = CauseContext::new(engine, &table);
    let mut matched = Vec::new();
    let mut differences = Vec::new();
    for (i, c) in computed.iter().enumerate() {
        match paired[i] {
            Some(j) => {
                let o = &observed[j];
                let diff = changes(c, o);
                if diff.is_empty() {
                    matched.push(c.clone());
                } else {
                    let cause = context.cause_for_observed(o, true);
                    differences.push(RouteDifference {
                        kind: DifferenceKind::Changed,
                        computed: Some(c.clone()),
                        observed: Some(o.clone()),
                        changes: diff,
                        cause,
                    });
                }
            }
            None => differences.push(RouteDifference {
                kind: DifferenceKind::Missing,
                computed: Some(c.clone()),
                observed: None,
                changes: Vec::new(),
                cause: context.cause_for_missing(&table.routes[i]),
            }),
        }
    }
    for (j, o) in observed.iter().enumerate() {
        if !used[j] {
            differences.push(RouteDifference {
                kind: DifferenceKind::Extra,
                computed: None,
                observed: Some(o.clone()),
                changes: Vec::new(),
                cause: context.cause_for_observed(o, false),
            });
        }
    }
    Ok(NicVerification { nic, subnet, matched, differences })
}

/// The fields in which two paired routes differ (case-insensitive names, IPs as sets).
fn changes(c: &RouteFacts, o: &RouteFacts) -> Vec<FieldChange> {
    let mut out = Vec::new();
    if !c.state.eq_ignore_ascii_case(&o.state) {
        out.push(FieldChange { field: RouteField::State, computed: c.state.clone(), observed: o.state.clone() });
    }
    if !c.next_hop_type.eq_ignore_ascii_case(&o.next_hop_type) {
        out.push(FieldChange {
            field: RouteField::NextHopType,
            computed: c.next_hop_type.clone(),
            observed: o.next_hop_type.clone(),
        });
    }
    if c.ip_set() != o.ip_set() {
        out.push(FieldChange {
            field: RouteField::NextHopIp,
            computed: c.next_hop_ips.join(" "),
            observed: o.next_hop_ips.join(" "),
        });
    }
    out
}

/// What the likely-cause rules need to know about the NIC's surroundings.
struct CauseContext<'a> {
    snap: &'a Snapshot,
    /// Gateways serving the NIC's VNet (own or by gateway transit).
    gateways: Vec<GatewayIdx>,
    profile: ReservedNoneProfile,
}

impl<'a> CauseContext<'a> {
    fn new(engine: &'a RouteEngine<'_>, table: &EffectiveRouteTable) -> CauseContext<'a> {
        CauseContext {
            snap: engine.snap(),
            gateways: engine.topology().attachments[table.vnet.index()].gateways.clone(),
            profile: engine.options().reserved_none_profile,
        }
    }

    /// A route azroute computes that Azure does not show.
    fn cause_for_missing(&self, route: &EffectiveRoute) -> Option<LikelyCause> {
        let reserved_172: IpNet = "172.16.0.0/12".parse().expect("valid prefix");
        if route.source == RouteSource::Default
            && route.next_hop_type == NextHopType::None
            && route.prefixes == [reserved_172]
        {
            return Some(LikelyCause::OlderReservedList);
        }
        if route.prefixes.is_empty() && !route.prefix_text.is_empty() {
            return Some(LikelyCause::ServiceTagsMissing);
        }
        None
    }

    /// A route Azure shows that azroute does not compute (`changed`: or computes differently).
    fn cause_for_observed(&self, o: &RouteFacts, changed: bool) -> Option<LikelyCause> {
        if o.next_hop_type.eq_ignore_ascii_case("ConnectedGroup") || o.source.eq_ignore_ascii_case("ConnectedGroup") {
            return Some(LikelyCause::AvnmConnectivity);
        }
        if o.source.eq_ignore_ascii_case(RouteSource::VirtualNetworkGateway.as_str()) {
            let ips = o.parsed_ips();
            if let Some(ip) = ips.iter().find(|ip| self.is_route_server_peer(**ip)) {
                return Some(LikelyCause::RouteServerOrVirtualWan { next_hop: Some(ip.to_string()) });
            }
            if self.gateways.is_empty() {
                return Some(LikelyCause::RouteServerOrVirtualWan { next_hop: ips.first().map(|ip| ip.to_string()) });
            }
            let without: Vec<String> = self
                .gateways
                .iter()
                .map(|g| &self.snap.gateways[g.index()])
                .filter(|g| !g.learned_routes_supplied)
                .map(|g| g.name.clone())
                .collect();
            if !without.is_empty() && !changed {
                return Some(LikelyCause::BgpRoutesNotInSnapshot { gateways: without });
            }
            return None;
        }
        if !changed && o.is("Default", "None") && self.profile == ReservedNoneProfile::Documented {
            let documented = reserved_ranges(ReservedNoneProfile::Documented);
            let platform = reserved_ranges(ReservedNoneProfile::PlatformObserved);
            let nets: Vec<IpNet> = o.prefixes.iter().filter_map(|p| p.parse().ok()).collect();
            if !nets.is_empty() && nets.iter().all(|n| platform.contains(n) && !documented.contains(n)) {
                return Some(LikelyCause::PlatformReservedRanges);
            }
        }
        if !changed && o.is("Default", "VirtualNetworkServiceEndpoint") && self.snap.service_tags.is_none() {
            return Some(LikelyCause::ServiceTagsMissing);
        }
        None
    }

    /// An IP in a `RouteServerSubnet`, or a NIC of the snapshot (an NVA peering with Route
    /// Server): VPN and ExpressRoute gateway routes never point there.
    fn is_route_server_peer(&self, ip: IpAddr) -> bool {
        let in_route_server_subnet =
            self.snap.subnets.iter().any(|s| {
                s.name.eq_ignore_ascii_case("RouteServerSubnet") && s.prefixes.iter().any(|p| p.contains(&ip))
            });
        let is_nic = self
            .snap
            .nics
            .iter()
            .any(|n| n.private_endpoint.is_none() && n.ip_configs.iter().any(|c| c.private_ip == Some(ip)));
        in_route_server_subnet || is_nic
    }
}

/// A sentence for a likely cause.
pub fn cause_text(cause: &LikelyCause) -> String {
    match cause {
        LikelyCause::AvnmConnectivity => "Azure Virtual Network Manager (AVNM) connectivity configuration: the configuration, network group or static member behind these `ConnectedGroup` routes is not in the snapshot (dynamic members come from Azure Policy; export them with `az network manager`)".to_string(),
        LikelyCause::BgpRoutesNotInSnapshot { gateways } => format!(
            "BGP routes not in the snapshot: add a learned-routes file for gateway {} (`az network vnet-gateway list-learned-routes`, see README \"Learned routes\"; `azroute collect` writes it)",
            gateways.iter().map(|g| format!("`{g}`")).collect::<Vec<_>>().join(", ")
        ),
        LikelyCause::RouteServerOrVirtualWan { next_hop } => {
            let via = next_hop
                .as_ref()
                .map(|ip| format!(" (next hop {ip})"))
                .unwrap_or_default();
            format!(
                "gateway routes from an Azure Route Server or a Virtual WAN hub{via}: neither is modelled by azroute (or the serving gateway is outside the snapshot)"
            )
        }
        LikelyCause::OlderReservedList => "Azure has no None route for 172.16.0.0/12: this platform still uses the older reserved-range list (172.16.0.0/12 was added later, docs/azure-routing-rules.md §1.1)".to_string(),
        LikelyCause::PlatformReservedRanges => "Azure adds None routes for reserved ranges seen on the live platform: compare with `--reserved-none-profile platform-observed`".to_string(),
        LikelyCause::ServiceTagsMissing => "service-endpoint routes need the Service Tags file: add `az network list-service-tags` output to the snapshot (`azroute collect --service-tags LOCATION`)".to_string(),
    }
}

/// A stable short code for a likely cause (JSON output).
pub fn cause_code(cause: &LikelyCause) -> &'static str {
    match cause {
        LikelyCause::AvnmConnectivity => "AvnmConnectivity",
        LikelyCause::BgpRoutesNotInSnapshot { .. } => "BgpRoutesNotInSnapshot",
        LikelyCause::RouteServerOrVirtualWan { .. } => "RouteServerOrVirtualWan",
        LikelyCause::OlderReservedList => "OlderReservedList",
        LikelyCause::PlatformReservedRanges => "PlatformReservedRanges",
        LikelyCause::ServiceTagsMissing => "ServiceTagsMissing",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VNET: &str = r#"[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"Microsoft.Network/virtualNetworks","location":"eastus",
        "addressSpace":{"addressPrefixes":["10.0.0.0/16"]},
        "subnets":[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/a","name":"a","addressPrefix":"10.0.1.0/24"}]},
      {"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n","type":"Microsoft.Network/networkInterfaces","location":"eastus",
        "ipConfigurations":[{"name":"c","privateIPAddress":"10.0.1.4","primary":true,
          "subnet":{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/a"}}]}]"#;

    fn observed(source: &str, state: &str, prefix: &str, hop: &str, ips: &[&str]) -> ObservedRoute {
        ObservedRoute {
            name: None,
            source: source.into(),
            state: state.into(),
            address_prefixes: vec![prefix.into()],
            next_hop_type: hop.into(),
            next_hop_ips: ips.iter().map(|s| s.to_string()).collect(),
            disable_bgp_route_propagation: None,
        }
    }

    fn base() -> Vec<ObservedRoute> {
        vec![
            observed("Default", "Active", "10.0.0.0/16", "VNetLocal", &[]),
            observed("default", "active", "0.0.0.0/0", "internet", &[]),
            observed("Default", "Active", "10.0.0.0/8", "None", &[]),
            observed("Default", "Active", "100.64.0.0/10", "None", &[]),
            observed("Default", "Active", "172.16.0.0/12", "None", &[]),
            observed("Default", "Active", "192.168.0.0/16", "None", &[]),
        ]
    }

    fn check(routes: &[ObservedRoute]) -> NicVerification {
        let loaded = azroute_ingest::load_texts(&[("t.json".into(), VNET.into())]);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let engine = RouteEngine::new(&loaded.snapshot, ModelOptions::default());
        verify_nic(&engine, NicIdx(0), routes).unwrap()
    }

    #[test]
    fn names_and_states_compare_case_insensitively() {
        let v = check(&base());
        assert_eq!(v.differences, vec![]);
        assert_eq!(v.counts().agreement(), 100.0);
    }

    #[test]
    fn every_kind_of_difference_is_found() {
        let mut routes = base();
        routes.remove(2); // 10.0.0.0/8 None: missing
        routes[0].state = "Invalid".into(); // changed state
        routes.push(observed("User", "Active", "10.9.0.0/16", "VirtualAppliance", &["10.0.1.9"]));
        let v = check(&routes);
        let c = v.counts();
        assert_eq!((c.matched, c.missing, c.extra, c.changed), (4, 1, 1, 1));
        assert_eq!(c.agreement(), 4.0 * 100.0 / 7.0);
        let changed = v.differences.iter().find(|d| d.kind == DifferenceKind::Changed).unwrap();
        assert_eq!(changed.changes[0].field, RouteField::State);
        assert!(v.differences.iter().all(|d| d.cause.is_none()));
    }

    #[test]
    fn likely_causes() {
        let mut routes = base();
        routes.retain(|r| r.address_prefixes[0] != "172.16.0.0/12");
        routes.push(observed("Default", "Active", "198.18.0.0/15", "None", &[]));
        routes.push(observed("Default", "Active", "10.5.0.0/16", "ConnectedGroup", &[]));
        // A gateway route with no gateway in the snapshot: Route Server or Virtual WAN.
        routes.push(observed(
            "VirtualNetworkGateway",
            "Active",
            "192.168.9.0/24",
            "VirtualNetworkGateway",
            &["10.100.0.68"],
        ));
        let v = check(&routes);
        let causes: Vec<&str> = v.causes().iter().map(cause_code).collect();
        assert_eq!(
            causes,
            vec!["AvnmConnectivity", "RouteServerOrVirtualWan", "OlderReservedList", "PlatformReservedRanges"]
        );
        let text = cause_text(&v.causes()[1]);
        assert!(text.contains("10.100.0.68"), "{text}");
    }

    #[test]
    fn duplicate_keys_pair_with_their_identical_twin_first() {
        // Two observed routes for one prefix and source: the one that agrees is matched.
        let mut routes = base();
        routes.insert(0, observed("Default", "Invalid", "10.0.0.0/16", "VnetLocal", &[]));
        let v = check(&routes);
        let c = v.counts();
        assert_eq!((c.matched, c.extra, c.changed), (6, 1, 0));
        assert_eq!(v.differences[0].observed.as_ref().unwrap().state, "Invalid");
    }
}
