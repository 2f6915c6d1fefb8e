//! The server's rules, each tested over a real socket: loopback unless remote access is asked
//! for, no answer to a foreign `Host` (DNS rebinding), no CORS, only its own files, a 400 for a
//! bad or huge question, GET only, nothing ever written; and its answers are the query layer's.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use azroute_query::{NextHopQuery, RoutesQuery, Session, TraceQuery};
use azroute_testkit::http::{self, Response};
use azroute_web::{ServeConfig, Server};

fn example_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../azroute-cli/estates").join(name)
}

/// A session that lives as long as the test process, as the server's does.
fn session_of(loaded: azroute_ingest::Loaded) -> &'static Session<'static> {
    let loaded: &'static azroute_ingest::Loaded = Box::leak(Box::new(loaded));
    Box::leak(Box::new(Session::new(&loaded.snapshot, azroute_model::ModelOptions::default())))
}

fn load(dir: &Path) -> &'static Session<'static> {
    session_of(azroute_ingest::load_path(dir, &azroute_ingest::IngestOptions::default()))
}

/// A server on a free loopback port, serving until the test process ends.
fn serve(session: &'static Session<'static>) -> SocketAddr {
    let server = Server::bind(&ServeConfig { listen: "127.0.0.1:0".parse().unwrap(), allow_remote: false }).unwrap();
    let address = server.address();
    std::thread::spawn(move || server.run(session, "test").map_err(|e| e.message).unwrap());
    address
}

fn hub_spoke() -> SocketAddr {
    serve(load(&example_dir("hub-spoke")))
}

fn with_host(address: SocketAddr, target: &str, host: Option<&str>) -> Response {
    http::request(address, "GET", target, host, &[], None).unwrap()
}

#[test]
fn it_binds_loopback_and_needs_allow_remote_for_any_other_address() {
    let default: SocketAddr = azroute_web::DEFAULT_LISTEN.parse().unwrap();
    assert!(default.ip().is_loopback(), "{default}");
    let refused = Server::bind(&ServeConfig { listen: "0.0.0.0:0".parse().unwrap(), allow_remote: false });
    let err = refused.err().expect("a non-loopback address is refused");
    assert!(err.message.contains("not a loopback address"), "{}", err.message);
    assert!(err.hint.unwrap().contains("--allow-remote"));
    let allowed = Server::bind(&ServeConfig { listen: "0.0.0.0:0".parse().unwrap(), allow_remote: true }).unwrap();
    assert!(allowed.warning.as_deref().unwrap().contains("not loopback"), "a warning is printed");
    let local = Server::bind(&ServeConfig { listen: "127.0.0.1:0".parse().unwrap(), allow_remote: false }).unwrap();
    assert!(local.warning.is_none());
    assert!(local.url().starts_with("http://127.0.0.1:"), "{}", local.url());
}

#[test]
fn a_request_for_another_host_is_refused() {
    let address = hub_spoke();
    let port = address.port();
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("LocalHost:{port}")] {
        assert_eq!(with_host(address, "/api/topology", Some(&host)).status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "localhost".to_string(),
    ] {
        for target in ["/", "/api/topology", "/assets/app.css"] {
            let r = with_host(address, target, Some(&host));
            assert_eq!(r.status, 403, "{host} {target}: {}", r.text());
            assert!(!r.text().contains("VirtualNetwork"), "nothing of the estate leaks");
            assert_eq!(r.json()["error"]["code"], "HostNotAllowed");
        }
    }
    let without = with_host(address, "/api/topology", None);
    assert!(without.status == 400 || without.status == 403, "no Host: {}", without.status);
}

#[test]
fn no_response_grants_another_origin_access() {
    let address = hub_spoke();
    let host = address.to_string();
    let origin = [("Origin", "http://evil.example")];
    for target in ["/", "/api/topology", "/api/doctor", "/api/trace?from=vm-app1&to=vm-app2", "/api/nothing"] {
        let r = http::request(address, "GET", target, Some(&host), &origin, None).unwrap();
        let cors: Vec<&(String, String)> = r.headers.iter().filter(|(n, _)| n.starts_with("access-control-")).collect();
        assert!(cors.is_empty(), "{target}: {cors:?}");
    }
    let preflight = http::request(
        address,
        "OPTIONS",
        "/api/topology",
        Some(&host),
        &[("Origin", "http://evil.example"), ("Access-Control-Request-Method", "GET")],
        None,
    )
    .unwrap();
    assert!(!(200..300).contains(&preflight.status), "a preflight is not granted: {}", preflight.status);
    assert!(preflight.headers.iter().all(|(n, _)| !n.starts_with("access-control-")));
}

#[test]
fn only_its_own_files_are_served() {
    let address = hub_spoke();
    for asset in azroute_web::asset_paths() {
        let r = http::get(address, &format!("/assets/{asset}"));
        assert_eq!(r.status, 200, "{asset}");
        assert!(!r.body.is_empty());
    }
    let page = http::get(address, "/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.header("content-security-policy").unwrap().contains("script-src 'self'"));
    for target in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/%2e%2e%2fCargo.toml",
        "/assets/vendor/../../src/lib.rs",
        "/assets/..%2f..%2fsrc%2flib.rs",
        "/assets//etc/passwd",
        "/assets/",
        "/Cargo.toml",
        "/src/lib.rs",
        "/etc/passwd",
        "/index.html",
        "/api",
    ] {
        let r = http::get(address, target);
        assert_eq!(r.status, 404, "{target}: {}", r.text());
        assert!(!r.text().contains("[package]") && !r.text().contains("root:"), "{target}");
    }
}

#[test]
fn only_get_is_answered() {
    let address = hub_spoke();
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let r = http::request(address, method, "/api/topology", Some(&address.to_string()), &[], Some(b"{}")).unwrap();
        assert_eq!(r.status, 405, "{method}");
    }
    let head = http::request(address, "HEAD", "/api/topology", Some(&address.to_string()), &[], None).unwrap();
    assert_eq!(head.status, 200);
}

#[test]
fn a_bad_or_huge_question_gets_a_400() {
    let address = hub_spoke();
    let long_value = "a".repeat(azroute_web::MAX_QUERY_BYTES + 1);
    let long_uri = format!("/api/routes?nic={}", "b".repeat(azroute_web::MAX_URI_BYTES));
    let bad = [
        "/api/routes?nic=nic-app1&nic=nic-app2".to_string(),
        "/api/routes?interface=nic-app1".to_string(),
        "/api/routes?nic=nic-app1&explain=perhaps".to_string(),
        "/api/routes?nic=nic-app1&vm=vm-app1".to_string(),
        "/api/routes".to_string(),
        "/api/routes?nic=nic-app1&reserved-none-profile=documented".to_string(),
        "/api/next-hop?vm=vm-app1".to_string(),
        "/api/next-hop?vm=vm-app1&dest-ip=8.8.8.256".to_string(),
        "/api/trace?from=vm-app1".to_string(),
        "/api/trace?from=vm-app1&to=vm-app2&port=65536".to_string(),
        "/api/trace?from=vm-app1&to=vm-app2&port=-1".to_string(),
        "/api/trace?from=vm-app1&to=vm-app2&protocol=ICMP&port=22".to_string(),
        "/api/trace?from=vm-app1&to=vm-app2&protocol=GRE".to_string(),
        "/api/reach?internet-address=10.0.0.1".to_string(),
        "/api/reach?from=%5Bunclosed".to_string(),
        "/api/reach-cell?row=0".to_string(),
        "/api/doctor?severity=fatal".to_string(),
        "/api/doctor?max-traces=1000000000".to_string(),
        "/api/doctor?max-traces=99999999999999999999999".to_string(),
        "/api/topology?nodes=all".to_string(),
        "/?debug=1".to_string(),
        format!("/api/routes?nic={long_value}"),
        format!("/api/trace?from={long_value}&to=x"),
        long_uri,
        "/api/routes?nic=%FF%FE".to_string(),
    ];
    for target in bad {
        let r = http::get(address, &target);
        assert_eq!(r.status, 400, "{}: {}", &target[..target.len().min(80)], r.text());
        let error = r.json();
        assert!(error["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{error}");
    }
    // What the snapshot lacks is a 404, with a hint.
    for target in
        ["/api/routes?nic=nic-nothing", "/api/trace?from=vm-nothing&to=vm-app2", "/api/doctor?only=NoSuchCheck"]
    {
        let r = http::get(address, target);
        assert_eq!(r.status, 404, "{target}: {}", r.text());
        assert!(r.json()["error"]["hint"].is_string(), "{target}");
    }
    // The server still answers after all that.
    assert_eq!(http::get(address, "/api/topology").status, 200);
}

#[test]
fn a_matrix_beyond_the_limit_is_refused_before_it_is_computed() {
    let params = azroute_generate::GenerateParams {
        hubs: 1,
        spokes_per_hub: 80,
        subnets_per_spoke: 4,
        nics_per_subnet: 1,
        ..azroute_generate::Preset::K1.params()
    };
    let (texts, _) = azroute_generate::generate_texts(&params).unwrap();
    let session = session_of(azroute_ingest::load_texts(&texts));
    let subnets = session.snapshot().subnets.len();
    assert!(subnets * subnets > azroute_web::MAX_REACH_CELLS, "{subnets} subnets");
    let address = serve(session);
    let start = std::time::Instant::now();
    let r = http::get(address, "/api/reach");
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("narrow it with `from` and `to`"), "{}", r.text());
    assert!(start.elapsed().as_secs() < 30);
    let narrowed = http::get(address, "/api/reach?from=vnet-spoke-0-1*/*&to=vnet-spoke-0-1*/*");
    assert!(narrowed.status == 200 || narrowed.status == 404, "{}", narrowed.text());
}

/// Every file below a directory with its bytes.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        if path.is_dir() {
            out.extend(contents(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap(), modified));
        }
    }
    out.sort();
    out
}

#[test]
fn it_never_writes_anything() {
    let dir = std::env::temp_dir().join(format!("azroute-web-readonly-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(example_dir("troubleshoot")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let before = contents(&dir);
    let address = serve(load(&dir));
    for target in [
        "/",
        "/api/topology",
        "/api/routes?nic=nic-web&explain",
        "/api/next-hop?vm=vm-web&dest-ip=8.8.8.8",
        "/api/trace?from=vm-web&to=8.8.8.8",
        "/api/reach",
        "/api/reach-grid",
        "/api/reach-cell?row=0&column=0",
        "/api/doctor",
        "/api/routes?nic=nothing",
    ] {
        http::get(address, target);
    }
    assert_eq!(contents(&dir), before, "the snapshot is untouched");
    // And the crate holds no code that opens a file for writing.
    for file in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("src")).unwrap() {
        let path = file.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for call in ["fs::write", "File::create", "OpenOptions", "create_dir", "remove_file", "rename("] {
            assert!(!text.contains(call), "{} calls {call}", path.display());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn answers_are_the_query_layers() {
    let session = load(&example_dir("hub-spoke"));
    let address = serve(session);
    let routes =
        session.routes(&RoutesQuery { nic: Some("nic-app1".into()), explain: true, ..RoutesQuery::default() }).unwrap();
    assert_eq!(http::get(address, "/api/routes?nic=nic-app1&explain").text(), routes.json());
    let hop = session
        .next_hop(&NextHopQuery {
            nic: None,
            vm: Some("vm-app1".into()),
            dest_ip: "8.8.8.8".parse().unwrap(),
            source_ip: None,
            explain: false,
        })
        .unwrap();
    assert_eq!(http::get(address, "/api/next-hop?vm=vm-app1&dest-ip=8.8.8.8").text(), hop.json());
    let trace = session
        .trace(&TraceQuery {
            from: "vm-app1".into(),
            to: "vm-app2".into(),
            protocol: azroute_query::Protocol::Tcp,
            source_port: 50000,
            destination_port: 443,
            assume_host: false,
            fqdn: None,
        })
        .unwrap();
    assert_eq!(http::get(address, "/api/trace?from=vm-app1&to=vm-app2&port=443").text(), trace.json());
    let topology = http::get(address, "/api/topology").json();
    let vnets = topology["nodes"].as_array().unwrap().iter().filter(|n| n["kind"] == "VirtualNetwork").count();
    assert_eq!(vnets, session.snapshot().vnets.len());
}

#[test]
fn what_the_command_line_prints_on_stderr_travels_in_a_header() {
    let address = hub_spoke();
    let r = http::get(address, "/api/next-hop?nic=nic-app1&dest-ip=8.8.8.8&source-ip=10.9.9.9");
    assert_eq!(r.status, 200);
    let notices: serde_json::Value = serde_json::from_str(r.header("x-azroute-notices").unwrap()).unwrap();
    assert_eq!(notices[0]["level"], "warning");
    assert!(notices[0]["text"].as_str().unwrap().contains("10.9.9.9 is not an address of `nic-app1`"), "{notices}");
    assert!(http::get(address, "/api/next-hop?nic=nic-app1&dest-ip=8.8.8.8").header("x-azroute-notices").is_none());
}

#[test]
fn a_reach_cell_names_the_trace_that_explains_it() {
    let address = hub_spoke();
    let grid = http::get(address, "/api/reach-grid").json();
    let rows = grid["rows"].as_array().unwrap().len();
    let columns = grid["columns"].as_array().unwrap().len();
    assert_eq!(grid["cells"].as_array().unwrap().len(), rows * columns);
    let full = http::get(address, "/api/reach").json();
    let listed = full["cells"].as_array().unwrap();
    assert_eq!(listed.len(), rows * columns);
    for (i, record) in listed.iter().enumerate() {
        let (row, column) = (i / columns, i % columns);
        let cell = http::get(address, &format!("/api/reach-cell?row={row}&column={column}")).json();
        assert_eq!(&cell["cell"], record, "cell {row},{column}");
        let label = &grid["labels"][grid["cells"][i].as_u64().unwrap() as usize];
        assert_eq!(label["reachability"], record["reachability"]);
        let trace = &cell["trace"];
        assert_eq!(trace["assume-host"], "true");
        let query: Vec<String> =
            trace.as_object().unwrap().iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap())).collect();
        let traced = http::get(address, &format!("/api/trace?{}", query.join("&")));
        assert_eq!(traced.status, 200, "{}", traced.text());
    }
    assert_eq!(http::get(address, &format!("/api/reach-cell?row={rows}&column=0")).status, 404);
}
