//! `azroute serve`: binding (loopback unless remote access is asked for), the routes of the
//! application, and the runtime that serves them until the process ends.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use azroute_query::{ErrorKind, QueryError, Session};

use crate::api::{self, App};
use crate::{assets, guard};

/// Where `azroute serve` listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8077";

/// How the server is reached.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    /// Listening on an address other than loopback exposes the estate to the network; it must
    /// be asked for.
    pub allow_remote: bool,
}

/// Why the server cannot start, with what to do about it.
#[derive(Debug)]
pub struct ServeError {
    pub message: String,
    pub hint: Option<String>,
}

/// A bound, not yet serving, server.
pub struct Server {
    listener: std::net::TcpListener,
    address: SocketAddr,
    /// Set when the address is not loopback: the warning the command prints.
    pub warning: Option<String>,
}

impl Server {
    /// Binds `config.listen`; a non-loopback address needs `allow_remote`.
    pub fn bind(config: &ServeConfig) -> Result<Server, ServeError> {
        let ip = config.listen.ip();
        if !ip.is_loopback() && !config.allow_remote {
            return Err(ServeError {
                message: format!(
                    "--listen {} is not a loopback address: anyone who can reach it could read the estate",
                    config.listen
                ),
                hint: Some("add --allow-remote to serve it to the network anyway, or listen on 127.0.0.1".to_string()),
            });
        }
        let listener = std::net::TcpListener::bind(config.listen).map_err(|err| ServeError {
            message: format!("cannot listen on {}: {err}", config.listen),
            hint: Some("choose another port with --listen 127.0.0.1:PORT (port 0 picks a free one)".to_string()),
        })?;
        let address = listener.local_addr().map_err(|err| ServeError {
            message: format!("cannot read the address bound for {}: {err}", config.listen),
            hint: None,
        })?;
        let warning = (!ip.is_loopback()).then(|| {
            format!(
                "serving on {address}, which is not loopback: anyone who can reach it can read every resource of \
                 this estate (there is no authentication); requests must name {address} as their Host"
            )
        });
        Ok(Server { listener, address, warning })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The page's address.
    pub fn url(&self) -> String {
        let host = match self.address.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
            ip if ip.is_unspecified() => "[::1]".to_string(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        format!("http://{host}:{}/", self.address.port())
    }

    /// Serves `session` until the process ends. The session lives as long as the process.
    pub fn run(self, session: &'static Session<'static>, estate: &str) -> Result<(), ServeError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .build()
            .map_err(|err| ServeError { message: format!("cannot start the server: {err}"), hint: None })?;
        let app = App::new(session, estate);
        let address = self.address;
        runtime
            .block_on(async move {
                self.listener.set_nonblocking(true)?;
                let listener = tokio::net::TcpListener::from_std(self.listener)?;
                axum::serve(listener, router(app, address)).await
            })
            .map_err(|err| ServeError { message: format!("the server stopped: {err}"), hint: None })
    }
}

/// Every route of the application, behind the guard.
pub fn router(app: Arc<App>, bound: SocketAddr) -> Router {
    Router::new()
        .route("/", get(api::index))
        .route("/assets/{*path}", get(assets::serve))
        .route("/api/topology", get(api::topology))
        .route("/api/routes", get(api::routes))
        .route("/api/next-hop", get(api::next_hop))
        .route("/api/trace", get(api::trace))
        .route("/api/reach", get(api::reach))
        .route("/api/reach-grid", get(api::reach_grid))
        .route("/api/reach-cell", get(api::reach_cell))
        .route("/api/doctor", get(api::doctor))
        .fallback(not_found)
        .with_state(app)
        .layer(axum::middleware::from_fn(move |request, next| guard::guard(bound, request, next)))
}

async fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, "NotFound", "no such page or endpoint", Some("the page is at /"))
}

/// `{"error": {"code", "message", "hint"}}`, shaped like Azure's own error responses.
pub fn error_response(status: StatusCode, code: &str, message: &str, hint: Option<&str>) -> Response {
    let mut error = serde_json::json!({"code": code, "message": message});
    if let Some(hint) = hint {
        error["hint"] = serde_json::json!(hint);
    }
    json_response(status, serde_json::to_vec_pretty(&serde_json::json!({ "error": error })).unwrap_or_default())
}

/// A query error as 400 (a malformed question) or 404 (something the snapshot lacks).
pub fn query_error(err: &QueryError) -> Response {
    let (status, code) = match err.kind {
        ErrorKind::Invalid => (StatusCode::BAD_REQUEST, "InvalidQuery"),
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, "NotFound"),
    };
    error_response(status, code, &err.message, err.hint.as_deref())
}

pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
