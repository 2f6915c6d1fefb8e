//! The questions azroute answers about one snapshot, asked the same way by the command line
//! and the web page: typed queries (`RoutesQuery`, `NextHopQuery`, `TraceQuery`, `ReachScope`,
//! `DoctorQuery`) in, answers out, each rendered by the report crate into exactly the JSON that
//! `azroute … -o json` prints (plus the table, CSV and other formats the command line offers).
//!
//! This crate orchestrates (names resolved, engine run, view built); it holds no routing rule
//! and defines no output shape. It is the one place that calls the engine, the doctor and the
//! report crate on behalf of a command, so that `azroute routes -o json` and
//! `GET /api/routes` cannot drift apart.

#![forbid(unsafe_code)]

mod doctor;
mod error;
mod next_hop;
mod reach;
mod routes;
mod topology;
mod trace;

use std::net::IpAddr;

use azroute_engine::RouteEngine;
use azroute_model::{ModelOptions, Snapshot};

pub use doctor::{DoctorAnswer, DoctorQuery, Severity, check_codes, check_only, explain_check};
pub use error::{ErrorKind, QueryError};
pub use next_hop::{NextHopAnswer, NextHopQuery};
pub use reach::{ReachAnswer, ReachPlan, ReachScope, StreamedFormat, VnetReachAnswer, reach_query};
pub use routes::{RoutesAnswer, RoutesQuery};
pub use trace::{TraceAnswer, TraceQuery};

/// The protocol of a traced flow or of a reachability matrix.
pub use azroute_model::Protocol;

/// One snapshot and the engine over it: every question is asked of a session, which keeps the
/// route tables it has computed for the next question.
pub struct Session<'s> {
    snap: &'s Snapshot,
    options: ModelOptions,
    engine: RouteEngine<'s>,
}

impl<'s> Session<'s> {
    pub fn new(snap: &'s Snapshot, options: ModelOptions) -> Session<'s> {
        Session { snap, engine: RouteEngine::new(snap, options.clone()), options }
    }

    pub fn snapshot(&self) -> &'s Snapshot {
        self.snap
    }

    pub(crate) fn engine(&self) -> &RouteEngine<'s> {
        &self.engine
    }

    pub(crate) fn options(&self) -> &ModelOptions {
        &self.options
    }
}

/// Something an answer wants its reader to know that is not part of the answer itself (the
/// command line prints it on stderr: `warning: …`, `hint: …`, `note: …`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub level: NoticeLevel,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeLevel {
    /// The answer may not be what the user expects (a stopped VM, a multi-NIC VM).
    Warning,
    /// Something the user can add to get a better answer.
    Hint,
    /// What the output leaves out.
    Note,
}

impl NoticeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeLevel::Warning => "warning",
            NoticeLevel::Hint => "hint",
            NoticeLevel::Note => "note",
        }
    }
}

impl Notice {
    pub(crate) fn warning(text: String) -> Notice {
        Notice { level: NoticeLevel::Warning, text }
    }
}

/// The ports of a TCP or UDP flow as given (`--port`, `--source-port`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ports {
    pub port: Option<u16>,
    pub source_port: Option<u16>,
}

impl Ports {
    /// (source port, destination port) for a flow of `protocol`: 50000 and 443 unless given;
    /// ICMP has no ports, so naming one is refused rather than printed as `ICMP/22`.
    pub fn for_protocol(self, protocol: Protocol) -> Result<(u16, u16), QueryError> {
        if protocol == Protocol::Icmp
            && let Some((flag, port)) =
                self.port.map(|p| ("--port", p)).or(self.source_port.map(|p| ("--source-port", p)))
        {
            return Err(QueryError::invalid(format!("{flag} {port} was given for ICMP, which has no ports"))
                .hint("leave out --port and --source-port, or choose --protocol TCP or UDP"));
        }
        Ok((self.source_port.unwrap_or(50000), self.port.unwrap_or(443)))
    }
}

/// An IP address given as the value of `flag`.
pub fn parse_ip(flag: &str, text: &str) -> Result<IpAddr, QueryError> {
    text.trim().parse().map_err(|_| {
        QueryError::invalid(format!("`{text}` given to {flag} is not an IP address"))
            .hint("write an address such as 10.0.1.4 or 2001:db8::4")
    })
}

/// Text as the command line prints it: what a command writes to stdout ends with a newline.
pub(crate) fn with_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
