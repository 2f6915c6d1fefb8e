//! The report layer: the only crate that defines azroute's output shapes.
//!
//! JSON views use Azure's own field names and enum values (the shapes of the az CLI and
//! Network Watcher) so users' scripts keep working; tables follow the az CLI's `-o table`
//! layout; CSV has the table's columns. Views are plain data converted from engine results.

#![forbid(unsafe_code)]

pub mod diff;
pub mod doctor;
pub mod finding_text;
pub mod firewall;
pub mod hub_routes;
pub mod nexthop;
pub mod reach;
pub mod reach_vnet;
pub mod routes;
pub mod security;
pub mod style;
pub mod table;
pub mod topology;
pub mod trace;
pub mod verify;

/// Output formats a command can print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
}
