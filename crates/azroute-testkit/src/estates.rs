//! Estates several test files share, built once here so each is described in one place.

use azroute_model::Snapshot;

use crate::{Estate, PeerSide};

/// A small generated estate (two hubs of four spokes, the 1k preset's other knobs) in the given
/// topology, loaded: the generator's designs in property tests.
pub fn generated(topology: azroute_generate::EstateTopology) -> Snapshot {
    let params = azroute_generate::GenerateParams {
        hubs: 2,
        spokes_per_hub: 4,
        topology,
        ..azroute_generate::Preset::K1.params()
    };
    let (texts, _) = azroute_generate::generate_texts(&params).expect("generated");
    azroute_ingest::load_texts(&texts).snapshot
}

/// A hub with an NVA at 10.0.1.4 (IP forwarding as given) and two spokes peered to the hub only,
/// each sending the other spoke's range to the NVA (§14 T17). Spoke 1's peering accepts
/// forwarded traffic; spoke 2's as given.
pub fn spokes_via_hub(nva_forwarding: bool, spoke2_accepts_forwarded: bool) -> Estate {
    let mut e = Estate::new();
    e.vnet("hub", "eastus", &["10.0.0.0/16"]).subnet("hub", "nva", "10.0.1.0/24").nic_with(
        "nic-nva",
        "hub",
        "nva",
        "10.0.1.4",
        nva_forwarding,
    );
    e.vnet("spoke1", "eastus", &["10.1.0.0/16"])
        .subnet("spoke1", "s", "10.1.1.0/24")
        .nic("nic1", "spoke1", "s", "10.1.1.4");
    e.vnet("spoke2", "eastus", &["10.2.0.0/16"])
        .subnet("spoke2", "s", "10.2.1.0/24")
        .nic("nic2", "spoke2", "s", "10.2.1.4");
    e.peer("hub", "spoke1", PeerSide::default(), PeerSide { allow_forwarded_traffic: true, ..PeerSide::default() });
    e.peer(
        "hub",
        "spoke2",
        PeerSide::default(),
        PeerSide { allow_forwarded_traffic: spoke2_accepts_forwarded, ..PeerSide::default() },
    );
    e.route_table("rt1", &[("to-spoke2", "10.2.0.0/16", "VirtualAppliance", Some("10.0.1.4"))])
        .associate("spoke1", "s", "rt1");
    e.route_table("rt2", &[("to-spoke1", "10.1.0.0/16", "VirtualAppliance", Some("10.0.1.4"))])
        .associate("spoke2", "s", "rt2");
    e
}
