// The curator page: documents, the page view with its regions, and the panels of
// panels.js. Plain JavaScript, no library, everything from this server's API.
"use strict";

const KINDS = {
  title: "#c82828", heading: "#c82828", text: "#285ac8", list: "#1e9696", table: "#1ea03c",
  flowchart: "#dc7800", figure: "#963cb4", caption: "#787814", header: "#828282", footer: "#828282",
  footnote: "#5a5a5a", equation: "#5a5a5a", reference: "#5a5a5a",
};
const POINT = 1.25; // screen pixels per PDF point at 100 %

const S = {
  key: sessionStorage.getItem("clinex-key") || "",
  open: false,
  doc: null,          // the document's row
  base: null,         // the extraction of the version shown
  working: null,      // base with the pending corrections applied (server preview)
  versions: [],
  version: null,      // null: the current one
  page: 1,
  zoom: 1,
  selected: null,     // region id
  hidden: new Set(),
  pending: [],
  tab: "region",
  listTimer: null,
  docTimer: null,
  pageUrls: new Map(),
};

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) node.append(c.nodeType ? c : String(c));
  return node;
};

function say(text, ms = 3000) {
  const m = $("#message");
  m.textContent = text;
  clearTimeout(say.timer);
  if (ms) say.timer = setTimeout(() => (m.textContent = ""), ms);
}

// --- the API ---------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  if (S.key) headers.set("Authorization", `Bearer ${S.key}`);
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401 && !S.open) {
    signOut("Your key was not accepted.");
    throw new ApiError(401, { detail: "not signed in" });
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch (_) { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  return response;
}
const getJson = async (path) => (await api(path)).json();
const postJson = async (path, body) =>
  (await api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();
const versionQuery = (sep = "?") => (S.version ? `${sep}version=${S.version}` : "");
const docPath = (rest = "") => `/v1/documents/${encodeURIComponent(S.doc.id)}${rest}`;

/** Fetches with the key and saves the answer as a file. (A data: URL rather than a blob: one:
 *  headless Chromium leaves blob downloads unfinished.) */
async function download(path, filename) {
  const blob = await (await api(path)).blob();
  const href = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
  const a = el("a", { href, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
}

async function pageUrl(n) {
  const key = `${S.doc.id}/${S.version || S.doc.version}/${n}`;
  if (!S.pageUrls.has(key)) {
    S.pageUrls.set(key, api(docPath(`/pages/${n}.png${versionQuery()}`)).then(r => r.blob()).then(b => URL.createObjectURL(b)));
  }
  return S.pageUrls.get(key);
}

// --- sign-in ---------------------------------------------------------------------------

async function start() {
  try {
    const r = await fetch("/v1/documents?per_page=1");
    S.open = r.ok;
  } catch (_) { S.open = false; }
  $("#who").textContent = S.open ? "open server (no keys)" : "";
  route();
}

function signOut(why) {
  S.key = "";
  sessionStorage.removeItem("clinex-key");
  if (why) $("#sign-in-error").textContent = why;
  location.hash = "#/";
  route();
}

$("#sign-in-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const key = $("#key").value.trim();
  const r = await fetch("/v1/documents?per_page=1", { headers: { Authorization: `Bearer ${key}` } });
  if (!r.ok) { $("#sign-in-error").textContent = r.status === 401 ? "That key is not valid." : `The server answered ${r.status}.`; return; }
  S.key = key;
  sessionStorage.setItem("clinex-key", key);
  $("#key").value = "";
  $("#sign-in-error").textContent = "";
  route();
});
$("#sign-out").addEventListener("click", () => signOut());

// --- routing ---------------------------------------------------------------------------

function show(id) {
  for (const s of ["sign-in", "documents", "document"]) $(`#${s}`).hidden = s !== id;
}

function route() {
  clearInterval(S.listTimer);
  clearTimeout(S.docTimer);
  $("#sign-out").hidden = S.open || !S.key;
  if (!S.open && !S.key) { show("sign-in"); $("#crumbs").textContent = ""; $("#key").focus(); return; }
  const m = location.hash.match(/^#\/doc\/([^/]+)(?:\/(\d+))?/);
  if (m) openDocument(decodeURIComponent(m[1]), Number(m[2] || 1));
  else openList();
}
window.addEventListener("hashchange", route);

// --- documents ---------------------------------------------------------------------------

function openList() {
  show("documents");
  refreshList.last = null;
  $("#crumbs").textContent = "Documents";
  S.doc = null;
  refreshList();
  S.listTimer = setInterval(refreshList, 1500);
}

function ago(seconds) {
  const d = Date.now() / 1000 - seconds;
  if (d < 60) return "just now";
  if (d < 3600) return `${Math.round(d / 60)} min ago`;
  if (d < 86400) return `${Math.round(d / 3600)} h ago`;
  return new Date(seconds * 1000).toLocaleDateString();
}

async function refreshList() {
  const q = encodeURIComponent($("#search").value.trim());
  const status = $("#status-filter").value;
  let list;
  try { list = await getJson(`/v1/documents?per_page=200&q=${q}${status ? `&status=${status}` : ""}`); }
  catch (e) { if (e.status !== 401) say(`Could not list documents: ${e.message}`); return; }
  $("#count").textContent = `${list.total} document${list.total === 1 ? "" : "s"}`;
  // Redrawn only when something changed: a row under the pointer or the keyboard stays put.
  const drawn = JSON.stringify(list.documents);
  if (drawn === refreshList.last) return;
  refreshList.last = drawn;
  const body = $("#document-list tbody");
  const focused = document.activeElement && document.activeElement.dataset.id;
  body.replaceChildren(...list.documents.map(d => {
    const total = d.pages_total || 0;
    const share = total ? Math.round((100 * d.pages_done) / total) : 0;
    const row = el("tr", { class: "doc", tabindex: 0, "data-id": d.id,
      onclick: () => (location.hash = `#/doc/${d.id}`),
      onkeydown: (e) => { if (e.key === "Enter") location.hash = `#/doc/${d.id}`; } },
    el("td", {}, el("div", {}, d.title || d.filename || d.id), el("div", { class: "muted" }, d.filename || "")),
    el("td", {}, el("span", { class: `status ${d.status}` }, d.status),
      d.error ? el("div", { class: "error" }, d.error.message) : null),
    el("td", {}, d.status === "running" || d.status === "queued"
      ? [el("span", { class: "progress" }, el("span", { style: `width:${share}%` })), `${d.pages_done}/${total || "?"}`]
      : `${d.pages_done}${total ? ` / ${total}` : ""}`),
    el("td", {}, d.version ? `v${d.version}` : "–"),
    el("td", { class: "muted" }, ago(d.created_at)));
    return row;
  }));
  if (focused) { const r = body.querySelector(`[data-id="${focused}"]`); if (r) r.focus(); }
}

$("#search").addEventListener("input", () => refreshList());
$("#status-filter").addEventListener("change", () => refreshList());

async function upload(files) {
  const box = $("#uploads");
  for (const file of files) {
    const line = el("div", {}, `${file.name}: uploading…`);
    box.prepend(line);
    const form = new FormData();
    form.append("file", file, file.name);
    try {
      const r = await api("/v1/documents", { method: "POST", body: form });
      const d = await r.json();
      line.textContent = `${file.name}: ${r.status === 200 ? "already here" : "accepted"} (${d.status})`;
    } catch (e) {
      line.replaceChildren(el("span", { class: "error" }, `${file.name}: ${e.message}`));
    }
  }
  refreshList();
}

const drop = $("#drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); upload([...e.dataTransfer.files]); });
drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("#files").click(); } });
$("#files").addEventListener("change", (e) => { upload([...e.target.files]); e.target.value = ""; });

// --- one document ---------------------------------------------------------------------------

/** How long the last document took to open (from the request to its first page drawn) and
 *  the last page turn took (to its picture drawn): read by `make bench-web`. */
const timings = { open_ms: null, turn_ms: null };

async function openDocument(id, page) {
  show("document");
  const started = performance.now();
  const same = S.doc && S.doc.id === id;
  if (!same) {
    Object.assign(S, { version: null, selected: null, pending: [], working: null, base: null });
    $("#side-body").replaceChildren(el("p", { class: "muted" }, "Loading…"));
  }
  try { S.doc = await getJson(`/v1/documents/${encodeURIComponent(id)}`); }
  catch (e) { say(e.message); location.hash = "#/"; return; }
  $("#crumbs").replaceChildren(el("a", { href: "#/" }, "Documents"), " › ", S.doc.title || S.doc.filename || S.doc.id);
  if (S.doc.version === 0) {
    waitForExtraction();
    return;
  }
  if (!same || !S.base) await loadVersion();
  await goToPage(page);
  const img = $("#page-image");
  const done = () => { if (!same) timings.open_ms = Math.round(performance.now() - started); };
  if (img.complete && img.naturalWidth) done(); else img.addEventListener("load", done, { once: true });
}

function waitForExtraction() {
  const d = S.doc;
  const text = d.status === "failed"
    ? el("p", { class: "error" }, `Extraction failed: ${d.error ? d.error.message : "unknown error"}`)
    : el("p", {}, `${d.status}: ${d.pages_done} of ${d.pages_total || "?"} pages read…`);
  $("#side-body").replaceChildren(text);
  $("#page").hidden = true;
  if (d.status !== "failed") S.docTimer = setTimeout(() => route(), 1000);
}

async function loadVersion() {
  const [extraction, versions] = await Promise.all([
    getJson(docPath(`/extraction${versionQuery()}`)),
    getJson(docPath("/versions")),
  ]);
  S.base = extraction;
  S.working = null;
  S.versions = versions;
  const select = $("#version-select");
  select.replaceChildren(...versions.slice().reverse().map(v =>
    el("option", { value: v.version, selected: (S.version || S.doc.version) === v.version },
      `v${v.version} ${v.kind === "correction" ? `corrected by ${v.author || "?"}` : "extracted"}${v.version === S.doc.version ? " (current)" : ""}`)));
  $("#page").hidden = false;
  $("#page-total").textContent = `of ${extraction.pages.length ? extraction.pages[extraction.pages.length - 1].number : 0}`;
  $("#n-tables").textContent = extraction.tables.length || "";
  $("#n-flowcharts").textContent = extraction.flowcharts.length || "";
  $("#n-triples").textContent = extraction.triples ? extraction.triples.count : "";
  renderLegend();
  renderPending();
  Panels.render();
}

$("#version-select").addEventListener("change", async (e) => {
  const v = Number(e.target.value);
  if (S.pending.length && !confirm("Discard the corrections not saved yet?")) { e.target.value = S.version || S.doc.version; return; }
  S.pending = [];
  S.version = v === S.doc.version ? null : v;
  await loadVersion();
  goToPage(S.page);
});

/** The extraction shown: the version with the pending corrections applied. */
const shown = () => S.working || S.base;
const readOnly = () => S.version !== null;

function pageOf(n) { return shown().pages.find(p => p.number === n); }

async function goToPage(n) {
  const started = performance.now();
  timings.turn_ms = null;
  const pages = shown().pages;
  if (!pages.length) return;
  const numbers = pages.map(p => p.number);
  if (!numbers.includes(n)) n = n > numbers[numbers.length - 1] ? numbers[numbers.length - 1] : numbers[0];
  S.page = n;
  $("#page-number").value = n;
  const wanted = `#/doc/${S.doc.id}/${n}`;
  if (location.hash !== wanted) history.replaceState(null, "", wanted);
  renderPage();
  const img = $("#page-image");
  img.removeAttribute("src");
  img.onload = () => { timings.turn_ms = Math.round(performance.now() - started); };
  try { img.src = await pageUrl(n); } catch (e) { say(`Page ${n}: ${e.message}`); }
  // The next page is fetched ahead, so turning pages does not wait.
  if (numbers.includes(n + 1)) pageUrl(n + 1).catch(() => {});
}

function renderPage() {
  const page = pageOf(S.page);
  if (!page) return;
  const box = $("#page");
  box.style.width = `${page.width * POINT * S.zoom}px`;
  box.style.height = `${page.height * POINT * S.zoom}px`;
  $("#zoom-level").textContent = `${Math.round(S.zoom * 100)}%`;
  const overlay = $("#overlay");
  overlay.className = $("#show-order").checked ? "" : "hide-order";
  overlay.replaceChildren(...page.regions.filter(r => !S.hidden.has(r.kind)).map(r => {
    const [x0, y0, x1, y1] = r.bbox;
    const colour = KINDS[r.kind] || "#555";
    return el("button", {
      class: `region${S.selected === r.id ? " selected" : ""}`, "data-id": r.id,
      title: `${r.kind}${r.text ? `: ${r.text.slice(0, 80)}` : ""}`, "aria-label": `${r.kind} region ${r.id}`,
      style: `left:${(100 * x0) / page.width}%;top:${(100 * y0) / page.height}%;width:${(100 * (x1 - x0)) / page.width}%;height:${(100 * (y1 - y0)) / page.height}%;border-color:${colour}`,
      onclick: () => selectRegion(r.id),
    }, el("span", { class: "order", style: `background:${colour}` }, r.order));
  }));
}

function renderLegend() {
  const present = new Set(shown().pages.flatMap(p => p.regions.map(r => r.kind)));
  $("#legend").replaceChildren(...Object.keys(KINDS).filter(k => present.has(k)).map(k =>
    el("label", {}, el("input", { type: "checkbox", checked: !S.hidden.has(k), onchange: (e) => {
      if (e.target.checked) S.hidden.delete(k); else S.hidden.add(k);
      renderPage();
    } }), el("span", { class: "swatch", style: `border-color:${KINDS[k]}` }), k)));
}

function selectRegion(id, flash = false) {
  S.selected = id;
  const region = shown().pages.flatMap(p => p.regions).find(r => r.id === id);
  if (region && Number(id.split("-")[0].slice(1)) !== S.page) goToPage(Number(id.split("-")[0].slice(1)));
  else renderPage();
  if (flash) setTimeout(() => { const b = $(`.region[data-id="${id}"]`); if (b) { b.classList.add("flash"); b.scrollIntoView({ block: "center" }); } }, 50);
  Panels.select("region");
}

/** Shows a box on a page (for triples without a region). */
function flashBox(page, bbox) {
  goToPage(page).then(() => {
    const p = pageOf(page);
    const [x0, y0, x1, y1] = bbox;
    const b = el("div", { class: "region flash", style: `left:${(100 * x0) / p.width}%;top:${(100 * y0) / p.height}%;width:${(100 * (x1 - x0)) / p.width}%;height:${(100 * (y1 - y0)) / p.height}%;border-color:#e8590c;pointer-events:none` });
    $("#overlay").append(b);
    b.scrollIntoView({ block: "center" });
    setTimeout(() => b.remove(), 2600);
  });
}

$("#prev").addEventListener("click", () => goToPage(S.page - 1));
$("#next").addEventListener("click", () => goToPage(S.page + 1));
$("#page-number").addEventListener("change", (e) => goToPage(Number(e.target.value)));
const zoom = (factor) => { S.zoom = Math.min(4, Math.max(0.3, S.zoom * factor)); renderPage(); };
$("#zoom-in").addEventListener("click", () => zoom(1.25));
$("#zoom-out").addEventListener("click", () => zoom(0.8));
$("#show-order").addEventListener("change", renderPage);

document.addEventListener("keydown", (e) => {
  if ($("#document").hidden || e.target.closest("input, textarea, select, [contenteditable=true]")) return;
  if (e.key === "ArrowRight" || e.key === "PageDown") { goToPage(S.page + 1); e.preventDefault(); }
  else if (e.key === "ArrowLeft" || e.key === "PageUp") { goToPage(S.page - 1); e.preventDefault(); }
  else if (e.key === "+" || e.key === "=") zoom(1.25);
  else if (e.key === "-") zoom(0.8);
  else if (e.key === "Escape") { S.selected = null; renderPage(); }
});

// --- corrections ---------------------------------------------------------------------------

/** Adds a correction: the server applies the pending list to a copy and answers the result,
 *  which the page shows until it is saved or discarded. */
async function correct(op) {
  if (readOnly()) { say("An earlier version is read-only: choose the current one to correct."); return false; }
  const pending = [...S.pending, op];
  try {
    S.working = await postJson(docPath("/corrections?dry_run=true"), { based_on: S.doc.version, operations: pending });
  } catch (e) {
    say(`Not applied: ${e.message}`, 5000);
    Panels.render();
    return false;
  }
  S.pending = pending;
  renderPending();
  renderPage();
  Panels.render();
  return true;
}

function renderPending() {
  $("#pending").hidden = S.pending.length === 0;
  $("#pending-count").textContent = `${S.pending.length} correction${S.pending.length === 1 ? "" : "s"} not saved`;
}

$("#save").addEventListener("click", async () => {
  try {
    const saved = await postJson(docPath("/corrections"), { based_on: S.doc.version, note: $("#pending-note").value, operations: S.pending });
    S.pending = [];
    $("#pending-note").value = "";
    S.doc = await getJson(docPath());
    S.version = null;
    await loadVersion();
    renderPage();
    say(`Saved as version ${saved.version} (${saved.triples} triples)`);
  } catch (e) { say(`Not saved: ${e.message}`, 6000); }
});
$("#discard").addEventListener("click", () => {
  S.pending = [];
  S.working = null;
  renderPending();
  renderPage();
  Panels.render();
});

window.Clinex = { timings, S, api, getJson, download, pageUrl, el, $, say, shown, readOnly, pageOf, selectRegion, flashBox, correct, goToPage, KINDS, docPath, versionQuery };
start();
