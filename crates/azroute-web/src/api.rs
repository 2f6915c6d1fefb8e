//! The JSON endpoints: each decodes its parameters into a typed question, asks the query
//! layer on a blocking thread (at most as many at once as there are cores) and returns exactly
//! the JSON the command line prints with `-o json`. What the command line prints on stderr
//! beside it (warnings, hints, notes) travels in the `X-Azroute-Notices` header.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::Response;
use azroute_query::{Notice, QueryError, ReachAnswer, Session};
use tokio::sync::Semaphore;

use crate::params;
use crate::server::{error_response, json_response, query_error};

/// The most cells `/api/reach` lists (its JSON takes about 300 bytes a cell); the page's grid
/// goes further.
pub const MAX_REACH_CELLS: usize = 100_000;

/// The most cells `/api/reach-grid` and `/api/reach-cell` compute (the 10k-NIC estate's whole
/// matrix has 1.09 million).
pub const MAX_GRID_CELLS: usize = 2_500_000;

/// Matrices kept for the cells the page asks about after drawing a grid.
const KEPT_MATRICES: usize = 2;

/// What the server holds: the session, the estate's name, the topology (computed once) and
/// the last matrices.
pub struct App {
    session: &'static Session<'static>,
    estate: String,
    topology: Vec<u8>,
    compute: Semaphore,
    matrices: Mutex<Vec<(String, Arc<ReachAnswer<'static>>)>>,
}

impl App {
    pub fn new(session: &'static Session<'static>, estate: &str) -> Arc<App> {
        let topology = azroute_report::topology::json(&session.topology()).into_bytes();
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Arc::new(App {
            session,
            estate: estate.to_string(),
            topology,
            compute: Semaphore::new(cores),
            matrices: Mutex::new(Vec::new()),
        })
    }

    /// Runs `question` on a blocking thread once a core is free.
    async fn ask(
        self: &Arc<App>,
        question: impl FnOnce(&App) -> Result<Answer, QueryError> + Send + 'static,
    ) -> Response {
        let Ok(_permit) = self.compute.acquire().await else {
            return error_response(StatusCode::SERVICE_UNAVAILABLE, "ShuttingDown", "the server is stopping", None);
        };
        let app = Arc::clone(self);
        match tokio::task::spawn_blocking(move || question(&app)).await {
            Ok(Ok(answer)) => answer.into_response(),
            Ok(Err(err)) => query_error(&err),
            Err(_) => error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                "azroute failed while answering; this is a bug",
                Some("please report it with the request you made"),
            ),
        }
    }

    /// The matrix of a scope, computed once and kept for the cells asked next.
    fn matrix(&self, key: String, plan: azroute_query::ReachPlan) -> Arc<ReachAnswer<'static>> {
        if let Some((_, kept)) = self.matrices.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(k, _)| *k == key)
        {
            return Arc::clone(kept);
        }
        let answer = Arc::new(self.session.reach(plan));
        let mut kept = self.matrices.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= KEPT_MATRICES {
            kept.remove(0);
        }
        kept.push((key, Arc::clone(&answer)));
        answer
    }

    /// A matrix question within `limit` cells.
    fn planned(&self, scope: &azroute_query::ReachScope, limit: usize) -> Result<azroute_query::ReachPlan, QueryError> {
        let plan = self.session.reach_plan(scope)?;
        if plan.subnet_cells() > limit {
            return Err(QueryError::invalid(format!(
                "this matrix has {} subnet cells; this endpoint computes at most {limit}",
                plan.subnet_cells()
            ))
            .hint("narrow it with `from` and `to` (globs over VNET/SUBNET, e.g. from=vnet-spoke1/*)"));
        }
        Ok(plan)
    }
}

/// A JSON body and the notices that go with it.
struct Answer {
    body: Vec<u8>,
    notices: Vec<Notice>,
}

impl Answer {
    fn of(body: impl Into<Vec<u8>>, notices: Vec<Notice>) -> Answer {
        Answer { body: body.into(), notices }
    }

    fn into_response(self) -> Response {
        let mut response = json_response(StatusCode::OK, self.body);
        if !self.notices.is_empty()
            && let Ok(value) = HeaderValue::from_str(&notices_header(&self.notices))
        {
            response.headers_mut().insert("x-azroute-notices", value);
        }
        response
    }
}

/// The notices as JSON (`[{"level", "text"}]`) in ASCII, so that they fit in a header.
fn notices_header(notices: &[Notice]) -> String {
    let list: Vec<serde_json::Value> =
        notices.iter().map(|n| serde_json::json!({"level": n.level.as_str(), "text": n.text})).collect();
    let text = serde_json::to_string(&list).unwrap_or_default();
    let mut ascii = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() && !c.is_ascii_control() {
            ascii.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                ascii.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    ascii
}

pub async fn index(State(app): State<Arc<App>>, uri: Uri) -> Response {
    if uri.query().is_some() {
        return query_error(&QueryError::invalid("the page takes no parameters"));
    }
    crate::assets::page(&app.estate)
}

pub async fn topology(State(app): State<Arc<App>>, uri: Uri) -> Response {
    match params::none(uri.query()) {
        Ok(()) => json_response(StatusCode::OK, app.topology.clone()),
        Err(err) => query_error(&err),
    }
}

pub async fn routes(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let query = match params::routes(uri.query()) {
        Ok(q) => q,
        Err(err) => return query_error(&err),
    };
    app.ask(move |app| {
        let answer = app.session.routes(&query)?;
        Ok(Answer::of(answer.json(), answer.notices))
    })
    .await
}

pub async fn next_hop(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let query = match params::next_hop(uri.query()) {
        Ok(q) => q,
        Err(err) => return query_error(&err),
    };
    app.ask(move |app| {
        let answer = app.session.next_hop(&query)?;
        Ok(Answer::of(answer.json(), answer.notices))
    })
    .await
}

pub async fn trace(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let query = match params::trace(uri.query()) {
        Ok(q) => q,
        Err(err) => return query_error(&err),
    };
    app.ask(move |app| {
        let answer = app.session.trace(&query)?;
        Ok(Answer::of(answer.json(), answer.notices))
    })
    .await
}

pub async fn reach(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let (p, scope, problems) = match params::reach(uri.query()) {
        Ok(q) => q,
        Err(err) => return query_error(&err),
    };
    app.ask(move |app| {
        let plan = app.planned(&scope, MAX_REACH_CELLS)?;
        let answer = app.matrix(params::scope_key(&p), plan);
        Ok(Answer::of(answer.json(problems), Vec::new()))
    })
    .await
}

pub async fn reach_grid(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let (p, scope) = match params::reach_grid(uri.query()) {
        Ok(q) => q,
        Err(err) => return query_error(&err),
    };
    app.ask(move |app| {
        let plan = app.planned(&scope, MAX_GRID_CELLS)?;
        let answer = app.matrix(params::scope_key(&p), plan);
        Ok(Answer::of(answer.grid_json(), Vec::new()))
    })
    .await
}

pub async fn reach_cell(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let (p, scope, row, column) = match params::reach_cell(uri.query()) {
        Ok(q) => q,
        Err(err) => return query_error(&err),
    };
    app.ask(move |app| {
        let plan = app.planned(&scope, MAX_GRID_CELLS)?;
        let answer = app.matrix(params::scope_key(&p), plan);
        let cell = cell_body(&answer, row, column).ok_or_else(|| {
            QueryError::not_found(format!("the matrix has no cell at row {row}, column {column}"))
                .hint("rows and columns count from 0, as the grid lists them")
        })?;
        Ok(Answer::of(cell, Vec::new()))
    })
    .await
}

/// `{"cell": the cell's record as `reach -o json` lists it, "trace": the parameters of
/// `/api/trace` that explain it}`.
pub fn cell_body(answer: &ReachAnswer<'_>, row: usize, column: usize) -> Option<String> {
    let record = answer.cell_json(row, column)?;
    let trace = answer.cell_trace(row, column)?;
    Some(format!("{{\"cell\": {}, \"trace\": {}}}\n", record.trim_end(), trace_params(&trace)))
}

/// A trace question as `/api/trace`'s parameters (a JSON object of strings).
pub fn trace_params(query: &azroute_query::TraceQuery) -> String {
    let mut params = serde_json::Map::new();
    params.insert("from".into(), query.from.clone().into());
    params.insert("to".into(), query.to.clone().into());
    params.insert("protocol".into(), query.protocol.as_str().into());
    if query.protocol != azroute_query::Protocol::Icmp {
        params.insert("port".into(), query.destination_port.to_string().into());
        params.insert("source-port".into(), query.source_port.to_string().into());
    }
    if query.assume_host {
        params.insert("assume-host".into(), "true".into());
    }
    serde_json::Value::Object(params).to_string()
}

pub async fn doctor(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let query = match params::doctor(uri.query()) {
        Ok(q) => q,
        Err(err) => return query_error(&err),
    };
    app.ask(move |app| {
        let answer = app.session.doctor(&query)?;
        Ok(Answer::of(answer.json(), answer.notices))
    })
    .await
}
