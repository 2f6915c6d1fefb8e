//! `GET /api/topology`: the estate as the web page draws it.

use azroute_report::topology::{self, TopologyView};

use crate::Session;

impl Session<'_> {
    pub fn topology(&self) -> TopologyView {
        topology::view(self.snapshot(), self.engine().topology())
    }
}
