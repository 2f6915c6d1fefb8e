//! `azroute doctor` and `GET /api/doctor`: every routing misconfiguration of an estate,
//! explained, with the fix.

use azroute_doctor::{DoctorConfig, catalogue};
use azroute_report::doctor::{self as report, DoctorView};

use crate::{Notice, NoticeLevel, QueryError, Session, with_newline};

/// The severity of a finding.
pub use azroute_engine::Severity;

/// Which checks run (`--only`, none for all), the least severity shown (`--severity`) and the
/// most NVA paths traffic analysis traces (`--max-traces`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoctorQuery {
    pub only: Vec<String>,
    pub severity: Severity,
    pub max_traces: usize,
    /// Trace every cell of the reachability matrix whatever its size (`--exhaustive`), rather
    /// than sample above `EXHAUSTIVE_CELLS`.
    pub exhaustive: bool,
}

impl Default for DoctorQuery {
    /// What `azroute doctor` asks with no option.
    fn default() -> DoctorQuery {
        DoctorQuery { only: Vec::new(), severity: Severity::Info, max_traces: 20_000, exhaustive: false }
    }
}

pub struct DoctorAnswer {
    pub view: DoctorView,
    /// The most severe finding reported.
    worst: Option<Severity>,
    pub notices: Vec<Notice>,
}

/// Every check code, in catalogue order.
pub fn check_codes() -> Vec<&'static str> {
    catalogue::CHECKS.iter().map(|c| c.code.as_str()).collect()
}

/// An unknown check code, with the closest codes.
fn unknown_check(what: String, code: &str) -> QueryError {
    let codes = check_codes();
    let message = match azroute_model::similar_names(code, codes.iter().copied()).as_slice() {
        [] => what,
        [one] => format!("{what}; did you mean `{one}`?"),
        many => format!("{what}; did you mean one of: {}?", many.join(", ")),
    };
    QueryError::not_found(message)
        .hint(format!("the codes are: {}; `azroute doctor --explain CODE` explains one", codes.join(", ")))
}

/// The long explanation of one check (`--explain CODE`).
pub fn explain_check(code: &str) -> Result<String, QueryError> {
    let check = catalogue::find(code).ok_or_else(|| unknown_check(format!("no check with code `{code}`"), code))?;
    Ok(with_newline(report::explain(check)))
}

/// Refuses an `--only` list that names an unknown check.
pub fn check_only(only: &[String]) -> Result<(), QueryError> {
    match only.iter().find(|code| catalogue::find(code).is_none()) {
        Some(code) => Err(unknown_check(format!("--only names an unknown check `{code}`"), code)),
        None => Ok(()),
    }
}

impl DoctorQuery {
    /// The doctor's configuration for this query, with the firewall options the session holds.
    /// Every severity is computed, so that what `--severity` leaves out can be counted.
    fn config(&self, firewall: azroute_model::FirewallOptions) -> DoctorConfig {
        DoctorConfig {
            only: (!self.only.is_empty()).then(|| self.only.clone()),
            min_severity: Severity::Info,
            max_traces: self.max_traces,
            exhaustive_cells: if self.exhaustive { usize::MAX } else { DoctorConfig::default().exhaustive_cells },
            firewall,
        }
    }
}

impl Session<'_> {
    pub fn doctor(&self, query: &DoctorQuery) -> Result<DoctorAnswer, QueryError> {
        check_only(&query.only)?;
        let config = query.config(self.engine().options().firewall);
        let mut result = azroute_doctor::run(self.engine(), &config);
        let shown_from = query.severity;
        let left_out = result.findings.iter().filter(|f| f.severity < shown_from).count();
        result.findings.retain(|f| f.severity >= shown_from);
        let notices = (left_out > 0)
            .then(|| Notice {
                level: NoticeLevel::Note,
                text: format!(
                    "{left_out} finding(s) below severity {shown_from} left out (--severity {shown_from}); \
                     --severity info shows them"
                ),
            })
            .into_iter()
            .collect();
        let worst = result.findings.iter().map(|f| f.severity).max();
        Ok(DoctorAnswer { view: report::view(self.snapshot(), &result), worst, notices })
    }
}

impl DoctorAnswer {
    /// `-o json`: `{"findings", "summary"}`.
    pub fn json(&self) -> String {
        with_newline(report::json(&self.view))
    }

    pub fn text(&self) -> String {
        with_newline(report::text(&self.view))
    }

    pub fn sarif(&self, session: &Session<'_>) -> String {
        with_newline(report::sarif(session.snapshot(), &self.view))
    }

    /// Whether a finding of `threshold` or worse is reported (`--fail-on`).
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.worst.is_some_and(|worst| worst >= threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--exhaustive` lifts the matrix-size limit; without it the doctor samples above
    /// `EXHAUSTIVE_CELLS`, as before.
    #[test]
    fn exhaustive_lifts_the_cell_limit() {
        let firewall = azroute_model::FirewallOptions::default();
        let sampled = DoctorQuery::default().config(firewall);
        assert_eq!(sampled.exhaustive_cells, azroute_doctor::EXHAUSTIVE_CELLS);
        let exhaustive = DoctorQuery { exhaustive: true, ..DoctorQuery::default() }.config(firewall);
        assert_eq!(exhaustive.exhaustive_cells, usize::MAX);
        assert_eq!(exhaustive.max_traces, sampled.max_traces);
    }
}
