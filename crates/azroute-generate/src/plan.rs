//! The layout of an estate (address blocks, hubs, spokes), the seeded generator of its choices,
//! and the writer that cuts lists into files.

use std::io;

use serde_json::{Value, json};

use crate::*;

/// SplitMix64 (Steele, Lea and Flood): a few lines, good enough statistically, and the same
/// sequence on every platform, which is all a seeded generator needs.
#[derive(Clone, Debug)]
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub(crate) fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

pub(crate) fn ip(addr: u32) -> String {
    std::net::Ipv4Addr::from(addr).to_string()
}

pub(crate) fn cidr(addr: u32, size: u32) -> String {
    format!("{}/{}", ip(addr), 32 - size.trailing_zeros())
}

/// Addresses a subnet needs for `hosts` (Azure reserves five), a power of two, at least /29.
pub(crate) fn subnet_size(hosts: usize) -> u32 {
    ((hosts + 5) as u32).next_power_of_two().max(8)
}

pub(crate) fn reference(id: &str, rg: &str) -> Value {
    json!({"id": id, "resourceGroup": rg})
}

/// The layout every generated resource hangs off.
pub(crate) struct Plan {
    pub(crate) sub: String,
    pub(crate) hub_block: u32,
    pub(crate) hub_subnet: u32,
    pub(crate) spoke_size: u32,
    pub(crate) spoke_subnet: u32,
    pub(crate) spokes_offset: u32,
    pub(crate) spoke_tables_per_hub: usize,
}

/// One spoke: where it is and what it is called.
pub(crate) struct Spoke {
    pub(crate) hub: usize,
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) start: u32,
    pub(crate) region: &'static str,
    pub(crate) table: usize,
}

pub(crate) struct Hub {
    pub(crate) name: String,
    pub(crate) rg: String,
    pub(crate) region: &'static str,
    pub(crate) block: u32,
    /// The NVA address spokes send traffic to: the load balancer's frontend, else the NVA.
    pub(crate) firewall: Option<u32>,
}

impl Plan {
    pub(crate) fn new(p: &GenerateParams) -> Result<Plan, GenerateError> {
        if p.hubs == 0 {
            return Err(GenerateError("an estate needs at least one hub (--hubs)".into()));
        }
        if p.subnets_per_spoke == 0 && p.spokes_per_hub > 0 {
            return Err(GenerateError("a spoke needs at least one subnet (--subnets-per-spoke)".into()));
        }
        if !(0.0..=1.0).contains(&p.global_peering_fraction) {
            return Err(GenerateError("--global-peering-fraction is a fraction between 0 and 1".into()));
        }
        if p.nsg_rules > 1000 {
            return Err(GenerateError("an NSG holds at most 1000 rules (--nsg-rules)".into()));
        }
        if p.routes_per_table > 1000 {
            return Err(GenerateError("a route table holds at most 1000 routes (--routes-per-table)".into()));
        }
        if p.tables == Some(0) && p.spokes_per_hub > 0 {
            return Err(GenerateError("--tables must be at least 1".into()));
        }
        let spokes = p.hubs * p.spokes_per_hub;
        if p.private_endpoints > 0 && spokes == 0 {
            return Err(GenerateError("private endpoints are placed in spokes; add spokes".into()));
        }
        let pes_per_spoke = if spokes == 0 { 0 } else { p.private_endpoints.div_ceil(spokes) };
        let too_big =
            || GenerateError("the estate does not fit in 10.0.0.0/8; use fewer hubs, spokes, subnets or NICs".into());
        let spoke_subnet = subnet_size(p.nics_per_subnet + pes_per_spoke);
        let spoke_size = (spoke_subnet as u64 * p.subnets_per_spoke.max(1) as u64).next_power_of_two();
        let hub_subnet = subnet_size(p.nics_per_subnet.max(p.nvas_per_hub + 1)).max(64);
        let hub_size = 4 * hub_subnet as u64;
        let spokes_offset = hub_size.div_ceil(spoke_size) * spoke_size;
        let hub_block = (spokes_offset + spoke_size * p.spokes_per_hub as u64).next_power_of_two();
        if hub_block * p.hubs as u64 > 1 << 24 || spoke_size > 1 << 24 {
            return Err(too_big());
        }
        let spoke_tables_per_hub = match p.tables {
            None => p.spokes_per_hub,
            Some(n) => n.div_ceil(p.hubs).clamp(1, p.spokes_per_hub.max(1)),
        };
        Ok(Plan {
            sub: String::new(),
            hub_block: hub_block as u32,
            hub_subnet,
            spoke_size: spoke_size as u32,
            spoke_subnet,
            spokes_offset: spokes_offset as u32,
            spoke_tables_per_hub,
        })
    }

    pub(crate) fn id(&self, rg: &str, provider: &str, path: &str) -> String {
        format!("/subscriptions/{}/resourceGroups/{rg}/providers/{provider}/{path}", self.sub)
    }

    pub(crate) fn net(&self, rg: &str, path: &str) -> String {
        self.id(rg, "Microsoft.Network", path)
    }
}

/// Buffers resources of one kind and writes them in files of at most `per_file` each.
pub(crate) struct Chunked {
    pub(crate) stem: &'static str,
    pub(crate) per_file: usize,
    pub(crate) items: Vec<Value>,
    pub(crate) written: usize,
}

impl Chunked {
    pub(crate) fn new(stem: &'static str, per_file: usize) -> Chunked {
        Chunked { stem, per_file, items: Vec::new(), written: 0 }
    }

    pub(crate) fn push(&mut self, item: Value, out: &mut Output<'_>) -> io::Result<()> {
        self.items.push(item);
        if self.items.len() >= self.per_file {
            self.flush(out)?;
        }
        Ok(())
    }

    pub(crate) fn flush(&mut self, out: &mut Output<'_>) -> io::Result<()> {
        if self.items.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(&mut self.items);
        out.write(format!("{}-{:03}.json", self.stem, self.written), &Value::Array(items))?;
        self.written += 1;
        Ok(())
    }
}

/// Where files go, and the running summary.
pub(crate) struct Output<'s> {
    pub(crate) dir: String,
    pub(crate) sink: &'s mut dyn FnMut(GeneratedFile) -> io::Result<()>,
    pub(crate) summary: GenerateSummary,
}

impl Output<'_> {
    pub(crate) fn write(&mut self, name: String, value: &Value) -> io::Result<()> {
        // az prints JSON indented by two spaces, keys sorted; so does serde_json's pretty
        // printer over its (sorted) maps.
        let mut text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        text.push('\n');
        self.summary.files += 1;
        self.summary.bytes += text.len() as u64;
        (self.sink)(GeneratedFile { path: format!("{}/{name}", self.dir), text })
    }
}
