//! `azroute examples`: the embedded example estates and what each shows.

use crate::args::ExamplesArgs;
use crate::examples::EXAMPLES;
use crate::input::CliError;
use crate::output::emit;

pub fn run(args: ExamplesArgs) -> Result<i32, CliError> {
    if let (Some(name), Some(dir)) = (&args.export, &args.out) {
        return export(name, dir);
    }
    let mut out = String::new();
    // Names in a column two spaces wider than the longest.
    let width = EXAMPLES.iter().map(|e| e.name.len()).max().unwrap_or(0) + 2;
    for example in EXAMPLES {
        if args.names {
            out.push_str(example.name);
            out.push('\n');
        } else {
            out.push_str(&format!("{:<width$}{}\n", example.name, example.summary));
        }
    }
    if !args.names {
        out.push_str("\nUse one with any command, e.g. `azroute routes --example hub-spoke --nic nic-app1`.\n");
    }
    emit(&out);
    Ok(0)
}

/// Writes an example's files into `dir`, never overwriting a file.
fn export(name: &str, dir: &std::path::Path) -> Result<i32, CliError> {
    let example = crate::examples::named(name)?;
    let texts = example.files;
    for (file, _) in texts {
        let target = dir.join(file);
        if target.exists() {
            return Err(CliError::new(format!("`{}` already exists", target.display()))
                .hint("export into an empty or new directory; azroute never overwrites files"));
        }
    }
    for (file, text) in texts {
        let target = dir.join(file);
        let written =
            target.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&target, text));
        if let Err(err) = written {
            return Err(CliError::new(format!("cannot write `{}`: {err}", target.display())));
        }
    }
    emit(&format!(
        "wrote {} file(s) of `{name}` to {}\nedit them, then compare: azroute diff --before example:{name} --after {}\n",
        texts.len(),
        dir.display(),
        dir.display()
    ));
    Ok(0)
}
