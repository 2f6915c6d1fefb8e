//! Effective routes in the shapes of `az network nic show-effective-route-table`: JSON
//! (`{"value": [...]}` with Azure's field names and enum values), the az table, and CSV.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use azroute_engine::*;
use azroute_model::Snapshot;
use serde::Serialize;

use crate::table;

/// One effective route, with the keys `az` prints (alphabetical, as the CLI orders them).
/// Borrows from the table: a whole-estate stream serializes thousands of tables.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveRouteView<'a> {
    pub address_prefix: &'a [String],
    pub disable_bgp_route_propagation: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub next_hop_ip_address: Vec<String>,
    pub next_hop_type: &'a str,
    pub source: &'static str,
    pub state: &'static str,
    /// azroute's explanation (only with `--explain`): why the route exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// azroute's explanation (only with `--explain`): why the route is Invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `{"value": [...]}`, plus azroute's notes with `--explain`.
#[derive(Clone, Debug, Serialize)]
pub struct EffectiveRouteList<'a> {
    pub value: Vec<EffectiveRouteView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<String>>,
}

/// Converts a table into views.
pub fn views<'a>(snap: &Snapshot, table: &'a EffectiveRouteTable, explain: bool) -> Vec<EffectiveRouteView<'a>> {
    table
        .routes
        .iter()
        .map(|r| EffectiveRouteView {
            address_prefix: &r.prefix_text,
            disable_bgp_route_propagation: table.disable_bgp_route_propagation,
            name: r.name.as_deref(),
            next_hop_ip_address: r.next_hop_ips.iter().map(azroute_engine::ip_text).collect(),
            next_hop_type: r.next_hop_type.as_str(),
            source: r.source.as_str(),
            state: r.state.as_str(),
            origin: explain.then(|| origin_text(snap, r)),
            reason: if explain { r.invalid.as_ref().map(|reason| invalid_text(table, reason)) } else { None },
        })
        .collect()
}

/// The notes of a table as text.
pub fn notes(snap: &Snapshot, table: &EffectiveRouteTable) -> Vec<String> {
    let mut out: Vec<String> = table.notes.iter().map(|n| note_text(snap, table, n)).collect();
    out.dedup();
    out
}

/// JSON exactly as az prints it (`explain` adds azroute's `origin`, `reason` and `notes`).
pub fn json(snap: &Snapshot, table: &EffectiveRouteTable, explain: bool) -> String {
    let list = EffectiveRouteList { value: views(snap, table, explain), notes: explain.then(|| notes(snap, table)) };
    serde_json::to_string_pretty(&list).expect("views serialize")
}

pub const HEADERS: [&str; 6] = ["Source", "State", "Address Prefix", "Next Hop Type", "Next Hop IP", "Name"];

/// Table rows: az's columns plus the user route's name.
pub fn rows(table: &EffectiveRouteTable) -> Vec<Vec<String>> {
    table
        .routes
        .iter()
        .map(|r| {
            vec![
                r.source.as_str().to_string(),
                r.state.as_str().to_string(),
                r.prefix_text.join(" "),
                r.next_hop_type.as_str().to_string(),
                r.next_hop_ips.iter().map(|ip| ip.to_string()).collect::<Vec<_>>().join(" "),
                r.name.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

/// The table for a person: routes, then why each Invalid route lost, then notes.
pub fn text(snap: &Snapshot, table: &EffectiveRouteTable, explain: bool) -> String {
    let mut out = table::render(&HEADERS, &rows(table));
    let invalid: Vec<String> = table
        .routes
        .iter()
        .filter_map(|r| r.invalid.as_ref().map(|reason| format!("  {}: {}", r.label(), invalid_text(table, reason))))
        .collect();
    if !invalid.is_empty() {
        out.push_str("\nInvalid routes:\n");
        for line in invalid {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if explain {
        out.push_str("\nWhy each route exists:\n");
        for r in &table.routes {
            out.push_str(&format!("  {}: {}\n", r.label(), origin_text(snap, r)));
        }
    }
    let notes = notes(snap, table);
    if !notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in notes {
            out.push_str(&format!("  - {n}\n"));
        }
    }
    out
}

/// CSV with the table's columns.
pub fn csv(table: &EffectiveRouteTable) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADERS).expect("in-memory write");
    for row in rows(table) {
        w.write_record(&row).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("csv is UTF-8")
}

/// One context's routes serialized once for a whole-estate stream (`routes --all`), reused for
/// every NIC that shares the context: each route of the `value` array as JSON, and the CSV rows
/// without the NIC and Subnet cells. The bytes of a route are shared with every other context
/// that has the same route ([`SharedRouteBytes`]).
#[derive(Clone, Debug, Default)]
pub struct RoutesFragment {
    /// The routes of the `value` array, each compact and exactly as `routes -o json` prints
    /// it (the array is `[` these joined by `,` `]`, as serde_json writes it).
    pub json_routes: Vec<Arc<[u8]>>,
    /// `"notes": [...]` with `--explain` (as text after a comma), else empty.
    pub json_notes: Vec<u8>,
    /// CSV rows (the table's columns), each ending in a newline.
    pub csv_rows: Vec<Arc<[u8]>>,
}

/// The bytes of the routes of a whole-estate stream, each distinct route kept once: a hub's
/// routes appear, byte for byte, in the table of every spoke behind it, and every context's
/// fragment is held until the last NIC is written (at 100k NICs: 4,020 contexts of 230,000
/// routes, 34 MB, of which 38,900 routes and 7 MB are distinct).
#[derive(Debug, Default)]
pub struct SharedRouteBytes {
    // Fx rather than SipHash: every route of every context is hashed once.
    seen: Mutex<HashSet<Arc<[u8]>, rustc_hash::FxBuildHasher>>,
}

impl SharedRouteBytes {
    /// `bytes`, shared with every earlier route of the same bytes.
    pub fn share(&self, bytes: &[u8]) -> Arc<[u8]> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(existing) = seen.get(bytes) {
            return Arc::clone(existing);
        }
        let new: Arc<[u8]> = Arc::from(bytes);
        seen.insert(Arc::clone(&new));
        new
    }
}

/// Serializes a table's routes for [`JsonStream`] or [`CsvStream`], each route's bytes shared
/// through `shared`.
pub fn fragment(
    snap: &Snapshot,
    table: &EffectiveRouteTable,
    explain: bool,
    format: crate::OutputFormat,
    shared: &SharedRouteBytes,
) -> RoutesFragment {
    let mut out = RoutesFragment::default();
    match format {
        crate::OutputFormat::Csv => {
            // One writer per context; each row ends where the buffer stood after writing it.
            let mut w = csv_writer();
            let mut ends = Vec::new();
            for row in rows(table) {
                w.write_record(&row).expect("in-memory write");
                w.flush().expect("in-memory flush");
                ends.push(w.get_ref().len());
            }
            let bytes = w.into_inner().expect("in-memory flush");
            let mut start = 0;
            out.csv_rows.reserve_exact(ends.len());
            for end in ends {
                out.csv_rows.push(shared.share(&bytes[start..end]));
                start = end;
            }
        }
        _ => {
            let views = views(snap, table, explain);
            out.json_routes.reserve_exact(views.len());
            let mut route = Vec::with_capacity(256);
            for view in &views {
                route.clear();
                serde_json::to_writer(&mut route, view).expect("views serialize");
                out.json_routes.push(shared.share(&route));
            }
            if explain {
                out.json_notes = serde_json::to_vec(&notes(snap, table)).expect("notes serialize");
            }
        }
    }
    // Kept for the whole stream, once per context: no spare capacity.
    out.json_notes.shrink_to_fit();
    out
}

/// Streams `{"value": [{"networkInterface": {"id", "name"}, "subnet": {"id"}, "value": [...]}, …]}`:
/// one NIC per line, valid JSON as a whole, written as it goes (no whole-output buffer).
pub struct JsonStream<W: std::io::Write> {
    out: W,
    count: usize,
}

impl<W: std::io::Write> JsonStream<W> {
    pub fn begin(mut out: W) -> std::io::Result<JsonStream<W>> {
        out.write_all(b"{\"value\": [")?;
        Ok(JsonStream { out, count: 0 })
    }

    /// One NIC's entry; `routes` is its context's fragment.
    pub fn nic(
        &mut self,
        nic_id: &str,
        nic_name: &str,
        subnet_id: &str,
        routes: &RoutesFragment,
    ) -> std::io::Result<()> {
        let out = &mut self.out;
        out.write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        out.write_all(b"{\"networkInterface\": {\"id\": ")?;
        serde_json::to_writer(&mut *out, nic_id)?;
        out.write_all(b", \"name\": ")?;
        serde_json::to_writer(&mut *out, nic_name)?;
        out.write_all(b"}, \"subnet\": {\"id\": ")?;
        serde_json::to_writer(&mut *out, subnet_id)?;
        out.write_all(b"}, \"value\": [")?;
        for (i, route) in routes.json_routes.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(route)?;
        }
        out.write_all(b"]")?;
        if !routes.json_notes.is_empty() {
            out.write_all(b", \"notes\": ")?;
            out.write_all(&routes.json_notes)?;
        }
        out.write_all(b"}")?;
        self.count += 1;
        Ok(())
    }

    /// Closes the list and returns the writer (unflushed).
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.write_all(if self.count == 0 { b"]}\n" } else { b"\n]}\n" })?;
        Ok(self.out)
    }
}

/// The csv crate's writer into memory, `\n`-terminated (as `routes -o csv` writes).
fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).buffer_capacity(512).from_writer(Vec::new())
}

/// One record as the csv crate writes it.
fn csv_record<'a>(cells: impl IntoIterator<Item = &'a str>) -> std::io::Result<Vec<u8>> {
    let mut w = csv_writer();
    w.write_record(cells)?;
    w.into_inner().map_err(|e| e.into_error())
}

/// The leading cells of a NIC's rows (`NIC`, `NIC Name`, `Subnet`, `VNet/Subnet`).
pub struct NicCells<'a> {
    pub nic_id: &'a str,
    pub nic_name: &'a str,
    pub subnet_id: &'a str,
    /// `vnet/subnet`.
    pub subnet_label: &'a str,
}

/// Streams CSV: the NIC's id and name, the subnet's id and `vnet/subnet`, then the table's
/// columns, one row per route of every NIC.
pub struct CsvStream<W: std::io::Write> {
    out: W,
}

impl<W: std::io::Write> CsvStream<W> {
    pub fn begin(mut out: W) -> std::io::Result<CsvStream<W>> {
        let leading = ["NIC", "NIC Name", "Subnet", "VNet/Subnet"];
        out.write_all(&csv_record(leading.into_iter().chain(HEADERS.iter().copied()))?)?;
        Ok(CsvStream { out })
    }

    /// One NIC's rows; `routes` is its context's fragment.
    pub fn nic(&mut self, nic: &NicCells<'_>, routes: &RoutesFragment) -> std::io::Result<()> {
        // The leading cells are the same on every row: quoted once, by the csv crate, as the
        // start of a record (a trailing empty field gives the separator before the routes).
        let mut cells = csv_record([nic.nic_id, nic.nic_name, nic.subnet_id, nic.subnet_label, ""])?;
        cells.pop(); // the record's terminator
        for row in &routes.csv_rows {
            self.out.write_all(&cells)?;
            self.out.write_all(row)?;
        }
        Ok(())
    }

    pub fn finish(self) -> std::io::Result<W> {
        Ok(self.out)
    }
}

#[cfg(test)]
mod stream_tests {
    use super::*;

    #[test]
    fn csv_rows_start_with_the_nics_cells_and_parse_back() {
        let mut s = CsvStream::begin(Vec::new()).unwrap();
        let f = RoutesFragment {
            csv_rows: vec![
                Arc::from(&b"Default,Active,10.0.0.0/16,VnetLocal,,\n"[..]),
                Arc::from(&b"User,Active,\"a,b\",None,,x\n"[..]),
            ],
            ..RoutesFragment::default()
        };
        let nic = NicCells { nic_id: "/x/nic,1", nic_name: "nic \"1\"", subnet_id: "/x/s", subnet_label: "v/s" };
        s.nic(&nic, &f).unwrap();
        s.nic(&NicCells { nic_id: "/x/n2", nic_name: "n2", subnet_id: "/x/s", subnet_label: "v/s" }, &f).unwrap();
        let text = String::from_utf8(s.finish().unwrap()).unwrap();
        assert_eq!(
            text.lines().take(2).collect::<Vec<_>>(),
            [
                "NIC,NIC Name,Subnet,VNet/Subnet,Source,State,Address Prefix,Next Hop Type,Next Hop IP,Name",
                "\"/x/nic,1\",\"nic \"\"1\"\"\",/x/s,v/s,Default,Active,10.0.0.0/16,VnetLocal,,"
            ]
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 4);
        assert_eq!(&records[1][1], "nic \"1\"");
        assert_eq!(&records[1][6], "a,b");
        assert_eq!(&records[3][0], "/x/n2");
    }

    #[test]
    fn json_stream_is_valid_json_empty_or_not() {
        let s = JsonStream::begin(Vec::new()).unwrap();
        let empty: serde_json::Value = serde_json::from_slice(&s.finish().unwrap()).unwrap();
        assert_eq!(empty, serde_json::json!({"value": []}));
        let mut s = JsonStream::begin(Vec::new()).unwrap();
        let f = RoutesFragment::default();
        s.nic("/n/\"a\"", "a", "/s", &f).unwrap();
        s.nic("/n/b", "b", "/s", &f).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&s.finish().unwrap()).unwrap();
        assert_eq!(v["value"][0]["networkInterface"]["id"], "/n/\"a\"");
        assert_eq!(v["value"][1]["subnet"]["id"], "/s");
        assert_eq!(v["value"][1]["value"], serde_json::json!([]));
    }

    /// A context's routes are written as serde_json writes the whole array, and a route that
    /// two contexts have is held once.
    #[test]
    fn routes_alike_in_two_contexts_share_their_bytes_and_write_as_one_array() {
        let shared = SharedRouteBytes::default();
        let routes = [
            serde_json::json!({"source": "Default", "addressPrefix": ["10.0.0.0/16"]}),
            serde_json::json!({"source": "User", "nextHopIpAddress": ["10.0.0.4"]}),
        ];
        let fragment = |routes: &[serde_json::Value]| RoutesFragment {
            json_routes: routes.iter().map(|r| shared.share(&serde_json::to_vec(r).unwrap())).collect(),
            ..RoutesFragment::default()
        };
        let first = fragment(&routes);
        let second = fragment(&routes[1..]);
        assert!(Arc::ptr_eq(&first.json_routes[1], &second.json_routes[0]));
        assert!(!Arc::ptr_eq(&first.json_routes[0], &first.json_routes[1]));
        let mut s = JsonStream::begin(Vec::new()).unwrap();
        s.nic("/n/a", "a", "/s", &first).unwrap();
        let text = String::from_utf8(s.finish().unwrap()).unwrap();
        let whole = serde_json::to_string(&routes).unwrap();
        assert!(text.contains(&format!("\"value\": {whole}}}")), "{text}");
    }
}

/// What a whole-estate stream wrote.
#[derive(Clone, Debug, Default)]
pub struct StreamSummary {
    pub nics: usize,
    pub contexts: usize,
    /// NICs left out, each with why (no subnet, route table not exported, …).
    pub skipped: Vec<String>,
}

/// Every NIC's effective routes (`routes --all`), in snapshot order (sorted by id), streamed to
/// `out` as JSON ([`JsonStream`]) or CSV ([`CsvStream`]).
///
/// The engine computes each distinct route context once, in parallel
/// ([`RouteEngine::map_route_contexts`]); each table is serialized once into a fragment and
/// dropped (only the bytes are kept, not the engine's cache), and NICs reuse the bytes of their
/// context. `out` is not flushed.
pub fn stream_all<W: std::io::Write>(
    engine: &RouteEngine<'_>,
    format: crate::OutputFormat,
    explain: bool,
    out: W,
) -> std::io::Result<(W, StreamSummary)> {
    let snap = engine.snap();
    let shared = SharedRouteBytes::default();
    let fragments = engine.map_route_contexts(|table| fragment(snap, table, explain, format, &shared));
    let mut summary = StreamSummary { contexts: fragments.len(), ..StreamSummary::default() };
    let mut json = None;
    let mut csv = None;
    match format {
        crate::OutputFormat::Csv => csv = Some(CsvStream::begin(out)?),
        _ => json = Some(JsonStream::begin(out)?),
    }
    for (i, nic) in snap.nics.iter().enumerate() {
        let subnet = match engine.nic_subnet(azroute_model::NicIdx(i as u32)) {
            Ok(s) => s,
            Err(err) => {
                summary.skipped.push(err.to_string());
                continue;
            }
        };
        let routes = match fragments.subnet(subnet) {
            Ok(routes) => routes,
            Err(err) => {
                summary.skipped.push(format!("network interface `{}`: {err}", nic.name));
                continue;
            }
        };
        let subnet_id = snap.subnets[subnet.index()].id.as_str();
        if let Some(s) = json.as_mut() {
            s.nic(nic.id.as_str(), &nic.name, subnet_id, routes)?;
        }
        if let Some(s) = csv.as_mut() {
            let label = snap.subnet_label(subnet);
            let cells = NicCells { nic_id: nic.id.as_str(), nic_name: &nic.name, subnet_id, subnet_label: &label };
            s.nic(&cells, routes)?;
        }
        summary.nics += 1;
    }
    let out = match (json, csv) {
        (Some(s), _) => s.finish()?,
        (_, Some(s)) => s.finish()?,
        (None, None) => unreachable!("one stream is open"),
    };
    Ok((out, summary))
}
