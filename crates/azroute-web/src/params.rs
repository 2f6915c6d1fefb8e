//! Query strings into the query layer's typed questions. Parameters are named as the command
//! line's flags without their dashes (`/api/next-hop?vm=vm-app1&dest-ip=8.8.8.8`); a flag that
//! takes no value is present (`explain`, `explain=true`) or not (`explain=false`). Anything
//! else is refused with the list of names each endpoint accepts: an unknown, repeated or
//! malformed parameter is a 400, never a silently different answer.

use std::str::FromStr;

use azroute_query::{
    DoctorQuery, NextHopQuery, Ports, Protocol, QueryError, ReachScope, RoutesQuery, Severity, TraceQuery, parse_ip,
};

/// The longest query string accepted (names and values of every question fit in far less).
pub const MAX_QUERY_BYTES: usize = 2048;

/// The most NVA paths a doctor request may ask to trace (`max-traces`).
pub const MAX_DOCTOR_TRACES: usize = 200_000;

/// What each JSON endpoint answers, the command it mirrors and the parameters it accepts (the
/// command's flags); the tests check every name against the command's `--help`.
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint { path: "/api/routes", command: Some("routes"), params: ROUTES },
    Endpoint { path: "/api/next-hop", command: Some("next-hop"), params: NEXT_HOP },
    Endpoint { path: "/api/trace", command: Some("trace"), params: TRACE },
    Endpoint { path: "/api/reach", command: Some("reach"), params: REACH },
    Endpoint { path: "/api/doctor", command: Some("doctor"), params: DOCTOR },
    Endpoint { path: "/api/topology", command: None, params: &[] },
    Endpoint { path: "/api/reach-grid", command: Some("reach"), params: REACH_SCOPE },
    Endpoint { path: "/api/reach-cell", command: None, params: REACH_CELL },
];

/// One JSON endpoint.
pub struct Endpoint {
    pub path: &'static str,
    /// The command whose `-o json` output it returns (or whose flags it takes).
    pub command: Option<&'static str>,
    pub params: &'static [&'static str],
}

const ROUTES: &[&str] = &["nic", "vm", "subnet", "explain"];
const NEXT_HOP: &[&str] = &["nic", "vm", "dest-ip", "source-ip", "explain"];
const TRACE: &[&str] = &["from", "to", "protocol", "port", "source-port", "assume-host", "fqdn"];
const REACH_SCOPE: &[&str] =
    &["from", "to", "no-on-premises", "no-internet", "internet-address", "protocol", "port", "source-port", "no-nsg"];
const REACH: &[&str] = &[
    "from",
    "to",
    "no-on-premises",
    "no-internet",
    "internet-address",
    "protocol",
    "port",
    "source-port",
    "no-nsg",
    "problems",
];
const REACH_CELL: &[&str] = &[
    "from",
    "to",
    "no-on-premises",
    "no-internet",
    "internet-address",
    "protocol",
    "port",
    "source-port",
    "no-nsg",
    "row",
    "column",
];
const DOCTOR: &[&str] = &["only", "severity", "max-traces"];

/// Flags of the commands that choose the model or the output, fixed when the server starts.
const SERVER_WIDE: &[&str] = &[
    "reserved-none-profile",
    "drop-reserved-none-routes-on-default-override",
    "se-routes-lpm-strict",
    "peering-access-false-semantics",
    "allow-forwarded-traffic-enforced",
    "subnet-peering-scope",
    "ipv6-system-routes",
    "snapshot",
    "example",
];

/// A decoded query string: each name once.
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decodes `query`, refusing one that is too long, repeats a name or names a parameter
    /// `accepted` does not list.
    pub fn parse(query: Option<&str>, accepted: &[&str]) -> Result<Params, QueryError> {
        let query = query.unwrap_or("");
        if query.len() > MAX_QUERY_BYTES {
            return Err(QueryError::invalid(format!(
                "the query string is {} bytes long; at most {MAX_QUERY_BYTES} are accepted",
                query.len()
            )));
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            // Decoding replaces bytes that are not UTF-8; such a question is refused, not guessed.
            if name.contains('\u{FFFD}') || value.contains('\u{FFFD}') {
                return Err(QueryError::invalid(format!("the value of `{name}` is not UTF-8 text")));
            }
            let name = name.into_owned();
            if pairs.iter().any(|(n, _)| *n == name) {
                return Err(QueryError::invalid(format!("`{name}` is given more than once")));
            }
            if !accepted.contains(&name.as_str()) {
                return Err(unknown(&name, accepted));
            }
            pairs.push((name, value.into_owned()));
        }
        Ok(Params { pairs })
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn required(&self, name: &str) -> Result<&str, QueryError> {
        self.text(name).ok_or_else(|| QueryError::invalid(format!("`{name}` is required")))
    }

    /// A flag without a value: present (empty, `true` or `1`) or absent (`false`, `0`).
    pub fn flag(&self, name: &str) -> Result<bool, QueryError> {
        match self.text(name) {
            None => Ok(false),
            Some("" | "true" | "1") => Ok(true),
            Some("false" | "0") => Ok(false),
            Some(other) => Err(QueryError::invalid(format!("`{name}={other}`: `{name}` is a flag"))
                .hint(format!("write `{name}` or `{name}=true`, or leave it out"))),
        }
    }

    pub fn number<T: FromStr>(&self, name: &str) -> Result<Option<T>, QueryError> {
        self.text(name)
            .map(|text| {
                text.parse()
                    .map_err(|_| QueryError::invalid(format!("`{name}={text}` is not a number in the accepted range")))
            })
            .transpose()
    }

    fn protocol(&self) -> Result<Protocol, QueryError> {
        match self.text("protocol").map(|p| p.to_ascii_uppercase()).as_deref() {
            None | Some("TCP") => Ok(Protocol::Tcp),
            Some("UDP") => Ok(Protocol::Udp),
            Some("ICMP") => Ok(Protocol::Icmp),
            Some(_) => Err(QueryError::invalid(format!(
                "`protocol={}` is not a protocol",
                self.text("protocol").unwrap_or_default()
            ))
            .hint("write TCP, UDP or ICMP")),
        }
    }

    fn ports(&self) -> Result<Ports, QueryError> {
        Ok(Ports { port: self.number("port")?, source_port: self.number("source-port")? })
    }
}

fn unknown(name: &str, accepted: &[&str]) -> QueryError {
    let list = if accepted.is_empty() { "none".to_string() } else { accepted.join(", ") };
    if SERVER_WIDE.contains(&name) {
        return QueryError::invalid(format!("`{name}` is fixed when the server starts"))
            .hint(format!("give it to `azroute serve` instead; this endpoint accepts: {list}"));
    }
    QueryError::invalid(format!("unknown parameter `{name}`")).hint(format!("this endpoint accepts: {list}"))
}

pub fn routes(query: Option<&str>) -> Result<RoutesQuery, QueryError> {
    let p = Params::parse(query, ROUTES)?;
    Ok(RoutesQuery {
        nic: p.text("nic").map(str::to_string),
        vm: p.text("vm").map(str::to_string),
        subnet: p.text("subnet").map(str::to_string),
        explain: p.flag("explain")?,
    })
}

pub fn next_hop(query: Option<&str>) -> Result<NextHopQuery, QueryError> {
    let p = Params::parse(query, NEXT_HOP)?;
    Ok(NextHopQuery {
        nic: p.text("nic").map(str::to_string),
        vm: p.text("vm").map(str::to_string),
        dest_ip: parse_ip("--dest-ip", p.required("dest-ip")?)?,
        source_ip: p.text("source-ip").map(|s| parse_ip("--source-ip", s)).transpose()?,
        explain: p.flag("explain")?,
    })
}

pub fn trace(query: Option<&str>) -> Result<TraceQuery, QueryError> {
    let p = Params::parse(query, TRACE)?;
    let protocol = p.protocol()?;
    let (source_port, destination_port) = p.ports()?.for_protocol(protocol)?;
    Ok(TraceQuery {
        from: p.required("from")?.to_string(),
        to: p.required("to")?.to_string(),
        protocol,
        source_port,
        destination_port,
        assume_host: p.flag("assume-host")?,
        fqdn: p.text("fqdn").map(str::to_string),
    })
}

/// The matrix scope of `/api/reach`, `/api/reach-grid` and `/api/reach-cell`.
pub fn reach_scope(p: &Params) -> Result<ReachScope, QueryError> {
    let internet_address = match p.text("internet-address") {
        Some(text) => parse_ip("--internet-address", text)?,
        None => ReachScope::default().internet_address,
    };
    Ok(ReachScope {
        from: p.text("from").map(str::to_string),
        to: p.text("to").map(str::to_string),
        no_on_premises: p.flag("no-on-premises")?,
        no_internet: p.flag("no-internet")?,
        internet_address,
        protocol: p.protocol()?,
        ports: p.ports()?,
        no_nsg: p.flag("no-nsg")?,
    })
}

/// `/api/reach`: the scope and `problems`.
pub fn reach(query: Option<&str>) -> Result<(Params, ReachScope, bool), QueryError> {
    let p = Params::parse(query, REACH)?;
    let scope = reach_scope(&p)?;
    let problems = p.flag("problems")?;
    Ok((p, scope, problems))
}

pub fn reach_grid(query: Option<&str>) -> Result<(Params, ReachScope), QueryError> {
    let p = Params::parse(query, REACH_SCOPE)?;
    let scope = reach_scope(&p)?;
    Ok((p, scope))
}

/// `/api/reach-cell`: the scope, and the cell's row and column (from 0).
pub fn reach_cell(query: Option<&str>) -> Result<(Params, ReachScope, usize, usize), QueryError> {
    let p = Params::parse(query, REACH_CELL)?;
    let scope = reach_scope(&p)?;
    let row = p.number("row")?.ok_or_else(|| QueryError::invalid("`row` is required"))?;
    let column = p.number("column")?.ok_or_else(|| QueryError::invalid("`column` is required"))?;
    Ok((p, scope, row, column))
}

/// The scope's part of a cache key: the parameters other than `row`, `column` and `problems`.
pub fn scope_key(p: &Params) -> String {
    let mut pairs: Vec<String> = p
        .pairs
        .iter()
        .filter(|(n, _)| !["row", "column", "problems"].contains(&n.as_str()))
        .map(|(n, v)| format!("{n}={v}"))
        .collect();
    pairs.sort();
    pairs.join("&")
}

pub fn doctor(query: Option<&str>) -> Result<DoctorQuery, QueryError> {
    let p = Params::parse(query, DOCTOR)?;
    let severity = match p.text("severity").map(|s| s.to_ascii_lowercase()).as_deref() {
        None | Some("info") => Severity::Info,
        Some("warning") => Severity::Warning,
        Some("error") => Severity::Error,
        Some(other) => {
            return Err(QueryError::invalid(format!("`severity={other}` is not a severity"))
                .hint("write info, warning or error"));
        }
    };
    let max_traces = p.number("max-traces")?.unwrap_or(DoctorQuery::default().max_traces);
    if max_traces > MAX_DOCTOR_TRACES {
        return Err(QueryError::invalid(format!(
            "`max-traces={max_traces}` is more than the {MAX_DOCTOR_TRACES} this server traces per request"
        )));
    }
    let only = match p.text("only") {
        Some(list) => list.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect(),
        None => Vec::new(),
    };
    // The page's doctor always answers within a request's time: never forced exhaustive.
    Ok(DoctorQuery { only, severity, max_traces, exhaustive: false })
}

/// No parameter at all (`/api/topology`).
pub fn none(query: Option<&str>) -> Result<(), QueryError> {
    Params::parse(query, &[]).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_flags_and_values_are_decoded() {
        let q = next_hop(Some("vm=vm-app1&dest-ip=8.8.8.8&explain")).unwrap();
        assert_eq!(q.vm.as_deref(), Some("vm-app1"));
        assert_eq!(q.dest_ip.to_string(), "8.8.8.8");
        assert!(q.explain);
        let q = routes(Some("subnet=vnet-hub%2FGatewaySubnet")).unwrap();
        assert_eq!(q.subnet.as_deref(), Some("vnet-hub/GatewaySubnet"));
        assert!(!q.explain);
    }

    #[test]
    fn unknown_repeated_and_malformed_parameters_are_refused() {
        let err = routes(Some("nic=a&nic=b")).err().unwrap();
        assert!(err.message.contains("more than once"), "{err}");
        let err = routes(Some("interface=a")).err().unwrap();
        assert!(err.message.contains("unknown parameter `interface`"), "{err}");
        assert!(err.hint.unwrap().contains("nic, vm, subnet, explain"));
        let err = routes(Some("nic=a&reserved-none-profile=documented")).err().unwrap();
        assert!(err.message.contains("fixed when the server starts"), "{err}");
        assert!(routes(Some("nic=a&explain=perhaps")).is_err());
        assert!(trace(Some("from=a&to=b&port=70000")).is_err());
        assert!(trace(Some("from=a&to=b&protocol=SCTP")).is_err());
        assert!(trace(Some("from=a&to=b&protocol=icmp&port=22")).is_err(), "ICMP has no ports");
        assert!(trace(Some("from=a")).is_err(), "`to` is required");
        assert!(next_hop(Some("vm=a&dest-ip=not-an-ip")).is_err());
        assert!(doctor(Some("severity=fatal")).is_err());
        assert!(doctor(Some("max-traces=999999999")).is_err());
        assert!(none(Some("x=1")).is_err());
        let long = format!("nic={}", "a".repeat(MAX_QUERY_BYTES));
        assert!(routes(Some(&long)).err().unwrap().message.contains("bytes long"));
    }

    #[test]
    fn defaults_are_the_command_lines() {
        let q = trace(Some("from=a&to=b")).unwrap();
        assert_eq!((q.protocol, q.source_port, q.destination_port, q.assume_host), (Protocol::Tcp, 50000, 443, false));
        let (_, scope, problems) = reach(None).unwrap();
        assert_eq!(scope, ReachScope::default());
        assert!(!problems);
        assert_eq!(doctor(None).unwrap(), DoctorQuery::default());
        let q = doctor(Some("only=PeeringNotConnected,%20RouteTableNotAssociated&severity=Warning")).unwrap();
        assert_eq!(q.only, vec!["PeeringNotConnected", "RouteTableNotAssociated"]);
        assert_eq!(q.severity, Severity::Warning);
    }

    #[test]
    fn a_scope_key_ignores_order_and_the_cell() {
        let a = Params::parse(Some("port=22&from=x&row=1&column=2"), REACH_CELL).unwrap();
        let b = Params::parse(Some("from=x&port=22"), REACH_CELL).unwrap();
        assert_eq!(scope_key(&a), scope_key(&b));
    }
}
