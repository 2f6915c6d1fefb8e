//! The compiled forwarding table: every winning prefix of a route context flattened into
//! disjoint address intervals, looked up by binary search.
//!
//! Prefixes either nest or are disjoint, so the address space splits into at most 2n+1
//! intervals, each owned by the longest prefix covering it. A lookup is one `partition_point`
//! over a sorted array: no allocation, no pointer chasing, and the same structure gives the
//! interval boundaries that the reachability matrix uses as address equivalence classes.
//!
//! IPv4, the hot path, is laid out for lookups that jump between cold tables (a trace or a
//! matrix row changes table at every hop): a head of one cache line inside the `Fib` holds a
//! summary of block starts and the pointer to the blocks, so it picks the block without
//! following a pointer; a block (two adjacent cache lines, which the hardware fetches as a
//! pair) holds 16 interval starts and, beside them, each interval's entry and route packed in
//! one word. So `lookup_route` and `lookup` read two cache lines one after the other for a
//! table of up to 160 intervals (the binary search read seven or eight), and every step is a
//! count of comparisons rather than a branch, so a batch of probes on different tables keeps
//! its cache misses in flight together instead of being cut short by mispredictions.
//!
//! A caller holding many probes on different tables can go further with [`lookup_routes`]: a
//! staged loop that reads each probe's head some probes before its block, so a probe's two
//! misses no longer follow each other (a prefetch instruction would need `unsafe`, which the
//! crate forbids, so the stages are plain loads).

use std::net::IpAddr;

use ipnet::IpNet;

/// Marks an interval that no prefix covers.
pub(crate) const NO_ROUTE: u32 = u32::MAX;

/// One forwarding entry: a prefix and the effective route it selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FibEntry {
    pub prefix: IpNet,
    /// Index into `EffectiveRouteTable::routes`.
    pub route: u32,
}

/// Block starts in the IPv4 head's summary.
const SUMMARY: usize = 10;

/// Interval starts in one IPv4 block.
const LANES: usize = 16;

/// A block's word for an interval no prefix covers.
const PACKED_NONE: u32 = 0x7FFF_FFFF;

/// A block's word that is not packed: the rest is the interval's index in `v4_slot`.
const UNPACKED: u32 = 0x8000_0000;

/// The IPv4 interval owned by an entry: the entry's index and its route (`NO_ROUTE` for both
/// where no prefix covers the interval).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Slot {
    entry: u32,
    route: u32,
}

impl Slot {
    /// The slot packed into one block word: entry in the high half, route in the low half,
    /// when both fit (an entry below 0x7FFF, a route below 0xFFFF: every table Azure allows);
    /// else the interval's index marked [`UNPACKED`].
    fn pack(self, interval: usize) -> u32 {
        if self.entry == NO_ROUTE {
            PACKED_NONE
        } else if self.entry < 0x7FFF && self.route < 0xFFFF {
            (self.entry << 16) | self.route
        } else {
            UNPACKED | interval as u32
        }
    }
}

/// Sixteen consecutive IPv4 interval starts and their packed slots: 128 bytes, aligned so that
/// they are the two cache lines of one adjacent-line pair. Lanes past the table's last
/// interval repeat it, with `u32::MAX` as their start, so a count of starts at or below an
/// address never needs the block's length.
#[derive(Clone, Debug, PartialEq, Eq)]
#[repr(C, align(128))]
struct Block {
    starts: [u32; LANES],
    packed: [u32; LANES],
}

/// What a lookup reads first, in one cache line: the first start of every `group`-th block,
/// and the blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[repr(C, align(64))]
struct V4Head {
    /// `u32::MAX` past the last group.
    summary: [u32; SUMMARY],
    groups: u32,
    /// Blocks per summary entry: 1 for tables of up to `SUMMARY * LANES` intervals.
    group: u32,
    blocks: Box<[Block]>,
}

/// Flattened IPv4 and IPv6 interval tables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fib {
    pub entries: Vec<FibEntry>,
    v4_head: V4Head,
    v4_starts: Vec<u32>,
    v4_slot: Vec<Slot>,
    v6_starts: Vec<u128>,
    v6_entry: Vec<u32>,
}

/// How many of `values` are at or below `key`: a count, not a search, so no branch depends on
/// the data.
#[inline]
fn count_at_or_below(values: &[u32], key: u32) -> usize {
    values.iter().map(|&v| (v <= key) as usize).sum()
}

fn bounds(prefix: &IpNet) -> (u128, u128) {
    match prefix {
        IpNet::V4(n) => (u32::from(n.network()) as u128, u32::from(n.broadcast()) as u128),
        IpNet::V6(n) => (u128::from(n.network()), u128::from(n.broadcast())),
    }
}

/// Flattens nested-or-disjoint ranges (already sorted by start, then by size descending) into
/// `(start, entry)` intervals covering `0..=max`.
fn flatten(ranges: &[(u128, u128, u32)], max: u128) -> Vec<(u128, u32)> {
    let mut out: Vec<(u128, u32)> = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut push = |start: u128, entry: u32| {
        if let Some(last) = out.last_mut() {
            if last.0 == start {
                last.1 = entry;
                return;
            }
            if last.1 == entry {
                return;
            }
        }
        out.push((start, entry));
    };
    push(0, NO_ROUTE);
    // Stack of enclosing ranges: (end, entry).
    let mut stack: Vec<(u128, u32)> = Vec::new();
    for &(start, end, entry) in ranges {
        while let Some(&(top_end, _)) = stack.last() {
            if top_end >= start {
                break;
            }
            stack.pop();
            if top_end < max {
                let outer = stack.last().map(|s| s.1).unwrap_or(NO_ROUTE);
                push(top_end + 1, outer);
            }
        }
        push(start, entry);
        stack.push((end, entry));
    }
    while let Some((top_end, _)) = stack.pop() {
        if top_end < max {
            let outer = stack.last().map(|s| s.1).unwrap_or(NO_ROUTE);
            push(top_end + 1, outer);
        }
    }
    out
}

impl V4Head {
    /// Cuts the intervals into blocks of [`LANES`] and summarises their first starts.
    fn build(starts: &[u32], slots: &[Slot]) -> V4Head {
        let blocks: Box<[Block]> = starts
            .chunks(LANES)
            .zip(slots.chunks(LANES))
            .enumerate()
            .map(|(b, (starts, slots))| {
                let last = b * LANES + starts.len() - 1;
                let mut block =
                    Block { starts: [u32::MAX; LANES], packed: [slots[starts.len() - 1].pack(last); LANES] };
                block.starts[..starts.len()].copy_from_slice(starts);
                for (lane, slot) in slots.iter().enumerate() {
                    block.packed[lane] = slot.pack(b * LANES + lane);
                }
                block
            })
            .collect();
        let group = blocks.len().div_ceil(SUMMARY).max(1);
        let mut summary = [u32::MAX; SUMMARY];
        for (g, block) in blocks.iter().step_by(group).enumerate() {
            summary[g] = block.starts[0];
        }
        V4Head { summary, groups: blocks.len().div_ceil(group) as u32, group: group as u32, blocks }
    }
}

impl Fib {
    /// Builds the table. Prefixes must be unique; the caller has already chosen one winner
    /// per prefix.
    pub fn build(entries: Vec<FibEntry>) -> Fib {
        let mut v4: Vec<(u128, u128, u32)> = Vec::new();
        let mut v6: Vec<(u128, u128, u32)> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let (lo, hi) = bounds(&e.prefix);
            match e.prefix {
                IpNet::V4(_) => v4.push((lo, hi, i as u32)),
                IpNet::V6(_) => v6.push((lo, hi, i as u32)),
            }
        }
        let order = |a: &(u128, u128, u32), b: &(u128, u128, u32)| a.0.cmp(&b.0).then(b.1.cmp(&a.1));
        v4.sort_by(order);
        v6.sort_by(order);
        let f4 = flatten(&v4, u32::MAX as u128);
        let f6 = flatten(&v6, u128::MAX);
        let v4_starts: Vec<u32> = f4.iter().map(|(s, _)| *s as u32).collect();
        let v4_slot: Vec<Slot> = f4
            .iter()
            .map(|&(_, entry)| Slot { entry, route: entries.get(entry as usize).map_or(NO_ROUTE, |e| e.route) })
            .collect();
        Fib {
            entries,
            v4_head: V4Head::build(&v4_starts, &v4_slot),
            v4_starts,
            v4_slot,
            v6_starts: f6.iter().map(|(s, _)| *s).collect(),
            v6_entry: f6.iter().map(|(_, e)| *e).collect(),
        }
    }

    /// The IPv4 block holding `key`, from the head alone (the first start is 0, so some block
    /// always starts at or below `key`): the first of a lookup's two cache-line reads.
    #[inline]
    fn v4_block(&self, key: u32) -> &Block {
        let head = &self.v4_head;
        let g = count_at_or_below(&head.summary, key).min(head.groups as usize) - 1;
        let mut b = g * head.group as usize;
        if head.group > 1 {
            // A large table: the block inside the group, by the blocks' first starts.
            let end = (b + head.group as usize).min(head.blocks.len());
            b += (b + 1..end).map(|i| (self.v4_starts[i * LANES] <= key) as usize).sum::<usize>();
        }
        &head.blocks[b]
    }

    /// The IPv4 interval holding `key` inside its block (from [`Fib::v4_block`]): the second read.
    #[inline]
    fn v4_slot_in(&self, block: &Block, key: u32) -> Slot {
        let lane = count_at_or_below(&block.starts, key) - 1;
        match block.packed[lane] {
            PACKED_NONE => Slot { entry: NO_ROUTE, route: NO_ROUTE },
            word if word & UNPACKED != 0 => self.v4_slot[(word & !UNPACKED) as usize],
            word => Slot { entry: word >> 16, route: word & 0xFFFF },
        }
    }

    /// The IPv4 interval holding `key`.
    #[inline]
    fn v4_slot(&self, key: u32) -> Slot {
        self.v4_slot_in(self.v4_block(key), key)
    }

    /// The entry whose prefix is the longest match for `ip`.
    #[inline]
    pub fn lookup(&self, ip: IpAddr) -> Option<&FibEntry> {
        let entry = match ip {
            IpAddr::V4(v4) => self.v4_slot(u32::from(v4)).entry,
            IpAddr::V6(v6) => {
                let key = u128::from(v6);
                let i = self.v6_starts.partition_point(|&s| s <= key);
                self.v6_entry[i - 1]
            }
        };
        if entry == NO_ROUTE { None } else { self.entries.get(entry as usize) }
    }

    /// The route index selected for `ip` (for IPv4 without reading the entry).
    #[inline]
    pub fn lookup_route(&self, ip: IpAddr) -> Option<u32> {
        match ip {
            IpAddr::V4(v4) => {
                let route = self.v4_slot(u32::from(v4)).route;
                (route != NO_ROUTE).then_some(route)
            }
            IpAddr::V6(_) => self.lookup(ip).map(|e| e.route),
        }
    }

    /// Interval start addresses (IPv4): every address class boundary of this table.
    pub fn v4_boundaries(&self) -> &[u32] {
        &self.v4_starts
    }

    /// The route of the `i`-th IPv4 interval (of [`Fib::v4_boundaries`]), `None` where no
    /// prefix covers it: with a `partition_point` over the boundaries, the plain binary search
    /// the lookup benchmark compares `lookup_route` with.
    pub fn v4_interval_route(&self, i: usize) -> Option<u32> {
        self.v4_slot.get(i).map(|s| s.route).filter(|r| *r != NO_ROUTE)
    }

    /// Interval start addresses (IPv6).
    pub fn v6_boundaries(&self) -> &[u128] {
        &self.v6_starts
    }

    /// Indices of the routes that some address selects: a route missing here is never used.
    pub fn selected_routes(&self) -> std::collections::BTreeSet<u32> {
        self.v4_slot
            .iter()
            .map(|s| &s.entry)
            .chain(self.v6_entry.iter())
            .filter(|e| **e != NO_ROUTE)
            .filter_map(|e| self.entries.get(*e as usize).map(|x| x.route))
            .collect()
    }

    /// Number of flattened intervals (both families), for sizing and benchmarks.
    pub fn interval_count(&self) -> usize {
        self.v4_starts.len() + self.v6_starts.len()
    }
}

/// How many probes [`lookup_routes`] reads ahead: the head of the probe `AHEAD` places on is
/// read while the block of the current one is, so enough misses overlap to cover the latency
/// of a cache line from the last level (16 measured no worse than 8; a power of two, so the
/// ring index is a mask).
const AHEAD: usize = 16;

/// A probe whose head has been read: its block is known, not yet read.
#[derive(Clone, Copy)]
enum Pending<'a> {
    /// No probe: the probes have run out.
    Done,
    V4 {
        fib: &'a Fib,
        block: &'a Block,
        key: u32,
    },
    V6 {
        fib: &'a Fib,
        ip: IpAddr,
    },
}

impl<'a> Pending<'a> {
    #[inline]
    fn start(probe: Option<(&'a Fib, IpAddr)>) -> Pending<'a> {
        match probe {
            None => Pending::Done,
            Some((fib, IpAddr::V4(v4))) => {
                let key = u32::from(v4);
                Pending::V4 { fib, block: fib.v4_block(key), key }
            }
            Some((fib, ip)) => Pending::V6 { fib, ip },
        }
    }
}

/// The answers of [`lookup_routes`], in the order of the probes.
pub struct LookupRoutes<'a, I> {
    probes: std::iter::Fuse<I>,
    ring: [Pending<'a>; AHEAD],
    at: usize,
}

/// `Fib::lookup_route` of every (table, address) probe, in order, for callers that hold many
/// probes on different tables (a trace or matrix row changes table at every hop): the same
/// answers as one lookup after another, but each probe's dependent cache-line reads are made
/// probes apart — its table's head `AHEAD` probes before its answer, both lines of its block
/// `AHEAD / 2` before — so a cold table's misses overlap other probes' instead of following
/// each other (the staged loop of DPDK's `rte_lpm_lookupx4`, with plain loads in place of
/// prefetches, which would need `unsafe`). IPv6 probes are looked up in place.
pub fn lookup_routes<'a, I>(probes: I) -> LookupRoutes<'a, I::IntoIter>
where
    I: IntoIterator<Item = (&'a Fib, IpAddr)>,
{
    let mut probes = probes.into_iter().fuse();
    let ring = std::array::from_fn(|_| Pending::start(probes.next()));
    LookupRoutes { probes, ring, at: 0 }
}

impl<'a, I: Iterator<Item = (&'a Fib, IpAddr)>> Iterator for LookupRoutes<'a, I> {
    type Item = Option<u32>;

    #[inline]
    fn next(&mut self) -> Option<Option<u32>> {
        let answer = match self.ring[self.at] {
            Pending::Done => return None,
            Pending::V4 { fib, block, key } => {
                let route = fib.v4_slot_in(block, key).route;
                (route != NO_ROUTE).then_some(route)
            }
            Pending::V6 { fib, ip } => fib.lookup_route(ip),
        };
        self.ring[self.at] = Pending::start(self.probes.next());
        // Halfway: ask for both lines of a block whose head was read half a ring ago.
        if let Pending::V4 { block, .. } = self.ring[(self.at + AHEAD / 2) % AHEAD] {
            std::hint::black_box(block.starts[0] ^ block.packed[0]);
        }
        self.at = (self.at + 1) % AHEAD;
        Some(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fib(prefixes: &[&str]) -> Fib {
        Fib::build(
            prefixes
                .iter()
                .enumerate()
                .map(|(i, p)| FibEntry { prefix: p.parse().unwrap(), route: i as u32 })
                .collect(),
        )
    }

    #[test]
    fn longest_prefix_wins() {
        let f = fib(&["0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "192.168.0.0/16"]);
        let at = |ip: &str| f.lookup_route(ip.parse().unwrap());
        assert_eq!(at("8.8.8.8"), Some(0));
        assert_eq!(at("10.1.0.1"), Some(1));
        assert_eq!(at("10.0.5.1"), Some(2));
        assert_eq!(at("10.0.0.255"), Some(3));
        assert_eq!(at("10.0.1.0"), Some(2));
        assert_eq!(at("10.255.255.255"), Some(1));
        assert_eq!(at("11.0.0.0"), Some(0));
        assert_eq!(at("255.255.255.255"), Some(0));
        assert_eq!(at("0.0.0.0"), Some(0));
    }

    /// Entries and routes too large to pack into a block word are read from the slots, and a
    /// table of more blocks than the summary holds picks its block inside a group.
    #[test]
    fn large_indices_and_large_tables() {
        // 300 disjoint /24s: 601 intervals, 38 blocks, groups of 4 blocks.
        let entries: Vec<FibEntry> = (0..300u32)
            .map(|i| FibEntry {
                prefix: IpNet::V4(ipnet::Ipv4Net::new(std::net::Ipv4Addr::from((10 << 24) | (i << 9)), 24).unwrap()),
                route: if i % 2 == 0 { 70_000 + i } else { i },
            })
            .collect();
        let f = Fib::build(entries);
        assert!(f.v4_head.group > 1, "the table needs groups: {}", f.v4_head.group);
        for i in 0..300u32 {
            let inside = IpAddr::V4(std::net::Ipv4Addr::from((10 << 24) | (i << 9) | 7));
            let after = IpAddr::V4(std::net::Ipv4Addr::from((10 << 24) | (i << 9) | 300));
            let route = if i % 2 == 0 { 70_000 + i } else { i };
            assert_eq!(f.lookup_route(inside), Some(route), "{inside}");
            assert_eq!(f.lookup(inside).map(|e| e.route), Some(route), "{inside}");
            assert_eq!(f.lookup_route(after), None, "{after}");
        }
        assert_eq!(f.lookup_route("255.255.255.255".parse().unwrap()), None);
        assert_eq!(f.lookup_route("0.0.0.0".parse().unwrap()), None);
    }

    #[test]
    fn uncovered_space_has_no_route() {
        let f = fib(&["10.0.0.0/8", "255.255.255.255/32", "::/0"]);
        assert_eq!(f.lookup_route("9.255.255.255".parse().unwrap()), None);
        assert_eq!(f.lookup_route("11.0.0.0".parse().unwrap()), None);
        assert_eq!(f.lookup_route("255.255.255.255".parse().unwrap()), Some(1));
        assert_eq!(f.lookup_route("255.255.255.254".parse().unwrap()), None);
        assert_eq!(f.lookup_route("2001:db8::1".parse().unwrap()), Some(2));
    }
}

#[cfg(test)]
mod properties {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use ipnet::{IpNet, Ipv4Net, Ipv6Net};
    use proptest::prelude::*;

    use super::*;

    fn v4_prefix() -> impl Strategy<Value = IpNet> {
        // Cluster addresses so that prefixes nest often.
        (0u32..16, any::<u32>(), 0u8..=32).prop_map(|(hi, lo, len)| {
            let addr = Ipv4Addr::from((hi << 28) | (lo >> 4));
            IpNet::V4(Ipv4Net::new(addr, len).expect("len <= 32").trunc())
        })
    }

    fn v6_prefix() -> impl Strategy<Value = IpNet> {
        (0u128..16, any::<u128>(), 0u8..=128).prop_map(|(hi, lo, len)| {
            let addr = Ipv6Addr::from((hi << 124) | (lo >> 4));
            IpNet::V6(Ipv6Net::new(addr, len).expect("len <= 128").trunc())
        })
    }

    fn address() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            (0u32..16, any::<u32>()).prop_map(|(hi, lo)| IpAddr::V4(Ipv4Addr::from((hi << 28) | (lo >> 4)))),
            (0u128..16, any::<u128>()).prop_map(|(hi, lo)| IpAddr::V6(Ipv6Addr::from((hi << 124) | (lo >> 4)))),
            Just(IpAddr::V4(Ipv4Addr::new(255, 255, 255, 255))),
            Just(IpAddr::V4(Ipv4Addr::new(0, 0, 0, 0))),
        ]
    }

    /// The reference: the longest prefix containing the address, by linear scan.
    fn naive(entries: &[FibEntry], ip: IpAddr) -> Option<u32> {
        entries.iter().filter(|e| e.prefix.contains(&ip)).max_by_key(|e| e.prefix.prefix_len()).map(|e| e.route)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The compiled table agrees with a linear longest-prefix scan for IPv4 and IPv6
        /// prefixes of every length, including /0, /32 and /128.
        #[test]
        fn fib_agrees_with_linear_scan(
            prefixes in proptest::collection::vec(prop_oneof![v4_prefix(), v6_prefix()], 0..200),
            probes in proptest::collection::vec(address(), 1..60),
        ) {
            let mut seen = Vec::new();
            let entries: Vec<FibEntry> = prefixes
                .into_iter()
                .filter(|p| if seen.contains(p) { false } else { seen.push(*p); true })
                .enumerate()
                // Routes differ from entry indices, so both lookups are checked.
                .map(|(i, prefix)| FibEntry { prefix, route: 3 + 7 * i as u32 })
                .collect();
            let fib = Fib::build(entries.clone());
            for ip in probes {
                prop_assert_eq!(fib.lookup_route(ip), naive(&entries, ip), "ip {}", ip);
                prop_assert_eq!(fib.lookup(ip).map(|e| e.route), naive(&entries, ip), "ip {}", ip);
                if let IpAddr::V4(v4) = ip {
                    let i = fib.v4_boundaries().partition_point(|&s| s <= u32::from(v4));
                    prop_assert_eq!(fib.v4_interval_route(i - 1), naive(&entries, ip), "ip {}", ip);
                }
                // Probe the edges of every prefix too.
                for e in entries.iter().take(8) {
                    for edge in [e.prefix.network(), e.prefix.broadcast()] {
                        prop_assert_eq!(fib.lookup_route(edge), naive(&entries, edge), "edge {}", edge);
                    }
                }
            }
        }

        /// `lookup_routes` over probes that change table at every probe gives, in order, the
        /// answers of `lookup_route` one probe at a time: fewer probes than it reads ahead,
        /// and many more; IPv4 and IPv6; tables of one block, of several, and of groups.
        #[test]
        fn batch_agrees_with_one_lookup_at_a_time(
            tables in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![3 => v4_prefix(), 1 => v6_prefix()], 0..250),
                1..6,
            ),
            probes in proptest::collection::vec((0usize..6, address()), 0..40),
        ) {
            let fibs: Vec<Fib> = tables
                .into_iter()
                .map(|prefixes| {
                    let mut seen = Vec::new();
                    let entries = prefixes
                        .into_iter()
                        .filter(|p| if seen.contains(p) { false } else { seen.push(*p); true })
                        .enumerate()
                        .map(|(i, prefix)| FibEntry { prefix, route: 5 + 11 * i as u32 })
                        .collect();
                    Fib::build(entries)
                })
                .collect();
            let probes: Vec<(&Fib, IpAddr)> = probes.iter().map(|&(t, ip)| (&fibs[t % fibs.len()], ip)).collect();
            let one_at_a_time: Vec<Option<u32>> = probes.iter().map(|(fib, ip)| fib.lookup_route(*ip)).collect();
            let batch: Vec<Option<u32>> = lookup_routes(probes.iter().copied()).collect();
            prop_assert_eq!(batch, one_at_a_time);
        }
    }
}
