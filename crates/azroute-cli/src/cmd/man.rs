//! `azroute man`: the manual page (roff), generated from the same clap definitions as `--help`.

use clap::CommandFactory;

use crate::args::{Cli, ManArgs};
use crate::input::CliError;
use crate::output::{emit, emit_with};

pub fn run(args: ManArgs) -> Result<i32, CliError> {
    let command = Cli::command();
    let Some(dir) = &args.out else {
        emit_with(|out| clap_mangen::Man::new(command).render(out));
        return Ok(0);
    };
    let cannot = |path: &std::path::Path, err: std::io::Error| {
        CliError::new(format!("cannot write `{}`: {err}", path.display()))
            .hint("choose a directory you can write to with --out")
    };
    std::fs::create_dir_all(dir).map_err(|e| cannot(dir, e))?;
    let mut pages = vec![("azroute.1".to_string(), command.clone())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("azroute-{}", sub.get_name());
        let page = sub.clone().display_name(name.clone()).bin_name(format!("azroute {}", sub.get_name()));
        pages.push((format!("{name}.1"), page));
    }
    let mut written = Vec::new();
    for (file, page) in pages {
        let mut roff = Vec::new();
        clap_mangen::Man::new(page).render(&mut roff).map_err(|e| cannot(&dir.join(&file), e))?;
        let path = dir.join(&file);
        std::fs::write(&path, roff).map_err(|e| cannot(&path, e))?;
        written.push(file);
    }
    emit(&format!("wrote {} manual page(s) to {}: {}", written.len(), dir.display(), written.join(", ")));
    Ok(0)
}
