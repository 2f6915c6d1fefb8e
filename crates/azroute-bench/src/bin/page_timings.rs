//! The web page's speed, measured by the browser itself: `azroute serve` on each snapshot
//! given, a fresh headless Chromium per run (over WebDriver, `azroute_testkit::browser`), and
//! the page's own timings read back: the Navigation Timing entry, the page's marks
//! (`azroute:topology-fetched`, `azroute:topology-drawn`, `azroute:topology-painted` — the
//! frame after the renderer's first —, `azroute:ready`), then interactions
//! timed inside the page with `performance.now()` up to the next painted frame, and the long
//! tasks (over 50 ms) the page ran meanwhile. Figures go to BENCHMARKS.md.
//!
//! ```sh
//! cargo build --release -p azroute-cli
//! azroute generate --preset 1k --out /tmp/1k; azroute generate --preset 10k --out /tmp/10k
//! cargo run --release -p azroute-bench --bin page-timings -- target/release/azroute 3 /tmp/1k /tmp/10k
//! ```

use std::io::BufRead;
use std::process::{Command, Stdio};

use azroute_testkit::browser::Browser;
use serde_json::{Value, json};

/// Page-load figures, in milliseconds from the start of navigation.
const LOAD: &str = "\
const nav = performance.getEntriesByType('navigation')[0];
const mark = (n) => { const m = performance.getEntriesByName('azroute:' + n)[0]; return m ? m.startTime : null; };
return {
  htmlReceived: nav.responseEnd,
  domContentLoaded: nav.domContentLoadedEventEnd,
  topologyFetched: mark('topology-fetched'),
  topologyDrawn: mark('topology-drawn'),
  topologyPainted: mark('topology-painted'),
  ready: mark('ready'),
  nodesDrawn: AZ.graph.cy.nodes().length,
  edgesDrawn: AZ.graph.cy.edges().length,
};";

/// Each interaction: `name`, then a body that returns a promise; timed to the next frame.
const INTERACTIONS: &[(&str, &str)] = &[
    (
        "search a name",
        "const i = document.getElementById('search'); i.value = 'vm-'; i.dispatchEvent(new Event('input')); return Promise.resolve();",
    ),
    (
        "search an address",
        "const i = document.getElementById('search'); i.value = '10.1.1.4'; i.dispatchEvent(new Event('input')); return Promise.resolve();",
    ),
    (
        "show a subnet (opens its VNet)",
        "const s = [...AZ.graph.model.byId.values()].filter(n => n.kind === 'Subnet').pop(); AZ.app.showResources([s.id]); return Promise.resolve();",
    ),
    (
        "zoom and pan",
        "AZ.graph.cy.zoom(AZ.graph.cy.zoom() * 1.5); AZ.graph.cy.panBy({x: 200, y: 100}); return Promise.resolve();",
    ),
    (
        "routes of a subnet",
        "const s = [...AZ.graph.model.byId.values()].find(n => n.kind === 'Subnet' && !/Gateway/.test(n.name)); return AZ.app.show('routes', {target: s.id});",
    ),
    (
        "trace between two NICs",
        "const n = [...AZ.graph.model.byId.values()].filter(n => n.kind === 'NetworkInterface' && n.addresses.length && !n.properties.enableIPForwarding); return AZ.app.show('path', {params: {from: n[0].name, to: n[n.length - 1].addresses[0]}});",
    ),
    ("reach grid (computed by the server)", "return AZ.app.show('reach');"),
    ("doctor (run by the server)", "return AZ.app.show('doctor');"),
    ("back to the topology", "return AZ.app.show('topology');"),
    ("open every VNet", "AZ.graph.expandAll(true); return Promise.resolve();"),
    ("close every VNet", "AZ.graph.expandAll(false); return Promise.resolve();"),
];

fn time(browser: &Browser, body: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const before = AZ.util.longTasks.length;
         const start = performance.now();
         const work = () => {{ {body} }};
         work().then(() => requestAnimationFrame(() => setTimeout(() => {{
           const tasks = AZ.util.longTasks.slice(before).map(t => t.duration);
           done({{ms: performance.now() - start, longestTask: tasks.length ? Math.max(...tasks) : 0}});
         }}, 0)), (e) => done({{error: String(e)}}));"
    );
    browser.eval_async(&script, json!([]), 600)
}

fn serve(azroute: &str, snapshot: &str) -> (std::process::Child, String) {
    let mut child = Command::new(azroute)
        .args(["serve", "--snapshot", snapshot, "--listen", "127.0.0.1:0", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("azroute serve starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("its address");
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("a URL").to_string();
    (child, url)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [azroute, runs, snapshots @ ..] = args.as_slice() else {
        eprintln!("usage: page-timings AZROUTE RUNS SNAPSHOT...");
        std::process::exit(2);
    };
    let runs: usize = runs.parse().expect("RUNS is a number");
    for snapshot in snapshots {
        let (mut server, url) = serve(azroute, snapshot);
        println!("== {snapshot} ({url})");
        for run in 1..=runs {
            let Some(browser) = Browser::start("page-timings", &["--window-size=1600,1000"]) else { return };
            browser.goto(&url);
            browser.wait_ready();
            browser.wait_for(
                "the first frame",
                "return performance.getEntriesByName('azroute:topology-painted').length > 0;",
                60,
            );
            println!("run {run} load: {}", browser.eval(LOAD, json!([])));
            let tasks = browser.eval("return AZ.util.longTasks.map(t => Math.round(t.duration));", json!([]));
            println!("run {run} long tasks during load (ms): {tasks}");
            for (name, body) in INTERACTIONS {
                println!("run {run} {name}: {}", time(&browser, body));
            }
            let errors = browser.console_errors();
            if !errors.is_empty() {
                println!("run {run} console errors: {errors:?}");
            }
        }
        let _ = server.kill();
        let _ = server.wait();
    }
}
