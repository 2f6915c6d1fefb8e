// azroute page: where everything is drawn. A deterministic layout in two levels, linear in the
// size of the estate: inside a VNet, its subnets in rows (each subnet holding its gateways, NVAs,
// load balancers, private endpoints and any NIC asked for); between VNets, each hub (a VNet
// peered with two or more VNets of fewer peerings) above a grid of its spokes, hubs side by side,
// the on-premises sites above the hub whose gateway connects them and the Internet at the top.
// Layered layouts put all spokes of a hub in one row; this one wraps them, so an estate of a few
// hundred VNets stays readable, and the same estate is always drawn the same way.
"use strict";

AZ.layout = (function () {
  const CHILD = { w: 128, h: 38 };
  const SUBNET = { w: 178, h: 46 };
  const VNET_COLLAPSED = { w: 200, h: 70 };
  const GAP = 12;
  const PAD = 12;
  const LABEL = 22;
  const SUBNETS_PER_ROW = 3;
  const CHILDREN_PER_ROW = 3;

  // Boxes are { w, h } sized from the inside out, then placed from the outside in.
  function childrenBox(count) {
    const cols = Math.min(count, CHILDREN_PER_ROW);
    const rows = Math.ceil(count / CHILDREN_PER_ROW);
    return {
      w: Math.max(SUBNET.w, cols * CHILD.w + (cols - 1) * GAP + 2 * PAD),
      h: rows * CHILD.h + (rows - 1) * GAP + 2 * PAD + LABEL,
    };
  }

  function subnetBox(kids) {
    return kids.length ? childrenBox(kids.length) : { w: SUBNET.w, h: SUBNET.h };
  }

  // Subnets in rows of SUBNETS_PER_ROW; a VNet without subnets is a plain box.
  function vnetBox(subnetBoxes) {
    if (!subnetBoxes.length) return { w: VNET_COLLAPSED.w, h: VNET_COLLAPSED.h, rows: [] };
    const rows = [];
    for (let i = 0; i < subnetBoxes.length; i += SUBNETS_PER_ROW) rows.push(subnetBoxes.slice(i, i + SUBNETS_PER_ROW));
    const widths = rows.map((r) => r.reduce((s, b) => s + b.w, 0) + (r.length - 1) * GAP);
    const heights = rows.map((r) => Math.max(...r.map((b) => b.h)));
    return {
      w: Math.max(...widths) + 2 * PAD,
      h: heights.reduce((s, h) => s + h, 0) + (rows.length - 1) * GAP + 2 * PAD + LABEL,
      rows,
      heights,
    };
  }

  // Hubs and their spokes: the VNet with the most peerings first; its neighbours with fewer
  // peerings (or one) become its spokes. What remains forms a last group.
  function clusters(model) {
    const degree = (v) => (model.neighbours.get(v.id) || new Set()).size;
    const order = model.vnets.slice().sort((a, b) => degree(b) - degree(a) || a.name.localeCompare(b.name));
    const taken = new Set();
    const groups = [];
    for (const v of order) {
      if (taken.has(v.id) || degree(v) < 2) continue;
      taken.add(v.id);
      const spokes = [...(model.neighbours.get(v.id) || [])]
        .map((id) => model.byId.get(id))
        .filter((s) => s && !taken.has(s.id) && (degree(s) < degree(v) || degree(s) === 1))
        .sort((a, b) => a.name.localeCompare(b.name));
      spokes.forEach((s) => taken.add(s.id));
      groups.push({ hub: v, spokes });
    }
    const rest = model.vnets.filter((v) => !taken.has(v.id)).concat(model.loose);
    if (rest.length) groups.push({ hub: null, spokes: rest });
    return groups;
  }

  // What a subnet shows: its devices always, its NICs when asked for.
  function shownKids(model, view, subnet) {
    return (model.kidsOf.get(subnet.id) || []).filter((k) => {
      if (k.kind !== "NetworkInterface") return true;
      return (k.properties && k.properties.enableIPForwarding) || view.shownNics.has(k.id) || view.openSubnets.has(subnet.id);
    });
  }

  // The box of one top-level node, and how to place what it holds.
  function measure(model, view, node) {
    if (node.kind !== "VirtualNetwork" || !view.expanded.has(node.id)) {
      return { node, w: VNET_COLLAPSED.w, h: VNET_COLLAPSED.h, inner: null };
    }
    const subnets = model.subnetsOf.get(node.id) || [];
    const boxes = subnets.map((s) => {
      const kids = shownKids(model, view, s);
      return Object.assign({ subnet: s, kids }, subnetBox(kids));
    });
    const box = vnetBox(boxes);
    return { node, w: box.w, h: box.h, inner: box };
  }

  // Positions for a measured node centred at (cx, cy) and for what it holds; a box that holds
  // others is a container (its label at the top), drawn beneath them (`depth`).
  function place(out, m, cx, cy) {
    if (!m.inner || !m.inner.rows.length) {
      out.push({ id: m.node.id, x: cx, y: cy, w: m.w, h: m.h, depth: 0 });
      return;
    }
    out.push({ id: m.node.id, x: cx, y: cy, w: m.w, h: m.h, depth: 0, container: true });
    let y = cy - m.h / 2 + PAD + LABEL;
    m.inner.rows.forEach((row, r) => {
      let x = cx - m.w / 2 + PAD;
      for (const b of row) {
        const bx = x + b.w / 2;
        const by = y + b.h / 2;
        out.push({ id: b.subnet.id, x: bx, y: by, w: b.w, h: b.h, depth: 1, container: b.kids.length > 0 });
        if (b.kids.length) {
          const cols = Math.min(b.kids.length, CHILDREN_PER_ROW);
          const left = bx - (cols * CHILD.w + (cols - 1) * GAP) / 2 + CHILD.w / 2;
          const top = by - b.h / 2 + PAD + LABEL + CHILD.h / 2;
          b.kids.forEach((k, i) => {
            out.push({
              id: k.id,
              x: left + (i % CHILDREN_PER_ROW) * (CHILD.w + GAP),
              y: top + Math.floor(i / CHILDREN_PER_ROW) * (CHILD.h + GAP),
              w: CHILD.w,
              h: CHILD.h,
              depth: 2,
            });
          });
        }
        x += b.w + GAP;
      }
      y += m.inner.heights[r] + GAP;
    });
  }

  // A hub above its spokes' grid; returns the group's size and its placement function.
  function groupBlock(model, view, group) {
    const hub = group.hub ? measure(model, view, group.hub) : null;
    const spokes = group.spokes.map((s) => measure(model, view, s));
    const cols = Math.max(1, Math.ceil(Math.sqrt(spokes.length * 1.8)));
    const cellW = Math.max(0, ...spokes.map((s) => s.w)) + 40;
    const rowsOf = [];
    for (let i = 0; i < spokes.length; i += cols) rowsOf.push(spokes.slice(i, i + cols));
    const rowHeights = rowsOf.map((r) => Math.max(...r.map((s) => s.h)) + 40);
    const gridW = Math.min(cols, spokes.length) * cellW;
    const gridH = rowHeights.reduce((s, h) => s + h, 0);
    const hubH = hub ? hub.h + 90 : 0;
    const w = Math.max(hub ? hub.w + 40 : 0, gridW);
    return {
      w,
      h: hubH + gridH,
      hubTop: hub ? -hub.h / 2 : 0,
      place(out, left, top) {
        const centre = left + w / 2;
        if (hub) place(out, hub, centre, top + hub.h / 2);
        let y = top + hubH;
        rowsOf.forEach((row, r) => {
          const rowW = row.length * cellW;
          let x = centre - rowW / 2 + cellW / 2;
          for (const s of row) {
            place(out, s, x, y + s.h / 2);
            x += cellW;
          }
          y += rowHeights[r];
        });
        return { hubCentre: centre, hubTop: top };
      },
    };
  }

  // Every leaf's position and size: groups side by side in rows about as wide as they are tall
  // together, sites above the hubs they connect to, the Internet top right.
  function compute(model, view) {
    const out = [];
    const groups = clusters(model).map((g) => Object.assign({ group: g }, groupBlock(model, view, g)));
    const area = groups.reduce((s, g) => s + g.w * g.h, 0);
    const maxW = Math.max(2400, Math.sqrt(area) * 2.2, ...groups.map((g) => g.w));
    const SITE_ROW = 130;
    let x = 0;
    let y = SITE_ROW;
    let rowH = 0;
    const hubPlace = new Map();
    for (const g of groups) {
      if (x > 0 && x + g.w > maxW) {
        x = 0;
        y += rowH + 120 + SITE_ROW;
        rowH = 0;
      }
      const at = g.place(out, x, y);
      if (g.group.hub) hubPlace.set(g.group.hub.id, at);
      x += g.w + 120;
      rowH = Math.max(rowH, g.h);
    }
    placeSites(model, out, hubPlace);
    const right = Math.max(0, ...out.map((p) => p.x + p.w / 2));
    out.push({ id: model.internet ? model.internet.id : "Internet", x: right - 60, y: 0, w: 120, h: 56, depth: 0 });
    return out;
  }

  // Each site above the hub whose gateway connects to it; the rest in a row at the top left.
  function placeSites(model, out, hubPlace) {
    const byHub = new Map();
    const loose = [];
    for (const site of model.sites) {
      const hub = model.siteHub.get(site.id);
      if (hub && hubPlace.has(hub)) {
        if (!byHub.has(hub)) byHub.set(hub, []);
        byHub.get(hub).push(site);
      } else {
        loose.push(site);
      }
    }
    const w = 170;
    for (const [hub, sites] of byHub) {
      const at = hubPlace.get(hub);
      let x = at.hubCentre - ((sites.length - 1) * (w + 30)) / 2;
      for (const s of sites) {
        out.push({ id: s.id, x, y: at.hubTop - 90, w: w, h: 60, depth: 0 });
        x += w + 30;
      }
    }
    loose.forEach((s, i) => out.push({ id: s.id, x: i * (w + 30), y: 0, w: w, h: 60, depth: 0 }));
  }

  return { compute, shownKids };
})();
