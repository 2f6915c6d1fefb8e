//! Progress on stderr for work that can take more than a second (reading the snapshot,
//! classes, traces, cells, writing the output): drawn by indicatif only when stderr is a
//! terminal and `--quiet` is not given, so piped and captured output never changes. The engine
//! reports through its `Progress` trait; this is the one implementation that draws.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use azroute_engine::{Progress, Stage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: no progress at all.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// `--quiet`: no warnings, no progress.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether progress is drawn: stderr is a terminal and `--quiet` was not given.
pub fn enabled() -> bool {
    !QUIET.load(Ordering::Relaxed) && std::io::stderr().is_terminal()
}

fn spinner_bar(message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("a valid template"));
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn counting_bar(message: &str, total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {human_pos}/{human_len} ({elapsed}, about {eta} left)")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}

/// A spinner with the elapsed time while one step runs; erased when dropped.
pub struct Spinner(Option<ProgressBar>);

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish_and_clear();
        }
    }
}

/// Shows `message` with a spinner until the returned guard is dropped (nothing when progress
/// is off).
pub fn spinner(message: &str) -> Spinner {
    Spinner(enabled().then(|| spinner_bar(message)))
}

/// The engine's stages as bars: a spinner for a stage of unknown size, a bar with a count and
/// an estimate of the time left otherwise.
#[derive(Default)]
pub struct StageBars {
    current: Mutex<Option<ProgressBar>>,
}

impl StageBars {
    fn with_current(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        f(&mut self.current.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

impl Progress for StageBars {
    fn start(&self, stage: Stage, total: Option<u64>) {
        if !enabled() {
            return;
        }
        self.with_current(|current| {
            if let Some(old) = current.take() {
                old.finish_and_clear();
            }
            *current = Some(match total {
                Some(total) => counting_bar(stage.as_str(), total),
                None => spinner_bar(stage.as_str()),
            });
        });
    }

    fn advance(&self, done: u64) {
        self.with_current(|current| {
            if let Some(bar) = current {
                bar.inc(done);
            }
        });
    }

    fn finish(&self) {
        self.with_current(|current| {
            if let Some(bar) = current.take() {
                bar.finish_and_clear();
            }
        });
    }
}
