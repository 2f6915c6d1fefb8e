// azroute page: the Path tab, `azroute trace` drawn on the topology. The request is a solid
// blue line and the reply a dashed green one, hop by hop; the hop where the packet is dropped is
// ringed in red; beside them, each direction's hops and every finding with its fix, exactly as
// `azroute trace -o json` reports them.
"use strict";

AZ.path = (function () {
  const { el, clear, errorBox, parseIp, prefixContains } = AZ.util;

  function form() {
    return {
      from: document.getElementById("path-from"),
      to: document.getElementById("path-to"),
      protocol: document.getElementById("path-protocol"),
      port: document.getElementById("path-port"),
      sourcePort: document.getElementById("path-source-port"),
      assumeHost: document.getElementById("path-assume-host"),
    };
  }

  // NIC and VM names to suggest, built when a field is first focused.
  function suggest() {
    const names = document.getElementById("path-choices");
    if (names.firstChild) return;
    const seen = new Set();
    for (const n of AZ.graph.model.byId.values()) {
      if (n.kind !== "NetworkInterface") continue;
      const vm = n.properties && n.properties.virtualMachine;
      for (const name of [vm, n.name]) {
        if (name && !seen.has(name) && seen.size < 5000) {
          seen.add(name);
          names.appendChild(el("option", { value: name }));
        }
      }
    }
  }

  function init() {
    document.getElementById("path-from").addEventListener("focus", suggest);
    document.getElementById("path-to").addEventListener("focus", suggest);
    document.getElementById("path-form").addEventListener("submit", (evt) => {
      evt.preventDefault();
      run(params());
    });
    if (AZ.data.mode === "report") {
      document.getElementById("path-note").textContent =
        "This file holds the traces of the reach grid's cells: open one from the Reach tab. Tracing any other pair needs `azroute serve`.";
    }
  }

  // The form as `/api/trace`'s parameters.
  function params() {
    const f = form();
    const p = { from: f.from.value.trim(), to: f.to.value.trim(), protocol: f.protocol.value };
    if (f.protocol.value !== "ICMP") {
      if (f.port.value.trim()) p.port = f.port.value.trim();
      if (f.sourcePort.value.trim()) p["source-port"] = f.sourcePort.value.trim();
    }
    if (f.assumeHost.checked) p["assume-host"] = true;
    return p;
  }

  function fill(p) {
    const f = form();
    if (p.from !== undefined) f.from.value = p.from;
    if (p.to !== undefined) f.to.value = p.to;
    if (p.protocol) f.protocol.value = String(p.protocol).toUpperCase();
    if (p.port) f.port.value = p.port;
    if (p["source-port"]) f.sourcePort.value = p["source-port"];
    f.assumeHost.checked = p["assume-host"] === true || p["assume-host"] === "true";
  }

  async function run(p) {
    fill(p);
    const out = clear(document.getElementById("path-result"));
    if (!p.from || !p.to) {
      out.appendChild(errorBox({ message: "give where the packet starts (From) and where it goes (To)" }));
      return;
    }
    out.appendChild(el("p", { class: "muted", text: "tracing…" }));
    const answer = await AZ.data.trace(p);
    clear(out);
    if (!answer.ok) {
      out.appendChild(errorBox(answer.body));
      AZ.graph.highlight({}, { nodes: new Map(), edges: [] });
      return;
    }
    for (const notice of answer.notices) out.appendChild(el("p", { class: "notice", text: notice.level + ": " + notice.text }));
    draw(answer.body);
    out.appendChild(report(answer.body));
    AZ.util.mark("trace-drawn");
  }

  const FAILED = new Set(["Dropped", "Loop"]);

  // The site whose prefixes hold `address`, if any.
  function siteFor(address) {
    const ip = parseIp(address);
    return AZ.graph.model.sites.find((s) => (s.prefixes || []).some((p) => prefixContains(p, ip)));
  }

  // The NIC holding an address, else the subnet containing it.
  function addressNode(address) {
    const m = AZ.graph.model;
    const nic = m.nicsByAddress.get(address);
    if (nic) return nic.id;
    const ip = parseIp(address);
    for (const n of m.byId.values()) {
      if (n.kind === "Subnet" && (n.prefixes || []).some((p) => prefixContains(p, ip))) return n.id;
    }
    return null;
  }

  // The node a hop stands at (revealed so that it is drawn), or a synthetic one.
  function hopNode(hop, synthetic) {
    const m = AZ.graph.model;
    if (hop.type === "Internet") return "Internet";
    if (hop.type === "OnPremises") {
      const site = siteFor(hop.address);
      if (site) return site.id;
      synthetic.set("OnPremises", { label: "on-premises", kind: "OnPremises" });
      return "OnPremises";
    }
    if (hop.type === "ServiceEndpoint") {
      synthetic.set("AzureService", { label: "Azure service", kind: "AzureService" });
      return "AzureService";
    }
    const id = hop.resource && hop.resource.id;
    if (id && m.byId.has(id)) {
      AZ.graph.reveal(id);
      return id;
    }
    if (hop.subnet && m.byId.has(hop.subnet.id)) {
      AZ.graph.reveal(hop.subnet.id);
      return hop.subnet.id;
    }
    return null;
  }

  function edges(hops, cls, prefix, synthetic) {
    const ids = hops.map((h) => hopNode(h, synthetic));
    const out = [];
    let last = null;
    ids.forEach((id, i) => {
      if (!id) return;
      if (last && last !== id) out.push({ source: last, target: id, classes: cls, label: prefix + i });
      last = id;
    });
    return { ids: ids.filter(Boolean), edges: out };
  }

  function draw(trace) {
    const synthetic = new Map();
    const request = edges(trace.hops || [], "path-request", "", synthetic);
    const reply = trace["return"] ? edges(trace["return"].hops || [], "path-reply", "r", synthetic) : { ids: [], edges: [] };
    const failed = [];
    if (FAILED.has(trace.verdict) && request.ids.length) failed.push(request.ids[request.ids.length - 1]);
    if (trace["return"] && FAILED.has(trace["return"].verdict) && reply.ids.length) failed.push(reply.ids[reply.ids.length - 1]);
    if (FAILED.has(trace.verdict) && request.edges.length) request.edges[request.edges.length - 1].classes += " path-failed";
    // A dropped request points, crossed out, at where it was going.
    const intended = FAILED.has(trace.verdict) && trace.request ? addressNode(trace.request.destination) : null;
    const last = request.ids[request.ids.length - 1];
    if (intended && last && intended !== last) {
      AZ.graph.reveal(intended);
      request.edges.push({ source: last, target: intended, classes: "path-blocked", label: "✕ " + trace.verdict });
    }
    // Synthetic ends sit left of the top row.
    let x = -260;
    for (const n of synthetic.values()) {
      n.position = { x, y: 0 };
      x -= 200;
    }
    AZ.graph.highlight({ "on-path": request.ids.concat(reply.ids), "failed-hop": failed }, { nodes: synthetic, edges: request.edges.concat(reply.edges) });
    AZ.graph.focus(request.ids.concat(reply.ids));
  }

  function verdictClass(verdict) {
    return FAILED.has(verdict) ? "verdict bad" : "verdict good";
  }

  function routeText(r) {
    const ips = r.nextHopIpAddress.length ? " " + r.nextHopIpAddress.join(" ") : "";
    return r.addressPrefix + " → " + r.nextHopType + ips + " (" + r.source + (r.name ? ", " + r.name : "") + ")";
  }

  // Each hop in three columns: what and where it is, the route it took, the NSG rules and notes.
  function hopTable(hops) {
    const head = ["#", "Hop", "Route used", "NSG rules, notes"];
    return el(
      "table",
      { class: "grid-table hops" },
      el("colgroup", {}, el("col", { class: "n" }), el("col", { class: "hop" }), el("col", { class: "route" }), el("col", { class: "rules" })),
      el("thead", {}, el("tr", {}, head.map((h) => el("th", { text: h })))),
      el(
        "tbody",
        {},
        hops.map((h) =>
          el(
            "tr",
            { "data-type": h.type },
            el("td", { text: String(h.index) }),
            el(
              "td",
              {},
              el("div", { class: "hop-type", text: h.type }),
              el("div", { text: [(h.resource && h.resource.name) || "", h.address || ""].filter(Boolean).join(" ") }),
              h.subnet ? el("div", { class: "muted", text: h.subnet.name }) : null
            ),
            el("td", { text: h.route ? routeText(h.route) : "" }),
            el(
              "td",
              {},
              (h.nsgRules || []).map((r) =>
                el("div", { class: r.access === "Deny" ? "deny" : "", text: r.networkSecurityGroup.name + " " + r.direction + " " + r.access + " " + r.ruleName + (r.byFlowState ? " (flow state)" : "") })
              ),
              (h.notes || []).map((n) => el("div", { class: "muted", text: n }))
            )
          )
        )
      )
    );
  }

  // One finding: severity, code, message, evidence, fix and its resources (a click shows them).
  function finding(f) {
    return el(
      "div",
      { class: "finding sev-" + f.severity, "data-code": f.code, "data-severity": f.severity },
      el("div", { class: "finding-head" }, el("span", { class: "badge", text: f.severity }), " ", el("code", { text: f.code })),
      el("div", { class: "message", text: f.message }),
      f.evidence && f.evidence.length ? el("ul", { class: "evidence" }, f.evidence.map((e) => el("li", { text: e }))) : null,
      el("div", { class: "fix" }, el("strong", { text: "fix: " }), f.fix),
      f.resources && f.resources.length
        ? el("div", { class: "resources" }, f.resources.map((id) =>
            el("button", { class: "link", text: AZ.util.shortName(id), title: id, onclick: () => AZ.app.showResources([id]) })
          ))
        : null
    );
  }

  function report(trace) {
    const r = trace.request || {};
    const reply = trace["return"];
    return el(
      "div",
      { class: "trace" },
      el("p", {}, el("span", { class: verdictClass(trace.verdict), id: "trace-verdict", text: trace.verdict }),
        " " + (r.source || "") + " → " + (r.destination || "") + " " + (r.protocol || "") + (r.protocol === "ICMP" ? "" : "/" + r.destinationPort)),
      el("h4", { text: "Request" }),
      hopTable(trace.hops || []),
      reply ? el("h4", {}, "Reply ", el("span", { class: verdictClass(reply.verdict), text: reply.verdict })) : null,
      reply ? hopTable(reply.hops || []) : null,
      el("h4", { text: "Findings (" + (trace.findings || []).length + ")" }),
      el("div", { id: "trace-findings" }, (trace.findings || []).length ? trace.findings.map(finding) : el("p", { class: "muted", text: "No findings." })),
      trace.assumptions && trace.assumptions.length ? el("div", { class: "notes" }, el("h4", { text: "Assumptions" }), el("ul", {}, trace.assumptions.map((a) => el("li", { text: a })))) : null
    );
  }

  return { init, run, fill, finding };
})();
