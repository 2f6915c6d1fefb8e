//! What each `--help` ends with: worked examples (every one that uses `--example` or a file an
//! earlier example wrote runs in the tests, `tests/help.rs`) and, for the commands that judge,
//! the exit statuses. Lines stay within 100 columns; a long command continues after ` \`.

pub const LONG_ABOUT: &str = "azroute reads an exported snapshot of an Azure estate (az CLI, REST or \
Resource Graph JSON, or Terraform state and plan JSON) and computes every NIC's and subnet's effective \
routes exactly as Azure does, with no Azure access: next hop, effective security rules, IP flow, \
packet traces, a doctor, the reachability matrix, and what a change will do before it is deployed.";

pub const TOP: &str = "\
Examples:
  azroute examples
  azroute routes --example hub-spoke --nic nic-app1
  azroute next-hop --example hub-spoke --vm vm-app1 --dest-ip 10.2.1.4 --explain
  azroute routes --snapshot ./export --subnet vnet-hub/GatewaySubnet -o json

Exit status: 0 success (for trace, diff, what-if, verify and doctor: nothing at error level found),
1 a problem at error level found, 2 bad input or usage.";

pub const ROUTES: &str = "\
Examples:
  azroute routes --example hub-spoke --nic nic-app1
  azroute routes --example hub-spoke --vm vm-app2 -o json
  azroute routes --example hub-spoke --subnet vnet-hub/GatewaySubnet --explain
  azroute routes --snapshot ./export --nic /subscriptions/.../networkInterfaces/web-nic -o csv
  azroute routes --snapshot ./export --all -o json > all-routes.json";

pub const NEXT_HOP: &str = "\
Examples:
  azroute next-hop --example hub-spoke --vm vm-app1 --dest-ip 8.8.8.8
  azroute next-hop --example hub-spoke --nic nic-shared --dest-ip 10.1.1.4 --explain
  azroute next-hop --snapshot ./export --vm web01 --dest-ip 172.16.5.9 -o json";

pub const SECURITY_RULES: &str = "\
Examples:
  azroute security-rules --example hub-spoke --nic nic-app1
  azroute security-rules --example hub-spoke --vm vm-app2 -o json";

pub const IP_FLOW: &str = "\
Examples:
  azroute ip-flow --example hub-spoke --nic nic-app2 --direction Inbound --protocol TCP \\
      --local 10.2.1.4:443 --remote 10.1.1.4:50000
  azroute ip-flow --example hub-spoke --nic nic-app2 --direction Inbound --protocol TCP \\
      --local 10.2.1.4:3389 --remote '203.0.113.9:*' -o json";

pub const TRACE: &str = "\
Examples:
  azroute trace --example hub-spoke --from vm-app1 --to vm-app2 --port 443
  azroute trace --example hub-spoke --from 172.16.1.10 --to nic-app1 --port 22
  azroute trace --example troubleshoot --from 203.0.113.50 --to 20.110.7.45 -o mermaid
  azroute trace --example hub-spoke --assume-host --from 10.1.2.5 --to 10.2.1.4

Exit status: 0 the packet arrives and no error-level finding is raised, 1 it is dropped or an
error-level finding is raised, 2 bad input or usage.";

pub const FIREWALL_FLOW: &str = "\
Examples:
  azroute firewall-flow --example hub-firewall --firewall fw-hub --protocol TCP \\
    --source 10.1.1.4 --destination 10.2.1.4:443
  azroute firewall-flow --example hub-firewall --firewall fw-hub --protocol TCP \\
    --source 10.1.1.4 --destination 52.1.1.1:443 --fqdn www.contoso.com --explain -o json

Rules are read in Azure's order: DNAT, network, application, then the default deny; parent policy
first, then rule collection group and rule collection priority. Threat intelligence, IDPS and TLS
inspection are not evaluated, and the answer says so.

Exit status: 0 Allow, 1 Deny or Indeterminate, 2 bad input or usage.";

pub const HUB_ROUTES: &str = "\
Examples:
  azroute hub-routes --snapshot ./export --hub hub-weu --route-table defaultRouteTable
  azroute hub-routes --snapshot ./export --hub hub-weu --connection spoke1-conn --explain
  azroute hub-routes --snapshot ./export --hub hub-weu --route-table defaultRouteTable -o json

The answer has the shape of `az network vhub get-effective-routes` ({\"value\": [...]}, Azure's
nextHopType spellings). Routes azroute derived rather than read (routing intent's policy routes
missing from the export) are marked derived. With routing intent, --route-table also accepts the
firewall's name: where the firewall sends what it inspected.

Exit status: 0 success, 2 bad input or usage (an unknown hub, table or connection).";

pub const REACH: &str = "\
Examples:
  azroute reach --example hub-spoke
  azroute reach --example troubleshoot --problems
  azroute reach --example hub-spoke --from 'vnet-spoke*/*' --to '*/snet-shared' -o csv
  azroute reach --snapshot ./export --protocol UDP --port 53 -o json
  azroute reach --snapshot ./export --by vnet --problems

Cells: Delivered, DeliveredThroughNva (through NVAs or Azure Firewalls, named under Via),
Asymmetric, Dropped (with the finding code: FirewallDeniesFlow for a firewall's deny),
Indeterminate (a firewall's verdict the snapshot cannot decide) or Mixed (addresses of the
subnet fare differently; JSON lists each outcome with a sample pair).
With --by vnet a cell counts its subnet cells per reachability and per code, and names the
worst outcome any address pair meets (Dropped, Indeterminate, Asymmetric, DeliveredThroughNva,
Delivered); --problems keeps the cells whose worst outcome does not connect.
Above a million subnet cells, reach first prints an estimate of the cells and the time on
stderr; progress is drawn on stderr when it is a terminal (--quiet: none).
Globs match `vnet/subnet`, the subnet name or its id, case-insensitively (`*` and `?`).

Exit status: 0 computed, 2 bad input or usage.";

pub const SERVE: &str = "\
Examples:
  azroute serve --example hub-spoke
  azroute serve --snapshot ./export --open
  azroute serve --example troubleshoot --listen 127.0.0.1:9000

The page draws the topology and shows a subnet's or NIC's routes, a traced path, the reachability
grid and the doctor's findings. Its JSON API returns what `-o json` prints: /api/routes,
/api/next-hop, /api/trace, /api/reach, /api/doctor (parameters named as the flags, e.g.
/api/trace?from=vm-app1&to=vm-app2&port=443), and /api/topology. It listens on 127.0.0.1 unless
--allow-remote is given, answers only requests addressed to it, and never writes anything.";

pub const REPORT: &str = "\
Examples:
  azroute report --example hub-spoke --out estate.html
  azroute report --snapshot ./export --out estate.html --force

The file holds the topology, the doctor's findings, the reachability grid and every subnet's
routes, with the traces of the grid's cells when it has at most 2,000; other traces need
`azroute serve`. An existing file is never overwritten without --force.";

pub const DIFF: &str = "\
Examples:
  azroute examples --export hub-spoke --out ./after     # edit ./after, then:
  azroute diff --before example:hub-spoke --after ./after
  azroute diff --before example:hub-spoke --after ./after -o json
  azroute diff --before ./export-monday --after ./export-friday --routes-only

Reachability changes: Lost, NewlyAllowed, NowThroughNva, NowSkipsNva, NvaChanged, ReasonChanged.

Exit status: 0 no reachability lost, 1 reachability lost (an error-level change, for CI gates),
2 bad input or usage.";

pub const WHAT_IF: &str = "\
Examples:
  terraform show -json plan.out > plan.json
  azroute what-if --snapshot ./export --plan plan.json
  azroute what-if --snapshot ./export --plan plan.json -o json --from 'vnet-spoke*/*'

Exit status: 0 no reachability lost, 1 reachability lost (an error-level change, for CI gates),
2 bad input or usage.";

pub const DOCTOR: &str = "\
Examples:
  azroute doctor --example troubleshoot
  azroute doctor --example hub-spoke --severity warning
  azroute doctor --example troubleshoot --only AsymmetricPath,RoutingLoop -o json
  azroute doctor --snapshot ./export -o sarif --fail-on warning > azroute.sarif
  azroute doctor --explain ForcedTunnelBreaksInbound

Exit status: 0 no finding of severity error (or of --fail-on's severity) reported, 1 one was,
2 bad input or usage.";

pub const VERIFY: &str = "\
Examples:
  azroute verify --snapshot ./export --actual ./export/<subscription>/actual
  azroute verify --snapshot ./export --actual ./routes/web-nic.json -o json

Exit status: 0 every route agrees, 1 differences were found, 2 bad input or usage.";

pub const COLLECT: &str = "\
Examples:
  azroute collect --out ./export
  azroute collect --out ./export --subscription 00000000-0000-0000-0000-000000000000 \\
      --subscription contoso-prod --service-tags westeurope
  azroute collect --out ./export --effective-routes
  azroute verify --snapshot ./export --actual ./export/<subscription>/actual

Exit status: 0 everything collected, 1 collected with failures (listed in manifest.json),
2 not logged in, az missing or bad usage.";

pub const EXAMPLES: &str = "\
Examples:
  azroute examples
  azroute routes --example troubleshoot --nic nic-web
  azroute examples --export hub-spoke --out ./hub-spoke";

pub const GENERATE: &str = "\
Examples:
  azroute generate --out ./estate-1k --preset 1k
  azroute generate --out ./estate-100k --preset 100k --seed 7
  azroute generate --out ./small --hubs 1 --spokes-per-hub 3 --nics-per-subnet 2
  azroute generate --out ./estate-10k-legacy --preset 10k --rule-mix legacy
  azroute routes --snapshot ./estate-1k --all -o json > routes.json

The same parameters and seed always write the same bytes.
NSG rules (--rule-mix): `realistic` by default, the flows the estate is designed for allowed
(TCP 443 and 80 between spokes, hub and on-premises; SSH and RDP from the hub's management
subnet; the spokes' Internet traffic through the NVAs) and a few deliberate denies (SSH from
elsewhere, all other inbound traffic to the spokes, SMTP to the Internet, RDP from the Internet
to the hub); `legacy`, the random rules of figures before issue 18 (an inbound deny-all that
leaves about 95 % of the TCP/443 matrix NsgDenied).
Presets: 1k (2 hubs x 10 spokes), 10k (4 x 50), 100k (10 x 200: 100k NICs, 10k subnets, 2k route
tables, 50k user routes); flags override a preset's values.";

pub const COMPLETIONS: &str = "\
Examples:
  azroute completions bash > ~/.local/share/bash-completion/completions/azroute
  azroute completions zsh > ~/.zfunc/_azroute
  azroute completions fish > ~/.config/fish/completions/azroute.fish
  azroute completions powershell >> $PROFILE";

pub const MAN: &str = "\
Examples:
  azroute man | man -l -
  azroute man --out ./man";
