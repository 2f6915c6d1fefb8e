//! Colour for the tables a person reads (trace, reach, doctor, diff): verdicts and severities
//! in green, red, yellow or blue, only when the CLI says colour is on (`--color`, a terminal,
//! `NO_COLOR`, https://no-color.org). Off by default, so every other caller gets plain text.

use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turns colour on or off for the rest of the process (the CLI decides once, at start).
pub fn set_color(enabled: bool) {
    ENABLED.store(enabled, Ordering::Relaxed);
}

/// Whether colour is on.
pub fn color_enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// What a word says about traffic or a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    Good,
    Bad,
    Warning,
    Info,
}

impl Tone {
    fn code(self) -> &'static str {
        match self {
            Tone::Good => "32",
            Tone::Bad => "1;31",
            Tone::Warning => "33",
            Tone::Info => "34",
        }
    }
}

/// The tone of a cell, from its first word: a verdict, a reachability class, an NSG access or
/// a severity.
fn tone(text: &str) -> Option<Tone> {
    let word = text.split([' ', ':', '(']).next().unwrap_or_default();
    match word {
        "Delivered"
        | "DeliveredThroughNva"
        | "DeliveredToAzureService"
        | "ExitedToInternet"
        | "ExitedToOnPremises"
        | "Allow"
        | "NewlyAllowed" => Some(Tone::Good),
        "Dropped" | "Loop" | "Asymmetric" | "Deny" | "Lost" | "error" | "ERROR" | "ERRORS" => Some(Tone::Bad),
        "Mixed" | "Indeterminate" | "warning" | "WARNING" | "WARNINGS" => Some(Tone::Warning),
        "info" | "INFO" => Some(Tone::Info),
        _ => None,
    }
}

/// The text coloured by its tone when colour is on; as it is otherwise.
pub fn paint(text: &str) -> String {
    match tone(text) {
        Some(t) if color_enabled() => format!("\x1b[{}m{text}\x1b[0m", t.code()),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tones_by_first_word() {
        assert_eq!(tone("Delivered"), Some(Tone::Good));
        assert_eq!(tone("Dropped (NsgDenied)"), Some(Tone::Bad));
        assert_eq!(tone("WARNINGS (3)"), Some(Tone::Warning));
        assert_eq!(tone("vnet-hub/snet-nva"), None);
    }
}
