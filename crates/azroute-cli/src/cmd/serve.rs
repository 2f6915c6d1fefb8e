//! `azroute serve`: the estate as a local, read-only web page with a JSON API.

use azroute_query::Session;
use azroute_web::{ServeConfig, Server};

use crate::args::ServeArgs;
use crate::input::{self, CliError};
use crate::output::{self, emit};

pub fn run(args: ServeArgs) -> Result<i32, CliError> {
    let server = Server::bind(&ServeConfig { listen: args.listen, allow_remote: args.allow_remote })
        .map_err(|e| CliError { message: e.message, hint: e.hint, causes: Vec::new() })?;
    let loaded = input::load(&args.snapshot)?;
    let estate = estate_name(&args.snapshot);
    // The server answers until the process ends: the snapshot and its session live as long.
    let snapshot = &Box::leak(Box::new(loaded)).snapshot;
    let session: &'static Session<'static> =
        Box::leak(Box::new(Session::new(snapshot, input::model_options(&args.model))));
    // Warnings about the input are printed now: the command does not return to `main`.
    output::print_stderr(&input::take_deferred());
    if let Some(warning) = &server.warning {
        input::warn(warning);
    }
    let url = server.url();
    emit(&format!("azroute serve: {url} ({estate}; read-only, Ctrl-C stops)"));
    if args.open {
        open_browser(&url);
    }
    server.run(session, &estate).map_err(|e| CliError { message: e.message, hint: e.hint, causes: Vec::new() })?;
    Ok(0)
}

/// What the page calls the estate: the example's name or the snapshot's path.
pub fn estate_name(args: &crate::args::SnapshotArgs) -> String {
    match (&args.example, &args.snapshot) {
        (Some(name), _) => name.clone(),
        (None, Some(path)) => path.display().to_string(),
        (None, None) => "estate".to_string(),
    }
}

/// Asks the desktop to open `url`; says so when it cannot.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(err) = opener {
        input::warn(&format!("cannot open a browser ({err}); open {url} yourself"));
    }
}
