//! `azroute report`: the page as one self-contained HTML file that opens offline from a
//! `file://` URL, with everything the page shows precomputed: the topology, the doctor's
//! findings, the reachability grid, every subnet's routes (`routes --explain`), and, for
//! matrices of at most [`MAX_TRACED_CELLS`] cells, each cell's record and the trace that
//! explains it. Live traces between any two ends need `azroute serve`.

use azroute_query::{DoctorQuery, QueryError, ReachScope, RoutesQuery, Session};
use serde_json::json;

use crate::api::{MAX_GRID_CELLS, cell_body, trace_params};
use crate::assets;

/// The most reach cells whose traces are precomputed (each is a few kilobytes).
pub const MAX_TRACED_CELLS: usize = 2_000;

/// The whole page, data included.
pub fn standalone_report(session: &Session<'_>, estate: &str) -> String {
    assets::standalone(estate, &report_data(session, estate))
}

/// An error as the API would return it, for a part of the report that cannot be computed.
fn error_json(err: &QueryError) -> String {
    json!({"error": {"message": err.message, "hint": err.hint}}).to_string()
}

/// The data object the page reads instead of calling the API, assembled from JSON texts.
fn report_data(session: &Session<'_>, estate: &str) -> String {
    let mut parts: Vec<(&str, String)> = vec![
        ("estate", json!(estate).to_string()),
        ("generator", json!(format!("azroute {}", env!("CARGO_PKG_VERSION"))).to_string()),
        ("topology", azroute_report::topology::json(&session.topology())),
        ("doctor", session.doctor(&DoctorQuery::default()).map(|a| a.json()).unwrap_or_else(|e| error_json(&e))),
        ("routes", subnet_routes(session)),
    ];
    parts.extend(reach_parts(session));
    let body: Vec<String> =
        parts.into_iter().map(|(key, value)| format!("{}: {}", json!(key), value.trim_end())).collect();
    format!("{{{}}}", body.join(",\n"))
}

/// `{"<subnet id>": routes --subnet ID --explain -o json}` for every subnet.
fn subnet_routes(session: &Session<'_>) -> String {
    let snap = session.snapshot();
    let entries: Vec<String> = snap
        .subnets
        .iter()
        .map(|s| {
            let query = RoutesQuery { subnet: Some(s.id.to_string()), explain: true, ..RoutesQuery::default() };
            let routes = session.routes(&query).map(|a| a.json()).unwrap_or_else(|e| error_json(&e));
            format!("{}: {}", json!(s.id.to_string()), routes.trim_end())
        })
        .collect();
    format!("{{{}}}", entries.join(",\n"))
}

/// The default matrix as the grid, and each cell's record and trace when there are few
/// enough cells.
fn reach_parts(session: &Session<'_>) -> Vec<(&'static str, String)> {
    let plan = match session.reach_plan(&ReachScope::default()) {
        Ok(plan) if plan.subnet_cells() <= MAX_GRID_CELLS => plan,
        Ok(plan) => {
            let err = QueryError::invalid(format!(
                "the matrix has {} subnet cells, more than a report holds ({MAX_GRID_CELLS})",
                plan.subnet_cells()
            ));
            return vec![("reachGrid", error_json(&err))];
        }
        Err(err) => return vec![("reachGrid", error_json(&err))],
    };
    let answer = session.reach(plan);
    let grid = String::from_utf8_lossy(&answer.grid_json()).into_owned();
    let (rows, columns) = answer.shape();
    if rows * columns > MAX_TRACED_CELLS {
        let note = format!(
            "the matrix has {} cells; a report precomputes the traces of at most {MAX_TRACED_CELLS}: run `azroute serve` for the others",
            rows * columns
        );
        return vec![("reachGrid", grid), ("tracesOmitted", json!(note).to_string())];
    }
    let mut cells = Vec::new();
    let mut traces = Vec::new();
    for row in 0..rows {
        for column in 0..columns {
            let key = json!(format!("{row},{column}")).to_string();
            let (Some(cell), Some(query)) = (cell_body(&answer, row, column), answer.cell_trace(row, column)) else {
                continue;
            };
            cells.push(format!("{key}: {}", cell.trim_end()));
            let trace = session.trace(&query).map(|a| a.json()).unwrap_or_else(|e| error_json(&e));
            traces.push(format!("{key}: {{\"params\": {}, \"trace\": {}}}", trace_params(&query), trace.trim_end()));
        }
    }
    vec![
        ("reachGrid", grid),
        ("reachCells", format!("{{{}}}", cells.join(",\n"))),
        ("traces", format!("{{{}}}", traces.join(",\n"))),
    ]
}
