//! `azroute completions SHELL`: a completion script generated from the clap definitions.

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs};
use crate::input::CliError;
use crate::output::emit_with;

pub fn run(args: CompletionsArgs) -> Result<i32, CliError> {
    let mut command = Cli::command();
    emit_with(|out| {
        clap_complete::generate(args.shell, &mut command, "azroute", out);
        Ok(())
    });
    Ok(0)
}
