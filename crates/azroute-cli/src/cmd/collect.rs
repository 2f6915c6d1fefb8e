//! `azroute collect`: runs the az CLI and writes a snapshot directory with a manifest.

use std::time::Duration;

use azroute_collect::{CollectOptions, collect};

use crate::args::CollectArgs;
use crate::input::{self, CliError};

/// Environment variable overriding the first retry delay (milliseconds); the tests set it tiny.
const RETRY_DELAY_ENV: &str = "AZROUTE_COLLECT_RETRY_DELAY_MS";

pub fn run(args: CollectArgs) -> Result<i32, CliError> {
    let retry_delay = match std::env::var(RETRY_DELAY_ENV) {
        Ok(text) => Duration::from_millis(text.trim().parse().map_err(|_| {
            CliError::new(format!("{RETRY_DELAY_ENV}=`{text}` is not a number of milliseconds"))
                .hint(format!("unset {RETRY_DELAY_ENV} or give it a whole number"))
        })?),
        Err(_) => Duration::from_secs(2),
    };
    let options = CollectOptions {
        out: args.out.clone(),
        subscriptions: args.subscriptions.clone(),
        service_tags: args.service_tags.clone(),
        az: args.az.clone(),
        retries: args.retries,
        retry_delay,
        effective_routes: args.effective_routes,
        tool: format!("azroute {}", env!("CARGO_PKG_VERSION")),
    };
    let quiet = crate::progress::quiet();
    let progress = move |line: &str| {
        if !quiet {
            crate::output::print_stderr(&format!("{line}\n"));
        }
    };
    let collected = collect(&options, &progress).map_err(|err| CliError::new(err.to_string()).hint(err.hint()))?;
    let m = &collected.manifest;
    let out = args.out.display();
    // `--snapshot DIR` reads every subscription and the Service Tags file together.
    progress(&format!("next: azroute routes --snapshot {out} --nic NIC"));
    if args.effective_routes {
        for s in m.subscriptions.iter().filter(|s| s.status != "failed") {
            progress(&format!("      azroute verify --snapshot {out} --actual {out}/{}/actual", s.subscription_id));
        }
    }
    if collected.complete() {
        Ok(0)
    } else {
        input::warn(&format!(
            "the collection is incomplete ({} of {} subscription(s) complete); every failure is listed in {}",
            m.totals.complete,
            m.totals.subscriptions,
            collected.manifest_path.display()
        ));
        Ok(1)
    }
}
