//! Azure's Service Tags file: named sets of prefixes for routes and NSG rules.

use ipnet::IpNet;

/// Azure's Service Tags file (`ServiceTags_Public_*.json`).
#[derive(Clone, Debug, Default)]
pub struct ServiceTags {
    pub change_number: i64,
    pub cloud: String,
    pub tags: Vec<ServiceTag>,
}

#[derive(Clone, Debug)]
pub struct ServiceTag {
    /// e.g. `Storage.EastUS`.
    pub name: String,
    /// Normalised region, empty for a global tag.
    pub region: String,
    pub system_service: String,
    pub prefixes: Vec<IpNet>,
}

impl ServiceTags {
    pub fn find(&self, name: &str) -> Option<&ServiceTag> {
        self.tags.iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }
}
