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
        fn merge<T: Copy + Ord + num_like::Succ>(mut r: Vec<(T, T)>) -> Vec<(T, T)> {
            r.sort_unstable();
            let mut out: Vec<(T, T)> = Vec::with_capacity(r.len());
            for (lo, hi) in r {
                match out.last_mut() {
                    Some(last) if lo <= last.1.succ_saturating() => last.1 = last.1.max(hi),
                    _ => out.push((lo, hi)),
                }
            }
            out
        }
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for p in prefixes {
            match p {
                IpNet::V4(n) => v4.push((u32::from(n.network()), u32::from(n.broadcast()))),
                IpNet::V6(n) => v6.push((u128::from(n.network()), u128::from(n.broadcast()))),
            }
        }
        RangeSet { v4: merge(v4), v6: merge(v6) }
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

mod num_like {
    /// The next value, saturating at the maximum (adjacent ranges merge).
    pub trait Succ {
        fn succ_saturating(self) -> Self;
    }
    impl Succ for u32 {
        fn succ_saturating(self) -> u32 {
            self.saturating_add(1)
        }
    }
    impl Succ for u128 {
        fn succ_saturating(self) -> u128 {
            self.saturating_add(1)
        }
    }
}
