//! The page's files, embedded in the binary so that it works with no network access: the HTML
//! template, the style sheet, the scripts (plain JavaScript, no build step) and the vendored
//! Cytoscape.js with its licence. The server links them; `azroute report` inlines them.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::server::error_response;

/// One embedded file.
pub struct Asset {
    /// Its path below `/assets/`.
    pub path: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $type:literal) => {
        Asset { path: $path, content_type: $type, bytes: include_bytes!(concat!("../assets/", $path)) }
    };
}

/// Every file the server serves below `/assets/`; nothing else is served from there.
pub const ASSETS: &[Asset] = &[
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("js/util.js", "text/javascript; charset=utf-8"),
    asset!("js/data.js", "text/javascript; charset=utf-8"),
    asset!("js/layout.js", "text/javascript; charset=utf-8"),
    asset!("js/graph.js", "text/javascript; charset=utf-8"),
    asset!("js/routes.js", "text/javascript; charset=utf-8"),
    asset!("js/path.js", "text/javascript; charset=utf-8"),
    asset!("js/reach.js", "text/javascript; charset=utf-8"),
    asset!("js/doctor.js", "text/javascript; charset=utf-8"),
    asset!("js/app.js", "text/javascript; charset=utf-8"),
    asset!("vendor/cytoscape.min.js", "text/javascript; charset=utf-8"),
    asset!("vendor/cytoscape.LICENSE.txt", "text/plain; charset=utf-8"),
];

/// The scripts, in the order the page loads them.
const SCRIPTS: &[&str] = &[
    "vendor/cytoscape.min.js",
    "js/util.js",
    "js/data.js",
    "js/layout.js",
    "js/graph.js",
    "js/routes.js",
    "js/path.js",
    "js/reach.js",
    "js/doctor.js",
    "js/app.js",
];

const TEMPLATE: &str = include_str!("../assets/page.html");

/// The paths below `/assets/` the server answers.
pub fn asset_paths() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|a| a.path)
}

pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

/// `GET /assets/PATH`: an embedded file, or 404.
pub async fn serve(Path(path): Path<String>) -> Response {
    let Some(asset) = find(&path) else {
        return error_response(StatusCode::NOT_FOUND, "NotFound", "no such asset", None);
    };
    let mut response = asset.bytes.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    response
}

/// Text for HTML, element content or attribute value.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn fill(estate: &str, mode: &str, head: &str, body: &str) -> String {
    TEMPLATE
        .replace("{{estate}}", &escape_html(estate))
        .replace("{{mode}}", mode)
        .replace("<!--azroute:head-->", head)
        .replace("<!--azroute:body-->", body)
}

/// The page as the server sends it: files linked below `/assets/`, data fetched from `/api/`.
pub fn page(estate: &str) -> Response {
    let head = "<link rel=\"stylesheet\" href=\"/assets/app.css\">".to_string();
    let body: String = SCRIPTS.iter().map(|s| format!("<script src=\"/assets/{s}\"></script>\n")).collect();
    let mut response = fill(estate, "serve", &head, &body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// Text inside a `<script>` or `<style>` element: only `</script` or `</style` (in any case)
/// would close it, so `</` followed by those letters is written `<\/` (the same text to
/// JavaScript inside a string, the only place it can occur).
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("</") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let closes =
            ["script", "style"].iter().any(|tag| after.get(..tag.len()).is_some_and(|t| t.eq_ignore_ascii_case(tag)));
        out.push_str(if closes { "<\\/" } else { "</" });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The page as one file: style, scripts, the libraries' licences and `data` (JSON) inlined.
pub fn standalone(estate: &str, data_json: &str) -> String {
    let text = |path: &str| find(path).map(|a| String::from_utf8_lossy(a.bytes).into_owned()).unwrap_or_default();
    let head = format!("<style>\n{}</style>", inline(&text("app.css")));
    let mut body = format!(
        "<script type=\"application/json\" id=\"azroute-data\">{}</script>\n",
        data_json.replace('<', "\\u003c")
    );
    body.push_str(&format!(
        "<!-- Cytoscape.js, embedded below, is distributed under this licence:\n{}-->\n",
        text("vendor/cytoscape.LICENSE.txt").replace("--", "- -")
    ));
    for script in SCRIPTS {
        body.push_str(&format!("<script>\n{}\n</script>\n", inline(&text(script))));
    }
    fill(estate, "report", &head, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_is_an_asset_and_every_asset_is_used() {
        for s in SCRIPTS {
            assert!(find(s).is_some(), "{s}");
        }
        for a in ASSETS {
            assert!(
                SCRIPTS.contains(&a.path) || a.path == "app.css" || a.path.ends_with("LICENSE.txt"),
                "{} is embedded but not used",
                a.path
            );
            assert!(!a.bytes.is_empty(), "{}", a.path);
        }
    }

    #[test]
    fn the_licence_ships_beside_the_library() {
        let licence = String::from_utf8_lossy(find("vendor/cytoscape.LICENSE.txt").unwrap().bytes).into_owned();
        assert!(licence.contains("Permission is hereby granted"), "{licence}");
        assert!(licence.contains("The Cytoscape Consortium"));
    }

    #[test]
    fn inlined_data_cannot_close_its_element() {
        let page = standalone("x</title><script>alert(1)</script>", r#"{"name": "</script><script>alert(1)"}"#);
        assert!(!page.contains("alert(1)</script>"), "escaped");
        assert!(page.contains("x&lt;/title&gt;"));
        assert_eq!(page.matches("<script type=\"application/json\"").count(), 1);
    }
}
