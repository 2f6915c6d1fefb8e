//! Problems found while reading input, each naming the file, the JSON path or resource id, and
//! a hint.

use std::fmt;

pub use azroute_model::Severity;

/// One problem in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code (`InvalidPrefix`, `DanglingReference`, …).
    pub code: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub json_path: Option<String>,
    pub resource_id: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            json_path: None,
            resource_id: None,
            hint: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, message)
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, json_path: impl Into<String>) -> Diagnostic {
        self.json_path = Some(json_path.into());
        self
    }

    pub fn resource(mut self, id: impl Into<String>) -> Diagnostic {
        let id = id.into();
        if !id.is_empty() {
            self.resource_id = Some(id);
        }
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Diagnostic {
        self.hint = hint;
        self
    }

    /// A stable sort key so diagnostics print in the same order whatever the input order.
    pub fn sort_key(&self) -> (std::cmp::Reverse<Severity>, Option<&str>, Option<&str>, Option<&str>, &str) {
        (
            std::cmp::Reverse(self.severity),
            self.file.as_deref(),
            self.json_path.as_deref(),
            self.resource_id.as_deref(),
            self.message.as_str(),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]: {}", self.severity.as_str(), self.code, self.message)?;
        if let Some(file) = &self.file {
            write!(f, "\n  file: {file}")?;
        }
        if let Some(path) = &self.json_path {
            write!(f, "\n  at: {path}")?;
        }
        if let Some(id) = &self.resource_id {
            write!(f, "\n  resource: {id}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}
