/* Strikewatch dashboard.
 *
 * Every string that comes from a report (sentences, outlets, speakers, names, values) is put in the page
 * with text nodes (el()/textContent), never as HTML: reports are untrusted input. The page's
 * Content-Security-Policy forbids inline scripts as a second line of defence.
 */
"use strict";

const GRADES = ["confirmed", "fair", "weak", "contested", "discounted"];
const GRADE_COLOURS = {confirmed: "#1b7837", fair: "#2166ac", weak: "#878787", contested: "#d6604d",
  discounted: "#c2a5cf", unknown: "#444"};
const SERIES_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
  "#17becf", "#7f7f7f"];
const SVG_NS = "http://www.w3.org/2000/svg";
const TERRITORY = ["Government regains territory", "Non-state actor overtakes territory",
  "Non-violent transfer of territory"];
const DAY_MS = 86400000;

const state = {
  features: [],      // incidents from the server (server-side filters applied)
  total: 0,
  brush: null,       // [startMs, endMs] or null
  bins: [],
  dossier: null,     // the open dossier
  config: {tiles: null},
};

/* ---------- DOM helpers: text only ---------- */

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "href") node.setAttribute("href", safeHref(value));
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, String(value));
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Only http(s) links and our own paths: a report's "javascript:" URL never becomes a link. */
function safeHref(value) {
  const s = String(value || "");
  if (s.startsWith("/") && !s.startsWith("//")) return s;
  try {
    const u = new URL(s);
    if (u.protocol === "http:" || u.protocol === "https:") return u.href;
  } catch (e) { /* not a URL */ }
  return "#";
}

function show(value) {
  if (value === null || value === undefined) return "unknown";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function gradeOf(value) {
  return GRADES.includes(value) ? value : "unknown";
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

async function getJSON(url) {
  const response = await fetch(url, {headers: {Accept: "application/json"}});
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `${response.status} ${response.statusText}`;
    throw new Error(message);
  }
  return body;
}

/* ---------- tabs ---------- */

function openTab(name) {
  for (const button of document.querySelectorAll("#tabs button")) {
    button.classList.toggle("active", button.dataset.panel === name);
  }
  for (const panel of document.querySelectorAll(".panel")) {
    panel.classList.toggle("active", panel.id === `panel-${name}`);
  }
  if (name === "charts") loadChart();
}

/* ---------- map ---------- */

let map = null;
let cluster = null;

function initMap() {
  map = L.map("map", {maxZoom: 18, minZoom: 2, worldCopyJump: true, zoomSnap: 0.5}).setView([35.0, 40.0], 6);
  map.createPane("outlines");
  map.getPane("outlines").style.zIndex = 250;
  if (state.config.tiles) {
    L.tileLayer(state.config.tiles, {maxZoom: 18, attribution: state.config.attribution || ""}).addTo(map);
  }
  fetch("/vendor/world-atlas/countries-50m.json")
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error("outlines not installed"))))
    .then((topo) => {
      const countries = topojson.feature(topo, topo.objects.countries);
      // Only the countries around the theatre: drawing the whole world's coastlines at village zoom
      // levels is slow in a browser without a GPU.
      countries.features = countries.features.filter((f) => intersects(bboxOf(f.geometry), REGION));
      L.geoJSON(countries, {
        pane: "outlines", interactive: false, renderer: L.canvas({pane: "outlines", padding: 0.2}),
        style: {color: "#555", weight: 1, fillColor: "#f3efe6", fillOpacity: state.config.tiles ? 0 : 1},
      }).addTo(map);
      document.body.dataset.outlines = String(countries.features.length);
    })
    .catch(() => { /* the map still works without outlines */ });
  cluster = L.markerClusterGroup({maxClusterRadius: 36, showCoverageOnHover: false,
    iconCreateFunction: clusterIcon});
  map.addLayer(cluster);
  const legend = document.getElementById("legend");
  for (const grade of GRADES) {
    legend.appendChild(el("span", {class: "legend-item"},
      el("span", {class: `dot grade-${grade}`}), grade));
  }
  legend.appendChild(el("span", {class: "legend-item"}, el("span", {class: "dot contested-ring"}),
    "sources disagree"));
}

const REGION = [20, 10, 70, 48];  // west, south, east, north: the Middle East around Syria and Iraq

function bboxOf(geometry) {
  let w = 180, s = 90, e = -180, n = -90;
  const walk = (c) => {
    if (typeof c[0] === "number") {
      w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1]);
    } else c.forEach(walk);
  };
  if (geometry) walk(geometry.coordinates);
  return [w, s, e, n];
}

function intersects(a, b) {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

function clusterIcon(group) {
  const children = group.getAllChildMarkers();
  const counts = {};
  for (const m of children) counts[m.options.grade] = (counts[m.options.grade] || 0) + 1;
  const top = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
  const size = children.length < 10 ? 30 : children.length < 100 ? 36 : 44;
  const inner = document.createElement("div");
  inner.appendChild(el("span", {text: String(children.length)}));
  return L.divIcon({html: inner, className: `sw-cluster grade-${top}`, iconSize: L.point(size, size)});
}

function markerFor(feature) {
  const p = feature.properties;
  const grade = gradeOf(p.grade);
  const icon = L.divIcon({className: `sw-marker grade-${grade}${p.contested ? " contested" : ""}`,
    iconSize: L.point(16, 16), html: ""});
  const [lon, lat] = feature.geometry.coordinates;
  const marker = L.marker([lat, lon], {icon, grade, title: describe(p), keyboard: true});
  marker.on("click", () => openDossier(p.id));
  return marker;
}

function describe(p) {
  const what = p.sub_type || p.type || "incident";
  const where = p.location || "unknown place";
  const when = p.date_start ? (p.date_end && p.date_end !== p.date_start ? `${p.date_start} to ${p.date_end}`
    : p.date_start) : "unknown date";
  return `${what} — ${where} — ${when} (${p.grade || "ungraded"})`;
}

/* ---------- data and filters ---------- */

function serverQuery() {
  const params = new URLSearchParams();
  const q = document.getElementById("f-q").value.trim();
  const actor = document.getElementById("f-actor").value.trim();
  const type = document.getElementById("f-type").value;
  const grade = document.getElementById("f-grade").value;
  if (q) params.set("q", q);
  if (actor) params.set("actor", actor);
  if (type) params.set("type", type);
  if (grade) params.set("grade", grade);
  if (document.getElementById("f-contested").checked) params.set("contested", "true");
  params.set("limit", "5000");
  return params;
}

let loadSeq = 0;

async function loadIncidents() {
  const seq = ++loadSeq;
  setStatus("Loading…");
  try {
    const body = await getJSON(`/api/incidents.geojson?${serverQuery()}`);
    if (seq !== loadSeq) return;
    state.features = body.features || [];
    state.total = body.total ?? state.features.length;
    fillChoices();
    render();
  } catch (err) {
    setStatus(`Could not load incidents: ${err.message}`);
  }
}

/** Belligerents and types offered in the selects: the ones present in what the server returned. */
function fillChoices() {
  const bell = document.getElementById("f-belligerent");
  const type = document.getElementById("f-type");
  const keepBell = bell.value;
  const keepType = type.value;
  const actors = new Map();
  const types = new Set();
  for (const f of state.features) {
    const first = (f.properties.actors || [])[0];
    if (first) actors.set(first, (actors.get(first) || 0) + 1);
    if (f.properties.sub_type) types.add(f.properties.sub_type);
    if (f.properties.type) types.add(f.properties.type);
  }
  if (keepBell) actors.set(keepBell, actors.get(keepBell) || 0);
  if (keepType) types.add(keepType);
  clear(bell).appendChild(el("option", {value: ""}, "all"));
  for (const [name, n] of [...actors.entries()].sort((a, b) => b[1] - a[1])) {
    bell.appendChild(el("option", {value: name}, `${name} (${n})`));
  }
  bell.value = keepBell;
  clear(type).appendChild(el("option", {value: ""}, "all"));
  for (const t of [...types].sort()) type.appendChild(el("option", {value: t}, t));
  type.value = keepType;
}

function dayMs(iso) {
  if (!iso) return null;
  const t = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? null : t;
}

function belligerentFiltered() {
  const bell = document.getElementById("f-belligerent").value;
  if (!bell) return state.features;
  return state.features.filter((f) => (f.properties.actors || [])[0] === bell);
}

function inBrush(f) {
  if (!state.brush) return true;
  const t = dayMs(f.properties.date_start);
  return t !== null && t >= state.brush[0] && t <= state.brush[1];
}

function render() {
  const base = belligerentFiltered();
  const shown = base.filter(inBrush);
  const placed = shown.filter((f) => f.geometry && f.geometry.type === "Point");
  cluster.clearLayers();
  cluster.addLayers(placed.map(markerFor));
  renderList(shown);
  drawTimeline(base);
  const unplaced = shown.length - placed.length;
  const more = state.total > state.features.length ? ` (first ${state.features.length} loaded)` : "";
  const status = document.getElementById("status");
  status.dataset.shown = String(placed.length);
  status.dataset.total = String(state.total);
  setStatus(`${state.total} incidents${more} · ${placed.length} on the map` +
    (unplaced ? ` · ${unplaced} without a known place` : ""));
}

function renderList(features) {
  const list = clear(document.getElementById("incident-list"));
  const sorted = [...features].sort((a, b) =>
    String(b.properties.date_start || "").localeCompare(String(a.properties.date_start || "")));
  for (const f of sorted.slice(0, 300)) {
    const p = f.properties;
    const item = el("li", {class: `incident-row grade-${gradeOf(p.grade)}`, tabindex: "0", "data-id": p.id},
      el("span", {class: `dot grade-${gradeOf(p.grade)}${p.contested ? " contested-ring" : ""}`}),
      el("span", {class: "row-date"}, p.date_start || "date unknown"),
      el("span", {class: "row-what"}, p.sub_type || p.type || "incident"),
      el("span", {class: "row-where"}, p.location || "place unknown"),
      el("span", {class: "row-actors"}, (p.actors || []).join(", ")),
      el("span", {class: "row-sources"}, `${p.n_documents} source${p.n_documents === 1 ? "" : "s"}`));
    item.addEventListener("click", () => openDossier(p.id));
    item.addEventListener("keydown", (e) => { if (e.key === "Enter") openDossier(p.id); });
    list.appendChild(item);
  }
  document.getElementById("list-more").textContent =
    sorted.length > 300 ? `${sorted.length - 300} more: narrow the filters or the timeline.` : "";
}

/* ---------- timeline histogram with a brush ---------- */

function binSize(spanDays) {
  if (spanDays <= 120) return {days: 1, name: "day"};
  if (spanDays <= 1000) return {days: 7, name: "week"};
  return {days: 30, name: "month"};
}

function drawTimeline(features) {
  const box = document.getElementById("timeline-svg");
  clear(box);
  const width = box.clientWidth || 600;
  const height = box.clientHeight || 110;
  box.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const times = features.map((f) => dayMs(f.properties.date_start)).filter((t) => t !== null);
  if (!times.length) {
    box.appendChild(svg("text", {x: 10, y: 20, class: "axis", text: "No dated incidents."}));
    state.bins = [];
    return;
  }
  times.sort((a, b) => a - b);
  let lo = times[0];
  let hi = times[times.length - 1];
  const axis = axisStart(times);
  lo = axis.lo;
  const earlier = axis.earlier;
  const size = binSize((hi - lo) / DAY_MS + 1);
  lo -= DAY_MS; hi += DAY_MS;
  const step = size.days * DAY_MS;
  const n = Math.max(1, Math.ceil((hi - lo + 1) / step));
  const counts = new Array(n).fill(0);
  for (const t of times) if (t >= lo) counts[Math.min(n - 1, Math.floor((t - lo) / step))] += 1;
  const max = Math.max(...counts);
  const pad = {l: 28, r: 8, t: 8, b: 20};
  const plotW = width - pad.l - pad.r;
  const plotH = height - pad.t - pad.b;
  const x = (t) => pad.l + ((t - lo) / (n * step)) * plotW;
  state.timeline = {lo, step, n, x, pad, plotW, width};
  document.getElementById("timeline-unit").textContent = `incidents per ${size.name}`;
  state.bins = counts.map((c, i) => ({start: lo + i * step, end: lo + (i + 1) * step - 1, count: c}));
  for (const bin of state.bins) {
    const h = max ? (bin.count / max) * plotH : 0;
    const inside = !state.brush || (bin.end >= state.brush[0] && bin.start <= state.brush[1]);
    const rect = svg("rect", {x: x(bin.start) + 0.5, y: pad.t + plotH - h,
      width: Math.max(1, x(bin.end + 1) - x(bin.start) - 1), height: h,
      class: inside ? "bar" : "bar outside"});
    rect.appendChild(svg("title", {text: `${iso(bin.start)}: ${bin.count} incident${bin.count === 1 ? "" : "s"}`}));
    box.appendChild(rect);
  }
  box.appendChild(svg("line", {x1: pad.l, x2: width - pad.r, y1: pad.t + plotH, y2: pad.t + plotH,
    class: "axis-line"}));
  box.appendChild(svg("text", {x: pad.l, y: height - 4, class: "axis", text: iso(lo + DAY_MS)}));
  box.appendChild(svg("text", {x: width - pad.r, y: height - 4, class: "axis", "text-anchor": "end",
    text: iso(hi - DAY_MS)}));
  box.appendChild(svg("text", {x: 2, y: pad.t + 10, class: "axis", text: String(max)}));
  if (earlier) {
    const note = svg("text", {x: 2, y: pad.t + plotH - 2, class: "axis earlier", text: `+${earlier}`});
    note.appendChild(svg("title", {text: `${earlier} incident${earlier === 1 ? "" : "s"} before ${iso(lo + DAY_MS)}`}));
    box.appendChild(note);
  }
  if (state.brush) {
    const a = Math.max(pad.l, x(state.brush[0]));
    const b = Math.min(width - pad.r, x(state.brush[1] + DAY_MS));
    box.appendChild(svg("rect", {x: a, y: pad.t, width: Math.max(2, b - a), height: plotH, class: "brush"}));
  }
}

/** Where a time axis should start, given sorted times.
 *
 * A few background mentions years earlier ("since early 2014") would squash the weeks that matter:
 * when the widest gap among the earliest 15% of times leaves less than a quarter of the span after it,
 * the axis starts after that gap and the times before it are counted apart (`earlier`).
 */
function axisStart(times) {
  const hi = times[times.length - 1];
  let gap = 0;
  let cut = -1;
  for (let i = 0; i + 1 < times.length && i < times.length * 0.15; i++) {
    if (times[i + 1] - times[i] > gap) { gap = times[i + 1] - times[i]; cut = i; }
  }
  if (cut >= 0 && (hi - times[cut + 1]) < 0.25 * (hi - times[0])) return {lo: times[cut + 1], earlier: cut + 1};
  return {lo: times[0], earlier: 0};
}

function iso(t) {
  return new Date(t).toISOString().slice(0, 10);
}

function initBrush() {
  const box = document.getElementById("timeline-svg");
  let dragStart = null;
  let ghost = null;
  const px = (event) => {
    const r = box.getBoundingClientRect();
    return (event.clientX - r.left) * ((state.timeline ? state.timeline.width : r.width) / r.width);
  };
  const toTime = (xPx) => {
    const t = state.timeline;
    const frac = Math.min(1, Math.max(0, (xPx - t.pad.l) / t.plotW));
    return t.lo + frac * t.n * t.step;
  };
  box.addEventListener("mousedown", (event) => {
    if (!state.timeline) return;
    event.preventDefault();
    dragStart = px(event);
    ghost = svg("rect", {x: dragStart, y: state.timeline.pad.t, width: 1, height: 200, class: "brush"});
    box.appendChild(ghost);
  });
  window.addEventListener("mousemove", (event) => {
    if (dragStart === null || !ghost) return;
    const now = px(event);
    ghost.setAttribute("x", String(Math.min(now, dragStart)));
    ghost.setAttribute("width", String(Math.max(1, Math.abs(now - dragStart))));
  });
  window.addEventListener("mouseup", (event) => {
    if (dragStart === null) return;
    const end = px(event);
    const start = dragStart;
    dragStart = null;
    ghost = null;
    if (Math.abs(end - start) < 3) { setBrush(null); return; }
    const a = Math.floor(toTime(Math.min(start, end)) / DAY_MS) * DAY_MS;
    const b = Math.floor(toTime(Math.max(start, end)) / DAY_MS) * DAY_MS;
    setBrush([a, b]);
  });
  document.getElementById("brush-clear").addEventListener("click", () => setBrush(null));
}

function setBrush(range) {
  state.brush = range;
  document.getElementById("brush-label").textContent = range ? `${iso(range[0])} to ${iso(range[1])}` : "";
  document.getElementById("brush-clear").hidden = !range;
  render();
}

/* ---------- dossier ---------- */

async function openDossier(id) {
  openTab("dossier");
  const panel = clear(document.getElementById("panel-dossier"));
  panel.appendChild(el("p", {class: "muted"}, "Loading…"));
  try {
    const d = await getJSON(`/api/incidents/${encodeURIComponent(id)}`);
    state.dossier = d;
    renderDossier(panel, d);
  } catch (err) {
    clear(panel).appendChild(el("p", {class: "error"}, `Could not open the incident: ${err.message}`));
  }
}

function renderDossier(panel, d) {
  clear(panel);
  const inc = d.incident || {};
  const loc = inc.location || {};
  const when = inc.date || {};
  const grade = gradeOf(inc.grade);
  panel.appendChild(el("h2", {class: "dossier-title"},
    `${inc.sub_type || inc.type || "Incident"} — ${loc.name || loc.text || "place unknown"}`));
  panel.appendChild(el("p", {class: "dossier-meta"},
    el("span", {class: `badge grade-${grade}`}, inc.grade || "ungraded"),
    inc.contested && grade !== "contested" ? el("span", {class: "badge contested-badge"}, "contested") : null,
    el("span", {}, when.start ? (when.end && when.end !== when.start ? `${when.start} to ${when.end}` : when.start)
      : "date unknown"),
    when.precision ? el("span", {class: "muted"}, ` (${when.precision})`) : null,
    loc.country ? el("span", {class: "muted"}, ` · ${loc.admin1 ? `${loc.admin1}, ` : ""}${loc.country}`) : null,
    loc.precision ? el("span", {class: "muted"}, ` · geo precision ${loc.precision}`) : null));
  if (inc.grade_reason) panel.appendChild(el("p", {class: "grade-reason"}, inc.grade_reason));
  if ((inc.actors || []).length) panel.appendChild(el("p", {}, el("strong", {}, "Actors: "), inc.actors.join(", ")));
  if (loc.name && TERRITORY.includes(inc.sub_type)) {
    panel.appendChild(el("button", {type: "button", onclick: () => showControl(loc.name, when.start)},
      `Control of ${loc.name} over time`));
  }
  const contradictions = inc.contradictions || [];
  if (contradictions.length) {
    const box = el("section", {class: "contradictions"}, el("h3", {}, "Contradictions"));
    for (const c of contradictions) {
      const values = el("ul", {});
      for (const v of c.values || []) {
        values.appendChild(el("li", {}, el("span", {class: "value"}, show(v.value)),
          " — ", el("span", {class: "speaker"}, v.speaker || "unattributed")));
      }
      box.appendChild(el("div", {class: "contradiction"}, el("strong", {}, c.field), values));
    }
    panel.appendChild(box);
  }
  const sources = d.sources || [];
  panel.appendChild(el("h3", {}, `${sources.length} source${sources.length === 1 ? "" : "s"}`));
  const columns = el("div", {class: "source-columns"});
  for (const s of sources) columns.appendChild(renderSource(s));
  panel.appendChild(columns);
}

function renderSource(s) {
  const col = el("article", {class: "source", "data-doc": s.doc_id});
  const head = el("header", {},
    el("div", {class: "outlet"}, s.outlet || s.title || `unnamed ${s.kind || "source"} (${s.doc_id})`),
    el("div", {class: "muted"}, [s.kind, s.published].filter(Boolean).join(" · ") || "kind and date unknown"),
    s.copy_of ? el("div", {class: "muted"}, "copy of another document (not independent)") : null);
  const links = el("div", {class: "links"},
    el("a", {href: `/api/documents/${encodeURIComponent(s.doc_id)}`, onclick: (e) => {
      e.preventDefault(); openDocument(s.doc_id);
    }}, "document"));
  if (s.url && safeHref(s.url) !== "#") {
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(el("a", {href: s.url, rel: "noopener noreferrer nofollow", target: "_blank"}, "original"));
  }
  head.appendChild(links);
  col.appendChild(head);
  if ((s.speakers || []).length) {
    col.appendChild(el("p", {class: "speakers"}, el("strong", {}, "Speaker: "), s.speakers.join("; ")));
  }
  const table = el("table", {class: "claims"},
    el("thead", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "value"), el("th", {}, "modality"))));
  const body = el("tbody", {});
  for (const c of s.claims || []) {
    body.appendChild(el("tr", {class: c.contradicted ? "contradicted" : "", title: c.speaker || ""},
      el("td", {}, c.field), el("td", {}, show(c.value)),
      el("td", {class: `modality modality-${String(c.modality || "").replace(/[^a-z]/g, "")}`}, c.modality || "")));
  }
  if (!(s.claims || []).length) body.appendChild(el("tr", {}, el("td", {colspan: 3, class: "muted"}, "no claims")));
  table.appendChild(body);
  col.appendChild(table);
  for (const ev of s.evidence || []) col.appendChild(renderSentence(ev.sentence || "", ev.marks || [], ev));
  return col;
}

/** The sentence as text nodes, with each claimed span in a <mark> naming its field. */
function renderSentence(sentence, marks, ev) {
  const quote = el("blockquote", {class: "evidence"});
  let at = 0;
  for (const m of [...marks].sort((a, b) => a.start - b.start)) {
    if (m.start < at || m.end > sentence.length) continue;
    quote.appendChild(document.createTextNode(sentence.slice(at, m.start)));
    quote.appendChild(el("mark", {class: `field-${String(m.field).replace(/[^a-z_]/g, "")}`, title: m.field},
      sentence.slice(m.start, m.end)));
    at = m.end;
  }
  quote.appendChild(document.createTextNode(sentence.slice(at)));
  if (ev && (ev.speaker || ev.modality)) {
    quote.appendChild(el("footer", {}, [ev.speaker, ev.modality].filter(Boolean).join(", ")));
  }
  return quote;
}

/* ---------- document view ---------- */

async function openDocument(docId) {
  openTab("document");
  const panel = clear(document.getElementById("panel-document"));
  panel.appendChild(el("p", {class: "muted"}, "Loading…"));
  try {
    const doc = await getJSON(`/api/documents/${encodeURIComponent(docId)}`);
    renderDocument(panel, doc, docId);
  } catch (err) {
    clear(panel).appendChild(el("p", {class: "error"}, `Could not open the document: ${err.message}`));
  }
}

function renderDocument(panel, doc, docId) {
  clear(panel);
  const meta = doc.document || doc;
  panel.appendChild(el("h2", {}, meta.title || meta.outlet || docId));
  panel.appendChild(el("p", {class: "muted"},
    [meta.outlet, meta.kind, meta.published, meta.author].filter(Boolean).join(" · ")));
  if (meta.url && safeHref(meta.url) !== "#") {
    panel.appendChild(el("p", {}, el("a", {href: meta.url, rel: "noopener noreferrer nofollow", target: "_blank"},
      meta.url)));
  }
  const text = meta.text || "";
  const spans = [];
  const events = (state.dossier && state.dossier.events) || doc.events || [];
  for (const e of events) {
    if (e.doc_id && e.doc_id !== docId) continue;
    const ev = e.evidence || {};
    if (!ev.sentence) continue;
    let start = ev.start;
    if (!(Number.isInteger(start) && text.slice(start, start + ev.sentence.length) === ev.sentence)) {
      start = text.indexOf(ev.sentence);
    }
    if (start >= 0) spans.push([start, start + ev.sentence.length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const body = el("div", {class: "document-text"});
  let at = 0;
  for (const [a, b] of spans) {
    if (a < at) continue;
    body.appendChild(document.createTextNode(text.slice(at, a)));
    body.appendChild(el("mark", {class: "evidence-span"}, text.slice(a, b)));
    at = b;
  }
  body.appendChild(document.createTextNode(text.slice(at)));
  panel.appendChild(body);
}

/* ---------- control of places ---------- */

function showControl(place, on) {
  document.getElementById("c-place").value = place;
  if (on) document.getElementById("c-on").value = on.slice(0, 10);
  openTab("control");
  loadControl();
}

async function loadControl() {
  const place = document.getElementById("c-place").value.trim();
  const on = document.getElementById("c-on").value;
  const out = clear(document.getElementById("control-result"));
  if (!place) return;
  const params = new URLSearchParams({place});
  if (on) params.set("on", on);
  out.appendChild(el("p", {class: "muted"}, "Loading…"));
  try {
    renderControl(out, await getJSON(`/api/control?${params}`));
  } catch (err) {
    clear(out).appendChild(el("p", {class: "error"}, err.message));
  }
}

function eventLine(e) {
  if (typeof e !== "object" || e === null) return el("li", {class: "muted"}, `event ${show(e)}`);
  const when = (e.date && e.date.start) || "date unknown";
  const who = (e.actor && (e.actor.name || e.actor.text)) || "unknown actor";
  const item = el("li", {}, el("strong", {}, `${when} · ${e.sub_type || e.type || "event"} · ${who}`));
  const sentence = e.evidence && e.evidence.sentence;
  if (sentence) item.appendChild(el("div", {class: "evidence small"}, sentence));
  return item;
}

function renderControl(out, c) {
  clear(out);
  const place = c.place || {};
  out.appendChild(el("h3", {}, place.name || place.text || "place"));
  out.appendChild(el("p", {class: "control-holder"},
    `On ${c.on || "the date asked"}: `, el("strong", {}, c.holder || "holder unknown"),
    c.since ? ` (since ${c.since})` : ""));
  const periods = c.timeline || c.periods || c.history || [];
  if (periods.length) {
    const starts = periods.map((p) => dayMs(p.since)).filter((t) => t !== null);
    const ends = periods.map((p) => dayMs(p.until)).filter((t) => t !== null);
    const lo = Math.min(...starts, ...(c.on ? [dayMs(c.on)] : []));
    const hi = Math.max(...starts, ...ends, ...(c.on ? [dayMs(c.on)] : []), lo + DAY_MS);
    const bar = el("div", {class: "control-bar"});
    const holders = [...new Set(periods.map((p) => p.holder || "unknown"))];
    periods.forEach((p) => {
      const a = dayMs(p.since) ?? lo;
      const b = dayMs(p.until) ?? hi;
      const seg = el("div", {class: "control-seg", title: `${p.holder || "unknown"}: ${p.since || "?"} to ${p.until || "now"}`},
        p.holder || "unknown");
      seg.style.left = `${((a - lo) / (hi - lo)) * 100}%`;
      seg.style.width = `${Math.max(2, ((b - a) / (hi - lo)) * 100)}%`;
      seg.style.background = SERIES_COLOURS[holders.indexOf(p.holder || "unknown") % SERIES_COLOURS.length];
      bar.appendChild(seg);
    });
    out.appendChild(bar);
    const list = el("ol", {class: "control-periods"});
    for (const p of periods) {
      const evs = el("ul", {});
      for (const e of p.events || []) evs.appendChild(eventLine(e));
      list.appendChild(el("li", {}, el("strong", {}, p.holder || "holder unknown"),
        ` from ${p.since || "?"}${p.until ? ` to ${p.until}` : ""}`, evs));
    }
    out.appendChild(list);
  } else if ((c.events || []).length) {
    const evs = el("ul", {});
    for (const e of c.events) evs.appendChild(eventLine(e));
    out.appendChild(evs);
  } else {
    out.appendChild(el("p", {class: "muted"}, "No capture, loss or transfer of this place has been reported."));
  }
}

/* ---------- charts ---------- */

const PERIOD_KEYS = ["period", "date", "bucket", "start", "day", "week", "month"];
const GROUP_KEYS = ["group", "key", "name", "actor", "country", "type"];

/** Stats rows as {period, group, metrics}: tolerant of the column names a store may choose. */
function normaliseStats(rows, group) {
  return rows.map((r) => {
    const period = PERIOD_KEYS.map((k) => r[k]).find((v) => v !== undefined && v !== null);
    const name = [group, ...GROUP_KEYS].map((k) => r[k]).find((v) => typeof v === "string" || v === null);
    const metrics = {};
    for (const [k, v] of Object.entries(r)) if (typeof v === "number" && !PERIOD_KEYS.includes(k)) metrics[k] = v;
    return {period: String(period ?? ""), group: name ?? "unknown", metrics};
  });
}

async function loadChart() {
  const by = document.getElementById("ch-by").value;
  const group = document.getElementById("ch-group").value;
  const headline = document.getElementById("chart-headline");
  try {
    const body = await getJSON(`/api/stats?by=${by}&group=${group}`);
    const rows = normaliseStats(body.rows || [], group);
    const metricSelect = document.getElementById("ch-metric");
    const metrics = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
    const keep = metricSelect.value;
    clear(metricSelect);
    for (const m of metrics) metricSelect.appendChild(el("option", {value: m}, m));
    metricSelect.value = metrics.includes(keep) ? keep : (metrics.includes("events") ? "events" : metrics[0] || "");
    drawChart(rows, metricSelect.value, by);
  } catch (err) {
    headline.textContent = `Could not load statistics: ${err.message}`;
  }
}

function periodMs(period) {
  return dayMs(period.length === 7 ? `${period}-01` : period);
}

function periodKey(t, by) {
  return by === "month" ? iso(t).slice(0, 7) : iso(t);
}

function nextPeriod(t, by) {
  if (by === "day") return t + DAY_MS;
  if (by === "week") return t + 7 * DAY_MS;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function drawChart(rows, metric, by) {
  const box = clear(document.getElementById("chart-svg"));
  const legend = clear(document.getElementById("chart-legend"));
  const headline = document.getElementById("chart-headline");
  const width = box.clientWidth || 420;
  const height = box.clientHeight || 240;
  box.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const known = [...new Set(rows.map((r) => r.period))].map(periodMs).filter((t) => t !== null).sort((a, b) => a - b);
  if (!known.length || !metric) { headline.textContent = "No data yet."; return; }
  // Every period from the start of the axis to the last, so quiet weeks show as zeros.
  const weighted = [];
  for (const r of rows) {
    const t = periodMs(r.period);
    for (let k = 0; k < Math.min(1000, r.metrics[metric] || 0); k++) weighted.push(t);
  }
  weighted.sort((a, b) => a - b);
  const start = weighted.length ? axisStart(weighted).lo : known[0];
  const periods = [];
  for (let t = start; t <= known[known.length - 1]; t = nextPeriod(t, by)) periods.push(periodKey(t, by));
  rows = rows.filter((r) => periods.includes(r.period));
  const totals = new Map();
  for (const r of rows) totals.set(r.group, (totals.get(r.group) || 0) + (r.metrics[metric] || 0));
  const groups = [...totals.entries()].sort((a, b) => b[1] - a[1]).map((g) => g[0]);
  const top = groups.slice(0, SERIES_COLOURS.length - 1);
  const series = new Map(top.map((g) => [g, new Array(periods.length).fill(0)]));
  if (groups.length > top.length) series.set("others", new Array(periods.length).fill(0));
  for (const r of rows) {
    const key = top.includes(r.group) ? r.group : "others";
    series.get(key)[periods.indexOf(r.period)] += r.metrics[metric] || 0;
  }
  const max = Math.max(1, ...[...series.values()].flat());
  const pad = {l: 34, r: 8, t: 10, b: 22};
  const x = (i) => pad.l + (periods.length === 1 ? 0.5 : i / (periods.length - 1)) * (width - pad.l - pad.r);
  const y = (v) => pad.t + (1 - v / max) * (height - pad.t - pad.b);
  box.appendChild(svg("line", {x1: pad.l, x2: width - pad.r, y1: y(0), y2: y(0), class: "axis-line"}));
  box.appendChild(svg("line", {x1: pad.l, x2: pad.l, y1: pad.t, y2: y(0), class: "axis-line"}));
  box.appendChild(svg("text", {x: 2, y: pad.t + 8, class: "axis", text: String(Math.round(max))}));
  box.appendChild(svg("text", {x: pad.l, y: height - 6, class: "axis", text: periods[0]}));
  box.appendChild(svg("text", {x: width - pad.r, y: height - 6, class: "axis", "text-anchor": "end",
    text: periods[periods.length - 1]}));
  let i = 0;
  for (const [name, values] of series) {
    const colour = SERIES_COLOURS[i++ % SERIES_COLOURS.length];
    const points = values.map((v, k) => `${x(k)},${y(v)}`).join(" ");
    const line = svg("polyline", {points, fill: "none", stroke: colour, "stroke-width": 2, class: "series"});
    line.appendChild(svg("title", {text: name}));
    box.appendChild(line);
    values.forEach((v, k) => box.appendChild(svg("circle", {cx: x(k), cy: y(v), r: 2.5, fill: colour})));
    legend.appendChild(el("li", {}, el("span", {class: "swatch", style: `background:${colour}`}),
      `${name}: ${values.reduce((a, b) => a + b, 0)}`));
  }
  const last = periods[periods.length - 1];
  const leader = [...series.entries()].sort((a, b) => b[1][periods.length - 1] - a[1][periods.length - 1])[0];
  headline.textContent = `${metric} per ${by}; latest ${by} (${last}): ` +
    `${leader[1][periods.length - 1]} by ${leader[0]}.`;
}

/* ---------- start ---------- */

async function loadActorNames() {
  try {
    const body = await getJSON("/api/stats?by=month&group=actor");
    const names = new Set(normaliseStats(body.rows || [], "actor").map((r) => r.group).filter((g) => g && g !== "unknown"));
    const list = clear(document.getElementById("actor-names"));
    for (const n of [...names].sort()) list.appendChild(el("option", {value: n}));
  } catch (e) { /* the actor box still takes free text */ }
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

async function start() {
  try { state.config = await getJSON("/api/config"); } catch (e) { state.config = {tiles: null}; }
  initMap();
  initBrush();
  for (const button of document.querySelectorAll("#tabs button")) {
    button.addEventListener("click", () => openTab(button.dataset.panel));
  }
  const reload = debounce(loadIncidents, 250);
  document.getElementById("f-q").addEventListener("input", reload);
  document.getElementById("f-actor").addEventListener("change", loadIncidents);
  for (const id of ["f-type", "f-grade", "f-contested"]) {
    document.getElementById(id).addEventListener("change", loadIncidents);
  }
  document.getElementById("f-belligerent").addEventListener("change", render);
  document.getElementById("filters").addEventListener("submit", (e) => { e.preventDefault(); loadIncidents(); });
  document.getElementById("f-reset").addEventListener("click", () => {
    document.getElementById("filters").reset();
    setBrush(null);
    loadIncidents();
  });
  document.getElementById("control-form").addEventListener("submit", (e) => { e.preventDefault(); loadControl(); });
  for (const id of ["ch-by", "ch-group"]) document.getElementById(id).addEventListener("change", loadChart);
  document.getElementById("ch-metric").addEventListener("change", loadChart);
  window.addEventListener("resize", debounce(render, 200));
  loadActorNames();
  await loadIncidents();
  const placed = state.features.filter((f) => f.geometry && f.geometry.type === "Point");
  // Frame the theatre: a stray point far away (a mis-resolved place) should not zoom the map out.
  const inRegion = placed.filter((f) => intersects([...f.geometry.coordinates, ...f.geometry.coordinates], REGION));
  const framed = inRegion.length ? inRegion : placed;
  if (framed.length) {
    const bounds = L.latLngBounds(framed.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
    map.fitBounds(bounds.pad(0.2), {maxZoom: 9, animate: false});
  }
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
