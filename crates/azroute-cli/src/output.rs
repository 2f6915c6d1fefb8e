//! Writing results to stdout: a closed pipe (`azroute ... | head`) ends the program quietly.

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
        eprintln!("error: cannot write the output: {err}");
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
        eprintln!("error: cannot write the output: {err}");
        std::process::exit(2);
    }
}
