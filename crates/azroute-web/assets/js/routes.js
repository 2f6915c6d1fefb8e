// azroute page: the Routes tab, a subnet's or NIC's effective routes exactly as
// `azroute routes --explain -o json` gives them: every route with its state, Invalid ones with
// the reason, why each exists, and the table's notes.
"use strict";

AZ.routes = (function () {
  const { el, clear, errorBox } = AZ.util;

  // The choices: every subnet (as VNET/SUBNET) and every NIC.
  function options() {
    const model = AZ.graph.model;
    const list = [];
    for (const vnet of model.vnets) {
      for (const s of model.subnetsOf.get(vnet.id) || []) {
        if (s.kind !== "Subnet") continue;
        list.push({ id: s.id, text: choiceText(s), param: "subnet" });
        for (const k of model.kidsOf.get(s.id) || []) {
          if (k.kind === "NetworkInterface") {
            list.push({ id: k.id, text: choiceText(k), param: "nic" });
          }
        }
      }
    }
    return list;
  }

  let choices = null;

  // How a subnet or NIC is written in the field.
  function choiceText(n) {
    const m = AZ.graph.model;
    if (n.kind === "Subnet") return (m.byId.get(n.parent) || {}).name + "/" + n.name;
    const vm = n.properties && n.properties.virtualMachine;
    return "NIC " + n.name + (vm ? " (" + vm + ")" : "");
  }

  function init() {
    choices = null;
    const input = document.getElementById("routes-target");
    const list = document.getElementById("routes-choices");
    // The suggestions are built when first wanted: a large estate has thousands.
    input.addEventListener("focus", () => {
      choices = choices || options();
      if (!list.firstChild) for (const c of choices.slice(0, 5000)) list.appendChild(el("option", { value: c.text }));
    });
    document.getElementById("routes-form").addEventListener("submit", (evt) => {
      evt.preventDefault();
      choices = choices || options();
      const c = choices.find((x) => x.text === input.value.trim()) || choices.find((x) => x.text.toLowerCase() === input.value.trim().toLowerCase());
      if (c) show(c.id);
      else {
        const out = clear(document.getElementById("routes-result"));
        out.appendChild(errorBox({ message: "`" + input.value + "` is not a subnet (VNET/SUBNET) or NIC of this estate" }));
      }
    });
  }

  async function show(id) {
    const n = AZ.graph.model.byId.get(id);
    if (!n) return;
    document.getElementById("routes-target").value = choiceText(n);
    const out = clear(document.getElementById("routes-result"));
    out.appendChild(el("p", { class: "muted", text: "computing…" }));
    const param = n.kind === "NetworkInterface" ? "nic" : "subnet";
    AZ.graph.highlight({ flagged: [id] });
    AZ.graph.focus([id]);
    const answer = await AZ.data.routes({ [param]: id, explain: true });
    clear(out);
    if (!answer.ok) {
      out.appendChild(errorBox(answer.body));
      return;
    }
    for (const notice of answer.notices) out.appendChild(el("p", { class: "notice", text: notice.level + ": " + notice.text }));
    if (AZ.data.mode === "report" && param === "nic") {
      out.appendChild(el("p", { class: "muted", text: "A NIC's effective routes are its subnet's: shown here for " + (AZ.graph.model.byId.get(n.parent) || {}).name + "." }));
    }
    out.appendChild(table(answer.body));
  }

  function table(body) {
    const routes = body.value || [];
    const rows = routes.map((r) =>
      el(
        "tr",
        { class: r.state === "Invalid" ? "invalid" : "", "data-state": r.state },
        el("td", { text: r.source }),
        el("td", { text: r.state }),
        el("td", { text: (r.addressPrefix || []).join(" ") }),
        el("td", { text: r.nextHopType }),
        el("td", { text: (r.nextHopIpAddress || []).join(" ") }),
        el("td", { text: r.name || "" }),
        el("td", {}, r.origin ? el("div", { text: r.origin }) : null, r.reason ? el("div", { class: "reason", text: "Invalid: " + r.reason }) : null)
      )
    );
    const head = ["Source", "State", "Address Prefix", "Next Hop Type", "Next Hop IP", "Name", "Why"];
    return el(
      "div",
      { class: "routes" },
      el("table", { class: "grid-table", id: "routes-table" }, el("thead", {}, el("tr", {}, head.map((h) => el("th", { text: h })))), el("tbody", {}, rows)),
      body.notes && body.notes.length ? el("div", { class: "notes" }, el("h4", { text: "Notes" }), el("ul", {}, body.notes.map((n) => el("li", { text: n })))) : null
    );
  }

  return { init, show };
})();
