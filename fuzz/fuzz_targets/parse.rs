//! Fuzz target `parse`: the model's parsers of text Azure writes (prefixes, addresses, port
//! ranges, NSG protocols, next-hop types, ARM ids) on arbitrary UTF-8, with the invariants each
//! must keep: what parses prints back and re-parses to the same value, and errors explain
//! themselves.

#![no_main]

use azroute_model::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The whole input, and each line of it, so one input can carry several values.
    check(text);
    for line in text.lines().take(16) {
        check(line);
    }
});

fn check(text: &str) {
    match parse_prefix(text) {
        Ok(net) => {
            // Strict parsing keeps only canonical networks, which print and re-parse unchanged.
            assert_eq!(net, net.trunc(), "`{text}` parsed with host bits set");
            assert_eq!(parse_prefix(&net.to_string()), Ok(net), "`{text}` -> `{net}` does not re-parse");
            assert_eq!(parse_prefix_lenient(text), Ok(net), "lenient disagrees with strict on `{text}`");
            assert!(contains_prefix(&net, &net));
        }
        Err(err) => explained(&err),
    }
    match parse_prefix_lenient(text) {
        Ok(net) => {
            assert_eq!(net, net.trunc(), "`{text}` parsed leniently with host bits set");
            assert_eq!(parse_prefix(&net.to_string()), Ok(net), "`{text}` -> `{net}` does not re-parse");
        }
        Err(err) => explained(&err),
    }
    match parse_ip(text) {
        Ok(ip) => {
            assert_eq!(parse_ip(&ip.to_string()), Ok(ip), "`{text}` -> `{ip}` does not re-parse");
            if !text.contains('/') {
                assert_eq!(parse_prefix_lenient(text), Ok(prefix_of_ip(ip)));
            }
            let _ = is_private_or_reserved(ip);
            // The binary search over the Internet tag agrees with a scan of its prefixes.
            assert_eq!(is_internet(ip), internet_prefixes().iter().any(|p| p.contains(&ip)), "{ip}");
        }
        Err(err) => explained(&err),
    }
    if let Some(range) = PortRange::parse(text) {
        assert!(range.lo <= range.hi, "`{text}` gave {range:?}");
        assert!(range.contains(range.lo) && range.contains(range.hi));
        assert_eq!(PortRange::parse(&format!("{}-{}", range.lo, range.hi)), Some(range));
    }
    if let Some(protocol) = RuleProtocol::parse(text) {
        assert_eq!(RuleProtocol::parse(protocol.as_effective_str()), Some(protocol), "`{text}`");
    }
    let next_hop = RouteNextHopType::parse(text);
    assert_eq!(RouteNextHopType::parse(next_hop.as_str()), next_hop, "`{text}`");
    let id = ArmId::new(text);
    assert_eq!(id, ArmId::new(id.key()), "`{text}`: an id and its key differ");
    let _ = (id.last_segment(), id.is_empty(), rg_relative_key(&id.key()));
}

/// An error names the offending text and prints a message; a hint, where present, is not empty.
fn explained(err: &PrefixError) {
    assert!(!err.to_string().is_empty());
    if let Some(hint) = err.hint() {
        assert!(!hint.is_empty());
    }
}
