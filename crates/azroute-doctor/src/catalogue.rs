//! The doctor's checks: the codes of the engine's catalogue that `azroute doctor` runs a check
//! for (`--only`, `--explain`, SARIF rules), in the catalogue's order.

use azroute_engine::FindingCode;
pub use azroute_engine::{CHECKS, CodeInfo as Check};

/// The check with this code (any case).
pub fn find(code: &str) -> Option<&'static Check> {
    FindingCode::parse(code).map(FindingCode::info).filter(|c| c.is_doctor_check())
}
