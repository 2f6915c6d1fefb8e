//! Route Server learned routes that carry BGP communities (§19.2 RS-9), as a learned-routes
//! wrapper whose rows hold `communities` (a flat list, the shape other BGP outputs use).

use serde_json::{Value, json};

use crate::{Estate, id};

/// One learned route with its communities: (network, BGP next hop, AS path, communities).
pub type CommunityRoute<'a> = (&'a str, &'a str, &'a str, &'a [&'a str]);

impl Estate {
    /// What a peer advertised, each row with its BGP communities, as a flat list (both
    /// instances alike).
    pub fn peer_learned_with_communities(
        &mut self,
        route_server: &str,
        peer: &str,
        routes: &[CommunityRoute<'_>],
    ) -> &mut Estate {
        let rows: Vec<Value> = routes
            .iter()
            .map(|(network, hop, path, communities)| {
                json!({"network": network, "nextHop": hop, "sourcePeer": hop, "origin": "EBgp",
                    "asPath": path, "weight": 32768, "communities": communities})
            })
            .collect();
        self.learned.push(json!({
            "bgpConnectionId": format!("{}/bgpConnections/{peer}", id("virtualHubs", route_server)),
            "learnedRoutes": rows
        }));
        self
    }
}
