//! The `azroute` binary: parses arguments, runs one command, maps the outcome to an exit code
//! (0 success, 1 a problem found where the command says so, 2 bad input or usage).

#![forbid(unsafe_code)]

mod args;
mod cmd;
mod examples;
mod input;
mod output;
mod progress;

use clap::Parser;

// jemalloc rather than glibc's malloc: the whole-estate commands allocate and free millions of
// small strings while parsing and linking, and jemalloc does that with about a fifth less wall
// time (parse + all routes on the 100k-NIC estate: 0.93 s against 1.18 s in the same
// conditions; BENCHMARKS.md), for about 8 % more peak memory. Its default page decay is kept:
// giving freed pages back at once (`_RJEM_MALLOC_CONF=dirty_decay_ms:0,muzzy_decay_ms:0`) takes
// a fifth off `routes --all`'s peak but costs the matrix commands 10-24 % (BENCHMARKS.md,
// sixteenth part), so it is a user's choice at run time, not built in.
#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    // A bug must not greet an engineer mid-incident with a backtrace: say what happened and
    // exit with the error status.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        output::print_stderr(&format!(
            "error: internal error in azroute{location}: {payload}\n  hint: this is a bug; please report it with the command you ran\n"
        ));
        std::process::exit(2);
    }));
    let cli = args::Cli::parse();
    azroute_report::style::set_color(cli.color.enabled());
    progress::set_quiet(cli.quiet);
    let code = match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            output::print_stderr(&err.render());
            2
        }
    };
    output::print_stderr(&input::take_deferred());
    std::process::exit(code);
}
