// azroute page: where answers come from. Served by `azroute serve`, the page asks the JSON API
// (the same JSON as the command line's `-o json`); opened from a file written by
// `azroute report`, it reads the answers precomputed into the file and never touches the network.
"use strict";

AZ.data = (function () {
  const mode = document.body.dataset.mode === "report" ? "report" : "serve";
  let embedded = null;
  if (mode === "report") {
    const node = document.getElementById("azroute-data");
    embedded = node ? JSON.parse(node.textContent) : {};
  }

  // { ok, status, body, notices } from an endpoint; never throws.
  async function get(path, params) {
    try {
      const response = await fetch(path + AZ.util.queryString(params), { headers: { Accept: "application/json" } });
      const text = await response.text();
      let body;
      try {
        body = JSON.parse(text);
      } catch (_) {
        body = { error: { message: text || response.statusText } };
      }
      let notices = [];
      const header = response.headers.get("x-azroute-notices");
      if (header) {
        try {
          notices = JSON.parse(header);
        } catch (_) {
          notices = [];
        }
      }
      return { ok: response.ok, status: response.status, body, notices };
    } catch (err) {
      return { ok: false, status: 0, body: { error: { message: "the server cannot be reached: " + err } }, notices: [] };
    }
  }

  function found(body) {
    if (body === undefined || body === null) return missing("this answer is not in the report");
    if (body.error) return { ok: false, status: 400, body, notices: [] };
    return { ok: true, status: 200, body, notices: [] };
  }

  function missing(message) {
    return {
      ok: false,
      status: 404,
      body: { error: { message, hint: "run `azroute serve` on the same snapshot to ask any question live" } },
      notices: [],
    };
  }

  // Report mode: the precomputed trace whose parameters are exactly `params`.
  function embeddedTrace(params) {
    const wanted = JSON.stringify(normalise(params));
    for (const entry of Object.values(embedded.traces || {})) {
      if (JSON.stringify(normalise(entry.params)) === wanted) return found(entry.trace);
    }
    return missing(
      embedded.tracesOmitted ||
        "this report holds the traces of the reach grid's cells only; open one from the Reach tab"
    );
  }

  function normalise(params) {
    const out = {};
    for (const key of Object.keys(params || {}).sort()) {
      const value = params[key];
      if (value === undefined || value === null || value === "" || value === false) continue;
      out[key] = value === true ? "true" : String(value);
    }
    if (!out.protocol) out.protocol = "TCP";
    if (out.protocol.toUpperCase() !== "ICMP") {
      if (!out.port) out.port = "443";
      if (!out["source-port"]) out["source-port"] = "50000";
    }
    out.protocol = out.protocol.toUpperCase();
    return out;
  }

  const serve = {
    topology: () => get("/api/topology"),
    routes: (params) => get("/api/routes", params),
    trace: (params) => get("/api/trace", params),
    reachGrid: (params) => get("/api/reach-grid", params),
    reachCell: (params, row, column) => get("/api/reach-cell", Object.assign({}, params, { row, column })),
    doctor: (params) => get("/api/doctor", params),
  };

  const report = {
    topology: async () => found(embedded.topology),
    // A NIC's routes are its subnet's: the report holds every subnet's.
    routes: async (params) => {
      let subnet = params.subnet;
      if (!subnet && params.nic) {
        const nic = AZ.graph && AZ.graph.model.byId.get(params.nic);
        subnet = nic && nic.parent;
      }
      return subnet ? found((embedded.routes || {})[subnet]) : missing("this report holds subnets' routes only");
    },
    trace: async (params) => embeddedTrace(params),
    reachGrid: async () => found(embedded.reachGrid),
    reachCell: async (_params, row, column) => {
      const cell = (embedded.reachCells || {})[row + "," + column];
      return cell ? found(cell) : missing(embedded.tracesOmitted || "this cell is not in the report");
    },
    doctor: async () => found(embedded.doctor),
  };

  return Object.assign({ mode, embedded }, mode === "report" ? report : serve);
})();
