// azroute page: the topology drawn with Cytoscape.js. The model is `/api/topology` indexed; the
// view is which VNets are open (showing their subnets) and which NICs are shown; the elements
// are rebuilt from both with the layout's positions. Paths, doctor findings and search results
// are drawn over it as classes and extra edges.
"use strict";

AZ.graph = (function () {
  const { el, shortName } = AZ.util;

  // How each kind looks; a kind not listed here (a later addition) gets the default look.
  const KIND_LABELS = {
    VirtualNetwork: "virtual network",
    Subnet: "subnet",
    NetworkInterface: "network interface",
    VirtualNetworkGateway: "virtual network gateway",
    LocalNetworkGateway: "on-premises site",
    LoadBalancer: "load balancer",
    PrivateEndpoint: "private endpoint",
    AzureFirewall: "Azure Firewall",
    NatGateway: "NAT gateway",
    ApplicationGateway: "Application Gateway",
    BastionHost: "Azure Bastion",
    DnsResolverInboundEndpoint: "DNS resolver inbound endpoint",
    RouteServer: "Route Server",
    Internet: "Internet",
    MissingResource: "not in the snapshot",
  };

  // VNets open at start when the estate has at most this many (larger estates open at VNet
  // level; a double click opens one).
  const OPEN_AT_START = 40;

  const model = {
    byId: new Map(),
    vnets: [],
    subnetsOf: new Map(),
    kidsOf: new Map(),
    sites: [],
    loose: [],
    internet: null,
    edges: [],
    neighbours: new Map(),
    siteHub: new Map(),
    nicsByAddress: new Map(),
    nicsByVm: new Map(),
  };
  const view = { expanded: new Set(), shownNics: new Set(), openSubnets: new Set() };
  let cy = null;
  let overlay = { nodes: new Map(), edges: [] };
  let marked = { classes: new Map() };
  // Where the layout put each node ({x, y, w, h}): framing uses it rather than measuring labels.
  let boxes = new Map();

  function push(map, key, value) {
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(value);
  }

  function index(topology) {
    for (const n of topology.nodes) model.byId.set(n.id, n);
    for (const n of topology.nodes) {
      if (n.kind === "VirtualNetwork") model.vnets.push(n);
      else if (n.kind === "Subnet") push(model.subnetsOf, n.parent, n);
      else if (n.kind === "LocalNetworkGateway") model.sites.push(n);
      else if (n.kind === "Internet") model.internet = n;
      else if (n.parent && model.byId.has(n.parent)) {
        const parent = model.byId.get(n.parent);
        if (parent.kind === "Subnet") push(model.kidsOf, n.parent, n);
        else push(model.subnetsOf, n.parent, n);
      } else if (n.kind !== "NetworkInterface" && n.kind !== "PrivateEndpoint") model.loose.push(n);
      if (n.kind === "NetworkInterface") {
        for (const a of n.addresses || []) model.nicsByAddress.set(a, n);
        const vm = n.properties && n.properties.virtualMachine;
        if (vm) push(model.nicsByVm, vm.toLowerCase(), n);
      }
    }
    model.edges = topology.edges;
    for (const e of topology.edges) {
      if (e.kind !== "VirtualNetworkPeering") continue;
      for (const [a, b] of [[e.source, e.target], [e.target, e.source]]) {
        if (!model.neighbours.has(a)) model.neighbours.set(a, new Set());
        model.neighbours.get(a).add(b);
      }
    }
    for (const e of topology.edges) {
      if (e.kind === "Connection" && model.byId.has(e.target) && model.byId.get(e.target).kind === "LocalNetworkGateway") {
        const vnet = vnetOf(e.source);
        if (vnet && !model.siteHub.has(e.target)) model.siteHub.set(e.target, vnet);
      }
    }
  }

  // The VNet that holds a node (or the node, for a VNet).
  function vnetOf(id) {
    let node = model.byId.get(id);
    while (node && node.kind !== "VirtualNetwork") node = node.parent ? model.byId.get(node.parent) : null;
    return node ? node.id : null;
  }

  function label(n) {
    const first = (list) => (list && list.length ? list.join(" ") : "");
    switch (n.kind) {
      case "VirtualNetwork": {
        const count = (model.subnetsOf.get(n.id) || []).filter((s) => s.kind === "Subnet").length;
        return view.expanded.has(n.id)
          ? n.name + "   " + first(n.prefixes)
          : n.name + "\n" + first(n.prefixes) + "\n" + count + " subnet" + (count === 1 ? "" : "s");
      }
      case "Subnet":
        return n.name + "\n" + first(n.prefixes);
      case "NetworkInterface":
        return (n.properties && n.properties.enableIPForwarding ? "NVA " : "") + n.name + "\n" + first(n.addresses);
      case "VirtualNetworkGateway":
        return n.name + "\n" + ((n.properties && n.properties.gatewayType) || "") + " gateway";
      case "LocalNetworkGateway":
        return "on-premises: " + n.name + "\n" + first(n.prefixes);
      case "AzureFirewall":
        return "Azure Firewall " + n.name + "\n" + first(n.addresses);
      case "NatGateway":
      case "ApplicationGateway":
      case "BastionHost":
      case "DnsResolverInboundEndpoint":
        return KIND_LABELS[n.kind] + " " + n.name + (n.addresses && n.addresses.length ? "\n" + first(n.addresses) : "");
      case "RouteServer":
        return "Route Server " + n.name + "\n" + first(n.addresses);
      case "MissingResource":
        return n.name + "\n(not in the snapshot)";
      default:
        return n.name + (n.addresses && n.addresses.length ? "\n" + first(n.addresses) : "");
    }
  }

  function classesOf(n) {
    const c = ["k-" + n.kind];
    if (n.kind === "NetworkInterface" && n.properties && n.properties.enableIPForwarding) c.push("nva");
    if (n.kind === "Subnet" && /^(GatewaySubnet|AzureFirewallSubnet|RouteServerSubnet)$/i.test(n.name)) c.push("special");
    if (n.kind === "VirtualNetwork" && !view.expanded.has(n.id)) c.push("collapsed");
    return c.join(" ");
  }

  // The drawn node that stands for `id`: itself, or its nearest drawn container.
  function drawn(id) {
    let node = model.byId.get(id);
    while (node) {
      if (cy.getElementById(node.id).nonempty()) return node.id;
      node = node.parent ? model.byId.get(node.parent) : null;
    }
    return overlay.nodes.has(id) ? id : null;
  }

  function peeringClasses(e) {
    const p = e.properties || {};
    const states = [p.sourceToTarget, p.targetToSource].map((s) => (s ? s.peeringState : "Missing"));
    const c = ["e-peering"];
    if (p.global) c.push("global");
    if (!p.connected) {
      c.push(states.some((s) => s === "Disconnected" || s === "Missing") ? "disconnected" : "initiated");
    }
    return { classes: c.join(" "), label: p.connected ? (p.global ? "global" : "") : states.join(" / ") };
  }

  function edgeElements() {
    const out = [];
    const seen = new Set();
    for (const e of model.edges) {
      const source = drawn(e.source);
      const target = drawn(e.target);
      if (!source || !target || source === target) continue;
      const key = e.kind + source + "|" + target;
      if (seen.has(key)) continue;
      seen.add(key);
      let look;
      if (e.kind === "VirtualNetworkPeering") look = peeringClasses(e);
      else if (e.kind === "Connection") {
        const p = e.properties || {};
        const bad = p.connectionStatus && p.connectionStatus !== "Connected";
        look = { classes: "e-connection" + (bad ? " disconnected" : ""), label: p.connectionStatus || "" };
      } else if (e.kind === "BgpPeering") {
        const p = e.properties || {};
        look = { classes: "e-bgp", label: "BGP" + (p.peerAsn ? " AS" + p.peerAsn : "") };
      } else look = { classes: "e-other", label: e.kind };
      out.push({ group: "edges", data: { id: "edge:" + e.id, source, target, label: look.label, ref: e.id }, classes: look.classes });
    }
    return out;
  }

  // What decides the elements: which VNets are open, which NICs shown, the overlay's nodes.
  function structure() {
    return JSON.stringify([[...view.expanded].sort(), [...view.shownNics].sort(), [...view.openSubnets].sort(), [...overlay.nodes.keys()]]);
  }
  let drawnStructure = null;

  // Rebuilds every element from the model and the view: each placed box is a node, containers
  // (an open VNet, a subnet holding devices) drawn beneath what they hold. When only the marks
  // or the path changed, only those are redrawn.
  function render() {
    const key = structure();
    if (key === drawnStructure) {
      cy.batch(() => {
        cy.edges("[path]").remove();
        cy.add(overlayEdges());
        applyMarks();
      });
      return;
    }
    drawnStructure = key;
    const placed = AZ.layout.compute(model, view);
    boxes = new Map(placed.map((p) => [p.id, p]));
    const elements = [];
    for (const p of placed) {
      const n = model.byId.get(p.id) || (p.id === "Internet" ? { id: p.id, kind: "Internet", name: "Internet" } : null);
      if (!n) continue;
      const data = { id: n.id, label: label(n), kind: n.kind, w: p.w, h: p.h, z: p.depth };
      elements.push({ group: "nodes", data, classes: classesOf(n) + (p.container ? " container" : ""), position: { x: p.x, y: p.y } });
    }
    for (const [id, n] of overlay.nodes) {
      elements.push({ group: "nodes", data: { id, label: n.label, kind: n.kind, w: 150, h: 50, z: 0 }, classes: "k-" + n.kind, position: n.position });
      boxes.set(id, { id, x: n.position.x, y: n.position.y, w: 150, h: 50 });
    }
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
      cy.add(edgeElements());
      cy.add(overlayEdges());
      applyMarks();
    });
  }

  const MARKS = ["flagged", "on-path", "failed-hop"];

  function applyMarks() {
    cy.nodes().removeClass(MARKS.join(" "));
    for (const [cls, ids] of marked.classes) {
      for (const id of ids) {
        const d = drawn(id);
        if (d) cy.getElementById(d).addClass(cls);
      }
    }
  }

  function overlayEdges() {
    return overlay.edges
      .map((e, i) => {
        const source = drawn(e.source);
        const target = drawn(e.target);
        if (!source || !target) return null;
        return { group: "edges", data: { id: "path:" + i, source, target, label: e.label || "", path: true }, classes: e.classes };
      })
      .filter(Boolean);
  }

  function style() {
    return [
      { selector: "node", style: { label: "data(label)", "font-size": 11, "text-wrap": "wrap", "text-valign": "center", "text-halign": "center", "background-color": "#f4f6f8", "border-width": 1, "border-color": "#90a4ae", shape: "round-rectangle", color: "#263238", "min-zoomed-font-size": 5 } },
      { selector: "node[w]", style: { width: "data(w)", height: "data(h)", "text-max-width": "data(w)" } },
      { selector: "node[z]", style: { "z-index": "data(z)", "z-index-compare": "manual" } },
      { selector: ".container", style: { "text-valign": "top", "text-margin-y": 18 } },
      { selector: ".k-VirtualNetwork", style: { "background-color": "#e8f0fe", "border-color": "#1a73e8", "border-width": 2, "font-weight": "bold", "font-size": 12 } },
      { selector: ".k-VirtualNetwork.collapsed", style: { "background-color": "#d2e3fc" } },
      { selector: ".k-Subnet", style: { "background-color": "#ffffff", "border-color": "#5f8dd3" } },
      { selector: ".k-Subnet.special", style: { "border-style": "dashed", "background-color": "#fafafa" } },
      { selector: ".k-NetworkInterface", style: { "background-color": "#eceff1", "font-size": 10 } },
      { selector: ".nva", style: { "background-color": "#ffe0b2", "border-color": "#ef6c00", "border-width": 2, "font-weight": "bold" } },
      { selector: ".k-VirtualNetworkGateway", style: { "background-color": "#c8e6c9", "border-color": "#2e7d32", "border-width": 2, shape: "round-hexagon", "font-size": 10 } },
      { selector: ".k-LocalNetworkGateway, .k-OnPremises", style: { "background-color": "#ede7f6", "border-color": "#5e35b1", "border-width": 2, shape: "round-tag" } },
      { selector: ".k-LoadBalancer", style: { "background-color": "#fff9c4", "border-color": "#f9a825", shape: "round-octagon", "font-size": 10 } },
      { selector: ".k-AzureFirewall", style: { "background-color": "#ffccbc", "border-color": "#d84315", "border-width": 2, shape: "round-rectangle", "font-size": 10, "font-weight": "bold" } },
      { selector: ".k-NatGateway, .k-ApplicationGateway, .k-BastionHost, .k-DnsResolverInboundEndpoint", style: { "background-color": "#ede7f6", "border-color": "#5e35b1", shape: "round-rectangle", "font-size": 10 } },
      { selector: ".k-RouteServer", style: { "background-color": "#dcedc8", "border-color": "#558b2f", "border-width": 2, shape: "round-diamond", "font-size": 10, "font-weight": "bold" } },
      { selector: ".k-PrivateEndpoint", style: { "background-color": "#e0f2f1", "border-color": "#00897b", "font-size": 10 } },
      { selector: ".k-Internet, .k-AzureService", style: { "background-color": "#e3f2fd", "border-color": "#1565c0", "border-width": 2, shape: "ellipse", "font-weight": "bold" } },
      { selector: ".k-MissingResource", style: { "border-style": "dashed", "background-color": "#fafafa", color: "#78909c" } },
      { selector: "edge", style: { "z-index": 3, "z-index-compare": "manual", width: 2, "line-color": "#78909c", "curve-style": "bezier", label: "data(label)", "font-size": 10, "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2, color: "#455a64", "min-zoomed-font-size": 5 } },
      { selector: ".e-peering.global", style: { "line-color": "#7e57c2", width: 3, "line-style": "solid" } },
      { selector: ".e-peering.initiated", style: { "line-color": "#f57c00", "line-style": "dashed", width: 3 } },
      { selector: ".e-peering.disconnected", style: { "line-color": "#c62828", "line-style": "dotted", width: 3 } },
      { selector: ".e-connection", style: { "line-color": "#2e7d32", width: 2 } },
      { selector: ".e-bgp", style: { "line-color": "#558b2f", "line-style": "dashed", width: 2 } },
      { selector: ".e-connection.disconnected", style: { "line-color": "#c62828", "line-style": "dashed" } },
      { selector: ".path-request", style: { "line-color": "#1565c0", width: 4, "target-arrow-shape": "triangle", "target-arrow-color": "#1565c0", "control-point-step-size": 60, "z-index": 10, color: "#0d47a1", "font-weight": "bold" } },
      { selector: ".path-reply", style: { "line-color": "#00897b", width: 3, "line-style": "dashed", "target-arrow-shape": "triangle", "target-arrow-color": "#00897b", "control-point-step-size": 60, "z-index": 9, color: "#00695c" } },
      { selector: ".path-blocked", style: { "line-color": "#c62828", width: 3, "line-style": "dotted", "target-arrow-shape": "tee", "target-arrow-color": "#c62828", "z-index": 10, color: "#c62828", "font-weight": "bold" } },
      { selector: ".path-failed", style: { "line-color": "#c62828", "target-arrow-color": "#c62828" } },
      { selector: ".on-path", style: { "border-color": "#1565c0", "border-width": 3 } },
      { selector: ".failed-hop", style: { "border-color": "#c62828", "border-width": 5, "background-color": "#ffebee" } },
      { selector: ".flagged", style: { "border-color": "#ff6f00", "border-width": 4, "background-color": "#fff3e0" } },
      { selector: ":selected", style: { "border-color": "#d81b60", "border-width": 4 } },
    ];
  }

  function details(n) {
    const panel = document.getElementById("details");
    AZ.util.clear(panel);
    if (!n) {
      panel.appendChild(el("p", { class: "muted", text: "Click a VNet, subnet or device for its details; double-click a VNet to open or close it, a subnet to show its NICs." }));
      return;
    }
    const props = n.properties || {};
    const rows = [
      ["kind", KIND_LABELS[n.kind] || n.kind],
      ["name", n.name],
      ["id", n.id],
      ["prefixes", (n.prefixes || []).join(", ")],
      ["addresses", (n.addresses || []).join(", ")],
    ];
    for (const [k, v] of Object.entries(props)) {
      rows.push([k, typeof v === "object" ? (v && v.name) || (v && v.peeringState) || JSON.stringify(v) : String(v)]);
    }
    panel.appendChild(el("h3", { text: n.name }));
    panel.appendChild(AZ.util.facts(rows));
    const actions = el("div", { class: "actions" });
    if (n.kind === "Subnet" || n.kind === "NetworkInterface") {
      actions.appendChild(el("button", { text: "Effective routes", onclick: () => AZ.app.show("routes", { target: n.id }) }));
    }
    if (n.kind === "NetworkInterface") {
      actions.appendChild(el("button", { text: "Trace from here", onclick: () => AZ.app.show("path", { from: n.name }) }));
      actions.appendChild(el("button", { text: "Trace to here", onclick: () => AZ.app.show("path", { to: n.name }) }));
    }
    if (n.kind === "VirtualNetwork") {
      actions.appendChild(el("button", { text: view.expanded.has(n.id) ? "Close" : "Open", onclick: () => toggle(n.id) }));
    }
    if (n.kind === "Subnet") {
      actions.appendChild(el("button", { text: view.openSubnets.has(n.id) ? "Hide NICs" : "Show NICs", onclick: () => toggleSubnet(n.id) }));
    }
    panel.appendChild(actions);
  }

  function toggle(vnetId) {
    if (view.expanded.has(vnetId)) view.expanded.delete(vnetId);
    else view.expanded.add(vnetId);
    render();
    details(model.byId.get(vnetId));
  }

  function toggleSubnet(subnetId) {
    const vnet = vnetOf(subnetId);
    if (vnet) view.expanded.add(vnet);
    if (view.openSubnets.has(subnetId)) view.openSubnets.delete(subnetId);
    else view.openSubnets.add(subnetId);
    render();
    details(model.byId.get(subnetId));
  }

  // Makes `id` drawn (its VNet open, a NIC shown) without redrawing.
  function reveal(id) {
    const n = model.byId.get(id);
    if (!n) return;
    const vnet = vnetOf(id);
    if (vnet) view.expanded.add(vnet);
    if (n.kind === "NetworkInterface") view.shownNics.add(id);
  }

  // The zoom and pan that frame `list` of boxes in the drawing's area.
  function framing(list, padding) {
    if (!list.length) return null;
    const x1 = Math.min(...list.map((b) => b.x - b.w / 2));
    const x2 = Math.max(...list.map((b) => b.x + b.w / 2));
    const y1 = Math.min(...list.map((b) => b.y - b.h / 2));
    const y2 = Math.max(...list.map((b) => b.y + b.h / 2));
    const width = cy.width() - 2 * padding;
    const height = cy.height() - 2 * padding;
    const zoom = Math.max(cy.minZoom(), Math.min(1.5, width / Math.max(1, x2 - x1), height / Math.max(1, y2 - y1)));
    return { zoom, pan: { x: cy.width() / 2 - zoom * (x1 + x2) / 2, y: cy.height() / 2 - zoom * (y1 + y2) / 2 } };
  }

  function boxOf(id) {
    const d = drawn(id);
    if (!d) return null;
    if (boxes.has(d)) return boxes.get(d);
    const n = cy.getElementById(d);
    return n.nonempty() ? { x: n.position("x"), y: n.position("y"), w: 150, h: 50 } : null;
  }

  // Frames the drawn nodes that stand for `ids`, animated.
  function focus(ids) {
    const view = framing(ids.map(boxOf).filter(Boolean), 120);
    if (view) cy.animate(Object.assign(view, { duration: 250 }));
  }

  // Frames the whole drawing at once.
  function fitAll() {
    const view = framing([...boxes.values()], 30);
    if (view) cy.viewport(view);
  }

  // Marks nodes with classes that survive redrawing (`{class: [ids]}`: search hits, a path's
  // hops, a finding's resources), replacing earlier marks; a new overlay (extra nodes and the
  // path's edges) replaces the old one, `undefined` keeps it.
  function highlight(marks, newOverlay) {
    for (const ids of Object.values(marks)) ids.forEach(reveal);
    marked.classes = new Map(Object.entries(marks));
    if (newOverlay) overlay = newOverlay;
    render();
  }

  function init(topology) {
    index(topology);
    AZ.util.mark("topology-indexed");
    if (model.vnets.length <= OPEN_AT_START) model.vnets.forEach((v) => view.expanded.add(v.id));
    cy = cytoscape({
      container: document.getElementById("graph"),
      style: style(),
      layout: { name: "preset" },
      minZoom: 0.02,
      maxZoom: 3,
      // Panning and zooming a large drawing moves a snapshot of it, redrawn when the gesture ends.
      textureOnViewport: true,
      hideEdgesOnViewport: model.vnets.length > OPEN_AT_START,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    AZ.util.mark("renderer-created");
    cy.on("tap", "node", (evt) => details(model.byId.get(evt.target.id()) || null));
    cy.on("tap", (evt) => {
      if (evt.target === cy) details(null);
    });
    cy.on("dbltap", "node", (evt) => {
      const n = model.byId.get(evt.target.id());
      if (n && n.kind === "VirtualNetwork") toggle(n.id);
      else if (n && n.kind === "Subnet") toggleSubnet(n.id);
    });
    render();
    AZ.util.mark("elements-added");
    fitAll();
    details(null);
    api.cy = cy;
  }

  function expandAll(open) {
    if (open) model.vnets.forEach((v) => view.expanded.add(v.id));
    else view.expanded.clear();
    render();
    fitAll();
  }

  const api = { init, model, view, render, reveal, focus, fitAll, highlight, drawn, vnetOf, expandAll, details, KIND_LABELS, cy: null };
  return api;
})();
