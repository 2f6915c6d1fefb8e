//! Findings: a problem the engine can prove from the snapshot, with a stable code, the
//! resources involved, the evidence, and the change that would fix it.

use std::fmt;

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, proven from the snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    /// A stable code (`IpForwardingDisabled`, `AsymmetricPath`, …).
    pub code: &'static str,
    pub severity: Severity,
    /// Ids of the resources involved, most relevant first.
    pub resources: Vec<String>,
    /// What is wrong and what it does to traffic.
    pub message: String,
    /// The routes, rules or settings that prove it.
    pub evidence: Vec<String>,
    /// The change that would fix it.
    pub fix: String,
}

impl Finding {
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding {
            code,
            severity,
            resources: Vec::new(),
            message: message.into(),
            evidence: Vec::new(),
            fix: fix.into(),
        }
    }

    pub fn resource(mut self, id: impl Into<String>) -> Finding {
        let id = id.into();
        if !id.is_empty() && !self.resources.contains(&id) {
            self.resources.push(id);
        }
        self
    }

    pub fn evidence(mut self, text: impl Into<String>) -> Finding {
        self.evidence.push(text.into());
        self
    }
}
