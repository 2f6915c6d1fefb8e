// azroute page: small helpers shared by every view (DOM building without HTML strings, address
// arithmetic for search, timing marks). Plain script, no build step: each file adds to `AZ`.
"use strict";
window.AZ = window.AZ || {};

AZ.util = (function () {
  // An element with attributes and children; text is always set as text, never parsed as HTML
  // (names come from the snapshot and could hold anything).
  function el(tag, attrs) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key.startsWith("data-")) node.setAttribute(key, value);
      else if (key in node) node[key] = value;
      else node.setAttribute(key, value);
    }
    for (let i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) child.forEach((c) => append(node, c));
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // The last segment of a resource id.
  function shortName(id) {
    const parts = String(id || "").split("/");
    return parts[parts.length - 1] || String(id || "");
  }

  // An address as a BigInt and its width in bits, or null.
  function parseIp(text) {
    text = String(text || "").trim();
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
      const parts = text.split(".").map(Number);
      if (parts.some((p) => p > 255)) return null;
      return { bits: 32, value: parts.reduce((acc, p) => acc * 256n + BigInt(p), 0n) };
    }
    if (text.includes(":") && /^[0-9a-fA-F:]+$/.test(text)) {
      const halves = text.split("::");
      if (halves.length > 2) return null;
      const head = halves[0] ? halves[0].split(":") : [];
      const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
      const missing = 8 - head.length - tail.length;
      if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
      const groups = head.concat(Array(halves.length === 2 ? missing : 0).fill("0"), tail);
      if (groups.some((g) => g.length > 4)) return null;
      return { bits: 128, value: groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g || "0", 16)), 0n) };
    }
    return null;
  }

  // Whether `prefix` (a.b.c.d/n or v6/n) holds the parsed address `ip`.
  function prefixContains(prefix, ip) {
    const [address, lengthText] = String(prefix).split("/");
    const net = parseIp(address);
    const length = Number(lengthText);
    if (!net || !ip || net.bits !== ip.bits || !(length >= 0 && length <= net.bits)) return false;
    const shift = BigInt(net.bits - length);
    return net.value >> shift === ip.value >> shift;
  }

  function queryString(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      if (value === undefined || value === null || value === false || value === "") continue;
      search.set(key, value === true ? "true" : String(value));
    }
    const text = search.toString();
    return text ? "?" + text : "";
  }

  // Tasks that kept the page busy for more than 50 ms, for the timing tool (BENCHMARKS.md).
  const longTasks = [];
  try {
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push({ start: e.startTime, duration: e.duration }))).observe({ type: "longtask", buffered: true });
  } catch (_) {
    // A browser without long-task timing measures nothing here.
  }

  function mark(name) {
    if (window.performance && performance.mark) performance.mark("azroute:" + name);
  }

  function status(text) {
    const node = document.getElementById("status");
    if (node) node.textContent = text || "";
  }

  // A small key/value table.
  function facts(rows) {
    return el(
      "table",
      { class: "facts" },
      rows.filter((r) => r && r[1] !== undefined && r[1] !== null && r[1] !== "").map(([k, v]) =>
        el("tr", {}, el("th", { text: k }), el("td", {}, v instanceof Node ? v : String(v)))
      )
    );
  }

  // An error body of the API (`{"error": {"message", "hint"}}`) as a paragraph.
  function errorBox(error) {
    const e = (error && error.error) || error || {};
    return el(
      "div",
      { class: "error-box", role: "alert" },
      el("strong", { text: "error: " }),
      e.message || String(error),
      e.hint ? el("div", { class: "hint", text: "hint: " + e.hint }) : null
    );
  }

  return { el, append, clear, shortName, parseIp, prefixContains, queryString, mark, status, facts, errorBox, longTasks };
})();
