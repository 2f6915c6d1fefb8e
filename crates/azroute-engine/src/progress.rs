//! Progress of long computations, reported to whoever is watching: the engine does no IO, so
//! it only calls a [`Progress`] the caller supplies (the CLI draws a bar on a terminal; tests,
//! the server and every other caller pass [`NoProgress`]).

/// A stage of a long computation, named so that a front end can word it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Address atoms and classes of the reachability matrix's rows and columns.
    ReachClasses,
    /// One trace (with its reply) per class pair.
    ReachTraces,
    /// Cells assembled from pair outcomes, row by row.
    ReachCells,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::ReachClasses => "address classes",
            Stage::ReachTraces => "tracing class pairs",
            Stage::ReachCells => "matrix cells",
        }
    }
}

/// Receives progress; called from worker threads, so it must be `Sync`. Every method has a
/// no-op default.
pub trait Progress: Sync {
    /// A stage begins; `total` units of work when known.
    fn start(&self, _stage: Stage, _total: Option<u64>) {}
    /// `done` more units of the current stage are finished.
    fn advance(&self, _done: u64) {}
    /// The current stage is over.
    fn finish(&self) {}
}

/// Progress that nobody watches.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// Work is reported in chunks of this many units, so that reporting costs nothing measurable
/// next to the work (a trace takes microseconds; a bar redraws a few times a second).
pub const PROGRESS_CHUNK: usize = 4096;
