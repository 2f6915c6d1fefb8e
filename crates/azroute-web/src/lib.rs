//! azroute's web page: `azroute serve`, a local, read-only server of the page and of a JSON API
//! that returns exactly what the command line's `-o json` prints (both ask the query layer), and
//! `azroute report`, the same page as one self-contained HTML file.
//!
//! Security, by construction: the server binds loopback unless remote access is asked for,
//! answers only requests whose `Host` names it (no DNS rebinding), sends no CORS headers, serves
//! only its embedded files, refuses malformed or oversized questions with a 400, and never
//! writes anything.

#![forbid(unsafe_code)]

mod api;
mod assets;
mod guard;
mod params;
mod report;
mod server;

pub use api::{MAX_GRID_CELLS, MAX_REACH_CELLS};
pub use assets::asset_paths;
pub use guard::{MAX_URI_BYTES, host_allowed};
pub use params::{ENDPOINTS, Endpoint, MAX_QUERY_BYTES};
pub use report::{MAX_TRACED_CELLS, standalone_report};
pub use server::{DEFAULT_LISTEN, ServeConfig, ServeError, Server};
