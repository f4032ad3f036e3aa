// The side panels of the document view: the selected region, tables, flowcharts, triples and
// versions. Every correction goes through Clinex.correct (a server preview until saved).
"use strict";

const Panels = (() => {
  const C = () => window.Clinex;
  let table = null;      // selected table id
  let merged = false;    // show continued pieces merged
  let cell = null;       // [row, col] of the selected cell
  let chart = null;      // selected flowchart id
  let node = null;       // selected node id
  let triplesCache = null;

  function select(tab) {
    C().S.tab = tab;
    for (const b of document.querySelectorAll(".tabs button")) b.setAttribute("aria-selected", b.dataset.tab === tab);
    render();
  }
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => select(b.dataset.tab));

  function render() {
    const { S, $ } = C();
    if (!S.base) return;
    const body = $("#side-body");
    const draw = { region: regionPanel, tables: tablesPanel, flowcharts: flowchartsPanel, triples: triplesPanel, versions: versionsPanel }[S.tab];
    body.replaceChildren(...[draw()].flat(Infinity).filter(x => x !== null && x !== undefined && x !== false));
  }

  /** Shows the page a table or flowchart is on, once when it is chosen. */
  let followed = null;
  function follow(pageNumber) {
    const key = `${C().S.tab}:${C().S.tab === "tables" ? table : chart}`;
    if (followed === key) return;
    followed = key;
    if (pageNumber !== C().S.page) setTimeout(() => C().goToPage(pageNumber), 0);
  }

  const downloads = (items) => C().el("div", { class: "downloads" }, items.map(([label, path, name]) =>
    C().el("button", { class: "link", onclick: () => C().download(path, name).catch(e => C().say(e.message)) }, label)));

  // --- region ---------------------------------------------------------------------------
  function regionPanel() {
    const { S, el, shown, correct, KINDS, readOnly } = C();
    const r = S.selected && shown().pages.flatMap(p => p.regions).find(x => x.id === S.selected);
    if (!r) return el("p", { class: "muted" }, "Click a region on the page to see what was read there. ← → turn pages, + − zoom.");
    const t = shown().tables.find(x => x.region === r.id);
    const f = shown().flowcharts.find(x => x.region === r.id);
    return [
      el("h3", {}, `${r.kind} ${r.id}`),
      el("div", { class: "form-row" }, "Kind ",
        el("select", { "aria-label": "Region kind", disabled: readOnly(), onchange: (e) => correct({ op: "set_region_kind", region: r.id, kind: e.target.value }) },
          Object.keys(KINDS).map(k => el("option", { value: k, selected: k === r.kind }, k))),
        el("button", { class: "danger", disabled: readOnly(), onclick: () => correct({ op: "delete_region", region: r.id }) }, "Delete region")),
      el("div", { class: "muted" }, `confidence ${r.confidence.toFixed(2)} · source ${r.source} · reading order ${r.order}`),
      t ? el("p", {}, el("button", { class: "link", onclick: () => { table = t.id; select("tables"); } }, `Open table ${t.id}`)) : null,
      f ? el("p", {}, el("button", { class: "link", onclick: () => { chart = f.id; select("flowcharts"); } }, `Open flowchart ${f.id}`)) : null,
      r.text ? el("pre", {}, r.text) : el("p", { class: "muted" }, "No text."),
    ];
  }

  // --- tables ---------------------------------------------------------------------------
  function tablesPanel() {
    const { el, shown } = C();
    const tables = shown().tables;
    if (!tables.length) return el("p", { class: "muted" }, "No tables found.");
    if (!tables.some(t => t.id === table)) table = tables[0].id;
    const t = tables.find(x => x.id === table);
    follow(t.page);
    const chain = continuedChain(tables, t);
    return [
      el("div", { class: "form-row" }, el("select", { "aria-label": "Table", onchange: (e) => { table = e.target.value; cell = null; render(); } },
        tables.map(x => el("option", { value: x.id, selected: x.id === table }, `${x.id} · page ${x.page}${x.caption ? ` · ${x.caption.slice(0, 50)}` : ""}`))),
        el("button", { class: "link", onclick: () => C().flashBox(t.page, t.bbox) }, "Show on page")),
      chain.length > 1 ? el("label", { class: "form-row" }, el("input", { type: "checkbox", checked: merged, onchange: (e) => { merged = e.target.checked; render(); } }),
        `Continued over pages ${chain.map(x => x.page).join(", ")}: show merged`) : null,
      downloads(["csv", "html", "json"].map(ext => [ext.toUpperCase(), C().docPath(`/tables/${t.id}.${ext}${C().versionQuery()}`), `${t.id}.${ext}`])),
      merged && chain.length > 1 ? mergedGrid(chain) : editableGrid(t),
    ];
  }

  function continuedChain(tables, t) {
    let first = t;
    while (first.continues) { const prev = tables.find(x => x.id === first.continues); if (!prev) break; first = prev; }
    const chain = [first];
    for (;;) { const next = tables.find(x => x.continues === chain[chain.length - 1].id); if (!next) break; chain.push(next); }
    return chain;
  }

  function mergedGrid(chain) {
    const { el } = C();
    const rows = chain.flatMap((piece, k) => gridRows(piece, false).slice(k === 0 ? 0 : headerCount(piece)));
    return el("table", { class: "grid" }, rows);
  }
  const headerCount = (t) => t.cells.filter(c => c.header && c.col === 0).reduce((n, c) => Math.max(n, c.row + c.row_span), 0);

  function gridRows(t, editable) {
    const { el, readOnly } = C();
    const rows = [];
    for (let r = 0; r < t.n_rows; r++) {
      const cells = t.cells.filter(c => c.row === r).sort((a, b) => a.col - b.col).map(c => {
        const selected = cell && cell[0] === c.row && cell[1] === c.col && table === t.id;
        return el(c.header ? "th" : "td", {
          rowspan: c.row_span > 1 ? c.row_span : null, colspan: c.col_span > 1 ? c.col_span : null,
          class: `${selected ? "sel" : ""}${changed(t.id, c) ? " changed" : ""}`,
          "data-row": c.row, "data-col": c.col, tabindex: editable ? 0 : null,
          contenteditable: editable && !readOnly() ? "true" : null,
          onfocus: editable ? () => { cell = [c.row, c.col]; markSelected(t); } : null,
          onkeydown: editable ? (e) => { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); e.target.blur(); } } : null,
          onblur: editable ? (e) => {
            const text = e.target.innerText.trim();
            if (text !== c.text.trim()) C().correct({ op: "set_cell_text", table: t.id, row: c.row, col: c.col, text });
          } : null,
        }, c.text);
      });
      rows.push(el("tr", {}, cells));
    }
    return rows;
  }

  function markSelected(t) {
    for (const x of document.querySelectorAll("table.grid .sel")) x.classList.remove("sel");
    const x = document.querySelector(`table.grid [data-row="${cell[0]}"][data-col="${cell[1]}"]`);
    if (x) x.classList.add("sel");
    const tools = document.getElementById("cell-tools");
    if (tools) tools.replaceWith(cellTools(t));
  }

  /** Cells the pending corrections touch (shown highlighted until saved). */
  function changed(tableId, c) {
    return C().S.pending.some(op => op.table === tableId && op.row === c.row && op.col === c.col);
  }

  function cellTools(t) {
    const { el, correct, readOnly } = C();
    const at = cell && t.cells.find(c => c.row === cell[0] && c.col === cell[1]);
    const off = readOnly() || !at;
    return el("div", { class: "cell-tools", id: "cell-tools" },
      el("button", { disabled: off, onclick: () => correct({ op: "merge_cells", table: t.id, row: at.row, col: at.col, rows: at.row_span, cols: at.col_span + 1 }) }, "Merge right"),
      el("button", { disabled: off, onclick: () => correct({ op: "merge_cells", table: t.id, row: at.row, col: at.col, rows: at.row_span + 1, cols: at.col_span }) }, "Merge down"),
      el("button", { disabled: off || (at.row_span === 1 && at.col_span === 1), onclick: () => correct({ op: "split_cell", table: t.id, row: at.row, col: at.col }) }, "Split"),
      el("label", {}, " Header rows ", el("input", { type: "number", min: 0, max: t.n_rows, value: headerCount(t), style: "width:52px", disabled: readOnly(),
        onchange: (e) => correct({ op: "set_header_rows", table: t.id, rows: Number(e.target.value) }) })));
  }

  function editableGrid(t) {
    const { el } = C();
    return [cellTools(t), el("p", { class: "muted" }, "Click a cell to edit its text (Enter keeps it)."), el("table", { class: "grid", id: "table-grid" }, gridRows(t, true))];
  }

  // --- flowcharts ---------------------------------------------------------------------------
  const SHAPES = ["process", "decision", "terminal", "data", "connector", "note", "other"];

  function flowchartsPanel() {
    const { el, shown, correct, readOnly } = C();
    const charts = shown().flowcharts;
    if (!charts.length) return el("p", { class: "muted" }, "No flowcharts found.");
    if (!charts.some(f => f.id === chart)) chart = charts[0].id;
    const f = charts.find(x => x.id === chart);
    follow(f.page);
    const name = (id) => { const n = f.nodes.find(x => x.id === id); return n ? `${id}: ${n.text.slice(0, 24)}` : id; };
    const n = f.nodes.find(x => x.id === node);
    return [
      el("div", { class: "form-row" }, el("select", { "aria-label": "Flowchart", onchange: (e) => { chart = e.target.value; node = null; render(); } },
        charts.map(x => el("option", { value: x.id, selected: x.id === chart }, `${x.id} · page ${x.page} · ${x.nodes.length} nodes${x.raster ? " · from a picture" : ""}`))),
        el("button", { class: "link", onclick: () => C().flashBox(f.page, f.bbox) }, "Show on page")),
      downloads([["JSON", "json"], ["DOT", "dot"], ["Mermaid", "mmd"], ["FHIR", "fhir.json"]].map(([label, ext]) =>
        [label, C().docPath(`/flowcharts/${f.id}.${ext}${C().versionQuery()}`), `${f.id}.${ext}`])),
      el("div", { class: "chart-wrap" }, graphSvg(f), sourcePicture(f)),
      n ? el("div", { class: "panel" }, el("h3", {}, `Node ${n.id}`),
        el("div", { class: "form-row" }, el("input", { value: n.text, "aria-label": "Node text", style: "flex:1", disabled: readOnly(),
          onchange: (e) => correct({ op: "set_node", flowchart: f.id, node: n.id, text: e.target.value }) }),
        el("select", { "aria-label": "Node shape", disabled: readOnly(), onchange: (e) => correct({ op: "set_node", flowchart: f.id, node: n.id, shape: e.target.value }) },
          SHAPES.map(s => el("option", { value: s, selected: s === n.shape }, s))))) : el("p", { class: "muted" }, "Click a node to edit it."),
      el("h3", {}, "Edges"),
      el("table", { class: "edges" }, f.edges.map(e => el("tr", {},
        el("td", {}, name(e.source)), el("td", {}, "→"), el("td", {}, name(e.target)),
        el("td", {}, el("input", { value: e.label || "", placeholder: "label", "aria-label": `Label of ${e.source} to ${e.target}`, disabled: readOnly(),
          "data-edge": `${e.source}>${e.target}`,
          onchange: (ev) => correct({ op: "set_edge_label", flowchart: f.id, source: e.source, target: e.target, label: ev.target.value }) })),
        el("td", {}, el("button", { class: "danger", disabled: readOnly(), "aria-label": `Remove edge ${e.source} to ${e.target}`,
          onclick: () => correct({ op: "remove_edge", flowchart: f.id, source: e.source, target: e.target }) }, "✕"))))),
      addEdgeForm(f),
    ];
  }

  function addEdgeForm(f) {
    const { el, correct, readOnly } = C();
    const pick = (label) => el("select", { "aria-label": label }, f.nodes.map(n => el("option", { value: n.id }, `${n.id}: ${n.text.slice(0, 20)}`)));
    const [from, to] = [pick("From node"), pick("To node")];
    const label = el("input", { placeholder: "label", "aria-label": "New edge label", style: "width:80px" });
    return el("div", { class: "form-row" }, "Add ", from, "→", to, label,
      el("button", { disabled: readOnly(), onclick: () => correct({ op: "add_edge", flowchart: f.id, source: from.value, target: to.value, label: label.value }) }, "Add edge"));
  }

  const SVG = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs = {}, ...children) => {
    const x = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) if (k.startsWith("on")) x.addEventListener(k.slice(2), v); else x.setAttribute(k, v);
    for (const c of children) x.append(c);
    return x;
  };

  /** The graph in the chart's own coordinates: each node where it was found, in its shape. */
  function graphSvg(f) {
    const [fx, fy, fx1, fy1] = f.bbox;
    const w = Math.max(fx1 - fx, 1), h = Math.max(fy1 - fy, 1);
    const root = svg("svg", { viewBox: `${fx - 6} ${fy - 6} ${w + 12} ${h + 12}`, role: "img", "aria-label": `Flowchart ${f.id}` },
      svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#3b4758" }))));
    const byId = new Map(f.nodes.map(n => [n.id, n]));
    for (const e of f.edges) {
      const a = byId.get(e.source), b = byId.get(e.target);
      if (!a || !b) continue;
      const [p, q] = [clip(a.bbox, centre(b.bbox)), clip(b.bbox, centre(a.bbox))];
      root.append(svg("line", { class: "edge", x1: p[0], y1: p[1], x2: q[0], y2: q[1], "marker-end": "url(#arrow)" }));
      if (e.label) {
        const t = svg("text", { class: "edge-label", x: (p[0] + q[0]) / 2 + 3, y: (p[1] + q[1]) / 2 - 2 });
        t.textContent = e.label;
        root.append(t);
      }
    }
    for (const n of f.nodes) {
      const g = svg("g", { class: `node${n.id === node ? " hot" : ""}`, "data-node": n.id, tabindex: 0,
        onmouseenter: () => hover(n.id, true), onmouseleave: () => hover(n.id, false),
        onclick: () => { node = n.id; render(); }, onkeydown: (e) => { if (e.key === "Enter") { node = n.id; render(); } } },
      shape(n), label(n));
      root.append(g);
    }
    return root;
  }

  const centre = ([x0, y0, x1, y1]) => [(x0 + x1) / 2, (y0 + y1) / 2];
  /** Where the line from a box's centre towards `to` leaves the box. */
  function clip(b, to) {
    const [cx, cy] = centre(b);
    const [dx, dy] = [to[0] - cx, to[1] - cy];
    const hw = (b[2] - b[0]) / 2, hh = (b[3] - b[1]) / 2;
    const t = Math.min(dx ? hw / Math.abs(dx) : Infinity, dy ? hh / Math.abs(dy) : Infinity, 1);
    return [cx + dx * t, cy + dy * t];
  }

  function shape(n) {
    const [x0, y0, x1, y1] = n.bbox;
    const [cx, cy] = centre(n.bbox);
    switch (n.shape) {
      case "decision": return svg("polygon", { class: "shape", points: `${cx},${y0} ${x1},${cy} ${cx},${y1} ${x0},${cy}` });
      case "terminal": return svg("rect", { class: "shape", x: x0, y: y0, width: x1 - x0, height: y1 - y0, rx: (y1 - y0) / 2 });
      case "data": { const s = (x1 - x0) * 0.12; return svg("polygon", { class: "shape", points: `${x0 + s},${y0} ${x1},${y0} ${x1 - s},${y1} ${x0},${y1}` }); }
      case "connector": return svg("ellipse", { class: "shape", cx, cy, rx: (x1 - x0) / 2, ry: (y1 - y0) / 2 });
      case "note": return svg("rect", { class: "shape", x: x0, y: y0, width: x1 - x0, height: y1 - y0, "stroke-dasharray": "4 3" });
      default: return svg("rect", { class: "shape", x: x0, y: y0, width: x1 - x0, height: y1 - y0, rx: 2 });
    }
  }

  /** The node's text wrapped into its box. */
  function label(n) {
    const [x0, y0, x1, y1] = n.bbox;
    const perLine = Math.max(6, Math.floor((x1 - x0) / 5.2));
    const words = n.text.split(/\s+/);
    const lines = [];
    for (const w of words) {
      if (lines.length && (lines[lines.length - 1] + " " + w).length <= perLine) lines[lines.length - 1] += " " + w;
      else lines.push(w);
    }
    const shown = lines.slice(0, Math.max(1, Math.floor((y1 - y0) / 11)));
    const t = svg("text", { x: (x0 + x1) / 2, y: (y0 + y1) / 2 - ((shown.length - 1) * 11) / 2 + 3, "text-anchor": "middle" });
    shown.forEach((line, k) => { const s = svg("tspan", { x: (x0 + x1) / 2, dy: k ? 11 : 0 }); s.textContent = line; t.append(s); });
    const title = svg("title");
    title.textContent = n.text;
    t.append(title);
    return t;
  }

  /** The picture the chart was read from: its page cropped to the chart, with the node under
   *  the pointer boxed. */
  function sourcePicture(f) {
    const { el, pageUrl, pageOf } = C();
    const page = pageOf(f.page);
    const [x0, y0, x1, y1] = f.bbox;
    const wrap = el("div", { class: "chart-source", style: `aspect-ratio:${(x1 - x0) / Math.max(y1 - y0, 1)}` });
    if (!page) return wrap;
    const img = el("img", { alt: `Page ${f.page}, where ${f.id} was found`,
      style: `position:absolute;width:${(100 * page.width) / (x1 - x0)}%;left:${(-100 * x0) / (x1 - x0)}%;top:${(-100 * y0) / (y1 - y0)}%;max-width:none` });
    img.style.height = `${(100 * page.height) / (y1 - y0)}%`;
    pageUrl(f.page).then(u => (img.src = u)).catch(() => {});
    const hl = el("div", { class: "hl", id: "node-highlight", hidden: true });
    wrap.append(img, hl);
    wrap.dataset.box = JSON.stringify(f.bbox);
    return wrap;
  }

  function hover(id, on) {
    const g = document.querySelector(`svg [data-node="${id}"]`);
    if (g) g.classList.toggle("hot", on || id === node);
    const hl = document.getElementById("node-highlight");
    const f = C().shown().flowcharts.find(x => x.id === chart);
    const n = f && f.nodes.find(x => x.id === id);
    if (!hl || !n) return;
    const [x0, y0, x1, y1] = f.bbox;
    const [a, b, c, d] = n.bbox;
    Object.assign(hl.style, { left: `${(100 * (a - x0)) / (x1 - x0)}%`, top: `${(100 * (b - y0)) / (y1 - y0)}%`, width: `${(100 * (c - a)) / (x1 - x0)}%`, height: `${(100 * (d - b)) / (y1 - y0)}%` });
    hl.hidden = !on;
  }

  // --- triples ---------------------------------------------------------------------------
  const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  const CX = "https://w3id.org/clinex/vocab#";

  function parseNTriples(text) {
    const out = [];
    const term = /^(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:\^\^<[^>]*>|@[\w-]+)?)\s*/;
    for (const line of text.split("\n")) {
      let rest = line.trim();
      if (!rest || rest.startsWith("#")) continue;
      const parts = [];
      for (let k = 0; k < 3; k++) {
        const m = rest.match(term);
        if (!m) break;
        parts.push(m[1]);
        rest = rest.slice(m[0].length);
      }
      if (parts.length === 3) out.push(parts);
    }
    return out;
  }
  const iri = (t) => (t.startsWith("<") ? t.slice(1, -1) : null);
  const literal = (t) => { const m = t.match(/^"((?:[^"\\]|\\.)*)"/); return m ? JSON.parse(`"${m[1]}"`) : t; };
  const local = (u) => u.replace(/^.*[#/]/, "");

  function triplesPanel() {
    const { el, S, docPath, versionQuery } = C();
    const key = `${S.doc.id}/${S.version || S.doc.version}/${S.pending.length}`;
    const box = el("div", {}, el("p", { class: "muted" }, "Loading triples…"));
    const head = [
      downloads([["N-Quads", "application/n-quads", "nq"], ["Turtle", "text/turtle", "ttl"], ["N-Triples", "application/n-triples", "nt"], ["JSON-LD", "application/ld+json", "jsonld"]]
        .map(([label, , ext]) => [label, docPath(`/triples${versionQuery()}`), `${S.doc.id}.${ext}`])),
      S.pending.length ? el("p", { class: "muted" }, "Showing the saved version; the corrections not saved yet reach the triples when saved.") : null,
    ];
    const shownTriples = (triples) => {
      const labels = new Map();
      for (const [s, p, o] of triples) if (iri(p) === RDFS_LABEL) labels.set(s, literal(o));
      const subjects = new Map();
      for (const t of triples) { if (!subjects.has(t[0])) subjects.set(t[0], []); subjects.get(t[0]).push(t); }
      const filter = el("input", { type: "search", placeholder: "Filter subjects", "aria-label": "Filter triples", style: "width:100%" });
      const list = el("div");
      const draw = () => {
        const q = filter.value.toLowerCase();
        const rows = [];
        for (const [s, ts] of subjects) {
          const name = labels.get(s) || local(iri(s) || s);
          if (q && !name.toLowerCase().includes(q) && !(iri(s) || "").toLowerCase().includes(q)) continue;
          if (rows.length >= 300) break;
          const page = ts.find(t => iri(t[1]) === `${CX}page`);
          const bbox = ts.find(t => iri(t[1]) === `${CX}bbox`);
          const region = ts.find(t => iri(t[1]) === `${CX}region`);
          rows.push(el("div", { class: "subject" },
            el("div", { class: "s", title: iri(s) || s }, name, " ",
              page ? el("button", { class: "link", onclick: () => region ? C().selectRegion(literal(region[2]), true) : C().flashBox(Number(literal(page[2])), literal(bbox[2]).split(/\s+/).map(Number)) }, `page ${literal(page[2])}`) : null),
            ts.filter(t => iri(t[1]) !== RDFS_LABEL).map(([, p, o]) => el("div", { class: "po" },
              el("span", { class: "p" }, local(iri(p)), " "), iri(o) ? (labels.get(o) || local(iri(o))) : literal(o)))));
        }
        list.replaceChildren(...rows, rows.length >= 300 ? el("p", { class: "muted" }, "First 300 subjects; filter to find others.") : "");
      };
      filter.addEventListener("input", draw);
      draw();
      box.replaceChildren(el("p", { class: "muted" }, `${triples.length} triples about ${subjects.size} subjects`), filter, list);
    };
    if (triplesCache && triplesCache.key === key) shownTriples(triplesCache.triples);
    else C().api(docPath(`/triples${versionQuery()}`), { headers: { Accept: "application/n-triples" } })
      .then(r => r.text()).then(text => { triplesCache = { key, triples: parseNTriples(text) }; shownTriples(triplesCache.triples); })
      .catch(e => box.replaceChildren(el("p", { class: "error" }, e.message)));
    return [...head, box];
  }

  // --- versions ---------------------------------------------------------------------------
  function describe(op) {
    switch (op.op) {
      case "set_cell_text": return `${op.table} row ${op.row}, column ${op.col} → “${op.text}”`;
      case "merge_cells": return `${op.table}: merged ${op.rows}×${op.cols} cells at row ${op.row}, column ${op.col}`;
      case "split_cell": return `${op.table}: split the cell at row ${op.row}, column ${op.col}`;
      case "set_header_rows": return `${op.table}: ${op.rows} header row(s)`;
      case "set_node": return `${op.flowchart} ${op.node}${op.text !== undefined && op.text !== null ? ` → “${op.text}”` : ""}${op.shape ? ` (${op.shape})` : ""}`;
      case "add_edge": return `${op.flowchart}: edge ${op.source} → ${op.target}${op.label ? ` “${op.label}”` : ""} added`;
      case "remove_edge": return `${op.flowchart}: edge ${op.source} → ${op.target} removed`;
      case "set_edge_label": return `${op.flowchart}: edge ${op.source} → ${op.target} labelled “${op.label || ""}”`;
      case "set_region_kind": return `${op.region} is a ${op.kind}`;
      case "delete_region": return `${op.region} deleted`;
      default: return JSON.stringify(op);
    }
  }

  function versionsPanel() {
    const { el, S, docPath } = C();
    return [
      downloads([["Ground truth (corrected contract JSON)", docPath("/ground-truth"), `${S.doc.id}.truth.json`]]),
      S.pending.length ? el("div", { class: "version" }, el("strong", {}, "Not saved yet"), el("ul", {}, S.pending.map(op => el("li", {}, describe(op))))) : null,
      S.versions.slice().reverse().map(v => el("div", { class: "version" },
        el("strong", {}, `v${v.version}`), " ", v.kind === "correction" ? `corrected by ${v.author || "?"}` : "extracted",
        el("span", { class: "muted" }, ` · ${new Date(v.created_at * 1000).toLocaleString()} · ${v.triples} triples`),
        " ", el("button", { class: "link", onclick: () => { const s = document.getElementById("version-select"); s.value = v.version; s.dispatchEvent(new Event("change")); } }, "view"),
        v.note ? el("div", {}, `“${v.note}”`) : null,
        v.operations ? el("ul", {}, v.operations.map(op => el("li", {}, describe(op)))) : null)),
    ];
  }

  return { render, select };
})();
window.Panels = Panels;
