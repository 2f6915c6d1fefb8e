//! `azroute trace` and `GET /api/trace`: a packet and its reply, hop by hop.

use azroute_engine::Severity;
use azroute_engine::{TraceRequest, Tracer};
use azroute_report::trace::{self as report, TraceView};

use crate::{Notice, NoticeLevel, Protocol, QueryError, Session, with_newline};

/// Where the packet starts and where it goes (a NIC, VM or IP each), its protocol and ports
/// (already checked against the protocol: `Ports::for_protocol`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceQuery {
    pub from: String,
    pub to: String,
    pub protocol: Protocol,
    pub source_port: u16,
    pub destination_port: u16,
    /// Treat an address of a subnet that no NIC holds as a host there (`--assume-host`).
    pub assume_host: bool,
    /// The destination's host name, for an Azure Firewall's application rules (`--fqdn`).
    pub fqdn: Option<String>,
}

pub struct TraceAnswer {
    pub view: TraceView,
    /// The request was not delivered, or a finding is an error (the command exits 1).
    pub failed: bool,
    pub notices: Vec<Notice>,
}

impl Session<'_> {
    pub fn trace(&self, query: &TraceQuery) -> Result<TraceAnswer, QueryError> {
        let snap = self.snapshot();
        let mut tracer = Tracer::new(self.engine());
        tracer.virtual_hosts = query.assume_host;
        tracer.fqdn = query.fqdn.clone();
        let ends = azroute_engine::resolve_trace_endpoints(&tracer, &query.from, &query.to, query.assume_host)?;
        let request = TraceRequest {
            source: ends.source,
            destination: ends.destination,
            protocol: query.protocol,
            source_port: query.source_port,
            destination_port: query.destination_port,
        };
        let trace = tracer.trace(request)?;
        let notices = ends
            .unheld_destination
            .map(|subnet| Notice {
                level: NoticeLevel::Hint,
                text: format!(
                    "{} is an address of subnet `{}` that nothing in the snapshot holds; add --assume-host to trace \
                     to a host there",
                    ends.destination,
                    snap.subnet_label(subnet)
                ),
            })
            .into_iter()
            .collect();
        let failed = !trace.forward.verdict.reached() || trace.findings.iter().any(|f| f.severity == Severity::Error);
        Ok(TraceAnswer { view: report::view(snap, &trace), failed, notices })
    }
}

impl TraceAnswer {
    /// `-o json`: `{"verdict", "request", "hops", "findings", "return", "assumptions"}`.
    pub fn json(&self) -> String {
        with_newline(report::json(&self.view))
    }

    pub fn text(&self) -> String {
        with_newline(report::text(&self.view))
    }

    pub fn mermaid(&self) -> String {
        with_newline(report::mermaid(&self.view))
    }
}
