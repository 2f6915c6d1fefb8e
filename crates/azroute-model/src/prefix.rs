//! Strict parsing of IP prefixes and addresses as Azure writes them, and fixed address sets.

use std::fmt;
use std::net::IpAddr;
use std::sync::OnceLock;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// Why a string is not a usable IP prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrefixError {
    /// No `/` where a CIDR prefix is required.
    NotCidr { text: String },
    /// The address part is not an IPv4 or IPv6 address.
    BadAddress { text: String },
    /// The length is not a number or is longer than the address family allows.
    BadLength { text: String, max: u8 },
    /// Bits set after the prefix length (`10.0.0.5/24`); Azure refuses such prefixes.
    HostBitsSet { text: String, canonical: IpNet },
}

impl PrefixError {
    /// A hint for the user, where there is an obvious fix.
    pub fn hint(&self) -> Option<String> {
        match self {
            PrefixError::HostBitsSet { canonical, .. } => {
                Some(format!("did you mean `{canonical}`? Azure refuses prefixes with host bits set"))
            }
            PrefixError::BadLength { max, .. } => Some(format!("the prefix length must be 0 to {max}")),
            PrefixError::NotCidr { .. } => Some("write the prefix as ADDRESS/LENGTH, e.g. `10.0.0.0/16`".to_string()),
            PrefixError::BadAddress { .. } => None,
        }
    }
}

impl fmt::Display for PrefixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrefixError::NotCidr { text } => write!(f, "`{text}` is not a CIDR prefix"),
            PrefixError::BadAddress { text } => {
                write!(f, "`{text}` is not a valid IP address or prefix")
            }
            PrefixError::BadLength { text, max } => {
                write!(f, "`{text}` has an invalid prefix length (at most /{max})")
            }
            PrefixError::HostBitsSet { text, canonical } => {
                write!(f, "`{text}` has host bits set (network is `{canonical}`)")
            }
        }
    }
}

impl std::error::Error for PrefixError {}

/// Parses a CIDR prefix strictly: the address must be valid, the length in range, and no host
/// bits may be set.
pub fn parse_prefix(text: &str) -> Result<IpNet, PrefixError> {
    let trimmed = text.trim();
    let Some((addr, len)) = trimmed.split_once('/') else {
        return Err(PrefixError::NotCidr { text: trimmed.to_string() });
    };
    let addr: IpAddr = addr.parse().map_err(|_| PrefixError::BadAddress { text: trimmed.to_string() })?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let len: u8 = match len.parse::<u8>() {
        Ok(n) if n <= max && !len.starts_with('+') => n,
        _ => {
            return Err(PrefixError::BadLength { text: trimmed.to_string(), max });
        }
    };
    let net = match addr {
        IpAddr::V4(v4) => {
            IpNet::V4(Ipv4Net::new(v4, len).map_err(|_| PrefixError::BadLength { text: trimmed.to_string(), max })?)
        }
        IpAddr::V6(v6) => {
            IpNet::V6(Ipv6Net::new(v6, len).map_err(|_| PrefixError::BadLength { text: trimmed.to_string(), max })?)
        }
    };
    let canonical = net.trunc();
    if canonical != net {
        return Err(PrefixError::HostBitsSet { text: trimmed.to_string(), canonical });
    }
    Ok(net)
}

/// Parses a prefix as NSG rules accept it: a CIDR prefix or a bare address (a /32 or /128).
pub fn parse_prefix_lenient(text: &str) -> Result<IpNet, PrefixError> {
    let trimmed = text.trim();
    if trimmed.contains('/') { parse_prefix(trimmed) } else { parse_ip(trimmed).map(prefix_of_ip) }
}

/// Parses a single IP address.
pub fn parse_ip(text: &str) -> Result<IpAddr, PrefixError> {
    text.trim().parse().map_err(|_| PrefixError::BadAddress { text: text.trim().to_string() })
}

/// The host prefix (/32 or /128) of an address.
pub fn prefix_of_ip(ip: IpAddr) -> IpNet {
    match ip {
        IpAddr::V4(v4) => IpNet::V4(Ipv4Net::new(v4, 32).expect("32 is a valid IPv4 length")),
        IpAddr::V6(v6) => IpNet::V6(Ipv6Net::new(v6, 128).expect("128 is a valid IPv6 length")),
    }
}

/// True when `outer` contains `inner` (equal prefixes included); false across families.
pub fn contains_prefix(outer: &IpNet, inner: &IpNet) -> bool {
    match (outer, inner) {
        (IpNet::V4(o), IpNet::V4(i)) => o.contains(i),
        (IpNet::V6(o), IpNet::V6(i)) => o.contains(i),
        _ => false,
    }
}

/// Private, shared or special-use IPv4 space that is never "the Internet" for trace verdicts.
pub fn is_private_or_reserved(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                || o[0] == 0
                || o[0] >= 224
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            v6.is_loopback() || (seg[0] & 0xfe00) == 0xfc00 || (seg[0] & 0xffc0) == 0xfe80
        }
    }
}

/// The expansion of the `Internet` service tag, as a real Azure subscription reported it in
/// the `tagMap` of `effectiveNetworkSecurityGroups` (azure-cli recording
/// `test_network_nic_convenience_commands`, 2020; see `testdata/reference/azure-cli-recordings`).
pub fn internet_prefixes() -> &'static [IpNet] {
    static CELL: OnceLock<Vec<IpNet>> = OnceLock::new();
    CELL.get_or_init(|| {
        INTERNET_TAG.iter().map(|text| parse_prefix(text).expect("the embedded Internet tag list is valid")).collect()
    })
}

/// Whether an address lies in the `Internet` tag's space, by binary search over its ranges.
/// The recorded expansion is IPv4 only; an IPv6 address is in it when it is global unicast
/// (2000::/3) and not the documentation range 2001:db8::/32 (§10.3, inferred).
pub fn is_internet(ip: IpAddr) -> bool {
    fn find<T: Copy + Ord>(ranges: &[(T, T)], key: T) -> bool {
        let i = ranges.partition_point(|(start, _)| *start <= key);
        i > 0 && ranges[i - 1].1 >= key
    }
    let (v4, v6) = internet_ranges();
    match ip {
        IpAddr::V4(a) => find(v4, u32::from(a)),
        IpAddr::V6(a) => find(v6, u128::from(a)),
    }
}

/// The first and last address of a range, as integers.
pub type InclusiveRange<T> = (T, T);

/// The `Internet` tag's space as sorted, disjoint inclusive ranges, IPv4 and IPv6: what
/// [`is_internet`] searches, and what compiled NSG rules (engine) cut address classes from.
pub fn internet_ranges() -> (&'static [InclusiveRange<u32>], &'static [InclusiveRange<u128>]) {
    static V4: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    // 2000::/3 without 2001:db8::/32.
    const V6: [(u128, u128); 2] =
        [(0x2000 << 112, (0x2001_0db8 << 96) - 1), ((0x2001_0db9 << 96), (0x4000 << 112) - 1)];
    let v4 = V4.get_or_init(|| {
        let mut r: Vec<(u32, u32)> = internet_prefixes()
            .iter()
            .filter_map(|p| match p {
                IpNet::V4(n) => Some((u32::from(n.network()), u32::from(n.broadcast()))),
                IpNet::V6(_) => None,
            })
            .collect();
        r.sort();
        r
    });
    (v4, &V6)
}

const INTERNET_TAG: &[&str] = &[
    "1.0.0.0/8",
    "2.0.0.0/7",
    "4.0.0.0/6",
    "8.0.0.0/7",
    "11.0.0.0/8",
    "12.0.0.0/8",
    "13.0.0.0/10",
    "13.64.0.0/11",
    "13.104.0.0/13",
    "13.112.0.0/12",
    "13.128.0.0/9",
    "14.0.0.0/7",
    "16.0.0.0/6",
    "20.0.0.0/9",
    "20.129.0.0/16",
    "20.131.0.0/16",
    "20.132.0.0/14",
    "20.136.0.0/13",
    "20.148.0.0/14",
    "20.152.0.0/13",
    "20.160.0.0/12",
    "20.184.0.0/13",
    "20.192.0.0/10",
    "23.0.0.0/8",
    "24.0.0.0/8",
    "25.25.0.0/16",
    "25.26.0.0/15",
    "25.132.0.0/14",
    "25.136.0.0/14",
    "25.140.0.0/15",
    "25.240.0.0/14",
    "25.250.86.0/23",
    "25.250.88.0/21",
    "25.250.96.0/19",
    "25.250.128.0/17",
    "25.254.9.0/24",
    "25.254.10.0/23",
    "25.254.12.0/22",
    "25.254.32.0/19",
    "26.0.0.0/7",
    "28.0.0.0/6",
    "32.0.0.0/5",
    "40.0.0.0/10",
    "40.64.0.0/15",
    "40.66.0.0/17",
    "40.67.0.0/16",
    "40.68.0.0/14",
    "40.72.0.0/13",
    "40.80.0.0/12",
    "40.96.0.0/11",
    "40.128.0.0/9",
    "41.0.0.0/8",
    "42.0.0.0/7",
    "44.0.0.0/6",
    "48.0.0.0/6",
    "52.0.0.0/9",
    "52.128.0.0/14",
    "52.136.0.0/13",
    "52.144.0.0/16",
    "52.146.0.0/15",
    "52.148.0.0/14",
    "52.152.0.0/13",
    "52.160.0.0/11",
    "52.192.0.0/10",
    "53.0.0.0/8",
    "54.0.0.0/7",
    "56.0.0.0/5",
    "64.0.0.0/3",
    "96.0.0.0/6",
    "100.0.0.0/10",
    "100.128.0.0/9",
    "101.0.0.0/8",
    "102.0.0.0/7",
    "104.0.0.0/9",
    "104.128.0.0/10",
    "104.192.0.0/12",
    "104.208.0.0/14",
    "104.212.0.0/19",
    "104.212.32.0/22",
    "104.212.40.0/21",
    "104.212.48.0/22",
    "104.212.56.0/21",
    "104.212.64.0/18",
    "104.212.128.0/17",
    "104.213.0.0/16",
    "104.214.0.0/15",
    "104.216.0.0/13",
    "104.224.0.0/11",
    "105.0.0.0/8",
    "106.0.0.0/7",
    "108.0.0.0/6",
    "112.0.0.0/5",
    "120.0.0.0/6",
    "124.0.0.0/7",
    "126.0.0.0/8",
    "128.0.0.0/8",
    "129.0.0.0/10",
    "129.64.0.0/13",
    "129.72.0.0/15",
    "129.74.0.0/16",
    "129.76.0.0/14",
    "129.80.0.0/12",
    "129.96.0.0/11",
    "129.128.0.0/9",
    "130.0.0.0/7",
    "132.0.0.0/7",
    "134.0.0.0/9",
    "134.128.0.0/11",
    "134.160.0.0/12",
    "134.176.0.0/16",
    "134.178.0.0/15",
    "134.180.0.0/14",
    "134.184.0.0/13",
    "134.192.0.0/10",
    "135.0.0.0/8",
    "136.0.0.0/7",
    "138.0.0.0/9",
    "138.128.0.0/10",
    "138.192.0.0/14",
    "138.197.0.0/16",
    "138.198.0.0/15",
    "138.200.0.0/13",
    "138.208.0.0/12",
    "138.224.0.0/11",
    "139.0.0.0/8",
    "140.0.0.0/8",
    "141.0.0.0/9",
    "141.128.0.0/10",
    "141.192.0.0/11",
    "141.224.0.0/12",
    "141.240.0.0/13",
    "141.248.0.0/15",
    "141.250.0.0/16",
    "141.252.0.0/14",
    "142.0.0.0/7",
    "144.0.0.0/7",
    "146.0.0.0/9",
    "146.128.0.0/12",
    "146.144.0.0/15",
    "146.146.0.0/16",
    "146.148.0.0/14",
    "146.152.0.0/13",
    "146.160.0.0/11",
    "146.192.0.0/10",
    "147.0.0.0/8",
    "148.0.0.0/6",
    "152.0.0.0/5",
    "160.0.0.0/5",
    "168.0.0.0/8",
    "169.0.0.0/9",
    "169.128.0.0/10",
    "169.192.0.0/11",
    "169.224.0.0/12",
    "169.240.0.0/13",
    "169.248.0.0/14",
    "169.252.0.0/15",
    "169.255.0.0/16",
    "170.0.0.0/7",
    "172.0.0.0/12",
    "172.32.0.0/11",
    "172.64.0.0/10",
    "172.128.0.0/9",
    "173.0.0.0/8",
    "174.0.0.0/7",
    "176.0.0.0/4",
    "192.0.0.0/23",
    "192.0.3.0/24",
    "192.0.4.0/22",
    "192.0.8.0/21",
    "192.0.16.0/20",
    "192.0.32.0/19",
    "192.0.64.0/18",
    "192.0.128.0/17",
    "192.1.0.0/16",
    "192.2.0.0/15",
    "192.4.0.0/14",
    "192.8.0.0/13",
    "192.16.0.0/12",
    "192.33.0.0/16",
    "192.34.0.0/15",
    "192.36.0.0/14",
    "192.40.0.0/13",
    "192.48.0.0/12",
    "192.64.0.0/11",
    "192.96.0.0/14",
    "192.100.0.0/18",
    "192.100.64.0/19",
    "192.100.96.0/22",
    "192.100.100.0/23",
    "192.100.104.0/21",
    "192.100.112.0/20",
    "192.100.128.0/17",
    "192.101.0.0/16",
    "192.102.0.0/15",
    "192.104.0.0/13",
    "192.112.0.0/12",
    "192.128.0.0/11",
    "192.160.0.0/13",
    "192.169.0.0/16",
    "192.170.0.0/15",
    "192.172.0.0/14",
    "192.176.0.0/12",
    "192.192.0.0/10",
    "193.0.0.0/8",
    "194.0.0.0/7",
    "196.0.0.0/7",
    "198.0.0.0/12",
    "198.16.0.0/15",
    "198.20.0.0/14",
    "198.24.0.0/13",
    "198.32.0.0/11",
    "198.64.0.0/10",
    "198.128.0.0/9",
    "199.0.0.0/8",
    "200.0.0.0/5",
    "208.0.0.0/4",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_prefix_parsing() {
        assert_eq!(parse_prefix("10.0.0.0/16").unwrap().to_string(), "10.0.0.0/16");
        assert!(matches!(parse_prefix("10.0.0.0/33"), Err(PrefixError::BadLength { .. })));
        assert!(matches!(parse_prefix("300.1.1.1/24"), Err(PrefixError::BadAddress { .. })));
        assert!(matches!(parse_prefix("10.0.0.5/24"), Err(PrefixError::HostBitsSet { .. })));
        assert!(matches!(parse_prefix("10.0.0.0"), Err(PrefixError::NotCidr { .. })));
        assert!(matches!(parse_prefix("10.0.0.0/+8"), Err(PrefixError::BadLength { .. })));
        assert_eq!(parse_prefix("fd00::/64").unwrap().to_string(), "fd00::/64");
        assert_eq!(parse_prefix_lenient("10.1.2.3").unwrap().to_string(), "10.1.2.3/32");
    }

    #[test]
    fn internet_tag_excludes_private_space() {
        let list = internet_prefixes();
        assert_eq!(list.len(), 216);
        let private: IpAddr = "10.1.2.3".parse().unwrap();
        assert!(!list.iter().any(|p| p.contains(&private)));
        let public: IpAddr = "8.8.8.8".parse().unwrap();
        assert!(list.iter().any(|p| p.contains(&public)));
        for probe in ["8.8.8.8", "10.1.2.3", "1.0.0.0", "223.255.255.255", "224.0.0.1", "127.0.0.1", "20.128.0.1"] {
            let ip: IpAddr = probe.parse().unwrap();
            assert_eq!(is_internet(ip), list.iter().any(|p| p.contains(&ip)), "{probe}");
        }
    }
    #[test]
    fn internet_tag_ipv6_is_global_unicast_without_documentation_space() {
        for (probe, inside) in [
            ("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false),
            ("2000::", true),
            ("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", true),
            ("2001:db8::", false),
            ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", false),
            ("2001:db9::", true),
            ("3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true),
            ("4000::", false),
            ("fd00::1", false),
        ] {
            assert_eq!(is_internet(probe.parse().unwrap()), inside, "{probe}");
        }
    }
}
