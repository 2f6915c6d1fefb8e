//! The two ends of a trace from what a person names: a NIC or VM (name, `RESOURCE-GROUP/NAME` or
//! id), an address a NIC holds, an on-premises or Internet address, or (with `assume_host`) an
//! address of a subnet that no NIC holds. Used by `azroute trace`; a test or a web page calls it
//! the same way.
//!
//! An end named by NIC or VM takes the NIC's address of the other end's family (IPv4 or IPv6), so
//! a trace never pairs an IPv4 source with an IPv6 destination.

use std::fmt;
use std::net::IpAddr;

use azroute_model::*;

use crate::RouteError;
use crate::trace::{Owner, TraceSource, Tracer};

/// The resolved ends of a trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEndpoints {
    pub source: TraceSource,
    pub destination: IpAddr,
    /// The destination is an address of this subnet that nothing in the snapshot holds (and
    /// `assume_host` is off): the trace will report `NoHostAtDestination`; `assume_host`
    /// would treat the address as a host there.
    pub unheld_destination: Option<SubnetIdx>,
}

/// An IP family, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpFamily {
    V4,
    V6,
}

impl IpFamily {
    pub fn of(ip: IpAddr) -> IpFamily {
        if ip.is_ipv4() { IpFamily::V4 } else { IpFamily::V6 }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IpFamily::V4 => "IPv4",
            IpFamily::V6 => "IPv6",
        }
    }
}

/// Which end of the trace an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Source,
    Destination,
}

impl End {
    /// The command-line flag that names this end.
    pub fn flag(self) -> &'static str {
        match self {
            End::Source => "--from",
            End::Destination => "--to",
        }
    }
}

/// Why an end of a trace could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointError {
    /// Not an IP address, and no NIC or VM has that name or id.
    Unknown { end: End, text: String, similar: Vec<String> },
    /// The name picks several NICs or VMs.
    AmbiguousName { end: End, error: LookupError },
    /// Several NICs hold the address (overlapping VNets that are not peered).
    AmbiguousAddress { end: End, ip: IpAddr, nics: Vec<Candidate> },
    /// A source address of a subnet that no NIC holds, without `assume_host`.
    UnheldSource { ip: IpAddr, subnet: SubnetIdx, label: String },
    /// A source address that lies in several subnets (overlapping VNets).
    AmbiguousSubnet { end: End, ip: IpAddr, subnets: Vec<String> },
    /// The NIC has no private address of the family the other end needs.
    NoAddressOfFamily { end: End, nic: String, family: IpFamily, other: IpAddr },
    /// The NIC has no private address at all.
    NoPrivateIp { end: End, nic: String },
    /// Both ends are addresses, of different families.
    MixedFamilies { source: IpAddr, destination: IpAddr },
    /// The VM's NIC cannot be found.
    Route(RouteError),
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Unknown { end, text, similar } => {
                write!(f, "`{text}` given to {} is not an IP address, NIC or VM of the snapshot", end.flag())?;
                match similar.as_slice() {
                    [] => Ok(()),
                    [one] => write!(f, "; did you mean `{one}`?"),
                    many => write!(f, "; did you mean one of: {}?", many.join(", ")),
                }
            }
            EndpointError::AmbiguousName { end, error } => write!(f, "{}: {error}", end.flag()),
            EndpointError::AmbiguousAddress { end, ip, nics } => {
                write!(
                    f,
                    "{}: the address {ip} is held by {} network interfaces (VNets that overlap):",
                    end.flag(),
                    nics.len()
                )?;
                let width = nics.iter().map(|c| c.short.len()).max().unwrap_or(0);
                for c in nics {
                    write!(f, "\n  {:<width$}  {}", c.short, c.id)?;
                }
                Ok(())
            }
            EndpointError::UnheldSource { ip, label, .. } => {
                write!(
                    f,
                    "--from {ip} is an address of subnet `{label}`, but no network interface in the snapshot holds it"
                )
            }
            EndpointError::AmbiguousSubnet { end, ip, subnets } => write!(
                f,
                "{}: the address {ip} lies in {} subnets (VNets that overlap): {}",
                end.flag(),
                subnets.len(),
                subnets.join(", ")
            ),
            EndpointError::NoAddressOfFamily { end, nic, family, other } => write!(
                f,
                "{}: network interface `{nic}` has no {} address, and the other end ({other}) is {}",
                end.flag(),
                family.as_str(),
                family.as_str()
            ),
            EndpointError::NoPrivateIp { end, nic } => {
                write!(f, "{}: network interface `{nic}` has no private IP", end.flag())
            }
            EndpointError::MixedFamilies { source, destination } => write!(
                f,
                "--from {source} is {} and --to {destination} is {}; a packet keeps its IP family",
                IpFamily::of(*source).as_str(),
                IpFamily::of(*destination).as_str()
            ),
            EndpointError::Route(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for EndpointError {}

impl EndpointError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            EndpointError::Unknown { .. } => {
                "give an IP address, or a NIC or VM by name, RESOURCE-GROUP/NAME or id".to_string()
            }
            EndpointError::AmbiguousName { .. } | EndpointError::AmbiguousAddress { .. } => {
                "name the NIC or VM as RESOURCE-GROUP/NAME or by id, as listed above".to_string()
            }
            EndpointError::UnheldSource { .. } => {
                "add --assume-host to send from a host at that address, or name a NIC or VM with --from".to_string()
            }
            EndpointError::AmbiguousSubnet { .. } => {
                "name a NIC or VM instead; an address of overlapping VNets does not say which one".to_string()
            }
            EndpointError::NoAddressOfFamily { family, .. } => {
                format!("give a {} address for the other end, or a NIC that has one", family.as_str())
            }
            EndpointError::NoPrivateIp { .. } => "name a NIC with a private IP configuration".to_string(),
            EndpointError::MixedFamilies { .. } => "give two IPv4 or two IPv6 addresses".to_string(),
            EndpointError::Route(err) => err.hint().to_string(),
        }
    }
}

impl From<RouteError> for EndpointError {
    fn from(err: RouteError) -> EndpointError {
        EndpointError::Route(err)
    }
}

/// One end as named: an address, or a NIC whose address depends on the other end.
enum Named {
    Address(IpAddr),
    Nic(NicIdx),
}

/// Resolves `--from` and `--to`. With `assume_host`, an address of a subnet that no NIC holds
/// is a host there (at either end); without it such a source is an error and such a destination
/// is traced (and reported as `NoHostAtDestination`).
pub fn resolve(
    tracer: &Tracer<'_, '_>,
    from: &str,
    to: &str,
    assume_host: bool,
) -> Result<TraceEndpoints, EndpointError> {
    let snap = tracer.routes.snap();
    let source = named(tracer, End::Source, from)?;
    let destination = named(tracer, End::Destination, to)?;
    let (source_ip, destination_ip) = match (&source, &destination) {
        (Named::Address(s), Named::Address(d)) if IpFamily::of(*s) != IpFamily::of(*d) => {
            return Err(EndpointError::MixedFamilies { source: *s, destination: *d });
        }
        (Named::Address(s), Named::Address(d)) => (*s, *d),
        (Named::Nic(n), Named::Address(d)) => (address_of_family(snap, End::Source, *n, *d)?, *d),
        (Named::Address(s), Named::Nic(n)) => (*s, address_of_family(snap, End::Destination, *n, *s)?),
        (Named::Nic(s), Named::Nic(d)) => {
            let s_ip = primary_address(snap, End::Source, *s)?;
            (s_ip, address_of_family(snap, End::Destination, *d, s_ip)?)
        }
    };
    let source = match source {
        Named::Nic(nic) => TraceSource::Nic { nic, ip: source_ip },
        Named::Address(ip) => match tracer.nic_owning(ip) {
            Some(nic) => TraceSource::Nic { nic, ip },
            None => match subnet_holding(snap, End::Source, ip)? {
                Some(subnet) if assume_host => TraceSource::Host { subnet, ip },
                Some(subnet) => {
                    return Err(EndpointError::UnheldSource { ip, subnet, label: snap.subnet_label(subnet) });
                }
                None => TraceSource::External(ip),
            },
        },
    };
    let unheld_destination = match destination {
        Named::Address(ip) if !assume_host && tracer.addressing.owners(ip).is_empty() => {
            unheld_subnet(snap, &source, ip)
        }
        _ => None,
    };
    Ok(TraceEndpoints { source, destination: destination_ip, unheld_destination })
}

/// Reads one end: an IP (checked for NICs that share it), else a NIC, else a VM's primary NIC.
fn named(tracer: &Tracer<'_, '_>, end: End, text: &str) -> Result<Named, EndpointError> {
    let snap = tracer.routes.snap();
    if let Ok(ip) = text.trim().parse::<IpAddr>() {
        let nics = nics_holding(tracer, ip);
        if nics.len() > 1 {
            return Err(EndpointError::AmbiguousAddress {
                end,
                ip,
                nics: nics.iter().map(|n| candidate(snap, *n)).collect(),
            });
        }
        return Ok(Named::Address(ip));
    }
    let nic_error = match snap.find_nic(text) {
        Ok(nic) => return Ok(Named::Nic(nic)),
        Err(err @ LookupError::Ambiguous { .. }) => return Err(EndpointError::AmbiguousName { end, error: err }),
        Err(err) => err,
    };
    match snap.find_vm(text) {
        Ok(vm) => Ok(Named::Nic(tracer.routes.vm_primary_nic(vm)?)),
        Err(err @ LookupError::Ambiguous { .. }) => Err(EndpointError::AmbiguousName { end, error: err }),
        Err(vm_error) => {
            let mut similar = Vec::new();
            for err in [nic_error, vm_error] {
                if let LookupError::NotFound { similar: names, .. } = err {
                    similar.extend(names.into_iter().filter(|n| !similar.contains(n)).collect::<Vec<_>>());
                }
            }
            Err(EndpointError::Unknown { end, text: text.trim().to_string(), similar })
        }
    }
}

/// Every NIC holding an address (several only where VNets overlap).
fn nics_holding(tracer: &Tracer<'_, '_>, ip: IpAddr) -> Vec<NicIdx> {
    let mut nics: Vec<NicIdx> = tracer
        .addressing
        .owners(ip)
        .iter()
        .filter_map(|o| match o {
            Owner::Nic { nic, .. } => Some(*nic),
            _ => None,
        })
        .collect();
    nics.sort();
    nics.dedup();
    nics
}

fn candidate(snap: &Snapshot, nic: NicIdx) -> Candidate {
    let n = &snap.nics[nic.index()];
    Candidate::new(&n.name, n.id.as_str())
}

/// The subnet of an unheld destination address, for the hint: the one in the source's VNet
/// when VNets overlap, else the first.
fn unheld_subnet(snap: &Snapshot, source: &TraceSource, ip: IpAddr) -> Option<SubnetIdx> {
    let source_vnet = match source {
        TraceSource::Nic { nic, .. } => {
            snap.nic_subnet(*nic).and_then(|l| l.resolved()).map(|s| snap.subnets[s.index()].vnet)
        }
        TraceSource::Host { subnet, .. } => Some(snap.subnets[subnet.index()].vnet),
        TraceSource::External(_) => None,
    };
    let holding = (0..snap.subnets.len()).map(|i| SubnetIdx(i as u32)).filter(|s| snap.subnets[s.index()].contains(ip));
    let all: Vec<SubnetIdx> = holding.collect();
    all.iter().copied().find(|s| Some(snap.subnets[s.index()].vnet) == source_vnet).or(all.first().copied())
}

/// The subnet a source address lies in, if any; an error when several (overlapping VNets) do.
fn subnet_holding(snap: &Snapshot, end: End, ip: IpAddr) -> Result<Option<SubnetIdx>, EndpointError> {
    let subnets: Vec<SubnetIdx> =
        (0..snap.subnets.len()).map(|i| SubnetIdx(i as u32)).filter(|s| snap.subnets[s.index()].contains(ip)).collect();
    match subnets.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => Err(EndpointError::AmbiguousSubnet {
            end,
            ip,
            subnets: many.iter().map(|s| snap.subnet_label(*s)).collect(),
        }),
    }
}

/// A NIC's primary private address.
fn primary_address(snap: &Snapshot, end: End, nic: NicIdx) -> Result<IpAddr, EndpointError> {
    let n = &snap.nics[nic.index()];
    n.primary_ip_config()
        .and_then(|c| c.private_ip)
        .or_else(|| n.ip_configs.iter().find_map(|c| c.private_ip))
        .ok_or_else(|| EndpointError::NoPrivateIp { end, nic: n.name.clone() })
}

/// A NIC's private address of the same family as `other`: the primary configuration's when it
/// has one, else the first configuration's that does.
fn address_of_family(snap: &Snapshot, end: End, nic: NicIdx, other: IpAddr) -> Result<IpAddr, EndpointError> {
    let n = &snap.nics[nic.index()];
    let family = IpFamily::of(other);
    let primary = primary_address(snap, end, nic)?;
    if IpFamily::of(primary) == family {
        return Ok(primary);
    }
    n.ip_configs
        .iter()
        .filter_map(|c| c.private_ip)
        .find(|ip| IpFamily::of(*ip) == family)
        .ok_or_else(|| EndpointError::NoAddressOfFamily { end, nic: n.name.clone(), family, other })
}
