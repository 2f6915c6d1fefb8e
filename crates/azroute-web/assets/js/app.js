// azroute page: the shell. Loads the topology, draws it, wires the tabs (kept in the URL's
// fragment, so that a view can be linked: `#path?from=vm-app1&to=vm-app2&port=443`) and the
// search by name or address.
"use strict";

AZ.app = (function () {
  const { el, clear, parseIp, prefixContains } = AZ.util;
  const TABS = ["topology", "routes", "path", "reach", "doctor"];
  let current = "topology";

  // Shows a tab; `args` carries what to show in it.
  async function show(tab, args) {
    if (!TABS.includes(tab)) tab = "topology";
    current = tab;
    for (const button of document.querySelectorAll("#tabs button")) button.classList.toggle("active", button.dataset.tab === tab);
    for (const panel of document.querySelectorAll("[data-panel]")) panel.hidden = panel.dataset.panel !== tab;
    const reach = tab === "reach";
    document.getElementById("reach-view").hidden = !reach;
    document.getElementById("canvas-wrap").hidden = reach;
    if (!reach && AZ.graph.cy) AZ.graph.cy.resize();
    args = args || {};
    let hash = "#" + tab;
    if (tab === "routes" && args.target) {
      hash += AZ.util.queryString({ target: args.target });
      await AZ.routes.show(args.target);
    } else if (tab === "path" && args.params) {
      hash += AZ.util.queryString(args.params);
      await AZ.path.run(args.params);
    } else if (tab === "path") {
      AZ.path.fill(args);
    } else if (tab === "reach" && !AZ.reach.loaded()) {
      await AZ.reach.load();
    } else if (tab === "doctor" && !AZ.doctor.loaded()) {
      await AZ.doctor.load();
    }
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  // A finding's or search result's resources, marked and framed on the topology.
  function showResources(ids) {
    const m = AZ.graph.model;
    // A route table or NSG is shown by the subnets and NICs that use it.
    const marked = [];
    for (const id of ids) {
      if (m.byId.has(id)) {
        marked.push(id);
        continue;
      }
      for (const n of m.byId.values()) {
        const p = n.properties || {};
        for (const ref of [p.routeTable, p.networkSecurityGroup]) {
          if (ref && typeof ref.id === "string" && ref.id.toLowerCase() === id.toLowerCase()) marked.push(n.id);
        }
      }
    }
    if (current === "reach") show("topology");
    AZ.graph.highlight({ flagged: marked });
    AZ.graph.focus(marked);
    if (marked.length === 1) AZ.graph.details(m.byId.get(marked[0]));
  }

  // Names and addresses matched by the search box (at most `limit`).
  function search(text, limit) {
    const m = AZ.graph.model;
    const query = text.trim().toLowerCase();
    if (!query) return [];
    const ip = parseIp(query);
    const hits = [];
    const add = (n, why) => {
      if (hits.length < limit && !hits.some((h) => h.node.id === n.id)) hits.push({ node: n, why });
    };
    if (ip) {
      for (const n of m.byId.values()) if ((n.addresses || []).some((a) => a.toLowerCase() === query)) add(n, "holds " + text.trim());
      for (const n of m.byId.values()) if ((n.prefixes || []).some((p) => prefixContains(p, ip))) add(n, "contains " + text.trim());
      return hits;
    }
    for (const n of m.byId.values()) {
      const vm = n.properties && n.properties.virtualMachine;
      if (n.name.toLowerCase() === query || (vm && vm.toLowerCase() === query)) add(n, "");
    }
    for (const n of m.byId.values()) {
      const vm = n.properties && n.properties.virtualMachine;
      if (n.name.toLowerCase().includes(query) || (vm && vm.toLowerCase().includes(query))) add(n, "");
    }
    return hits;
  }

  function describe(n) {
    const parent = n.parent ? m().byId.get(n.parent) : null;
    const vm = n.properties && n.properties.virtualMachine;
    return (AZ.graph.KIND_LABELS[n.kind] || n.kind) + (vm ? " of " + vm : "") + (parent ? " in " + parent.name : "");
  }

  function m() {
    return AZ.graph.model;
  }

  function wireSearch() {
    const input = document.getElementById("search");
    const list = document.getElementById("search-results");
    const pick = (n) => {
      list.hidden = true;
      showResources([n.id]);
    };
    input.addEventListener("input", () => {
      const hits = search(input.value, 20);
      clear(list);
      list.hidden = !hits.length;
      for (const h of hits) {
        list.appendChild(el("li", { onclick: () => pick(h.node) }, el("strong", { text: h.node.name }), " ", el("span", { class: "muted", text: describe(h.node) + (h.why ? " (" + h.why + ")" : "") })));
      }
    });
    input.addEventListener("keydown", (evt) => {
      if (evt.key === "Enter") {
        const hits = search(input.value, 1);
        if (hits.length) pick(hits[0].node);
      } else if (evt.key === "Escape") list.hidden = true;
    });
  }

  // `#tab?params` back into a view.
  function fromHash() {
    const hash = location.hash.replace(/^#/, "");
    const [tab, query] = hash.split("?");
    const params = Object.fromEntries(new URLSearchParams(query || ""));
    if (tab === "routes" && params.target) return show("routes", { target: params.target });
    if (tab === "path" && params.from && params.to) return show("path", { params });
    return show(tab || "topology");
  }

  async function boot() {
    AZ.util.mark("boot");
    const topology = await AZ.data.topology();
    if (!topology.ok) {
      document.getElementById("details").appendChild(AZ.util.errorBox(topology.body));
      return;
    }
    AZ.util.mark("topology-fetched");
    AZ.graph.init(topology.body);
    AZ.util.mark("topology-drawn");
    // The drawing is on screen once the frame after the renderer's first one starts.
    requestAnimationFrame(() => requestAnimationFrame(() => AZ.util.mark("topology-painted")));
    const counts = {};
    for (const n of topology.body.nodes) counts[n.kind] = (counts[n.kind] || 0) + 1;
    AZ.util.status(
      (counts.VirtualNetwork || 0) + " VNets, " + (counts.Subnet || 0) + " subnets, " + (counts.NetworkInterface || 0) + " NICs" +
        (AZ.data.mode === "report" ? " · offline report" : "")
    );
    AZ.routes.init();
    AZ.path.init();
    AZ.reach.init();
    AZ.doctor.init();
    for (const button of document.querySelectorAll("#tabs button")) button.addEventListener("click", () => show(button.dataset.tab));
    document.getElementById("fit").addEventListener("click", () => AZ.graph.fitAll());
    document.getElementById("open-all").addEventListener("click", () => AZ.graph.expandAll(true));
    document.getElementById("close-all").addEventListener("click", () => AZ.graph.expandAll(false));
    wireSearch();
    await fromHash();
    document.body.dataset.ready = "true";
    AZ.util.mark("ready");
  }

  window.addEventListener("DOMContentLoaded", boot);
  return { show, showResources, search };
})();
