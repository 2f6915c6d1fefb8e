//! `QueryError`: why a question cannot be answered, with a hint; the command line prints it and
//! exits 2, the web server answers 400 or 404 with it.

use std::fmt;

use azroute_engine::SubnetSelectError;
use azroute_engine::{EndpointError, RouteError};
use azroute_model::LookupError;

/// Whether the question was malformed or names something the snapshot lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The question itself is wrong: a bad value, a missing or conflicting option, an ambiguous
    /// name (HTTP 400).
    Invalid,
    /// A resource the question names or needs is not in the snapshot (HTTP 404).
    NotFound,
}

/// Why a question cannot be answered: what went wrong and, where there is one, what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl QueryError {
    pub fn invalid(message: impl Into<String>) -> QueryError {
        QueryError { kind: ErrorKind::Invalid, message: message.into(), hint: None }
    }

    pub fn not_found(message: impl Into<String>) -> QueryError {
        QueryError { kind: ErrorKind::NotFound, message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> QueryError {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

impl From<LookupError> for QueryError {
    fn from(err: LookupError) -> QueryError {
        match &err {
            LookupError::NotFound { kind, .. } => QueryError::not_found(err.to_string()).hint(format!(
                "names are matched case-insensitively; give RESOURCE-GROUP/NAME or the full resource id if the {} \
                 is not found by name",
                kind.noun()
            )),
            LookupError::Ambiguous { .. } => QueryError::invalid(err.to_string())
                .hint("name one as RESOURCE-GROUP/NAME or by its full id, as listed above"),
        }
    }
}

impl From<RouteError> for QueryError {
    /// Every route error is a resource the question needs that the export lacks or left
    /// incomplete.
    fn from(err: RouteError) -> QueryError {
        let hint = err.hint();
        QueryError::not_found(err.to_string()).hint(hint)
    }
}

impl From<EndpointError> for QueryError {
    fn from(err: EndpointError) -> QueryError {
        let kind = match &err {
            EndpointError::Unknown { .. } | EndpointError::Route(_) => ErrorKind::NotFound,
            _ => ErrorKind::Invalid,
        };
        let hint = err.hint();
        QueryError { kind, message: err.to_string(), hint: Some(hint) }
    }
}

/// A subnet glob that selects nothing, named by the option that gave it.
pub(crate) fn subnet_selection(flag: &str, err: SubnetSelectError) -> QueryError {
    let kind = match err {
        SubnetSelectError::InvalidGlob { .. } => ErrorKind::Invalid,
        SubnetSelectError::NoMatch { .. } => ErrorKind::NotFound,
    };
    QueryError { kind, message: format!("{flag} {err}"), hint: Some(err.hint()) }
}
