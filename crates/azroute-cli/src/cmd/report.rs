//! `azroute report`: the page as one self-contained HTML file, data and scripts inlined.

use std::io::Write;

use azroute_query::Session;

use crate::args::ReportArgs;
use crate::cmd::serve::estate_name;
use crate::input::{self, CliError};
use crate::output::emit;

pub fn run(args: ReportArgs) -> Result<i32, CliError> {
    if args.out.exists() && !args.force {
        return Err(CliError::new(format!("`{}` already exists", args.out.display()))
            .hint("choose another --out, or add --force to overwrite it"));
    }
    let loaded = input::load(&args.snapshot)?;
    let session = Session::new(&loaded.snapshot, input::model_options(&args.model));
    let page = azroute_web::standalone_report(&session, &estate_name(&args.snapshot));
    let cannot = |err: std::io::Error| {
        CliError::new(format!("cannot write `{}`: {err}", args.out.display()))
            .hint("choose a path you can write to with --out")
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        // Created here or not at all: a file that appeared since the check above is kept.
        options.create_new(true);
    }
    let mut file = options.open(&args.out).map_err(cannot)?;
    file.write_all(page.as_bytes()).map_err(cannot)?;
    emit(&format!("wrote {} ({} bytes): open it in any browser, no network needed", args.out.display(), page.len()));
    Ok(0)
}
