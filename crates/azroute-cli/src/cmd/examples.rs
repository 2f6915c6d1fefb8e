//! `azroute examples`: the embedded example estates and what each shows.

use crate::args::ExamplesArgs;
use crate::examples::EXAMPLES;
use crate::input::CliError;
use crate::output::emit;

pub fn run(args: ExamplesArgs) -> Result<i32, CliError> {
    let mut out = String::new();
    for example in EXAMPLES {
        if args.names {
            out.push_str(example.name);
            out.push('\n');
        } else {
            out.push_str(&format!("{:<14}{}\n", example.name, example.summary));
        }
    }
    if !args.names {
        out.push_str("\nUse one with any command, e.g. `azroute routes --example hub-spoke --nic nic-app1`.\n");
    }
    emit(&out);
    Ok(0)
}
