// azroute page: the Reach tab, `azroute reach` as a grid. Rows are source subnets and columns
// destinations (subnets, on-premises prefixes, the Internet), both grouped by VNet; a group
// folds into one row or column whose cells sum up its cells. Every cell is coloured by its
// reachability; a click opens the trace that explains it on the Path tab.
"use strict";

AZ.reach = (function () {
  const { el, clear, errorBox } = AZ.util;

  // Grids with more cells than this open with every group folded.
  const OPEN_CELLS = 20000;
  const HEAD_WIDTH = 170;
  const CELL_WIDTH = 18;

  let grid = null;
  let scope = {};
  let rowGroups = [];
  let colGroups = [];

  function groupOf(name, type) {
    if (type === "OnPremises") return "on-premises";
    if (type === "Branch") return "branches";
    if (type === "Internet") return "Internet";
    const slash = name.indexOf("/");
    return slash > 0 ? name.slice(0, slash) : name;
  }

  // Consecutive rows (or columns) of one VNet form a group.
  function groups(items, typeOf) {
    const out = [];
    items.forEach((item, i) => {
      const key = groupOf(item.name, typeOf(item));
      const last = out[out.length - 1];
      if (last && last.key === key) last.members.push(i);
      else out.push({ key, members: [i], open: true });
    });
    return out;
  }

  function init() {
    document.getElementById("reach-form").addEventListener("submit", (evt) => {
      evt.preventDefault();
      load();
    });
    document.getElementById("reach-open").addEventListener("click", () => fold(true));
    document.getElementById("reach-fold").addEventListener("click", () => fold(false));
    document.getElementById("reach-table").addEventListener("click", onClick);
    document.getElementById("reach-table").addEventListener("mouseover", onHover);
    if (AZ.data.mode === "report") {
      for (const input of document.querySelectorAll("#reach-form input, #reach-form select, #reach-form button[type=submit]")) input.disabled = true;
      document.getElementById("reach-note").textContent =
        "This file holds the matrix for TCP/443 with NSGs evaluated; `azroute serve` computes others.";
    }
  }

  function formScope() {
    const p = { protocol: document.getElementById("reach-protocol").value };
    const port = document.getElementById("reach-port").value.trim();
    if (port && p.protocol !== "ICMP") p.port = port;
    if (document.getElementById("reach-no-nsg").checked) p["no-nsg"] = true;
    const from = document.getElementById("reach-from").value.trim();
    const to = document.getElementById("reach-to").value.trim();
    if (from) p.from = from;
    if (to) p.to = to;
    return p;
  }

  async function load() {
    scope = formScope();
    const holder = clear(document.getElementById("reach-table"));
    const summary = clear(document.getElementById("reach-summary"));
    summary.appendChild(el("p", { class: "muted", text: "computing the matrix…" }));
    const answer = await AZ.data.reachGrid(scope);
    clear(summary);
    if (!answer.ok) {
      summary.appendChild(errorBox(answer.body));
      grid = null;
      return;
    }
    grid = answer.body;
    rowGroups = groups(grid.rows, () => "Subnet");
    colGroups = groups(grid.columns, (c) => c.type);
    const open = grid.rows.length * grid.columns.length <= OPEN_CELLS;
    rowGroups.forEach((g) => (g.open = open));
    colGroups.forEach((g) => (g.open = open));
    summary.appendChild(legend(grid));
    countBlocks();
    draw();
    AZ.util.mark("reach-drawn");
  }

  function legend(g) {
    const items = Object.entries(g.summary || {}).map(([k, n]) => el("span", { class: "legend-item" }, el("span", { class: "swatch r-" + k }), k + " " + n));
    const total = g.rows.length * g.columns.length;
    return el(
      "div",
      {},
      el("p", {}, total + " cells (" + g.protocol + (g.protocol === "ICMP" ? "" : "/" + g.destinationPort) + (g.nsgsEvaluated ? "" : ", routing only") + "): ", items),
      (g.errors || []).length ? el("ul", { class: "errors" }, g.errors.map((e) => el("li", { text: e.subnet + ": " + e.message }))) : null,
      (g.assumptions || []).length ? el("ul", { class: "muted" }, g.assumptions.map((a) => el("li", { text: a }))) : null
    );
  }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function label(index) {
    return grid.labels[grid.cells[index]];
  }

  // Per pair of groups, how many cells have each label: one pass over the cells, so that a
  // folded grid of a million cells draws at once.
  let blockCounts = null;

  function countBlocks() {
    const labels = grid.labels.length;
    const rowGroupOf = new Int32Array(grid.rows.length);
    rowGroups.forEach((g, i) => g.members.forEach((r) => (rowGroupOf[r] = i)));
    const colGroupOf = new Int32Array(grid.columns.length);
    colGroups.forEach((g, i) => g.members.forEach((c) => (colGroupOf[c] = i)));
    const counts = new Uint32Array(rowGroups.length * colGroups.length * labels);
    const width = grid.columns.length;
    const cells = grid.cells;
    for (let r = 0; r < grid.rows.length; r++) {
      const base = rowGroupOf[r] * colGroups.length;
      for (let c = 0; c < width; c++) counts[(base + colGroupOf[c]) * labels + cells[r * width + c]]++;
    }
    blockCounts = counts;
  }

  // What the block of rows `rows` (one row, or a whole group) and columns `cols` shows: its
  // only reachability, or Mixed; and the counts by reachability.
  function blockSummary(rg, cg, rows, cols) {
    const counts = {};
    if (rows.length === 1 && cols.length === 1) {
      counts[label(rows[0] * grid.columns.length + cols[0]).reachability] = 1;
    } else if (rows.length === rowGroups[rg].members.length && cols.length === colGroups[cg].members.length) {
      const labels = grid.labels.length;
      const base = (rg * colGroups.length + cg) * labels;
      for (let l = 0; l < labels; l++) {
        const n = blockCounts[base + l];
        if (n) counts[grid.labels[l].reachability] = (counts[grid.labels[l].reachability] || 0) + n;
      }
    } else {
      for (const r of rows) for (const c of cols) {
        const k = label(r * grid.columns.length + c).reachability;
        counts[k] = (counts[k] || 0) + 1;
      }
    }
    const keys = Object.keys(counts);
    return { reach: keys.length === 1 ? keys[0] : "Mixed", counts };
  }

  function cellTitle(r, c) {
    const l = label(r * grid.columns.length + c);
    return grid.rows[r].name + " → " + grid.columns[c].name + ": " + l.reachability + (l.code ? " (" + l.code + ")" : "") + (l.via && l.via.length ? " via " + l.via.join(", ") : "");
  }

  // A cell's tooltip, written when the pointer first reaches it (a million titles up front
  // would weigh more than the grid).
  function onHover(evt) {
    const td = evt.target.closest("td.c");
    if (!td || td.title || !grid) return;
    const d = td.dataset;
    if (d.row !== undefined) td.title = cellTitle(Number(d.row), Number(d.col));
    else {
      const rows = d.r !== undefined ? [Number(d.r)] : rowGroups[Number(d.rg)].members;
      const s = blockSummary(Number(d.rg), Number(d.cg), rows, colGroups[Number(d.cg)].members);
      const from = d.r !== undefined ? grid.rows[Number(d.r)].name : rowGroups[Number(d.rg)].key;
      td.title = from + " → " + colGroups[Number(d.cg)].key + ": " + Object.entries(s.counts).map(([k, n]) => k + " " + n).join(", ");
    }
  }

  // The table as one HTML string (text escaped): tens of thousands of cells draw in one go.
  function draw() {
    const width = grid.columns.length;
    const visibleCols = [];
    for (let g = 0; g < colGroups.length; g++) {
      const group = colGroups[g];
      if (group.open) group.members.forEach((c) => visibleCols.push({ g, c }));
      else visibleCols.push({ g, c: null });
    }
    const html = ['<colgroup><col class="head">'];
    for (let i = 0; i < visibleCols.length; i++) html.push('<col class="cell">');
    html.push("</colgroup>");
    html.push('<thead><tr><th class="corner" rowspan="2">from \\ to</th>');
    for (let g = 0; g < colGroups.length; g++) {
      const group = colGroups[g];
      const span = group.open ? group.members.length : 1;
      html.push('<th class="colgroup" colspan="' + span + '" data-cg="' + g + '" title="' + escape(group.key) + '">' + (group.open ? "▾ " : "▸ ") + escape(group.key) + "</th>");
    }
    html.push("</tr><tr>");
    for (const v of visibleCols) {
      const name = v.c === null ? "(" + colGroups[v.g].members.length + ")" : grid.columns[v.c].name;
      const short = v.c === null || grid.columns[v.c].type !== "Subnet" ? name : name.slice(name.indexOf("/") + 1);
      html.push('<th class="col"><div title="' + escape(name) + '">' + escape(short) + "</div></th>");
    }
    html.push("</tr></thead><tbody>");
    for (let g = 0; g < rowGroups.length; g++) {
      const group = rowGroups[g];
      if (group.open) {
        html.push('<tr class="group-row"><th class="rowgroup" data-rg="' + g + '" colspan="' + (visibleCols.length + 1) + '">▾ ' + escape(group.key) + "</th></tr>");
        for (const r of group.members) {
          const name = grid.rows[r].name;
          html.push('<tr><th class="row" title="' + escape(name) + '">' + escape(name.slice(name.indexOf("/") + 1)) + "</th>");
          for (const v of visibleCols) {
            if (v.c === null) html.push(block(g, v.g, [r], r));
            else html.push('<td class="c r-' + label(r * width + v.c).reachability + '" data-row="' + r + '" data-col="' + v.c + '"></td>');
          }
          html.push("</tr>");
        }
      } else {
        html.push('<tr class="group-row folded"><th class="rowgroup" data-rg="' + g + '">▸ ' + escape(group.key) + " (" + group.members.length + ")</th>");
        for (const v of visibleCols) html.push(block(g, v.g, group.members, null, v.c));
        html.push("</tr>");
      }
    }
    html.push("</tbody>");
    const table = document.getElementById("reach-table");
    table.innerHTML = html.join("");
    // Fixed widths: a long group name is cut rather than widening its columns.
    table.style.width = HEAD_WIDTH + visibleCols.length * CELL_WIDTH + "px";
  }

  // A folded block: one row against a folded column group, or a folded row group against a
  // column or a folded column group.
  function block(rg, cg, rows, row, column) {
    const cols = column === undefined || column === null ? colGroups[cg].members : [column];
    const s = blockSummary(rg, cg, rows, cols);
    const where = row === null ? "" : ' data-r="' + row + '"';
    return '<td class="c agg r-' + s.reach + '" data-rg="' + rg + '" data-cg="' + cg + '"' + where + "></td>";
  }

  function fold(open) {
    if (!grid) return;
    rowGroups.forEach((g) => (g.open = open));
    colGroups.forEach((g) => (g.open = open));
    draw();
  }

  function onClick(evt) {
    const target = evt.target.closest("td, th");
    if (!target || !grid) return;
    const d = target.dataset;
    if (d.row !== undefined && d.col !== undefined) {
      openCell(Number(d.row), Number(d.col));
    } else if (target.tagName === "TD" && d.rg !== undefined) {
      rowGroups[Number(d.rg)].open = true;
      colGroups[Number(d.cg)].open = true;
      draw();
    } else if (d.rg !== undefined) {
      rowGroups[Number(d.rg)].open = !rowGroups[Number(d.rg)].open;
      draw();
    } else if (d.cg !== undefined) {
      colGroups[Number(d.cg)].open = !colGroups[Number(d.cg)].open;
      draw();
    }
  }

  // A cell's record, then its trace on the Path tab.
  async function openCell(row, column) {
    const detail = clear(document.getElementById("reach-cell"));
    detail.appendChild(el("p", { class: "muted", text: "loading the cell…" }));
    const answer = await AZ.data.reachCell(scope, row, column);
    clear(detail);
    if (!answer.ok) {
      detail.appendChild(errorBox(answer.body));
      return;
    }
    const cell = answer.body.cell;
    detail.appendChild(
      AZ.util.facts([
        ["from", cell.source],
        ["to", cell.destination],
        ["reachability", cell.reachability],
        ["code", cell.code],
        ["via", (cell.via || []).join(", ")],
        ["sample", cell.sampleSource + " → " + cell.sampleDestination],
      ])
    );
    await AZ.app.show("path", { params: answer.body.trace });
  }

  function cellCount() {
    return grid ? grid.cells.length : 0;
  }

  return { init, load, cellCount, fold, openCell, loaded: () => grid !== null };
})();
