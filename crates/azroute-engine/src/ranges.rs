//! Sets of addresses held as sorted disjoint ranges: membership by binary search instead of a
//! scan of every prefix (the `VirtualNetwork` tag of an NSG, the address space of an estate).

use std::net::IpAddr;

use ipnet::IpNet;

/// Prefixes merged into sorted disjoint ranges, for membership by binary search.
#[derive(Clone, Debug, Default)]
pub struct RangeSet {
    v4: Vec<(u32, u32)>,
    v6: Vec<(u128, u128)>,
}

impl RangeSet {
    pub fn new(prefixes: &[IpNet]) -> RangeSet {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for p in prefixes {
            match p {
                IpNet::V4(n) => v4.push((u32::from(n.network()), u32::from(n.broadcast()))),
                IpNet::V6(n) => v6.push((u128::from(n.network()), u128::from(n.broadcast()))),
            }
        }
        RangeSet { v4: merged(v4), v6: merged(v6) }
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        fn find<T: Copy + Ord>(ranges: &[(T, T)], key: T) -> bool {
            let i = ranges.partition_point(|(lo, _)| *lo <= key);
            i > 0 && ranges[i - 1].1 >= key
        }
        match ip {
            IpAddr::V4(a) => find(&self.v4, u32::from(a)),
            IpAddr::V6(a) => find(&self.v6, u128::from(a)),
        }
    }
}

/// Inclusive ranges sorted and joined where they overlap or touch: the one merge the range
/// sets, the reach matrix's member ranges and the firewall's shadowing checks share.
pub(crate) fn merged<T: Copy + Ord + num_like::Succ>(mut ranges: Vec<(T, T)>) -> Vec<(T, T)> {
    ranges.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1.succ_saturating() => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// The starts of the elementary intervals of inclusive ranges: each range's start and the key
/// just after its end, sorted, once each, so that every range is a run of whole intervals
/// ([`covered`]). The first-owner search and the compiled NSG classes cut their spaces so.
pub(crate) fn interval_starts<T: Copy + Ord + num_like::Succ>(ranges: impl IntoIterator<Item = (T, T)>) -> Vec<T> {
    let mut starts = Vec::new();
    for (lo, hi) in ranges {
        starts.push(lo);
        starts.extend(hi.checked_succ());
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// The intervals (indices into `starts`, from [`interval_starts`]) an inclusive range covers.
pub(crate) fn covered<T: Copy + Ord>(starts: &[T], lo: T, hi: T) -> std::ops::Range<usize> {
    starts.partition_point(|s| *s < lo)..starts.partition_point(|s| *s <= hi)
}

/// The first of a list of owners (in list order) whose prefixes hold an address, by binary
/// search over elementary intervals: what a scan of every owner's prefixes answers, without
/// the scan (the VNet holding an address, asked at every hop of a trace: 2,010 VNets at 100k).
#[derive(Clone, Debug, Default)]
pub struct FirstOwner {
    /// Interval starts (IPv4 and IPv6 keyed apart), each with the first owner of the interval.
    v4: (Vec<u128>, Vec<u32>),
    v6: (Vec<u128>, Vec<u32>),
}

/// No owner holds the interval.
const NOBODY: u32 = u32::MAX;

impl FirstOwner {
    /// `owners[i]` is owner `i`'s prefixes.
    pub fn new<'p>(owners: impl IntoIterator<Item = &'p [IpNet]>) -> FirstOwner {
        let mut v4: Vec<(u128, u128, u32)> = Vec::new();
        let mut v6: Vec<(u128, u128, u32)> = Vec::new();
        for (i, prefixes) in owners.into_iter().enumerate() {
            for p in prefixes {
                match p {
                    IpNet::V4(n) => v4.push((u32::from(n.network()).into(), u32::from(n.broadcast()).into(), i as u32)),
                    IpNet::V6(n) => v6.push((u128::from(n.network()), u128::from(n.broadcast()), i as u32)),
                }
            }
        }
        FirstOwner { v4: Self::intervals(&v4), v6: Self::intervals(&v6) }
    }

    /// Elementary intervals (starts at every range's start and just after its end) and the
    /// first owner of each.
    fn intervals(ranges: &[(u128, u128, u32)]) -> (Vec<u128>, Vec<u32>) {
        let starts = interval_starts(ranges.iter().map(|&(lo, hi, _)| (lo, hi)));
        let mut first = vec![NOBODY; starts.len()];
        for &(lo, hi, owner) in ranges {
            for f in &mut first[covered(&starts, lo, hi)] {
                *f = (*f).min(owner);
            }
        }
        (starts, first)
    }

    /// The first owner whose prefixes hold `ip`.
    pub fn owner_of(&self, ip: IpAddr) -> Option<usize> {
        let ((starts, first), key) = match ip {
            IpAddr::V4(a) => (&self.v4, u128::from(u32::from(a))),
            IpAddr::V6(a) => (&self.v6, u128::from(a)),
        };
        let i = starts.partition_point(|s| *s <= key);
        (i > 0 && first[i - 1] != NOBODY).then(|| first[i - 1] as usize)
    }
}

pub(crate) mod num_like {
    /// The next value: saturating at the maximum (adjacent ranges merge), or none past it
    /// (an interval that ends at the maximum has no successor to start another).
    pub trait Succ: Sized {
        fn succ_saturating(self) -> Self;
        fn checked_succ(self) -> Option<Self>;
    }
    macro_rules! succ {
        ($($t:ty),*) => {$(impl Succ for $t {
            fn succ_saturating(self) -> $t {
                self.saturating_add(1)
            }
            fn checked_succ(self) -> Option<$t> {
                self.checked_add(1)
            }
        })*};
    }
    succ!(u16, u32, u128);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn prefix() -> impl Strategy<Value = IpNet> {
        prop_oneof![
            // Few distinct networks, so prefixes nest, repeat and touch.
            (0u32..4, 0u32..4, 20u8..=32).prop_map(|(a, b, len)| {
                IpNet::V4(
                    ipnet::Ipv4Net::new(std::net::Ipv4Addr::new(10, a as u8, (b * 16) as u8, 0), len).unwrap().trunc(),
                )
            }),
            (0u8..=16).prop_map(|len| IpNet::V4(
                ipnet::Ipv4Net::new(std::net::Ipv4Addr::new(10, 0, 0, 0), len).unwrap().trunc()
            )),
            Just("255.255.255.0/24".parse().unwrap()),
            Just("0.0.0.0/0".parse().unwrap()),
            (0u16..3, 48u8..=128).prop_map(|(a, len)| {
                IpNet::V6(
                    ipnet::Ipv6Net::new(std::net::Ipv6Addr::new(0xfd00, a, 0, 0, 0, 0, 0, 0), len).unwrap().trunc(),
                )
            }),
        ]
    }

    fn probe() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            (0u8..5, 0u8..=255, any::<u8>()).prop_map(|(a, b, c)| IpAddr::V4(std::net::Ipv4Addr::new(10, a, b, c))),
            any::<u32>().prop_map(|a| IpAddr::V4(a.into())),
            Just(IpAddr::V4(std::net::Ipv4Addr::BROADCAST)),
            (0u16..4, any::<u16>()).prop_map(|(a, z)| IpAddr::V6(std::net::Ipv6Addr::new(0xfd00, a, 0, 0, 0, 0, 0, z))),
        ]
    }

    proptest! {
        /// The interval search answers what a scan of the owners in order answers.
        #[test]
        fn first_owner_is_the_first_in_a_scan(
            owners in prop::collection::vec(prop::collection::vec(prefix(), 0..4), 0..12),
            probes in prop::collection::vec(probe(), 1..40),
        ) {
            let index = FirstOwner::new(owners.iter().map(Vec::as_slice));
            for ip in probes {
                let scan = owners.iter().position(|ps| ps.iter().any(|p| p.contains(&ip)));
                prop_assert_eq!(index.owner_of(ip), scan, "{}", ip);
            }
        }
    }
}
