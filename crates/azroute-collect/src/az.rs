//! Running the `az` CLI: one process per call, stdout captured as the answer, stderr read to
//! tell a throttled call (retried with backoff) from a missing login, a missing permission or
//! another failure.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::redact::clean_error_text;

/// Why an az call failed, read from its stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// `az login` is needed (no account, or the login expired).
    NotLoggedIn,
    /// The signed-in identity may not read this scope (`AuthorizationFailed`).
    AuthorizationFailed,
    /// The subscription is not in the account's list.
    SubscriptionNotFound,
    /// Azure Resource Manager throttled the call (HTTP 429) and the retries ran out.
    Throttled,
    /// The command lives in an az extension that is not installed (and az may not install it
    /// without a prompt): `azure-firewall`, `bastion`, `ip-group`, `virtual-wan`.
    ExtensionMissing,
    /// Anything else.
    Other,
}

impl FailureKind {
    /// Reads the kind from az's stderr.
    pub fn classify(stderr: &str) -> FailureKind {
        let lower = stderr.to_ascii_lowercase();
        if lower.contains("toomanyrequests") || has_status_429(&lower) || lower.contains("throttl") {
            FailureKind::Throttled
        } else if lower.contains("authorizationfailed") || lower.contains("does not have authorization") {
            FailureKind::AuthorizationFailed
        } else if lower.contains("requires the extension")
            || lower.contains("misspelled or not recognized by the system")
        {
            FailureKind::ExtensionMissing
        } else if lower.contains("az login") {
            FailureKind::NotLoggedIn
        } else if lower.contains("subscription") && lower.contains("not found")
            || lower.contains("subscriptionnotfound")
        {
            FailureKind::SubscriptionNotFound
        } else {
            FailureKind::Other
        }
    }

    /// A stable code for the manifest.
    pub fn code(self) -> &'static str {
        match self {
            FailureKind::NotLoggedIn => "NotLoggedIn",
            FailureKind::AuthorizationFailed => "AuthorizationFailed",
            FailureKind::SubscriptionNotFound => "SubscriptionNotFound",
            FailureKind::Throttled => "Throttled",
            FailureKind::ExtensionMissing => "ExtensionMissing",
            FailureKind::Other => "Failed",
        }
    }
}

/// `429` as a word of its own (not part of a GUID or a resource name like `rg-429`).
fn has_status_429(text: &str) -> bool {
    let bytes = text.as_bytes();
    let part_of_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    text.match_indices("429").any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = match bytes.get(i + 3).copied() {
            // A full stop ends a sentence unless a name goes on after it.
            Some(b'.') => bytes.get(i + 4).copied().filter(|b| b.is_ascii_alphanumeric()),
            other => other,
        };
        !before.is_some_and(part_of_name) && !after.is_some_and(part_of_name)
    })
}

/// A failed az call.
#[derive(Clone, Debug)]
pub struct AzFailure {
    pub kind: FailureKind,
    /// az's error text, cleaned of anything token-like.
    pub message: String,
    pub attempts: u32,
}

/// Could not start az at all.
#[derive(Clone, Debug)]
pub struct SpawnError {
    pub program: String,
    pub error: String,
    pub not_found: bool,
}

/// Runs az with retries on throttling.
pub struct Az<'p> {
    pub program: PathBuf,
    /// Retries after a throttled call (0: none).
    pub retries: u32,
    /// Delay before the first retry; doubled for each further one.
    pub retry_delay: Duration,
    pub progress: &'p dyn Fn(&str),
    /// Calls made and retries spent, for the manifest.
    pub calls: std::cell::Cell<u32>,
    pub retried: std::cell::Cell<u32>,
}

/// The longest single wait between retries.
const MAX_DELAY: Duration = Duration::from_secs(120);

impl Az<'_> {
    /// `az <args>`: stdout on success.
    pub fn run(&self, args: &[String]) -> Result<Result<String, AzFailure>, SpawnError> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            self.calls.set(self.calls.get() + 1);
            let output = Command::new(&self.program)
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .output()
                .map_err(|err| SpawnError {
                    program: self.program.display().to_string(),
                    error: err.to_string(),
                    not_found: err.kind() == std::io::ErrorKind::NotFound,
                })?;
            if output.status.success() {
                return Ok(Ok(String::from_utf8_lossy(&output.stdout).into_owned()));
            }
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            let stderr = if stderr.trim().is_empty() { format!("az exited with {}", output.status) } else { stderr };
            let kind = FailureKind::classify(&stderr);
            if kind == FailureKind::Throttled && attempt <= self.retries {
                let factor = 1u32.checked_shl(attempt - 1).unwrap_or(u32::MAX);
                let delay = self.retry_delay.saturating_mul(factor).min(MAX_DELAY);
                (self.progress)(&format!(
                    "  az {}: throttled by Azure (429); retry {attempt} of {} in {}",
                    display_args(args),
                    self.retries,
                    human_duration(delay)
                ));
                self.retried.set(self.retried.get() + 1);
                std::thread::sleep(delay);
                continue;
            }
            return Ok(Err(AzFailure { kind, message: clean_error_text(&stderr), attempts: attempt }));
        }
    }
}

/// The arguments as one line (they never hold secrets: collect passes none).
pub fn display_args(args: &[String]) -> String {
    args.join(" ")
}

fn human_duration(d: Duration) -> String {
    if d.as_millis() < 1000 { format!("{} ms", d.as_millis()) } else { format!("{:.1} s", d.as_secs_f64()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_classified() {
        let c = FailureKind::classify;
        assert_eq!(c("ERROR: Please run 'az login' to setup account."), FailureKind::NotLoggedIn);
        assert_eq!(
            c(
                "ERROR: (AuthorizationFailed) The client 'u@example.com' with object id '1' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/read'"
            ),
            FailureKind::AuthorizationFailed
        );
        assert_eq!(c("ERROR: (TooManyRequests) The request is being throttled."), FailureKind::Throttled);
        assert_eq!(c("Too Many Requests (429)"), FailureKind::Throttled);
        assert_eq!(
            c("ERROR: Subscription 'x' not found. Check the spelling and casing and try again."),
            FailureKind::SubscriptionNotFound
        );
        assert_eq!(c("ERROR: something else"), FailureKind::Other);
        assert_eq!(c("ERROR: Resource group 'rg-429' could not be found in 1111-4429-429a."), FailureKind::Other);
        assert_eq!(c("Operation returned status 429."), FailureKind::Throttled);
    }
}
