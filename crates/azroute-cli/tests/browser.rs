//! The page in a real headless Chromium (over WebDriver, `azroute_testkit::browser`), on every
//! embedded example: it loads with no console error and draws every VNet; the Routes and Doctor
//! tabs show what `routes --explain` and `doctor` print; a path typed in draws the request and
//! the reply and lists the findings of `azroute trace`; the reach grid has as many cells as
//! `azroute reach` and a click on one opens its trace; `azroute report`'s file opens from a
//! `file://` URL without a single request; and the browser itself refuses the page to a
//! rebound name and another origin's scripts.
//!
//! Needs `chromium` and `chromium-driver` (Debian); without them these tests fail saying so,
//! and `AZROUTE_SKIP_BROWSER_TESTS=1` skips them (each says so on stderr).

mod common;

use std::sync::Mutex;

use azroute_testkit::browser::{Browser, file_url};
use common::*;
use serde_json::{Value, json};

/// One browser at a time: each is a Chromium, and the machine has few cores.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn lock() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn cli_json(args: &[&str]) -> Value {
    let run = azroute(args);
    assert!(run.code == 0 || run.code == 1, "azroute {}: {}", args.join(" "), run.stderr);
    run.json()
}

fn assert_no_console_errors(browser: &Browser, what: &str) {
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "{what}: console errors: {errors:#?}");
}

/// The example's VNet ids, lower-cased, as ingest reads them.
fn vnet_ids(example: &str) -> Vec<String> {
    let loaded = azroute_ingest::load_path(
        &repo(&format!("crates/azroute-cli/estates/{example}")),
        &azroute_ingest::IngestOptions::default(),
    );
    let mut ids: Vec<String> = loaded.snapshot.vnets.iter().map(|v| v.id.to_string().to_lowercase()).collect();
    ids.sort();
    ids
}

fn drawn_vnets(browser: &Browser) -> Vec<String> {
    let drawn =
        browser.eval("return AZ.graph.cy.nodes('.k-VirtualNetwork').map(n => n.id().toLowerCase()).sort();", json!([]));
    serde_json::from_value(drawn).unwrap()
}

/// The findings the page lists: (code, message, fix).
fn page_findings(browser: &Browser, container: &str) -> Vec<(String, String, String)> {
    let found = browser.eval(
        "return [...document.querySelectorAll(arguments[0] + ' .finding')].map(f => [f.dataset.code, \
         f.querySelector('.message').textContent, f.querySelector('.fix').textContent.replace(/^fix: /, '')]);",
        json!([container]),
    );
    serde_json::from_value(found).unwrap()
}

fn cli_findings(findings: &Value) -> Vec<(String, String, String)> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().into(),
                f["message"].as_str().unwrap().into(),
                f["fix"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn every_view_works_on_every_example_with_no_console_error() {
    let _one = lock();
    let Some(browser) = Browser::start("every_view_works_on_every_example_with_no_console_error", &[]) else { return };
    for example in example_names() {
        let serve = Serve::start(&["--example", &example]);
        browser.goto(&serve.url);
        browser.wait_ready();
        assert_eq!(drawn_vnets(&browser), vnet_ids(&example), "{example}: every VNet is drawn");

        // Routes: a subnet typed in shows `routes --subnet … --explain`, Invalid reasons included.
        let subnet = browser.eval(
            "const s = [...AZ.graph.model.byId.values()].find(n => n.kind === 'Subnet'); \
             return AZ.graph.model.byId.get(s.parent).name + '/' + s.name;",
            json!([]),
        );
        let subnet = subnet.as_str().unwrap();
        browser.click("#tabs button[data-tab=routes]");
        browser.type_into("#routes-target", subnet);
        browser.click("#routes-form button[type=submit]");
        browser.wait_for("the routes table", "return document.querySelector('#routes-table tbody');", 30);
        let expected = cli_json(&["routes", "--example", &example, "--subnet", subnet, "--explain", "-o", "json"]);
        let routes = expected["value"].as_array().unwrap();
        let shown = browser.eval(
            "return [...document.querySelectorAll('#routes-table tbody tr')].map(r => [r.dataset.state, \
             r.children[2].textContent, (r.querySelector('.reason') || {textContent: ''}).textContent]);",
            json!([]),
        );
        let shown: Vec<(String, String, String)> = serde_json::from_value(shown).unwrap();
        assert_eq!(shown.len(), routes.len(), "{example} {subnet}");
        for (row, route) in shown.iter().zip(routes) {
            assert_eq!(row.0, route["state"].as_str().unwrap());
            assert_eq!(
                row.1,
                route["addressPrefix"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            let reason = route["reason"].as_str().map(|r| format!("Invalid: {r}")).unwrap_or_default();
            assert_eq!(row.2, reason, "{example} {subnet}: the Invalid reason is shown");
        }

        // Doctor: every finding of `azroute doctor`, by severity, with its fix.
        browser.click("#tabs button[data-tab=doctor]");
        browser.wait_for("the doctor's findings", "return document.getElementById('doctor-summary');", 60);
        let doctor = cli_json(&["doctor", "--example", &example, "-o", "json"]);
        let mut expected = cli_findings(&doctor["findings"]);
        let mut shown = page_findings(&browser, "#doctor-result");
        expected.sort();
        shown.sort();
        assert_eq!(shown, expected, "{example}: the doctor's findings");

        // Search by address: a NIC's address finds the NIC.
        let (nic, address) = {
            let v = browser.eval(
                "const n = [...AZ.graph.model.byId.values()].find(n => n.kind === 'NetworkInterface' && n.addresses.length); \
                 return [n.name, n.addresses[0]];",
                json!([]),
            );
            (v[0].as_str().unwrap().to_string(), v[1].as_str().unwrap().to_string())
        };
        browser.type_into("#search", &address);
        let hits = browser.wait_for(
            "search results",
            "const l = document.getElementById('search-results'); return !l.hidden && l.textContent;",
            10,
        );
        assert!(hits.as_str().unwrap().contains(&nic), "{example}: {address} finds {nic}: {hits}");
        assert_no_console_errors(&browser, &example);
    }
}

/// A pair to trace per example: one with findings, and a plain one.
fn pairs(example: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    match example {
        "hub-spoke" => {
            vec![("vm-app1", "172.16.1.10", "22"), ("vm-app1", "vm-app2", "443"), ("172.16.1.10", "vm-app1", "22")]
        }
        // Through the Azure Firewall: allowed east-west, and telnet denied by the parent policy.
        "hub-firewall" => vec![("vm-app1", "vm-app2", "443"), ("vm-app1", "vm-app2", "23")],
        "troubleshoot" => {
            vec![("203.0.113.50", "20.110.7.45", "443"), ("vm-app", "vm-db", "443"), ("vm-partner", "vm-web", "443")]
        }
        _ => vec![],
    }
}

#[test]
fn a_path_typed_in_is_drawn_with_the_findings_of_azroute_trace() {
    let _one = lock();
    let Some(browser) = Browser::start("a_path_typed_in_is_drawn_with_the_findings_of_azroute_trace", &[]) else {
        return;
    };
    let mut with_findings = 0;
    for example in example_names() {
        let serve = Serve::start(&["--example", &example]);
        browser.goto(&serve.url);
        browser.wait_ready();
        browser.click("#tabs button[data-tab=path]");
        for (from, to, port) in pairs(&example) {
            browser.eval("document.getElementById('path-result').textContent = '';", json!([]));
            browser.type_into("#path-from", from);
            browser.type_into("#path-to", to);
            browser.type_into("#path-port", port);
            browser.click("#path-run");
            browser.wait_for("the trace", "return document.getElementById('trace-verdict');", 30);
            let expected =
                cli_json(&["trace", "--example", &example, "--from", from, "--to", to, "--port", port, "-o", "json"]);
            let what = format!("{example}: {from} → {to}");
            let verdict = browser.eval("return document.getElementById('trace-verdict').textContent;", json!([]));
            assert_eq!(verdict, expected["verdict"], "{what}");
            assert_eq!(page_findings(&browser, "#trace-findings"), cli_findings(&expected["findings"]), "{what}");
            with_findings += usize::from(!expected["findings"].as_array().unwrap().is_empty());
            let hops = browser.eval(
                "return document.querySelectorAll('table.hops')[0].querySelectorAll('tbody tr').length;",
                json!([]),
            );
            assert_eq!(
                hops.as_u64().unwrap() as usize,
                expected["hops"].as_array().unwrap().len(),
                "{what}: the hop list"
            );
            let drawn = browser.eval(
                "return [AZ.graph.cy.edges('.path-request').length, AZ.graph.cy.edges('.path-reply').length, \
                 AZ.graph.cy.nodes('.failed-hop').length, AZ.graph.cy.nodes('.on-path').length];",
                json!([]),
            );
            assert!(drawn[3].as_u64().unwrap() >= 1, "{what}: the hops are marked");
            if expected["hops"].as_array().unwrap().len() > 1 {
                assert!(drawn[0].as_u64().unwrap() >= 1, "{what}: the request is drawn");
            }
            let reply = &expected["return"];
            if reply.is_object() && reply["hops"].as_array().unwrap().len() > 1 {
                assert!(drawn[1].as_u64().unwrap() >= 1, "{what}: the reply is drawn");
            }
            let failed = ["Dropped", "Loop"].contains(&expected["verdict"].as_str().unwrap())
                || (reply.is_object() && ["Dropped", "Loop"].contains(&reply["verdict"].as_str().unwrap()));
            assert_eq!(drawn[2].as_u64().unwrap() >= 1, failed, "{what}: the failing hop is marked when there is one");
        }
        assert_no_console_errors(&browser, &example);
    }
    assert!(with_findings >= 2, "the pairs traced raise findings");
}

/// The addresses a cell's trace starts from and goes to: the first outcome that does not
/// connect, else the cell's sample.
fn cell_pair(cell: &Value) -> (String, String) {
    let connects = |o: &Value| ["Delivered", "DeliveredThroughNva"].contains(&o["reachability"].as_str().unwrap());
    let chosen = cell["outcomes"].as_array().and_then(|o| o.iter().find(|o| !connects(o))).unwrap_or(cell);
    (chosen["sampleSource"].as_str().unwrap().into(), chosen["sampleDestination"].as_str().unwrap().into())
}

/// Clicks cells of the grid (one per reachability) and checks the trace each opens.
fn check_cells(browser: &Browser, example: &str, reach: &Value) {
    let cells = reach["cells"].as_array().unwrap();
    let columns = reach["columns"].as_array().unwrap().len();
    let mut seen = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let reachability = cell["reachability"].as_str().unwrap();
        if seen.contains(&reachability) {
            continue;
        }
        seen.push(reachability);
        browser.click("#tabs button[data-tab=reach]");
        browser.eval("document.getElementById('path-result').textContent = '';", json!([]));
        browser.click(&format!("#reach-table td.c[data-row=\"{}\"][data-col=\"{}\"]", i / columns, i % columns));
        browser.wait_for("the cell's trace", "return document.getElementById('trace-verdict');", 30);
        let (from, to) = cell_pair(cell);
        let expected =
            cli_json(&["trace", "--example", example, "--assume-host", "--from", &from, "--to", &to, "-o", "json"]);
        let what = format!("{example}: cell {} → {} ({reachability})", cell["source"], cell["destination"]);
        let active = browser.eval("return document.querySelector('#tabs button.active').dataset.tab;", json!([]));
        assert_eq!(active, "path", "{what}: the Path tab opens");
        let request = browser.eval(
            "return [document.getElementById('path-from').value, document.getElementById('path-to').value];",
            json!([]),
        );
        assert_eq!(request, json!([from, to]), "{what}");
        assert_eq!(page_findings(browser, "#trace-findings"), cli_findings(&expected["findings"]), "{what}");
        let verdict = browser.eval("return document.getElementById('trace-verdict').textContent;", json!([]));
        assert_eq!(verdict, expected["verdict"], "{what}");
    }
}

fn grid_cells(browser: &Browser) -> usize {
    browser.wait_for("the reach grid", "return document.querySelectorAll('#reach-table td.c').length;", 60);
    browser.eval("return document.querySelectorAll('#reach-table td.c:not(.agg)').length;", json!([])).as_u64().unwrap()
        as usize
}

#[test]
fn the_reach_grid_has_every_cell_and_a_cell_opens_its_trace() {
    let _one = lock();
    let Some(browser) = Browser::start("the_reach_grid_has_every_cell_and_a_cell_opens_its_trace", &[]) else { return };
    for example in example_names() {
        let serve = Serve::start(&["--example", &example]);
        browser.goto(&format!("{}#reach", serve.url));
        browser.wait_ready();
        let reach = cli_json(&["reach", "--example", &example, "-o", "json"]);
        assert_eq!(grid_cells(&browser), reach["cells"].as_array().unwrap().len(), "{example}: one cell per cell");
        // Folding every group leaves one block per pair of groups; opening them restores the cells.
        browser.click("#reach-fold");
        assert_eq!(
            browser.eval("return document.querySelectorAll('#reach-table td.c:not(.agg)').length;", json!([])),
            json!(0)
        );
        browser.click("#reach-open");
        check_cells(&browser, &example, &reach);
        assert_no_console_errors(&browser, &example);
    }
}

#[test]
fn a_report_opens_from_a_file_url_without_a_single_request() {
    let _one = lock();
    let Some(browser) = Browser::start("a_report_opens_from_a_file_url_without_a_single_request", &[]) else { return };
    let dir = temp_dir("browser-report");
    for example in example_names() {
        let out = dir.join(format!("{example}.html"));
        azroute(&["report", "--example", &example, "--out", out.to_str().unwrap()]).ok();
        browser.goto(&file_url(&out));
        browser.wait_ready();
        let location = browser.eval("return location.protocol;", json!([]));
        assert_eq!(location, "file:");
        assert_eq!(drawn_vnets(&browser), vnet_ids(&example), "{example}");
        browser.click("#tabs button[data-tab=doctor]");
        browser.wait_for("the doctor's findings", "return document.getElementById('doctor-summary');", 30);
        let doctor = cli_json(&["doctor", "--example", &example, "-o", "json"]);
        assert_eq!(page_findings(&browser, "#doctor-result").len(), doctor["findings"].as_array().unwrap().len());
        browser.click("#tabs button[data-tab=reach]");
        let reach = cli_json(&["reach", "--example", &example, "-o", "json"]);
        assert_eq!(grid_cells(&browser), reach["cells"].as_array().unwrap().len(), "{example}");
        check_cells(&browser, &example, &reach);
        let requests = browser.eval("return performance.getEntriesByType('resource').map(e => e.name);", json!([]));
        assert_eq!(requests, json!([]), "{example}: the report asked for nothing");
        assert_no_console_errors(&browser, &example);
    }
}

#[test]
fn the_browser_refuses_the_page_to_a_rebound_name_and_to_other_origins() {
    let _one = lock();
    let Some(browser) = Browser::start(
        "the_browser_refuses_the_page_to_a_rebound_name_and_to_other_origins",
        &["--host-resolver-rules=MAP rebound.example 127.0.0.1"],
    ) else {
        return;
    };
    let estate = Serve::start(&["--example", "hub-spoke"]);
    let other = Serve::start(&["--example", "troubleshoot"]);
    // A name that resolves to 127.0.0.1 (DNS rebinding) gets no page.
    browser.goto(&format!("http://rebound.example:{}/", estate.address.port()));
    let text = browser.eval("return document.body.textContent;", json!([]));
    assert!(text.as_str().unwrap().contains("HostNotAllowed"), "{text}");
    assert_eq!(browser.eval("return typeof window.AZ;", json!([])), "undefined");
    let _ = browser.console();
    // A page of another origin (another port) cannot read the API.
    browser.goto(&other.url);
    browser.wait_ready();
    browser.eval(
        "window.__read = null; fetch(arguments[0] + 'api/topology').then(r => r.text()).then(() => window.__read = 'read', \
         () => window.__read = 'refused');",
        json!([estate.url]),
    );
    let outcome = browser.wait_for("the cross-origin fetch", "return window.__read;", 10);
    assert_eq!(outcome, "refused");
    // Its own API it reads.
    browser.eval(
        "window.__read = null; fetch('/api/topology').then(r => r.json()).then(t => window.__read = t.nodes.length);",
        json!([]),
    );
    assert!(browser.wait_for("the same-origin fetch", "return window.__read;", 10).as_u64().unwrap() > 0);
}

/// The egress and platform services of `hub-firewall` (§17) are drawn in their subnets with
/// their own kinds: the NAT gateway (in `AzureFirewallSubnet`), the Application Gateway (with its
/// frontend private IP) and Azure Bastion, with no console error.
#[test]
fn platform_services_are_drawn_in_their_subnets() {
    let _one = lock();
    let Some(browser) = Browser::start("platform_services_are_drawn_in_their_subnets", &[]) else { return };
    let serve = Serve::start(&["--example", "hub-firewall"]);
    browser.goto(&serve.url);
    browser.wait_ready();
    let drawn = browser.eval(
        "return AZ.graph.cy.nodes('.k-NatGateway, .k-ApplicationGateway, .k-BastionHost, .k-DnsResolverInboundEndpoint') \
         .map(n => [n.data('kind'), n.data('label'), AZ.graph.model.byId.get(n.id()).parent.split('/').pop()]).sort();",
        json!([]),
    );
    let drawn: Vec<(String, String, String)> = serde_json::from_value(drawn).unwrap();
    let expected = [
        ("ApplicationGateway", "Application Gateway agw-hub\n10.0.3.10", "snet-agw"),
        ("BastionHost", "Azure Bastion bas-hub", "AzureBastionSubnet"),
        ("NatGateway", "NAT gateway nat-fw", "AzureFirewallSubnet"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(k, l, s)| (k.to_string(), l.to_string(), s.to_string())).collect();
    assert_eq!(drawn, expected);
    assert_no_console_errors(&browser, "hub-firewall");
}
