//! One input file: reading it safely and recognising its envelope (a bare list, `{"value": …}`,
//! Resource Graph `{"data": …}`, a REST spec example, the Service Tags file, a learned-routes
//! wrapper, a single resource, or Terraform JSON, which `terraform/` reads).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diag::Diagnostic;
use crate::dto::*;
use crate::pending::Pending;

/// Parses the text of one file into `pending`.
///
/// The envelope is read in one streaming pass; each resource object is first captured as raw
/// text and then read into typed structs, so a malformed resource is reported with its JSON
/// path and skipped without losing the rest of the file, and an unmodelled resource type whose
/// fields do not fit azroute's structs is skipped silently.
pub(crate) fn parse_text(text: &str, pending: &mut Pending) -> Result<(), Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("EmptyFile", "the file is empty")
            .hint("an export that failed half-way can leave an empty file; export it again or remove it"));
    }
    process(text, "$", pending, text).map_err(|err| describe_error(text, err))
}

/// What the top level of a text turned out to be.
enum Shape {
    /// One of the envelopes (a list, `value`, `data`, Service Tags, …); already processed.
    Envelope,
    /// A single resource object: process the whole text as one resource.
    Resource,
    /// An object that is neither (an API result such as a next-hop answer).
    Other,
    /// `terraform show -json` of a state or plan, or a raw `terraform.tfstate`: the whole text
    /// is read again by `terraform::parse`.
    Terraform,
}

/// Processes one JSON text (a file, or the body of a REST example).
///
/// First optimistically in one pass, each resource read straight into its typed struct; if
/// anything in the text fails, the text is read again resource by resource (each captured raw
/// first), so that a bad resource costs only itself and is reported with its JSON path. Both
/// passes give the same result for a text without errors.
fn process(text: &str, path: &str, pending: &mut Pending, file_text: &str) -> Result<(), serde_json::Error> {
    let mut fast = Pending::new(pending.file, &pending.file_path);
    if process_in(text, path, &mut fast, file_text, true).is_ok() {
        if pending.is_empty() {
            // The usual case (a whole file): take the results instead of copying them.
            *pending = fast;
        } else {
            pending.absorb(fast);
        }
        return Ok(());
    }
    process_in(text, path, pending, file_text, false)
}

fn process_in(
    text: &str,
    path: &str,
    pending: &mut Pending,
    file_text: &str,
    fast: bool,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let shape =
        (&mut de).deserialize_any(FileVisitor { pending: &mut *pending, path: path.to_string(), file_text, fast })?;
    de.end()?;
    match shape {
        Shape::Resource => resource_raw(text, path, pending, file_text),
        Shape::Other => pending.untyped_objects += 1,
        Shape::Envelope => {}
        Shape::Terraform => crate::terraform::parse(text, path, pending),
    }
    Ok(())
}

azure_object! {
    /// Just enough of a resource to know whether azroute models its type.
    pub struct TypePeekDto<'a> {
        id: Str<'a> = "id",
        resource_type: Str<'a> = "type",
    }
}

/// Reads one resource from its raw text.
fn resource_raw(raw: &str, path: &str, pending: &mut Pending, file_text: &str) {
    match serde_json::from_str::<ResourceDto<'_>>(raw) {
        Ok(dto) => pending.resource(&dto, path),
        Err(err) => {
            let (id, resource_type) = match serde_json::from_str::<TypePeekDto<'_>>(raw) {
                Ok(p) => (p.id.map(|id| id.as_str().to_string()), p.resource_type.map(|t| t.as_str().to_string())),
                Err(_) => top_level_id_and_type(raw),
            };
            let ty = resource_type
                .map(|t| t.to_ascii_lowercase())
                .or_else(|| id.as_deref().and_then(crate::values::type_from_id));
            match ty {
                None => pending.untyped_objects += 1,
                Some(t) if !crate::values::is_modelled_type(&t) => {
                    *pending.skipped_types.entry(t).or_default() += 1;
                }
                Some(_) => {
                    let inner = serde_path_to_error::deserialize::<_, ResourceDto<'_>>(
                        &mut serde_json::Deserializer::from_str(raw),
                    )
                    .err()
                    .map(|e| e.path().to_string())
                    .filter(|p| !p.is_empty() && p != "." && p != "?");
                    let json_path = match inner {
                        Some(inner) => format!("{path}.{inner}"),
                        None => path.to_string(),
                    };
                    let id = id.unwrap_or_default();
                    let message = err.to_string();
                    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
                    let location = absolute_location(file_text, raw, err.line(), err.column());
                    let d = Diagnostic::error("WrongType", format!("{message}{location}"))
                        .in_file(pending.file_path.clone())
                        .at(json_path)
                        .resource(id)
                        .hint("a field has a different type than Azure writes; was the file edited by hand? The resource was skipped");
                    pending.diagnostics.push(d);
                }
            }
        }
    }
}

/// The top-level `id` and `type` strings of a resource that does not fit even [`TypePeekDto`]
/// (its `properties` is not an object, its `id` not a string, …). Without this fallback such a
/// resource was counted as an untyped object and vanished without a diagnostic (fuzz finding:
/// a VNet with `"properties": [1]`).
fn top_level_id_and_type(raw: &str) -> (Option<String>, Option<String>) {
    let Ok(fields) = serde_json::from_str::<std::collections::BTreeMap<String, &serde_json::value::RawValue>>(raw)
    else {
        return (None, None);
    };
    let text = |key: &str| {
        fields
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .find_map(|(_, v)| serde_json::from_str::<String>(v.get()).ok())
    };
    (text("id"), text("type"))
}

/// ` (line L column C)` of a position inside `raw`, counted in the whole file when `raw` is a
/// slice of it.
pub(crate) fn absolute_location(file_text: &str, raw: &str, line: usize, column: usize) -> String {
    let file_start = file_text.as_ptr() as usize;
    let raw_start = raw.as_ptr() as usize;
    if raw_start < file_start || raw_start + raw.len() > file_start + file_text.len() {
        return String::new();
    }
    let before = &file_text[..raw_start - file_start];
    let base_line = before.matches('\n').count() + 1;
    let base_col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0);
    let (abs_line, abs_col) = if line <= 1 { (base_line, base_col + column) } else { (base_line + line - 1, column) };
    format!(" (line {abs_line} column {abs_col})")
}

/// Turns an envelope-level parse error into a diagnostic; re-parses with path tracking to name
/// the JSON path.
fn describe_error(text: &str, err: serde_json::Error) -> Diagnostic {
    let mut scratch = Pending::default();
    let mut track = serde_path_to_error::Track::new();
    let mut inner = serde_json::Deserializer::from_str(text);
    let tracked = serde_path_to_error::Deserializer::new(&mut inner, &mut track);
    let _ = tracked.deserialize_any(FileVisitor {
        pending: &mut scratch,
        path: "$".to_string(),
        file_text: text,
        fast: false,
    });
    let path = track.path().to_string();
    let location = format!("line {} column {}", err.line(), err.column());
    let message = err.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    let (code, hint) = match err.classify() {
        serde_json::error::Category::Eof => (
            "TruncatedJson",
            "the file ends in the middle of a JSON value; the download or export was probably cut off",
        ),
        serde_json::error::Category::Syntax => {
            if message.contains("recursion limit") {
                ("NestingTooDeep", "the JSON is nested deeper than any Azure export; is this the right file?")
            } else {
                (
                    "InvalidJson",
                    "this is not valid JSON; check that the file is an az CLI, REST or Resource Graph export",
                )
            }
        }
        serde_json::error::Category::Data => {
            ("WrongType", "a field has a different type than Azure writes; was the file edited by hand?")
        }
        serde_json::error::Category::Io => ("ReadError", "the file could not be read"),
    };
    let json_path = if path.is_empty() || path == "." || path == "?" { "$".to_string() } else { format!("$.{path}") };
    Diagnostic::error(code, format!("{message} ({location})")).at(json_path).hint(hint)
}

/// The top level of a file.
struct FileVisitor<'p, 't> {
    pending: &'p mut Pending,
    path: String,
    file_text: &'t str,
    /// Read resources straight into typed structs (see [`process`]).
    fast: bool,
}

impl<'de> Visitor<'de> for FileVisitor<'_, '_> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or list of Azure resources")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
        read_resource_list(seq, self.pending, &self.path, self.file_text, self.fast)?;
        Ok(Shape::Envelope)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut top = TopLevel::default();
        while let Some(key) = next_key(&mut map)? {
            top.read(key.as_str(), &mut map, self.pending, &self.path, self.file_text, self.fast)?;
        }
        top.finish(self.pending, &self.path, self.file_text)
    }
}

/// What the keys of a top-level object said, read in one pass (their order is free).
#[derive(Default)]
struct TopLevel<'de> {
    envelope: bool,
    resource_keys: bool,
    tags: Option<Vec<ServiceTagDto<'de>>>,
    change_number: i64,
    cloud: String,
    gateway_id: Option<String>,
    /// `bgpConnectionId` of a Route Server learned-routes wrapper.
    bgp_connection_id: Option<String>,
    /// `learnedRoutes`, each route with the Route Server instance that reported it (empty for
    /// a flat list).
    learned: Option<Vec<(String, LearnedRouteDto<'de>)>>,
    /// The hub effective-routes wrapper (§20.5): `virtualHubId`, `resourceId`, `effectiveRoutes`.
    virtual_hub_id: Option<String>,
    hub_resource_id: Option<String>,
    effective_routes: Option<&'de serde_json::value::RawValue>,
    truncated: bool,
    more_pages: bool,
    /// The resources came under `value` (an ARM or AVNM `list…` answer) rather than `data`
    /// (Resource Graph).
    value_list: bool,
    responses: Vec<(String, &'de serde_json::value::RawValue)>,
    terraform: bool,
    error_body: Option<&'de serde_json::value::RawValue>,
    /// `virtualNetworkId` of an AVNM effective-answer wrapper (§18.6).
    virtual_network_id: Option<String>,
    /// `effectiveConnectivityConfigurations` (true) or `effectiveSecurityAdminRules` (false).
    avnm_effective: Vec<(bool, &'de serde_json::value::RawValue)>,
}

impl<'de> TopLevel<'de> {
    /// Reads the value of one key (lists of resources straight into `pending`).
    fn read<A: MapAccess<'de>>(
        &mut self,
        k: &str,
        map: &mut A,
        pending: &mut Pending,
        base: &str,
        file_text: &str,
        fast: bool,
    ) -> Result<(), A::Error> {
        let is = |name: &str| k.eq_ignore_ascii_case(name);
        if is("value") || is("data") {
            self.envelope = true;
            self.value_list = is("value");
            let path = format!("{base}.{k}");
            map.next_value_seed(ListSeed { pending, path, file_text, allow_table: is("data"), fast })?;
        } else if is("values") {
            self.envelope = true;
            match map.next_value_seed(ValuesSeed { path: format!("{base}.values") })? {
                Values::Tags(list) => self.tags = Some(list),
                // Terraform's values representation (`{"root_module": …}`).
                Values::Object => self.terraform = true,
            }
        } else if is("changeNumber") {
            self.change_number = map.next_value::<Option<i64>>()?.unwrap_or(0);
        } else if is("cloud") {
            self.cloud = map.next_value::<Option<Str<'de>>>()?.map(|c| c.as_str().to_string()).unwrap_or_default();
        } else if is("gatewayId") {
            self.gateway_id = map.next_value::<Option<Str<'de>>>()?.map(|g| g.as_str().to_string());
            self.envelope = true;
        } else if is("bgpConnectionId") {
            self.bgp_connection_id = map.next_value::<Option<Str<'de>>>()?.map(|g| g.as_str().to_string());
            self.envelope = true;
        } else if is("learnedRoutes") {
            self.envelope = true;
            self.learned = Some(map.next_value_seed(LearnedSeed)?);
        } else if is("virtualNetworkId") {
            self.virtual_network_id = map.next_value::<Option<Str<'de>>>()?.map(|g| g.as_str().to_string());
            self.envelope = true;
        } else if is("effectiveConnectivityConfigurations") || is("effectiveSecurityAdminRules") {
            self.envelope = true;
            self.avnm_effective.push((is("effectiveConnectivityConfigurations"), map.next_value()?));
        } else if is("virtualHubId") {
            self.virtual_hub_id = map.next_value::<Option<Str<'de>>>()?.map(|g| g.as_str().to_string());
            self.envelope = true;
        } else if is("effectiveRoutes") {
            self.effective_routes = map.next_value()?;
        } else if is("resourceId") {
            // A flattened AVNM static member has a top-level `resourceId` too: kept only for the
            // hub effective-routes wrapper, without deciding the shape.
            self.hub_resource_id = map.next_value::<Option<Str<'de>>>()?.map(|g| g.as_str().to_string());
        } else if is("responses") {
            self.envelope = true;
            self.responses = map.next_value_seed(ResponsesSeed)?;
        } else if is("error") {
            self.error_body = Some(map.next_value()?);
        } else if is("resultTruncated") {
            self.truncated = map.next_value::<Option<Flag>>()?.is_some_and(|f| f.0);
        } else if is("$skipToken") || is("skip_token") || is("skipToken") {
            self.more_pages = map.next_value::<Option<Str<'de>>>()?.is_some_and(|t| !t.as_str().is_empty());
        } else if TERRAFORM_KEYS.iter().any(|t| is(t)) {
            // Terraform JSON (`terraform show -json`, or a raw state file): recognised here,
            // read by `terraform::parse` once the whole envelope is known.
            self.terraform = true;
            skip(map)?;
        } else {
            if is("id") || is("type") || is("properties") {
                self.resource_keys = true;
            }
            skip(map)?;
        }
        Ok(())
    }

    /// What the object was, with what only the whole object tells (Service Tags, learned
    /// routes, a REST example's body, a truncated Resource Graph page, an error response).
    fn finish<E: de::Error>(self, pending: &mut Pending, base: &str, file_text: &str) -> Result<Shape, E> {
        if self.terraform {
            return Ok(Shape::Terraform);
        }
        if !self.envelope
            && !self.resource_keys
            && let Some(error) = self.error_body.and_then(azure_error)
        {
            pending.diagnostics.push(error.in_file(pending.file_path.clone()).at(format!("{base}.error")));
            return Ok(Shape::Envelope);
        }
        if let Some(tags) = self.tags {
            pending.service_tags(tags, self.change_number, self.cloud, base);
        }
        match (self.gateway_id, self.bgp_connection_id, self.learned) {
            (Some(id), None, Some(routes)) => {
                pending.learned_routes(id, routes.into_iter().map(|(_, r)| r).collect(), base)
            }
            (None, Some(id), Some(routes)) if crate::arm_hub::is_bgp_connection_id(&id) => {
                pending.hub_learned_routes(id, routes, base)
            }
            (None, Some(id), Some(_)) => pending.hub_learned_routes_misnamed(&id, base),
            (Some(_), Some(_), Some(_)) => pending.diagnostics.push(
                Diagnostic::error(
                    "LearnedRoutesAmbiguous",
                    "a learned-routes file names both `gatewayId` and `bgpConnectionId`",
                )
                .in_file(pending.file_path.clone())
                .at(base.to_string())
                .hint("keep `gatewayId` for `az network vnet-gateway list-learned-routes` output, `bgpConnectionId` for `az network routeserver peering list-learned-routes` output"),
            ),
            (None, None, Some(_)) => pending.diagnostics.push(
                Diagnostic::error("LearnedRoutesWithoutGateway", "a learned-routes file must name its gateway in `gatewayId`")
                    .in_file(pending.file_path.clone())
                    .at(base.to_string())
                    .hint("wrap the output of `az network vnet-gateway list-learned-routes` as {\"gatewayId\": \"<gateway id>\", \"learnedRoutes\": <output>}"),
            ),
            _ => {}
        }
        for (connectivity, raw) in &self.avnm_effective {
            let key = if *connectivity { "effectiveConnectivityConfigurations" } else { "effectiveSecurityAdminRules" };
            match &self.virtual_network_id {
                Some(vnet) => pending.avnm_effective(vnet, *connectivity, raw.get(), &format!("{base}.{key}")),
                None => pending.diagnostics.push(
                    Diagnostic::error(
                        "AvnmEffectiveWithoutVnet",
                        "an effective AVNM answer must name its VNet in `virtualNetworkId`",
                    )
                    .in_file(pending.file_path.clone())
                    .at(base.to_string())
                    .hint(format!("wrap the output as {{\"virtualNetworkId\": \"<VNet id>\", \"{key}\": <output>}}")),
                ),
            }
        }
        hub_effective_routes(&self.virtual_hub_id, &self.hub_resource_id, self.effective_routes, pending, base);
        if let Some((status, body)) = self.responses.iter().reduce(|first, r| if r.0 < first.0 { r } else { first }) {
            // A REST spec example: use the 200 body, else the 201 body (the two can disagree).
            let mut part = Pending::new(pending.file, &pending.file_path);
            let path = format!("{base}.responses.{status}.body");
            process(body.get(), &path, &mut part, file_text).map_err(E::custom)?;
            pending.absorb(part);
        }
        if self.more_pages && self.value_list && !self.truncated {
            pending.diagnostics.push(
                crate::arm_avnm::list_incomplete("this AVNM `list…` answer")
                    .in_file(pending.file_path.clone())
                    .at(base.to_string()),
            );
        } else if self.truncated || self.more_pages {
            pending.diagnostics.push(
                Diagnostic::warning(
                    "ResourceGraphIncomplete",
                    "this Resource Graph result is one page of a longer answer; resources on other pages are missing",
                )
                .in_file(pending.file_path.clone())
                .hint("page with `az graph query --first 1000 --skip-token …` and save every page into the snapshot"),
            );
        }
        Ok(if self.envelope {
            Shape::Envelope
        } else if self.resource_keys {
            Shape::Resource
        } else {
            Shape::Other
        })
    }
}

/// The hub effective-routes wrapper, when the object is one (§20.5).
fn hub_effective_routes(
    hub: &Option<String>,
    resource: &Option<String>,
    routes: Option<&serde_json::value::RawValue>,
    pending: &mut Pending,
    base: &str,
) {
    let result = match (hub, routes) {
        (Some(hub), Some(routes)) => crate::observed_hub::hub_effective_routes(
            hub,
            resource.as_deref(),
            routes.get(),
            base,
            pending.origin(base),
        ),
        (Some(_), None) => Err(crate::observed_hub::incomplete_wrapper(true, base)),
        // `effectiveRoutes` alone is a NIC's wrapper, read by `azroute verify`, not a snapshot.
        (None, _) => return,
    };
    match result {
        Ok(observed) => pending.observed_hub_routes.push(observed),
        Err(d) => pending.diagnostics.push(d.in_file(pending.file_path.clone())),
    }
}

/// Top-level keys of Terraform JSON.
const TERRAFORM_KEYS: [&str; 6] =
    ["format_version", "terraform_version", "planned_values", "resource_changes", "prior_state", "lineage"];

/// An Azure error response (`{"error": {"code": …, "message": …}}`, what az and ARM print when
/// a call fails) saved instead of an export: an error naming its code and message.
fn azure_error(raw: &serde_json::value::RawValue) -> Option<Diagnostic> {
    let body: serde_json::Value = serde_json::from_str(raw.get()).ok()?;
    let field = |name: &str| body.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?.1.as_str();
    let code = field("code")?;
    let message = field("message").unwrap_or("");
    Some(
        Diagnostic::error(
            "AzureErrorResponse",
            format!("the file holds an Azure error response, not an export: {code}: {message}"),
        )
        .hint("the az or REST call that wrote it failed; fix its cause (for AuthorizationFailed, the Reader role on the subscription) and export again"),
    )
}

fn read_resource_list<'de, A: SeqAccess<'de>>(
    mut seq: A,
    pending: &mut Pending,
    base: &str,
    file_text: &str,
    fast: bool,
) -> Result<(), A::Error> {
    let mut i = 0usize;
    if fast {
        let mut item_path = String::with_capacity(base.len() + 8);
        while let Some(item) = seq.next_element::<Option<ResourceDto<'de>>>()? {
            if let Some(dto) = item {
                use std::fmt::Write;
                item_path.clear();
                let _ = write!(item_path, "{base}[{i}]");
                pending.resource(&dto, &item_path);
            }
            i += 1;
        }
        return Ok(());
    }
    while let Some(item) = seq.next_element::<Option<&'de serde_json::value::RawValue>>()? {
        if let Some(raw) = item {
            resource_raw(raw.get(), &format!("{base}[{i}]"), pending, file_text);
        }
        i += 1;
    }
    Ok(())
}

/// `value` / `data`: a list of resources; `data` may also be Resource Graph's table format.
struct ListSeed<'p, 't> {
    pending: &'p mut Pending,
    path: String,
    file_text: &'t str,
    /// Resource Graph's table format is allowed under `data` only.
    allow_table: bool,
    fast: bool,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of resources at `{}`", self.path)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        read_resource_list(seq, self.pending, &self.path, self.file_text, self.fast)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    /// Resource Graph's table format: `{"columns": [{"name": …}], "rows": [[…], …]}`.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if !self.allow_table {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        let mut columns: Option<Vec<String>> = None;
        while let Some(key) = next_key(&mut map)? {
            if key.as_str().eq_ignore_ascii_case("columns") {
                let cols: Vec<ColumnDto<'de>> = map.next_value()?;
                columns = Some(
                    cols.into_iter().map(|c| c.name.map(|n| n.as_str().to_string()).unwrap_or_default()).collect(),
                );
            } else if key.as_str().eq_ignore_ascii_case("rows") {
                let Some(cols) = columns.as_ref() else {
                    return Err(de::Error::custom(format!(
                        "`{}.rows` comes before `columns`; azroute needs the column names first",
                        self.path
                    )));
                };
                let rows: Vec<Vec<&'de serde_json::value::RawValue>> = map.next_value()?;
                for (i, row) in rows.iter().enumerate() {
                    // Rebuild the row as the object its columns describe.
                    let mut object = String::from("{");
                    for (j, (col, value)) in cols.iter().zip(row.iter()).enumerate() {
                        if j > 0 {
                            object.push(',');
                        }
                        object.push_str(&serde_json::to_string(col).map_err(de::Error::custom)?);
                        object.push(':');
                        object.push_str(value.get());
                    }
                    object.push('}');
                    resource_raw(&object, &format!("{}.rows[{i}]", self.path), self.pending, self.file_text);
                }
            } else {
                skip(&mut map)?;
            }
        }
        Ok(())
    }
}

azure_object! {
    /// A column of Resource Graph's table format.
    pub struct ColumnDto<'a> {
        name: Str<'a> = "name",
    }
}

/// `values` of the Service Tags file (a list), or Terraform's values representation (an object).
struct ValuesSeed {
    path: String,
}

enum Values<'de> {
    Tags(Vec<ServiceTagDto<'de>>),
    /// An object: Terraform's `values`; skipped here.
    Object,
}

impl<'de> DeserializeSeed<'de> for ValuesSeed {
    type Value = Values<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValuesSeed {
    type Value = Values<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the list of service tags (or Terraform's `root_module` object) at `{}`", self.path)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(tag) = seq.next_element::<Option<ServiceTagDto<'de>>>()? {
            out.extend(tag);
        }
        Ok(Values::Tags(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while next_key(&mut map)?.is_some() {
            skip(&mut map)?;
        }
        Ok(Values::Object)
    }
}

/// `learnedRoutes`: the verbatim `list-learned-routes` output: a list, `{"value": [...]}`, or
/// Route Server's map keyed by instance (`{"RouteServiceRole_IN_0": [...], "value": null}`,
/// §19.1). Each route comes with its instance key (empty outside such a map).
struct LearnedSeed;

impl<'de> DeserializeSeed<'de> for LearnedSeed {
    type Value = Vec<(String, LearnedRouteDto<'de>)>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LearnedSeed {
    type Value = Vec<(String, LearnedRouteDto<'de>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the output of `list-learned-routes` (a list, {\"value\": [...]}, or a map keyed RouteServiceRole_IN_0 / RouteServiceRole_IN_1)")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(r) = seq.next_element::<Option<LearnedRouteDto<'de>>>()? {
            out.extend(r.map(|r| (String::new(), r)));
        }
        Ok(out)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = next_key(&mut map)? {
            let key = key.as_str();
            if key.eq_ignore_ascii_case("value") {
                out.extend(map.next_value_seed(LearnedSeed)?);
            } else if key.to_ascii_lowercase().starts_with("routeservicerole") {
                let routes = map.next_value_seed(LearnedSeed)?;
                out.extend(routes.into_iter().map(|(_, r)| (key.to_string(), r)));
            } else {
                skip(&mut map)?;
            }
        }
        Ok(out)
    }
}

/// `responses` of a REST API spec example: status code → the raw `body` of 200 and 201.
struct ResponsesSeed;

impl<'de> DeserializeSeed<'de> for ResponsesSeed {
    type Value = Vec<(String, &'de serde_json::value::RawValue)>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResponsesSeed {
    type Value = Vec<(String, &'de serde_json::value::RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the responses of a REST API example")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = next_key(&mut map)? {
            let status = key.as_str().to_string();
            if status == "200" || status == "201" {
                let response: ResponseDto<'de> = map.next_value()?;
                if let Some(body) = response.body {
                    out.push((status, body));
                }
            } else {
                skip(&mut map)?;
            }
        }
        Ok(out)
    }
}

/// One response of a REST API example.
#[derive(serde::Deserialize)]
struct ResponseDto<'a> {
    #[serde(borrow)]
    body: Option<&'a serde_json::value::RawValue>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Pending, Diagnostic> {
        let mut p = Pending::new(0, "test.json");
        parse_text(text, &mut p).map(|()| p)
    }

    #[test]
    fn envelopes_are_recognised() {
        let vnet = r#"{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"Microsoft.Network/virtualNetworks","addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}"#;
        assert_eq!(parse(vnet).unwrap().vnets.len(), 1);
        assert_eq!(parse(&format!("[{vnet}]")).unwrap().vnets.len(), 1);
        assert_eq!(parse(&format!(r#"{{"value":[{vnet}],"nextLink":null}}"#)).unwrap().vnets.len(), 1);
        assert_eq!(parse(&format!(r#"{{"count":1,"data":[{vnet}]}}"#)).unwrap().vnets.len(), 1);
        let example = format!(r#"{{"parameters":{{}},"responses":{{"200":{{"body":{vnet}}},"202":{{}}}}}}"#);
        assert_eq!(parse(&example).unwrap().vnets.len(), 1);
    }

    #[test]
    fn resource_graph_table_format() {
        let text = r#"{"data":{"columns":[{"name":"id","type":"string"},{"name":"type","type":"string"},{"name":"properties","type":"object"}],
            "rows":[["/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/routeTables/rt","microsoft.network/routetables",{"routes":[]}]]}}"#;
        assert_eq!(parse(text).unwrap().route_tables.len(), 1);
    }

    #[test]
    fn value_that_is_not_a_list_names_its_path() {
        let err = parse(r#"{"value": 5}"#).unwrap_err();
        assert_eq!(err.code, "WrongType");
        assert!(err.message.contains("list of resources"), "{}", err.message);
    }

    #[test]
    fn truncated_and_empty_files() {
        assert_eq!(parse(r#"[{"id": "x", "#).unwrap_err().code, "TruncatedJson");
        assert_eq!(parse("   ").unwrap_err().code, "EmptyFile");
        assert_eq!(parse("not json").unwrap_err().code, "InvalidJson");
    }

    #[test]
    fn wrong_types_name_the_json_path() {
        let text = r#"{"value":[{"id":"/n","type":"Microsoft.Network/networkInterfaces","properties":{"enableIPForwarding":"yes"}}]}"#;
        // The malformed resource is reported and skipped; the rest of the file is still read.
        let text = text.replace("}}]}", "}},{\"id\":\"/r\",\"type\":\"Microsoft.Network/routeTables\"},{\"type\":\"Microsoft.Web/sites\",\"sku\":[1]}]}");
        let p = parse(&text).unwrap();
        let err = p.diagnostics.iter().find(|d| d.code == "WrongType").expect("a WrongType diagnostic");
        assert_eq!(err.json_path.as_deref(), Some("$.value[0].properties.enableIPForwarding"), "{err}");
        assert!(err.message.contains("line 1 column"), "{err}");
        assert_eq!(p.route_tables.len(), 1);
        // An unmodelled type whose fields do not fit is skipped silently.
        assert_eq!(p.skipped_types.get("microsoft.web/sites"), Some(&1));
        assert_eq!(p.diagnostics.len(), 1);
    }

    /// Fuzz finding (target `ingest`): a modelled resource whose `properties` is not an object
    /// (or whose `id` is not a string) was counted as untyped and vanished without a word.
    #[test]
    fn a_resource_that_does_not_fit_the_type_peek_is_still_reported() {
        for (field, value, at) in [
            ("properties", "[1]", "$[0].properties"),
            ("properties", "\"x\"", "$[0].properties"),
            ("id", "5", "$[0].id"),
        ] {
            let mut fields = vec![
                ("id", "\"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v\""),
                ("type", "\"Microsoft.Network/virtualNetworks\""),
            ];
            fields.retain(|(k, _)| *k != field);
            fields.push((field, value));
            let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            let p = parse(&format!("[{{{}}}]", body.join(","))).unwrap();
            let err = p.diagnostics.iter().find(|d| d.code == "WrongType").expect("a WrongType diagnostic");
            assert_eq!(err.json_path.as_deref(), Some(at), "{err}");
            assert_eq!(p.untyped_objects, 0);
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        // Typed nesting stops after one `properties` level; deeper levels are skipped without
        // recursion, so an unterminated deep file is simply truncated.
        let text = format!("{{\"id\": \"x\", {}", "\"properties\": {".repeat(100_000));
        let err = parse(&text).unwrap_err();
        assert_eq!(err.code, "TruncatedJson");
        // Nesting inside skipped fields is skipped without recursion, however deep.
        let text = format!("{{\"id\": \"x\", \"tags\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&text).is_ok());
    }
}
