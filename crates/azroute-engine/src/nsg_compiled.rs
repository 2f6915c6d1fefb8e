//! NSG rules compiled for verdicts asked again and again (§9): per NSG and direction, each
//! rule is a bit, and the address and port spaces are cut into classes whose members match
//! exactly the same rules. A verdict is then a binary search per field and a bitwise AND; the
//! first bit set is the first matching rule, the one rule-by-rule evaluation finds.
//!
//! What differs per subnet — the `VirtualNetwork` tag (§9.4) — stays outside the classes: a
//! rule naming it has its bit in a separate mask, added when the subnet's tag holds the address.
//! A direction with a tag the snapshot cannot expand is not compiled: rule-by-rule evaluation
//! reports the unknown tags it meets, in its order, and that is kept as it is.

use std::net::IpAddr;

use azroute_model::*;
use ipnet::IpNet;
use rustc_hash::FxHashMap;

use crate::nsg::{EffectiveRule, Flow, SecurityEngine};
use crate::ranges::num_like::Succ;
use crate::ranges::{covered, interval_starts};

/// One NSG's rules, compiled per direction; `None` where a rule names an unknown tag.
pub(crate) struct CompiledNsg {
    pub(crate) inbound: Option<CompiledDirection>,
    pub(crate) outbound: Option<CompiledDirection>,
}

impl CompiledNsg {
    pub(crate) fn new(engine: &SecurityEngine, rules: &[EffectiveRule]) -> CompiledNsg {
        CompiledNsg {
            inbound: CompiledDirection::new(engine, rules, Direction::Inbound),
            outbound: CompiledDirection::new(engine, rules, Direction::Outbound),
        }
    }

    pub(crate) fn direction(&self, direction: Direction) -> Option<&CompiledDirection> {
        match direction {
            Direction::Inbound => self.inbound.as_ref(),
            Direction::Outbound => self.outbound.as_ref(),
        }
    }
}

/// The rules of one direction: bit `i` stands for `rules[positions[i]]`.
pub(crate) struct CompiledDirection {
    positions: Vec<u32>,
    words: usize,
    /// Per protocol (see [`protocol_slot`]), the rules whose protocol admits it.
    protocols: Vec<u64>,
    source_ports: Classes<u16>,
    destination_ports: Classes<u16>,
    sources: AddressClasses,
    destinations: AddressClasses,
    /// The rules whose source (destination) names `VirtualNetwork`; all zero when none does.
    source_vnet: Vec<u64>,
    destination_vnet: Vec<u64>,
}

/// Every protocol a flow can have, in [`protocol_slot`] order.
const PROTOCOLS: [Protocol; 5] = [Protocol::Tcp, Protocol::Udp, Protocol::Icmp, Protocol::Esp, Protocol::Ah];

fn protocol_slot(protocol: Protocol) -> usize {
    match protocol {
        Protocol::Tcp => 0,
        Protocol::Udp => 1,
        Protocol::Icmp => 2,
        Protocol::Esp => 3,
        Protocol::Ah => 4,
    }
}

/// The addresses one side of a rule matches, as inclusive ranges per family.
#[derive(Default)]
struct Space {
    v4: Vec<(u32, u32)>,
    v6: Vec<(u128, u128)>,
    virtual_network: bool,
    /// A `*` among the patterns: the side matches every address.
    everything: bool,
}

impl Space {
    fn everything() -> Space {
        Space { v4: vec![(0, u32::MAX)], v6: vec![(0, u128::MAX)], virtual_network: false, everything: true }
    }

    fn add(&mut self, net: &IpNet) {
        match net {
            IpNet::V4(n) => self.v4.push((u32::from(n.network()), u32::from(n.broadcast()))),
            IpNet::V6(n) => self.v6.push((u128::from(n.network()), u128::from(n.broadcast()))),
        }
    }

    fn add_ip(&mut self, ip: IpAddr) {
        match ip {
            IpAddr::V4(a) => self.v4.push((u32::from(a), u32::from(a))),
            IpAddr::V6(a) => self.v6.push((u128::from(a), u128::from(a))),
        }
    }
}

impl CompiledDirection {
    fn new(engine: &SecurityEngine, rules: &[EffectiveRule], direction: Direction) -> Option<CompiledDirection> {
        let positions: Vec<u32> =
            rules.iter().enumerate().filter(|(_, r)| r.direction == direction).map(|(i, _)| i as u32).collect();
        let words = positions.len().div_ceil(64);
        let mine = || positions.iter().map(|&i| &rules[i as usize]);
        let mut sources = Vec::with_capacity(positions.len());
        let mut destinations = Vec::with_capacity(positions.len());
        for rule in mine() {
            sources.push(space_of(engine, &rule.sources, &rule.source_asgs)?);
            destinations.push(space_of(engine, &rule.destinations, &rule.destination_asgs)?);
        }
        let mut protocols = vec![0u64; PROTOCOLS.len() * words];
        for (bit, rule) in mine().enumerate() {
            for p in PROTOCOLS {
                if rule.protocol.matches(p) {
                    protocols[protocol_slot(p) * words + bit / 64] |= 1 << (bit % 64);
                }
            }
        }
        let ports = |of: fn(&EffectiveRule) -> &[PortRange]| {
            let ranges: Vec<Vec<(u16, u16)>> = mine().map(|r| of(r).iter().map(|p| (p.lo, p.hi)).collect()).collect();
            let ranges: Vec<&[(u16, u16)]> = ranges.iter().map(Vec::as_slice).collect();
            Classes::new(&ranges, words)
        };
        Some(CompiledDirection {
            protocols,
            source_ports: ports(|r| &r.source_ports),
            destination_ports: ports(|r| &r.destination_ports),
            source_vnet: vnet_mask(&sources, words),
            destination_vnet: vnet_mask(&destinations, words),
            sources: AddressClasses::new(&sources, words),
            destinations: AddressClasses::new(&destinations, words),
            positions,
            words,
        })
    }

    /// The position (in the NSG's rules) of the first rule matching `flow`, which must be of
    /// this direction; `in_vnet` says whether the subnet's `VirtualNetwork` tag holds an address.
    pub(crate) fn first_match(&self, flow: &Flow, in_vnet: impl Fn(IpAddr) -> bool) -> Option<usize> {
        let w = self.words;
        let slot = protocol_slot(flow.protocol);
        let protocol = &self.protocols[slot * w..(slot + 1) * w];
        // Ports count only for protocols that have them; `None` is any port (§9, IP flow verify).
        let has_ports = flow.protocol.has_ports();
        let source_port = flow.source_port.filter(|_| has_ports).map(|p| self.source_ports.bits(p));
        let destination_port = flow.destination_port.filter(|_| has_ports).map(|p| self.destination_ports.bits(p));
        let source = self.sources.bits(flow.source);
        let destination = self.destinations.bits(flow.destination);
        // The tag's membership is a search of its own: asked once, and only when it can decide.
        let (mut source_in_vnet, mut destination_in_vnet) = (None, None);
        for i in 0..w {
            let mut candidates = protocol[i];
            if let Some(p) = source_port {
                candidates &= p[i];
            }
            if let Some(p) = destination_port {
                candidates &= p[i];
            }
            let mut src = source[i];
            if candidates & !src & self.source_vnet[i] != 0
                && *source_in_vnet.get_or_insert_with(|| in_vnet(flow.source))
            {
                src |= self.source_vnet[i];
            }
            candidates &= src;
            let mut dst = destination[i];
            if candidates & !dst & self.destination_vnet[i] != 0
                && *destination_in_vnet.get_or_insert_with(|| in_vnet(flow.destination))
            {
                dst |= self.destination_vnet[i];
            }
            candidates &= dst;
            if candidates != 0 {
                return Some(self.positions[i * 64 + candidates.trailing_zeros() as usize] as usize);
            }
        }
        None
    }
}

/// What one side of a rule matches, the way `SecurityEngine::address_matches` decides it;
/// `None` for a tag the snapshot cannot expand.
fn space_of(engine: &SecurityEngine, patterns: &[AddressPattern], asgs: &[String]) -> Option<Space> {
    if !asgs.is_empty() {
        // An ASG rule matches its members' addresses; its address fields are not consulted.
        let mut space = Space::default();
        for ip in engine.asg_members(asgs) {
            space.add_ip(ip);
        }
        return Some(space);
    }
    if patterns.is_empty() {
        return Some(Space::everything());
    }
    let mut space = Space::default();
    for pattern in patterns {
        match pattern {
            // Read on: an unknown tag anywhere leaves the direction uncompiled, since rule by
            // rule reports it when it comes before the `*`.
            AddressPattern::Any => space.everything = true,
            AddressPattern::Prefix(net) => space.add(net),
            AddressPattern::Tag(tag) if tag.eq_ignore_ascii_case("VirtualNetwork") => space.virtual_network = true,
            AddressPattern::Tag(tag) if tag.eq_ignore_ascii_case("Internet") => {
                let (v4, v6) = internet_ranges();
                space.v4.extend_from_slice(v4);
                space.v6.extend_from_slice(v6);
            }
            AddressPattern::Tag(tag) if tag.eq_ignore_ascii_case("AzureLoadBalancer") => {
                for ip in crate::nsg::azure_load_balancer_ips() {
                    space.add_ip(ip);
                }
            }
            AddressPattern::Tag(tag) => {
                for net in &engine.service_tag(tag)?.prefixes {
                    space.add(net);
                }
            }
        }
    }
    if space.everything {
        return Some(Space::everything());
    }
    Some(space)
}

fn vnet_mask(spaces: &[Space], words: usize) -> Vec<u64> {
    let mut mask = vec![0u64; words];
    for (bit, space) in spaces.iter().enumerate() {
        if space.virtual_network {
            mask[bit / 64] |= 1 << (bit % 64);
        }
    }
    mask
}

struct AddressClasses {
    v4: Classes<u32>,
    v6: Classes<u128>,
}

impl AddressClasses {
    fn new(spaces: &[Space], words: usize) -> AddressClasses {
        let v4: Vec<&[(u32, u32)]> = spaces.iter().map(|s| s.v4.as_slice()).collect();
        let v6: Vec<&[(u128, u128)]> = spaces.iter().map(|s| s.v6.as_slice()).collect();
        AddressClasses { v4: Classes::new(&v4, words), v6: Classes::new(&v6, words) }
    }

    fn bits(&self, ip: IpAddr) -> &[u64] {
        match ip {
            IpAddr::V4(a) => self.v4.bits(u32::from(a)),
            IpAddr::V6(a) => self.v6.bits(u128::from(a)),
        }
    }
}

/// A key space (ports, IPv4 or IPv6 addresses) that classes cut.
trait Key: Copy + Ord + Default + Succ {}

impl<K: Copy + Ord + Default + Succ> Key for K {}

/// A key space cut into intervals, each of one class: the set of rules whose ranges hold it.
struct Classes<K> {
    /// The first key of each interval (the first is always 0); neighbours differ in class.
    starts: Vec<K>,
    class_of: Vec<u32>,
    /// Each class's rules, `words` words per class.
    bits: Vec<u64>,
    words: usize,
}

impl<K: Key> Classes<K> {
    /// `per_rule[bit]` holds the inclusive ranges of the rule at that bit.
    fn new(per_rule: &[&[(K, K)]], words: usize) -> Classes<K> {
        let mut cuts = interval_starts(per_rule.iter().flat_map(|ranges| ranges.iter().copied()));
        // Every key falls in an interval: the first starts at the smallest key.
        if cuts.first() != Some(&K::default()) {
            cuts.insert(0, K::default());
        }
        let mut interval_bits = vec![0u64; cuts.len() * words];
        for (bit, ranges) in per_rule.iter().enumerate() {
            for &(lo, hi) in *ranges {
                for interval in covered(&cuts, lo, hi) {
                    interval_bits[interval * words + bit / 64] |= 1 << (bit % 64);
                }
            }
        }
        let mut ids: FxHashMap<&[u64], u32> = FxHashMap::default();
        let (mut starts, mut class_of, mut bits) = (Vec::new(), Vec::new(), Vec::new());
        for (i, &start) in cuts.iter().enumerate() {
            let key = &interval_bits[i * words..(i + 1) * words];
            let next = ids.len() as u32;
            let class = *ids.entry(key).or_insert_with(|| {
                bits.extend_from_slice(key);
                next
            });
            if class_of.last() != Some(&class) {
                starts.push(start);
                class_of.push(class);
            }
        }
        Classes { starts, class_of, bits, words }
    }

    fn bits(&self, key: K) -> &[u64] {
        let interval = self.starts.partition_point(|s| *s <= key) - 1;
        let class = self.class_of[interval] as usize;
        &self.bits[class * self.words..(class + 1) * self.words]
    }
}
