//! Writing results to stdout and messages to stderr: a closed pipe (`azroute ... | head`, or a
//! closed stderr) ends the program quietly, never with a panic.

use std::io::Write;

/// Writes `text` to stdout; exits 0 if the reader has gone away.
pub fn emit(text: &str) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = out.write_all(text.as_bytes()).and_then(|()| {
        if !text.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        out.flush()
    });
    if let Err(err) = result {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        print_stderr(&format!("error: cannot write the output: {err}\n"));
        std::process::exit(2);
    }
}

/// Streams output through a buffered stdout; exits 0 if the reader has gone away.
pub fn emit_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = write(&mut out).and_then(|()| out.flush());
    if let Err(err) = result {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        print_stderr(&format!("error: cannot write the output: {err}\n"));
        std::process::exit(2);
    }
}

/// Writes to stderr, ignoring failure: with stderr closed there is nobody to tell (`eprintln!`
/// would panic, and a panic while panicking aborts).
pub fn print_stderr(text: &str) {
    if !text.is_empty() {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}
