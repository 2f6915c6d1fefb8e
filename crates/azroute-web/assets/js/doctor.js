// azroute page: the Doctor tab, `azroute doctor -o json`'s findings by severity, each with its
// fix and links that show its resources on the topology.
"use strict";

AZ.doctor = (function () {
  const { el, clear, errorBox } = AZ.util;
  let body = null;

  function init() {
    document.getElementById("doctor-severity").addEventListener("change", draw);
  }

  async function load() {
    const out = clear(document.getElementById("doctor-result"));
    out.appendChild(el("p", { class: "muted", text: "running the checks…" }));
    const answer = await AZ.data.doctor({});
    clear(out);
    if (!answer.ok) {
      out.appendChild(errorBox(answer.body));
      return;
    }
    body = answer.body;
    draw();
    AZ.util.mark("doctor-drawn");
  }

  const ORDER = ["error", "warning", "info"];

  function draw() {
    if (!body) return;
    const least = ORDER.indexOf(document.getElementById("doctor-severity").value);
    const out = clear(document.getElementById("doctor-result"));
    const s = body.summary || {};
    out.appendChild(
      el("p", { id: "doctor-summary" }, (s.errors || 0) + " error(s), " + (s.warnings || 0) + " warning(s), " + (s.infos || 0) + " info; " + (s.checks || 0) + " checks")
    );
    for (const severity of ORDER.slice(0, least + 1)) {
      const group = (body.findings || []).filter((f) => f.severity === severity);
      if (!group.length) continue;
      out.appendChild(el("h4", { class: "sev-title sev-" + severity, text: severity.toUpperCase() + " (" + group.length + ")" }));
      group.forEach((f) => out.appendChild(AZ.path.finding(f)));
    }
    if (!(body.findings || []).length) out.appendChild(el("p", { text: "No findings." }));
  }

  return { init, load, loaded: () => body !== null };
})();
