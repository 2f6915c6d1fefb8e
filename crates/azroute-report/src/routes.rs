//! Effective routes in the shapes of `az network nic show-effective-route-table`: JSON
//! (`{"value": [...]}` with Azure's field names and enum values), the az table, and CSV.

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
/// every NIC that shares the context: the `value` array as JSON, and the CSV rows without the
/// NIC and Subnet cells.
#[derive(Clone, Debug, Default)]
pub struct RoutesFragment {
    /// `[{route}, …]`, compact, each route exactly as `routes -o json` prints it.
    pub json_value: Vec<u8>,
    /// `"notes": [...]` with `--explain` (as text after a comma), else empty.
    pub json_notes: Vec<u8>,
    /// CSV rows (the table's columns), each ending in a newline.
    pub csv_rows: Vec<Vec<u8>>,
}

/// Serializes a table's routes for [`JsonStream`] or [`CsvStream`].
pub fn fragment(
    snap: &Snapshot,
    table: &EffectiveRouteTable,
    explain: bool,
    format: crate::OutputFormat,
) -> RoutesFragment {
    let mut out = RoutesFragment::default();
    match format {
        crate::OutputFormat::Csv => {
            for row in rows(table) {
                // Quoted as the csv crate quotes (see `csv_cell`), without a writer per row.
                let mut line = Vec::with_capacity(row.iter().map(|c| c.len() + 1).sum::<usize>() + 1);
                for (i, cell) in row.iter().enumerate() {
                    if i > 0 {
                        line.push(b',');
                    }
                    csv_cell(&mut line, cell);
                }
                line.push(b'\n');
                out.csv_rows.push(line);
            }
        }
        _ => {
            // About 150 bytes a route: sized up front rather than grown by doubling.
            out.json_value = Vec::with_capacity(table.routes.len() * 192 + 2);
            serde_json::to_writer(&mut out.json_value, &views(snap, table, explain)).expect("views serialize");
            if explain {
                out.json_notes = serde_json::to_vec(&notes(snap, table)).expect("notes serialize");
            }
        }
    }
    // Kept for the whole stream, once per context: no spare capacity.
    out.json_value.shrink_to_fit();
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
        out.write_all(b"}, \"value\": ")?;
        out.write_all(&routes.json_value)?;
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

/// Streams CSV: `NIC,Subnet` then the table's columns, one row per route of every NIC.
pub struct CsvStream<W: std::io::Write> {
    out: W,
    cells: Vec<u8>,
}

impl<W: std::io::Write> CsvStream<W> {
    pub fn begin(mut out: W) -> std::io::Result<CsvStream<W>> {
        let mut header = vec!["NIC", "Subnet"];
        header.extend(HEADERS);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).expect("in-memory write");
        out.write_all(&w.into_inner().expect("in-memory flush"))?;
        Ok(CsvStream { out, cells: Vec::new() })
    }

    /// One NIC's rows; `routes` is its context's fragment.
    pub fn nic(&mut self, nic_id: &str, subnet_id: &str, routes: &RoutesFragment) -> std::io::Result<()> {
        // The NIC's two leading cells are the same on every row: quote them once.
        self.cells.clear();
        csv_cell(&mut self.cells, nic_id);
        self.cells.push(b',');
        csv_cell(&mut self.cells, subnet_id);
        self.cells.push(b',');
        for row in &routes.csv_rows {
            self.out.write_all(&self.cells)?;
            self.out.write_all(row)?;
        }
        Ok(())
    }

    pub fn finish(self) -> std::io::Result<W> {
        Ok(self.out)
    }
}

/// One CSV cell, quoted as the csv crate quotes (only when it must be).
fn csv_cell(out: &mut Vec<u8>, text: &str) {
    if text.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in text.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

#[cfg(test)]
mod stream_tests {
    use super::*;

    #[test]
    fn csv_leading_cells_are_quoted_once_per_nic() {
        let mut s = CsvStream::begin(Vec::new()).unwrap();
        let f = RoutesFragment {
            csv_rows: vec![b"Default,Active,10.0.0.0/16,VnetLocal,,\n".to_vec()],
            ..RoutesFragment::default()
        };
        s.nic("/x/nic,1", "/x/s", &f).unwrap();
        let text = String::from_utf8(s.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "NIC,Subnet,Source,State,Address Prefix,Next Hop Type,Next Hop IP,Name\n\"/x/nic,1\",/x/s,Default,Active,10.0.0.0/16,VnetLocal,,\n"
        );
    }

    #[test]
    fn csv_cells_are_quoted_as_the_csv_crate_quotes() {
        let row = ["plain", "a,b", "say \"hi\"", "line\nbreak", "", " spaced ", "10.0.0.0/8 10.1.0.0/16"];
        let mut ours = Vec::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                ours.push(b',');
            }
            csv_cell(&mut ours, cell);
        }
        ours.push(b'\n');
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(row).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(w.into_inner().unwrap()).unwrap());
    }

    #[test]
    fn json_stream_is_valid_json_empty_or_not() {
        let s = JsonStream::begin(Vec::new()).unwrap();
        let empty: serde_json::Value = serde_json::from_slice(&s.finish().unwrap()).unwrap();
        assert_eq!(empty, serde_json::json!({"value": []}));
        let mut s = JsonStream::begin(Vec::new()).unwrap();
        let f = RoutesFragment { json_value: b"[]".to_vec(), ..RoutesFragment::default() };
        s.nic("/n/\"a\"", "a", "/s", &f).unwrap();
        s.nic("/n/b", "b", "/s", &f).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&s.finish().unwrap()).unwrap();
        assert_eq!(v["value"][0]["networkInterface"]["id"], "/n/\"a\"");
        assert_eq!(v["value"][1]["subnet"]["id"], "/s");
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
    let fragments = engine.map_route_contexts(|table| fragment(snap, table, explain, format));
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
            s.nic(nic.id.as_str(), subnet_id, routes)?;
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
