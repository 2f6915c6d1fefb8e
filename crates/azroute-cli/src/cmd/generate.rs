//! `azroute generate`: writes a synthetic, seeded estate (the generator lives in ingest, the
//! crate that knows Azure's JSON).

use azroute_generate::{EstateTopology, GenerateParams, HubAppliance, Preset, RuleMix, generate_to_dir};

use crate::args::{GenerateArgs, HubApplianceArg, PresetArg, RuleMixArg, TopologyArg};
use crate::input::CliError;
use crate::output::emit;

pub fn run(args: GenerateArgs) -> Result<i32, CliError> {
    let preset = match args.preset {
        None | Some(PresetArg::K1) => Preset::K1,
        Some(PresetArg::K10) => Preset::K10,
        Some(PresetArg::K100) => Preset::K100,
        Some(PresetArg::M1) => Preset::M1,
    };
    let base = preset.params();
    let params = GenerateParams {
        seed: args.seed,
        hubs: args.hubs.unwrap_or(base.hubs),
        spokes_per_hub: args.spokes_per_hub.unwrap_or(base.spokes_per_hub),
        subnets_per_spoke: args.subnets_per_spoke.unwrap_or(base.subnets_per_spoke),
        nics_per_subnet: args.nics_per_subnet.unwrap_or(base.nics_per_subnet),
        routes_per_table: args.routes_per_table.unwrap_or(base.routes_per_table),
        tables: args.tables.or(base.tables),
        nvas_per_hub: args.nvas_per_hub.unwrap_or(base.nvas_per_hub),
        private_endpoints: args.private_endpoints.unwrap_or(base.private_endpoints),
        global_peering_fraction: args.global_peering_fraction.unwrap_or(base.global_peering_fraction),
        nsg_rules: args.nsg_rules.unwrap_or(base.nsg_rules),
        rule_mix: match args.rule_mix {
            RuleMixArg::Realistic => RuleMix::Realistic,
            RuleMixArg::Legacy => RuleMix::Legacy,
        },
        bgp_prefixes: args.bgp_prefixes.unwrap_or(base.bgp_prefixes),
        topology: match args.topology {
            TopologyArg::HubSpoke => EstateTopology::HubSpoke,
            TopologyArg::Vwan => EstateTopology::Vwan,
        },
        hub_appliance: match args.hub_appliance {
            HubApplianceArg::Nva => HubAppliance::Nva,
            HubApplianceArg::AzureFirewall => HubAppliance::AzureFirewall,
        },
    };
    let s = generate_to_dir(&params, &args.out).map_err(|err| {
        CliError::new(err.to_string()).hint("see `azroute generate --help` for the parameters and presets")
    })?;
    emit(&format!(
        "wrote {} files ({} bytes) to {}: {} VNets, {} subnets, {} peerings, {} NICs, {} VMs, {} route tables with {} user routes, {} NSGs with {} rules, {} private endpoints, {} gateways ({} learned routes), {} load balancers, {} firewalls\nnext: azroute routes --snapshot {} --all -o json > routes.json",
        s.files,
        s.bytes,
        args.out.display(),
        s.vnets,
        s.subnets,
        s.peerings,
        s.nics,
        s.vms,
        s.route_tables,
        s.user_routes,
        s.nsgs,
        s.security_rules,
        s.private_endpoints,
        s.gateways,
        s.learned_routes,
        s.load_balancers,
        s.firewalls,
        args.out.display()
    ));
    Ok(0)
}
