/* Strikewatch dashboard.
 *
 * Every string that comes from a report (sentences, outlets, speakers, names, values) is put in the page
 * with text nodes (el()/textContent), never as HTML: reports are untrusted input. The page's
 * Content-Security-Policy forbids inline scripts as a second line of defence.
 *
 * All filter state lives in the URL's hash (#/?grade=fair&from=2016-11-01, #/incident/ID?...), so a view
 * can be shared and the back button works.
 */
"use strict";

const GRADES = ["confirmed", "fair", "weak", "contested", "discounted"];
// Worst first: a cluster takes the colour of its least certain incident, and contested ones show at once.
const GRADE_SEVERITY = ["contested", "discounted", "weak", "fair", "confirmed", "unknown"];
const GRADE_COLOURS = {confirmed: "#1b7837", fair: "#2166ac", weak: "#878787", contested: "#d6604d",
  discounted: "#9970ab", unknown: "#444"};
const GRADE_WORDS = {
  confirmed: "the acting party acknowledges it and at least one other source agrees",
  fair: "two or more independent sources report it",
  weak: "a single source reports it",
  contested: "the sources disagree on who acted, on what was hit or on the toll",
  discounted: "the available sources make it unlikely",
};
const MODALITY_WORDS = {asserted: "states", claimed: "claims", reported: "reports", denied: "denies",
  disputed: "disputes"};
// A source's account of the whole event ("account" claims): what it does with it, in words.
const ACCOUNT_WORDS = {asserted: "states it happened", claimed: "claims it happened", reported: "reports it",
  denied: "denies it happened", disputed: "disputes the account"};
const FIELD_WORDS = {actor: "who acted", target: "what was hit", killed: "killed", injured: "injured",
  civilians_killed: "civilians killed", children_killed: "children killed", whose: "whose dead",
  count: "how many", location: "where", date: "when", account: "their account", type: "what happened",
  sub_type: "what happened", strikes: "strikes", effect: "damage"};
const SERIES_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
  "#17becf", "#bcbd22", "#7f7f7f"];
const SVG_NS = "http://www.w3.org/2000/svg";
const TERRITORY = ["Government regains territory", "Non-state actor overtakes territory",
  "Non-violent transfer of territory"];
const DAY_MS = 86400000;
// Small white glyphs (12x12 viewBox) drawn on a marker of the grade's colour, one per kind of event.
const ICON_PATHS = {
  air: "M6 0.5 L7 4.5 L11.5 6.8 L11.5 8 L7 7 L6.8 9.8 L8.4 11.2 L8.4 11.8 L6 11.2 L3.6 11.8 L3.6 11.2 L5.2 9.8 L5 7 L0.5 8 L0.5 6.8 L5 4.5 Z",
  shell: "M6 0.5 L7.2 4 L11 3 L8.3 6 L11 9 L7.2 8 L6 11.5 L4.8 8 L1 9 L3.7 6 L1 3 L4.8 4 Z",
  ied: "M6 1 L11 11 L1 11 Z M5.3 4.5 L6.7 4.5 L6.5 8 L5.5 8 Z M5.3 9 L6.7 9 L6.7 10.2 L5.3 10.2 Z",
  suicide: "M6 0.8 L11.2 6 L6 11.2 L0.8 6 Z",
  chemical: "M6 1.5 A2 2 0 1 1 5.99 1.5 Z M2.5 7.5 A2 2 0 1 1 2.49 7.5 Z M9.5 7.5 A2 2 0 1 1 9.49 7.5 Z",
  clash: "M1 2.4 L2.4 1 L11 9.6 L9.6 11 Z M9.6 1 L11 2.4 L2.4 11 L1 9.6 Z",
  attack: "M6 1 A2.2 2.2 0 1 1 5.99 1 Z M2.5 11 C2.5 7 4 6.2 6 6.2 C8 6.2 9.5 7 9.5 11 Z",
  abduction: "M2 5 L10 5 L10 11 L2 11 Z M3.8 5 L3.8 3.5 A2.2 2.2 0 0 1 8.2 3.5 L8.2 5 L7 5 L7 3.6 A1 1 0 0 0 5 3.6 L5 5 Z",
  looting: "M2 4 L10 4 L11 11 L1 11 Z M4 4 A2 2 0 0 1 8 4 L7 4 A1 1 0 0 0 5 4 Z",
  protest: "M3 1 L4.4 1 L4.4 11 L3 11 Z M4.4 1.2 L10.5 3.2 L4.4 5.6 Z",
  territory: "M2.5 0.8 L3.9 0.8 L3.9 11.2 L2.5 11.2 Z M3.9 1.2 L10.5 1.2 L8.6 3.6 L10.5 6 L3.9 6 Z",
  other: "M6 3 A3 3 0 1 1 5.99 3 Z",
};

const state = {
  view: null,        // the map view from /api/map: points or grid cells of every matching incident
  days: [],          // [[day, n]...]: matching incidents per first day, without the brush (the timeline)
  undated: 0,
  total: 0,          // matching incidents without the brush
  facets: null,      // option counts from /api/facets
  list: null,        // the list's page from /api/incidents.geojson
  page: 0,           // the list's page (0 = the first)
  oldest: false,     // the list runs oldest first
  brush: null,       // [startMs, endMs] or null
  chosen: null,      // the day chosen on the timeline (ms) for the control layer, or null
  bins: [],
  fullSpan: false,   // the timeline shows every incident, not only the dense core of dates
  dossier: null,     // the open dossier
  openIncident: null,
  config: {tiles: null},
  kinds: {sub_types: {}, types: {}},
  lastHash: null,
  playing: null,
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
  if (s.startsWith("#/")) return s;
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

function worstGrade(grades) {
  let best = GRADE_SEVERITY.length - 1;
  for (const g of grades) best = Math.min(best, GRADE_SEVERITY.indexOf(gradeOf(g)));
  return GRADE_SEVERITY[best];
}

function kindOf(p) {
  return state.kinds.sub_types[p.sub_type] || state.kinds.types[p.type] || {icon: "other", label: p.sub_type || p.type || "incident"};
}

function plural(n, word, many) {
  return `${n} ${n === 1 ? word : (many || `${word}s`)}`;
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

function iso(t) {
  return new Date(t).toISOString().slice(0, 10);
}

function dayMs(value) {
  if (!value) return null;
  const t = Date.parse(`${String(value).slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? null : t;
}

/* ---------- URL state ---------- */

const FILTER_FIELDS = {q: "f-q", actor: "f-actor", type: "f-type", grade: "f-grade", belligerent: "f-belligerent",
  outlet: "f-outlet"};
const PAGE_SIZE = 100;

function currentParams() {
  const params = new URLSearchParams();
  for (const [key, id] of Object.entries(FILTER_FIELDS)) {
    const v = document.getElementById(id).value.trim();
    if (v) params.set(key, v);
  }
  if (document.getElementById("f-contested").checked) params.set("contested", "true");
  if (state.brush) { params.set("from", iso(state.brush[0])); params.set("to", iso(state.brush[1])); }
  if (state.chosen !== null) params.set("on", iso(state.chosen));
  if (state.oldest) params.set("order", "oldest");
  if (state.page) params.set("page", String(state.page + 1));
  if (document.getElementById("l-inview").checked) params.set("inview", "true");
  const tab = activeTab();
  if (tab && tab !== "list" && tab !== "dossier") params.set("tab", tab);
  return params;
}

function hashFor(incidentId, params) {
  const query = (params || currentParams()).toString();
  return `#/${incidentId ? `incident/${encodeURIComponent(incidentId)}` : ""}${query ? `?${query}` : ""}`;
}

/** Write the state to the URL: a new history entry, so that the back button steps back through views. */
function saveHash() {
  const hash = hashFor(state.openIncident);
  if (hash === location.hash || (hash === "#/" && !location.hash)) return;
  state.lastHash = hash;
  history.pushState(null, "", hash);
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  const m = /^incident\/(.+)$/.exec(path || "");
  return {incident: m ? decodeURIComponent(m[1]) : null, params: new URLSearchParams(query || "")};
}

/** Put the URL's state into the form; returns whether the server-side filters changed. */
function applyHash() {
  const {incident, params} = parseHash();
  const before = viewQuery().toString() + listQuery().toString();
  for (const [key, id] of Object.entries(FILTER_FIELDS)) {
    const node = document.getElementById(id);
    const v = params.get(key) || "";
    if (node.tagName === "SELECT" && v && ![...node.options].some((o) => o.value === v)) {
      node.appendChild(el("option", {value: v}, v));
    }
    node.value = v;
  }
  document.getElementById("f-contested").checked = params.get("contested") === "true";
  const from = dayMs(params.get("from"));
  const to = dayMs(params.get("to"));
  state.brush = from !== null && to !== null ? [Math.min(from, to), Math.max(from, to)] : null;
  state.chosen = dayMs(params.get("on"));
  state.oldest = params.get("order") === "oldest";
  state.page = Math.max(0, (parseInt(params.get("page") || "1", 10) || 1) - 1);
  document.getElementById("l-inview").checked = params.get("inview") === "true";
  updateBrushLabel();
  state.openIncident = incident;
  return {serverChanged: before !== viewQuery().toString() + listQuery().toString(), incident,
    tab: params.get("tab")};
}

async function onHashChange() {
  if (location.hash === state.lastHash) return;
  state.lastHash = location.hash;
  const before = serverQuery().toString();
  const {serverChanged, incident, tab} = applyHash();
  if (serverChanged) await loadIncidents({timeline: before !== serverQuery().toString()});
  else {
    render();
    loadControlLayer();  // the day chosen (on=) may be what changed
  }
  if (incident) openDossier(incident, {fromHash: true});
  else if (tab) openTab(tab);
  else openTab("list");
}

/* ---------- tabs ---------- */

function activeTab() {
  const button = document.querySelector("#tabs button.active");
  return button ? button.dataset.panel : "list";
}

function openTab(name) {
  for (const button of document.querySelectorAll("#tabs button")) {
    button.classList.toggle("active", button.dataset.panel === name);
    button.setAttribute("aria-selected", String(button.dataset.panel === name));
  }
  for (const panel of document.querySelectorAll(".panel")) {
    panel.classList.toggle("active", panel.id === `panel-${name}`);
  }
  if (name === "charts") loadChart();
}

/* ---------- map ---------- */

let map = null;
let cluster = null;
let contestedLayer = null;
let cellLayer = null;
let controlLayer = null;
let labelLayer = null;
let landLayer = null;

const REGION = [20, 10, 70, 48];  // west, south, east, north: the Middle East around Syria and Iraq

function initMap() {
  map = L.map("map", {maxZoom: 18, minZoom: 3, worldCopyJump: true, zoomSnap: 0.5}).setView([35.0, 40.0], 6);
  for (const [name, z] of [["land", 200], ["control", 380], ["labels", 390]]) {
    map.createPane(name);
    map.getPane(name).style.zIndex = z;
    map.getPane(name).style.pointerEvents = name === "control" ? "auto" : "none";
  }
  document.body.dataset.basemap = state.config.tiles ? "tiles" : "offline";
  if (state.config.tiles) addTiles();
  loadLand();
  loadLabels();
  cluster = L.markerClusterGroup({maxClusterRadius: 36, showCoverageOnHover: false,
    iconCreateFunction: clusterIcon});
  map.addLayer(cluster);
  // Past 2,000 incidents in view the server clusters them on a grid (cells with their count and worst
  // grade); contested incidents are never folded into a cluster: they are what an analyst must see first.
  cellLayer = L.layerGroup().addTo(map);
  contestedLayer = L.layerGroup().addTo(map);
  map.on("moveend", debounce(onMapMoved, 120));
  controlLayer = L.layerGroup().addTo(map);
  initControlLegend();
  drawLegend();
}

/** Online tiles, only when asked for: the offline land stays under them until the first tile arrives. */
function addTiles() {
  const layer = L.tileLayer(state.config.tiles, {maxZoom: 18, attribution: state.config.attribution || ""});
  let loaded = false;
  layer.on("tileload", () => {
    if (loaded) return;
    loaded = true;
    document.body.dataset.basemap = "tiles";
    if (landLayer) landLayer.setStyle({fillOpacity: 0});
  });
  layer.on("tileerror", () => { if (!loaded) document.body.dataset.basemap = "offline"; });
  layer.addTo(map);
  state.tilesLoaded = () => loaded;
}

function loadLand() {
  fetch("/vendor/world-atlas/countries-50m.json")
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error("outlines not installed"))))
    .then((topo) => {
      const countries = topojson.feature(topo, topo.objects.countries);
      // Only the countries around the theatre: drawing the whole world's coastlines at village zoom
      // levels is slow in a browser without a GPU.
      countries.features = countries.features.filter((f) => intersects(bboxOf(f.geometry), REGION));
      const tiled = state.tilesLoaded && state.tilesLoaded();
      landLayer = L.geoJSON(countries, {
        pane: "land", interactive: false, renderer: L.canvas({pane: "land", padding: 0.2}),
        style: {color: "#7a7466", weight: 1, fillColor: "#f1ede4", fillOpacity: tiled ? 0 : 1},
      }).addTo(map);
      document.body.dataset.outlines = String(countries.features.length);
    })
    .catch(() => { document.body.dataset.outlines = "0"; });
}

/** The main cities' names from the gazetteer, each from the zoom at which it fits. */
async function loadLabels() {
  labelLayer = L.layerGroup().addTo(map);
  try {
    state.cities = (await getJSON("/api/basemap/places")).places || [];
  } catch (e) { state.cities = []; }
  map.on("zoomend", drawLabels);
  const zoomClass = () => map.getContainer().classList.toggle("zoomed-out", map.getZoom() < 8);
  map.on("zoomend", zoomClass);
  zoomClass();
  drawLabels();
}

function drawLabels() {
  if (!labelLayer) return;
  labelLayer.clearLayers();
  const z = map.getZoom();
  let n = 0;
  for (const c of state.cities || []) {
    if (c.minzoom > z) continue;
    const icon = L.divIcon({className: `city-label${c.minzoom <= 5 ? " major" : ""}`, iconSize: null,
      html: el("span", {}, el("i", {}), c.name)});
    labelLayer.addLayer(L.marker([c.lat, c.lon], {icon, pane: "labels", interactive: false, keyboard: false}));
    n += 1;
  }
  document.body.dataset.labels = String(n);
}

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

function iconSvg(name, size) {
  const box = svg("svg", {viewBox: "0 0 12 12", width: size, height: size, "aria-hidden": "true"});
  box.appendChild(svg("path", {d: ICON_PATHS[name] || ICON_PATHS.other, fill: "#fff"}));
  return box;
}

function clusterIcon(group) {
  const children = group.getAllChildMarkers();
  const grade = worstGrade(children.map((m) => m.options.grade));
  const size = children.length < 10 ? 30 : children.length < 100 ? 36 : 44;
  const inner = el("div", {}, el("span", {}, String(children.length)));
  return L.divIcon({html: inner, className: `sw-cluster grade-${grade}`, iconSize: L.point(size, size)});
}

/** A grid cell of the server's clusters: its count, coloured by its worst grade; a click zooms into it. */
function cellMarker(cell) {
  const size = cell.count < 10 ? 30 : cell.count < 100 ? 36 : cell.count < 10000 ? 44 : 52;
  const inner = el("div", {}, el("span", {}, String(cell.count)));
  const grade = gradeOf(cell.grade);
  // A cluster of contested incidents sits like a badge at the upper right of its square's other cluster.
  const shift = cell.contested ? 14 : 0;
  const icon = L.divIcon({html: inner, iconSize: L.point(size, size),
    iconAnchor: L.point(size / 2 - shift, size / 2 + shift),
    className: `sw-cluster sw-cell grade-${grade}${cell.contested ? " contested-ring" : ""}`});
  // Contested incidents past 500 in view come in clusters of their own, drawn above the others.
  const marker = L.marker([cell.lat, cell.lon], {icon, grade, cell, keyboard: true,
    zIndexOffset: cell.contested ? 1000 : 0,
    title: cell.contested ? `${plural(cell.count, "contested incident")}: click to zoom in`
      : `${plural(cell.count, "incident")}, the least certain ${grade}: click to zoom in`});
  marker.on("click", () => {
    const [w, s, e, n] = cell.bbox;
    const bounds = L.latLngBounds([s, w], [n, e]);
    if (w === e && s === n) map.setView([s, w], Math.min(map.getMaxZoom(), map.getZoom() + 3));
    else map.fitBounds(bounds.pad(0.1), {maxZoom: Math.max(map.getZoom() + 1, 10)});
  });
  return marker;
}

function markerFor(p) {
  const grade = gradeOf(p.grade);
  const kind = kindOf(p);
  const html = el("div", {class: "glyph"}, iconSvg(kind.icon, 12));
  const icon = L.divIcon({className: `sw-marker grade-${grade} kind-${kind.icon}${p.contested ? " contested" : ""}`,
    iconSize: L.point(20, 20), html});
  const marker = L.marker([p.lat, p.lon], {icon, grade, title: describe(p), keyboard: true,
    zIndexOffset: p.contested ? 1000 : 0});
  marker.on("click", () => openDossier(p.id));
  return marker;
}

function describe(p) {
  const what = kindOf(p).label;
  const where = p.location || "unknown place";
  const when = p.date_start ? (p.date_end && p.date_end !== p.date_start ? `${p.date_start} to ${p.date_end}`
    : p.date_start) : "unknown date";
  return `${what} — ${where} — ${when} (${p.grade || "ungraded"}${p.contested ? ", contested" : ""})`;
}

function drawLegend() {
  const legend = clear(document.getElementById("legend"));
  for (const grade of GRADES) {
    legend.appendChild(el("span", {class: "legend-item", title: GRADE_WORDS[grade]},
      el("span", {class: `dot grade-${grade}`}), grade));
  }
  legend.appendChild(el("span", {class: "legend-item"}, el("span", {class: "dot contested-ring"}),
    "sources disagree"));
  const kinds = new Map();
  for (const f of (state.facets && state.facets.type) || []) {
    const k = kindOf({sub_type: f.value, type: f.type});
    kinds.set(k.icon, k.label);
  }
  for (const [icon, label] of kinds) {
    const mark = el("span", {class: "kind-mark"}, iconSvg(icon, 10));
    legend.appendChild(el("span", {class: "legend-item kind", title: label}, mark, label));
  }
  const toggle = el("label", {class: "legend-item control-toggle"},
    el("input", {type: "checkbox", id: "show-control", checked: state.showControl !== false ? "checked" : null}),
    el("span", {id: "control-date"}, "control"));
  legend.appendChild(toggle);
  toggle.querySelector("input").addEventListener("change", (e) => {
    state.showControl = e.target.checked;
    loadControlLayer();
  });
}

function initControlLegend() {
  const box = L.control({position: "bottomleft"});
  box.onAdd = () => {
    const div = el("div", {id: "control-legend", class: "map-legend"});
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  box.addTo(map);
}

/* ---------- control of places, on the map ---------- */

const holderColours = new Map();

function holderColour(holder) {
  if (!holderColours.has(holder)) holderColours.set(holder, SERIES_COLOURS[holderColours.size % SERIES_COLOURS.length]);
  return holderColours.get(holder);
}

/** The day the control layer shows: the one chosen on the timeline, else the brush's end, else the
 * newest incident's day. */
function controlDay() {
  if (state.chosen !== null) return state.chosen;
  if (state.brush) return state.brush[1];
  return state.days.length ? dayMs(state.days[state.days.length - 1][0]) : null;
}

let controlSeq = 0;

async function loadControlLayer() {
  if (!controlLayer) return;
  const day = controlDay();
  const label = document.getElementById("control-date");
  if (label) label.textContent = day === null ? "control" : `control on ${iso(day)}`;
  const seq = ++controlSeq;
  if (state.showControl === false || day === null) {
    controlLayer.clearLayers();
    clear(document.getElementById("control-legend"));
    document.body.dataset.controlOn = "";
    return;
  }
  let body;
  try { body = await getJSON(`/api/control/map?on=${iso(day)}`); } catch (e) { return; }
  if (seq !== controlSeq) return;
  controlLayer.clearLayers();
  const held = (body.places || []).filter((p) => p.holder);
  for (const p of [...new Set(held.map((x) => x.holder))].sort()) holderColour(p);
  for (const p of held) {
    const colour = holderColour(p.holder);
    // A frame around the place (its incidents' markers stay visible inside), named by its holder.
    const box = el("div", {class: `control-box${p.contested ? " hatched" : ""}`},
      el("span", {class: "control-name"}, p.holder));
    box.style.setProperty("--holder", colour);
    const icon = L.divIcon({className: "sw-control", html: box, iconSize: L.point(38, 38)});
    const marker = L.marker([p.lat, p.lon], {icon, pane: "control", keyboard: false,
      title: `${p.name}: held by ${p.holder} on ${body.on}${p.since ? ` (since ${p.since})` : ""}` +
        `${p.contested ? "; disputed" : ""}`});
    marker.on("click", () => showControl(p.name, body.on));
    controlLayer.addLayer(marker);
  }
  const legend = clear(document.getElementById("control-legend"));
  if (held.length) legend.appendChild(el("div", {class: "map-legend-title"}, `Held on ${body.on}`));
  for (const h of [...new Set(held.map((x) => x.holder))].sort()) {
    const sw = el("span", {class: "swatch"});
    sw.style.background = holderColour(h);
    legend.appendChild(el("span", {class: "legend-item holder"}, sw, h));
  }
  if (held.some((p) => p.contested)) {
    legend.appendChild(el("span", {class: "legend-item holder"}, el("span", {class: "swatch hatched-swatch"}),
      "disputed"));
  }
  document.body.dataset.controlOn = body.on;
  document.body.dataset.controlPlaces = String(held.length);
  document.body.dataset.controlHolders = held.map((p) => `${p.name}=${p.holder}`).sort().join("|");
}

/* ---------- data and filters ---------- */

/** The filters the server applies (all but the timeline's brush). */
function serverQuery() {
  const params = new URLSearchParams();
  const q = document.getElementById("f-q").value.trim();
  const actor = document.getElementById("f-actor").value.trim();
  for (const [key, value] of [["q", q], ["actor", actor], ["type", document.getElementById("f-type").value],
    ["grade", document.getElementById("f-grade").value],
    ["belligerent", document.getElementById("f-belligerent").value],
    ["outlet", document.getElementById("f-outlet").value]]) {
    if (value) params.set(key, value);
  }
  if (document.getElementById("f-contested").checked) params.set("contested", "true");
  return params;
}

/** The view's filters: the server's and the brush. Map, list, counts, facets, charts and downloads use it. */
function viewQuery() {
  const params = serverQuery();
  if (state.brush) { params.set("since", iso(state.brush[0])); params.set("until", iso(state.brush[1])); }
  return params;
}

/** The map's bounds as bbox=west,south,east,north (clamped to the world), or null when it spans it all. */
function mapBbox(pad) {
  const b = map.getBounds().pad(pad || 0);
  const west = b.getWest(), east = b.getEast();
  if (east - west >= 360) return null;
  const wrap = (x) => ((((x + 180) % 360) + 360) % 360) - 180;
  const clamp = (y) => Math.max(-90, Math.min(90, y));
  let w = wrap(west), e = wrap(east);
  if (e === -180 && east > west) e = 180;
  return [w, clamp(b.getSouth()), e, clamp(b.getNorth())].map((x) => x.toFixed(4)).join(",");
}

function listQuery() {
  const params = viewQuery();
  params.set("limit", String(PAGE_SIZE));
  params.set("offset", String(state.page * PAGE_SIZE));
  if (state.oldest) params.set("order", "date_asc");
  if (map && document.getElementById("l-inview").checked) {
    const bbox = mapBbox(0);
    if (bbox) params.set("bbox", bbox);
  }
  return params;
}

let loadSeq = 0;

/** Everything the view shows, from the server: the timeline's days (unless only the brush or the page
 * changed), the map view (framed on the matching incidents first, at start), the list's page and the
 * facet counts (which may come a moment later). */
async function loadIncidents({timeline = true, framing = false} = {}) {
  const seq = ++loadSeq;
  setStatus("Loading…");
  try {
    const days = timeline ? getJSON(`/api/timeline?${serverQuery()}`) : null;
    const listed = loadList();
    const mapped = loadMapView({framing});
    if (days) {
      const body = await days;
      if (seq !== loadSeq) return;
      state.days = body.days || [];
      state.undated = body.undated || 0;
      state.total = state.days.reduce((n, d) => n + d[1], 0) + state.undated;
    }
    await Promise.all([mapped, listed]);
    if (seq !== loadSeq) return;
    // The counts beside the filters' options come a moment after the map and the list.
    loadFacets();
    performance.mark("sw-data");
    render();
    performance.mark("sw-rendered");
    loadControlLayer();
  } catch (err) {
    if (seq === loadSeq) setStatus(`Could not load incidents: ${err.message}`);
  }
}

let mapSeq = 0;

/** The map view: every matching incident as a point while there are up to 2,000 (the browser clusters
 * them), past that the server's grid cells for the bounds on screen. */
async function loadMapView({framing = false} = {}) {
  const seq = ++mapSeq;
  const params = viewQuery();
  if (framing) {
    // The server frames the view on the matching incidents (as fitBounds would) and sends what it shows.
    const size = map.getSize();
    params.set("fit", `${Math.round(size.x)}x${Math.round(size.y)}`);
  } else {
    params.set("zoom", String(map.getZoom()));
    const bbox = mapBbox(0.5);
    if (bbox) params.set("bbox", bbox);
  }
  const view = await getJSON(`/api/map?${params}`);
  if (seq !== mapSeq) return;
  if (view.frame) map.setView([view.frame.lat, view.frame.lon], view.frame.zoom, {animate: false});
  state.view = view;
  state.viewQuery = viewQuery().toString();
  state.viewAt = {zoom: map.getZoom(), bounds: map.getBounds().pad(0.5)};
  drawMap();
}

/** After a pan or zoom: new cells for the new bounds (none needed while every incident is loaded). */
function onMapMoved() {
  if (!state.view) return;
  if (document.getElementById("l-inview").checked) {
    state.page = 0;
    loadList().then(() => { renderList(); renderStatus(); });
  }
  if (state.viewQuery === viewQuery().toString()) {
    if (state.view.complete) return;
    // Still inside the bounds the last view was fetched for: nothing new to show (points stay points
    // at any zoom, the browser clustering them; the server's cells are for one zoom).
    const at = state.viewAt;
    const sameZoom = at && (at.zoom === map.getZoom() || state.view.mode === "points");
    if (sameZoom && at.bounds.contains(map.getBounds())) return;
  }
  loadMapView().then(renderStatus).catch((err) => setStatus(`Could not load the map: ${err.message}`));
}

function drawMap() {
  const view = state.view;
  cluster.clearLayers();
  contestedLayer.clearLayers();
  cellLayer.clearLayers();
  if (!view) return;
  const markers = (view.points || []).map((p) => [p, markerFor(p)]);
  cluster.addLayers(markers.filter(([p]) => !isFlagged(p)).map(([, m]) => m));
  for (const [p, m] of markers) if (isFlagged(p)) contestedLayer.addLayer(m);
  for (const cell of view.cells || []) cellLayer.addLayer(cell.point ? markerFor(cell.point) : cellMarker(cell));
  const box = document.getElementById("map");
  box.dataset.mode = view.mode;
  box.dataset.inView = String(view.in_view);
  box.dataset.drawn = String(Number(box.dataset.drawn || 0) + 1);
}

let listSeq = 0;

async function loadList() {
  const seq = ++listSeq;
  const body = await getJSON(`/api/incidents.geojson?${listQuery()}`);
  if (seq !== listSeq) return;
  state.list = body;
}

let facetSeq = 0;

/** The options of each select, with how many incidents each would keep under the other filters (like
 * datasette's facets), from the server. */
async function loadFacets() {
  const seq = ++facetSeq;
  let body;
  try { body = await getJSON(`/api/facets?${viewQuery()}`); } catch (e) { return; }
  if (seq !== facetSeq) return;
  state.facets = body;
  fillChoices();
  drawLegend();
  document.body.dataset.facets = String(seq);
}

function fillChoices() {
  const f = state.facets || {};
  const refill = (id, rows) => {
    const node = document.getElementById(id);
    const keep = node.value;
    const counts = new Map(rows);
    if (keep && !counts.has(keep)) counts.set(keep, 0);
    clear(node).appendChild(el("option", {value: ""}, "all"));
    for (const [name, n] of counts) node.appendChild(el("option", {value: name}, `${name} (${n})`));
    node.value = keep;
  };
  const pairs = (rows) => (rows || []).map((r) => [r.value, r.count]);
  refill("f-belligerent", pairs(f.belligerent));
  refill("f-outlet", pairs(f.outlet));
  // Sub-types, and each type with more than one name under it (a type counts all its sub-types).
  const types = new Map();
  for (const r of f.type || []) {
    types.set(r.value, (types.get(r.value) || 0) + r.count);
    if (r.type && r.type !== r.value) types.set(r.type, (types.get(r.type) || 0) + r.count);
  }
  refill("f-type", [...types.entries()].sort((a, b) => a[0].localeCompare(b[0])));
  const grades = new Map(pairs(f.grade));
  for (const option of document.getElementById("f-grade").options) {
    if (!option.value) continue;
    option.textContent = `${option.value} (${grades.get(option.value) || 0})`;
  }
  const names = clear(document.getElementById("actor-names"));
  for (const r of f.actor || []) names.appendChild(el("option", {value: r.value}));
  const contested = document.getElementById("contested-count");
  if (contested) contested.textContent = f.contested === undefined ? "" : ` (${f.contested})`;
}

function render() {
  drawMap();
  renderList();
  drawTimeline(state.days);
  renderStatus();
  renderDownloads();
  if (activeTab() === "charts") loadChart();
}

/** "12 of 99 incidents · 11 on the map": the brush's share of the filtered incidents. */
function renderStatus() {
  const view = state.view;
  if (!view) return;
  const status = document.getElementById("status");
  const count = view.total;
  const placed = view.placed;
  status.dataset.shown = String(placed);
  status.dataset.count = String(count);
  status.dataset.total = String(state.total);
  status.dataset.inView = String(view.in_view);
  const narrowed = count !== state.total;
  const unplaced = count - placed;
  const zoom = view.mode === "cells" ? " (clustered by the server: zoom in for each one)" : "";
  const n = (x) => x.toLocaleString("en");
  setStatus(`${narrowed ? `${n(count)} of ` : ""}${n(state.total)} ${state.total === 1 ? "incident" : "incidents"}` +
    ` · ${n(placed)} on the map${zoom}` +
    (unplaced ? ` · ${unplaced.toLocaleString("en")} without a known place` : ""));
}

function isFlagged(p) {
  return p.contested || p.grade === "contested";
}

function renderList() {
  const list = clear(document.getElementById("incident-list"));
  const body = state.list || {features: [], total: 0};
  const features = body.features || [];
  for (const f of features) {
    const p = f.properties;
    const harm = harmText(p);
    const item = el("li", {class: `incident-row grade-${gradeOf(p.grade)}`, tabindex: "0", "data-id": p.id},
      el("span", {class: `dot grade-${gradeOf(p.grade)}${p.contested ? " contested-ring" : ""}`}),
      el("span", {class: "row-date"}, p.date_start || "date unknown"),
      el("span", {class: "row-what"}, kindOf(p).label),
      el("span", {class: "row-where"}, p.location || "place unknown"),
      el("span", {class: "row-actors"}, (p.actors || []).join(", ")),
      el("span", {class: "row-sources"}, `${plural(p.n_documents, "source")} · ${p.grade}`,
        harm ? el("span", {class: "row-harm"}, ` · ${harm}`) : null));
    item.addEventListener("click", () => openDossier(p.id));
    item.addEventListener("keydown", (e) => { if (e.key === "Enter") openDossier(p.id); });
    list.appendChild(item);
  }
  renderPager(body.total || 0, features.length);
}

/** "101–200 of 99,783, newest first · ‹ newer · older ›": every incident is a few pages away. */
function renderPager(total, shown) {
  const box = clear(document.getElementById("list-more"));
  document.getElementById("l-order").textContent = state.oldest ? "newest first" : "oldest first";
  const first = state.page * PAGE_SIZE;
  box.dataset.total = String(total);
  box.dataset.page = String(state.page + 1);
  if (!total) { box.appendChild(document.createTextNode("No incidents in this view.")); return; }
  const last = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
  const go = (page) => { state.page = Math.max(0, Math.min(last, page)); saveHash(); reloadList(); };
  const button = (label, id, page, disabled) => el("button", {type: "button", class: "linkish", id,
    disabled: disabled ? "disabled" : null, onclick: () => go(page)}, label);
  box.appendChild(document.createTextNode(`${(first + 1).toLocaleString("en")}–` +
    `${(first + shown).toLocaleString("en")} of ${total.toLocaleString("en")}, ` +
    `${state.oldest ? "oldest" : "newest"} first `));
  if (last > 0) {
    box.append(button("« first", "page-first", 0, state.page === 0), " ",
      button("‹ previous", "page-prev", state.page - 1, state.page === 0), " ",
      button("next ›", "page-next", state.page + 1, state.page >= last), " ",
      button("last »", "page-last", last, state.page >= last));
  }
}

async function reloadList() {
  try {
    await loadList();
    renderList();
  } catch (err) {
    setStatus(`Could not load the list: ${err.message}`);
  }
}

function range(min, max) {
  if (min === null || min === undefined) return null;
  return max !== null && max !== undefined && max !== min ? `${min}–${max}` : String(min);
}

/** Civilian harm in a list row: only what the sources give, e.g. "civilians killed 4–6". */
function harmText(p) {
  const parts = [];
  const civ = range(p.civilians_killed_min, p.civilians_killed_max);
  const kids = range(p.children_killed_min, p.children_killed_max);
  const inj = range(p.injured_min, p.injured_max);
  const killed = range(p.killed_min ?? p.killed_max, p.killed_max);
  if (civ) parts.push(`civilians killed ${civ}`);
  if (kids) parts.push(`children killed ${kids}`);
  if (!civ && killed) parts.push(`killed ${killed} (civilian toll unknown)`);
  if (inj) parts.push(`injured ${inj}`);
  return parts.join(", ");
}

function renderDownloads() {
  const box = document.getElementById("downloads");
  if (!box) return;
  const params = viewQuery();
  clear(box).appendChild(document.createTextNode("Download this view: "));
  const links = [["csv", "CSV"], ["acled", "ACLED CSV"], ["geojson", "GeoJSON"]];
  links.forEach(([fmt, label], i) => {
    const p = new URLSearchParams(params);
    p.set("format", fmt);
    if (i) box.appendChild(document.createTextNode(" · "));
    box.appendChild(el("a", {href: `/api/export/incidents?${p}`, download: `incidents.${fmt === "geojson" ? "geojson" : "csv"}`,
      class: `download-${fmt}`}, label));
  });
}

/* ---------- timeline histogram with a brush ---------- */

/** The dense core of sorted times: a few background mentions years away ("since early 2014") are cut
 * off, however many separate gaps they sit behind, so they do not squash the weeks that matter. */
function coreSpan(times) {
  const n = times.length;
  const maxCut = Math.min(200, Math.floor(n * 0.2));
  let best = {lo: 0, hi: n - 1};
  for (let i = 0; i <= maxCut; i++) {
    for (let j = n - 1; j >= n - 1 - (maxCut - i) && j > i; j--) {
      const span = times[j] - times[i];
      const room = Math.max(span, 7 * DAY_MS);
      if (i > 0 && times[i] - times[i - 1] < 0.5 * room) continue;
      if (j < n - 1 && times[j + 1] - times[j] < 0.5 * room) continue;
      if (span < times[best.hi] - times[best.lo]) best = {lo: i, hi: j};
    }
  }
  return {lo: times[best.lo], hi: times[best.hi], earlier: best.lo, later: n - 1 - best.hi};
}

/** Day bins up to three months, week bins (from Mondays) up to two years, calendar months beyond. */
function binUnit(spanDays) {
  if (spanDays <= 92) return "day";
  if (spanDays <= 730) return "week";
  return "month";
}

function binStart(t, unit) {
  if (unit === "day") return t;
  const d = new Date(t);
  if (unit === "week") return t - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextBin(t, unit) {
  if (unit === "day") return t + DAY_MS;
  if (unit === "week") return t + 7 * DAY_MS;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The histogram of the filtered incidents' days ([[day, n]...] from /api/timeline), the brush over it. */
function drawTimeline(days) {
  const box = document.getElementById("timeline-svg");
  clear(box);
  const width = box.clientWidth || 600;
  const height = box.clientHeight || 110;
  box.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const perDay = days.map(([d, n]) => [dayMs(d), n]).filter(([t]) => t !== null).sort((a, b) => a[0] - b[0]);
  const times = [];
  for (const [t, n] of perDay) for (let k = 0; k < n; k++) times.push(t);
  const note = document.getElementById("timeline-outside");
  clear(note);
  if (!times.length) {
    box.appendChild(svg("text", {x: 10, y: 20, class: "axis", text: "No dated incidents."}));
    state.bins = [];
    state.timeline = null;
    return;
  }
  const core = state.fullSpan ? {lo: times[0], hi: times[times.length - 1], earlier: 0, later: 0} : coreSpan(times);
  const unit = binUnit((core.hi - core.lo) / DAY_MS + 1);
  const lo = binStart(core.lo, unit);
  const bins = [];
  for (let t = lo; t <= core.hi; t = nextBin(t, unit)) bins.push({start: t, end: nextBin(t, unit) - DAY_MS, count: 0});
  const hi = bins[bins.length - 1].end + DAY_MS;
  for (const [t, n] of perDay) {
    if (t < lo || t >= hi) continue;
    let k = Math.min(bins.length - 1, Math.floor(((t - lo) / (hi - lo)) * bins.length));
    while (k > 0 && bins[k].start > t) k--;
    while (k < bins.length - 1 && bins[k].end < t) k++;
    bins[k].count += n;
  }
  const max = Math.max(1, ...bins.map((b) => b.count));
  const pad = {l: 28, r: 8, t: 8, b: 20};
  const plotW = width - pad.l - pad.r;
  const plotH = height - pad.t - pad.b;
  // Bars stand at their place in time (a month is wider than February), so the axis is linear in days.
  const x = (t) => pad.l + ((t - lo) / (hi - lo)) * plotW;
  state.timeline = {lo, hi, x, pad, plotW, width, unit};
  document.getElementById("timeline-unit").textContent = `incidents per ${unit}`;
  document.getElementById("timeline").dataset.unit = unit;
  state.bins = bins;
  for (const bin of bins) {
    const h = (bin.count / max) * plotH;
    const inside = !state.brush || (bin.end >= state.brush[0] && bin.start <= state.brush[1]);
    const rect = svg("rect", {x: x(bin.start) + 0.5, y: pad.t + plotH - h,
      width: Math.max(1, x(bin.end + DAY_MS) - x(bin.start) - 1), height: h,
      class: inside ? "bar" : "bar outside", "data-start": iso(bin.start), "data-count": bin.count});
    rect.appendChild(svg("title", {text: `${unit === "month" ? iso(bin.start).slice(0, 7) : iso(bin.start)}` +
      `${unit === "week" ? " (week)" : ""}: ${plural(bin.count, "incident")}`}));
    box.appendChild(rect);
  }
  box.appendChild(svg("line", {x1: pad.l, x2: width - pad.r, y1: pad.t + plotH, y2: pad.t + plotH, class: "axis-line"}));
  for (const tick of ticks(lo, hi, unit, plotW)) {
    box.appendChild(svg("line", {x1: x(tick), x2: x(tick), y1: pad.t + plotH, y2: pad.t + plotH + 3, class: "axis-line"}));
    box.appendChild(svg("text", {x: x(tick), y: height - 4, class: "axis", "text-anchor": "middle",
      text: unit === "month" ? iso(tick).slice(0, 7) : iso(tick).slice(5)}));
  }
  box.appendChild(svg("text", {x: 2, y: pad.t + 10, class: "axis", text: String(max)}));
  if (state.brush) {
    const a = Math.max(pad.l, x(state.brush[0]));
    const b = Math.min(width - pad.r, x(state.brush[1] + DAY_MS));
    box.appendChild(svg("rect", {x: a, y: pad.t, width: Math.max(2, b - a), height: plotH, class: "brush"}));
  }
  const day = controlDay();
  if (day !== null && day >= lo && day < hi) {
    box.appendChild(svg("line", {x1: x(day + DAY_MS / 2), x2: x(day + DAY_MS / 2), y1: pad.t, y2: pad.t + plotH,
      class: "chosen-day"}));
  }
  if (core.earlier || core.later) {
    const parts = [];
    if (core.earlier) parts.push(`${core.earlier} earlier (from ${iso(times[0])})`);
    if (core.later) parts.push(`${core.later} later (to ${iso(times[times.length - 1])})`);
    note.appendChild(document.createTextNode(`not drawn: ${parts.join(", ")} · `));
    note.appendChild(el("button", {type: "button", class: "linkish", id: "full-span",
      onclick: () => { state.fullSpan = true; drawTimeline(state.days); }}, "show all dates"));
  } else if (state.fullSpan) {
    note.appendChild(el("button", {type: "button", class: "linkish", id: "core-span",
      onclick: () => { state.fullSpan = false; drawTimeline(state.days); }}, "show the busy dates only"));
  }
}

/** A handful of evenly spaced tick dates on bin boundaries, as many as fit. */
function ticks(lo, hi, unit, plotW) {
  const starts = [];
  for (let t = lo; t < hi; t = nextBin(t, unit)) starts.push(t);
  const room = Math.max(1, Math.floor(plotW / 70));
  const every = Math.max(1, Math.ceil(starts.length / room));
  return starts.filter((_, i) => i % every === 0);
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
    return Math.floor((t.lo + frac * (t.hi - t.lo)) / DAY_MS) * DAY_MS;
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
    if (Math.abs(end - start) < 3) {
      // A click chooses the day the control layer shows.
      chooseDay(toTime(end));
      return;
    }
    setBrush([toTime(Math.min(start, end)), toTime(Math.max(start, end))]);
  });
  document.getElementById("brush-clear").addEventListener("click", () => { stopPlay(); setBrush(null); });
  document.getElementById("play").addEventListener("click", togglePlay);
}

function chooseDay(t) {
  state.chosen = t;
  saveHash();
  drawTimeline(state.days);
  loadControlLayer();
}

function updateBrushLabel() {
  const range = state.brush;
  document.getElementById("brush-label").textContent = range ? `${iso(range[0])} to ${iso(range[1])}` : "";
  document.getElementById("brush-clear").hidden = !range;
}

function setBrush(range, {save = true} = {}) {
  state.brush = range;
  state.page = 0;
  updateBrushLabel();
  if (save) saveHash();
  drawTimeline(state.days);
  loadIncidents({timeline: false});
}

/** Play: step a one-day window through the timeline's span, the map and control layer following. */
function togglePlay() {
  if (state.playing) { stopPlay(); return; }
  if (!state.timeline) return;
  const {lo, hi} = state.timeline;
  let t = state.brush && state.brush[0] === state.brush[1] ? state.brush[0] + DAY_MS : lo;
  document.getElementById("play").textContent = "❚❚ pause";
  const step = () => {
    if (t >= hi) { stopPlay(); return; }
    state.chosen = t;
    setBrush([t, t], {save: false});
    t += DAY_MS;
  };
  step();
  state.playing = setInterval(step, 700);
}

function stopPlay() {
  if (state.playing) clearInterval(state.playing);
  state.playing = null;
  const button = document.getElementById("play");
  if (button) button.textContent = "▶ play";
  if (state.brush) saveHash();
}

/* ---------- dossier ---------- */

async function openDossier(id, {fromHash = false} = {}) {
  state.openIncident = id;
  if (!fromHash) saveHash();
  openTab("dossier");
  const panel = clear(document.getElementById("panel-dossier"));
  panel.appendChild(el("p", {class: "muted"}, "Loading…"));
  try {
    const d = await getJSON(`/api/incidents/${encodeURIComponent(id)}`);
    if (state.openIncident !== id) return;
    state.dossier = d;
    renderDossier(panel, d);
  } catch (err) {
    clear(panel).appendChild(el("p", {class: "error"}, `Could not open the incident: ${err.message}`));
  }
}

function closeDossier() {
  state.openIncident = null;
  saveHash();
  openTab("list");
}

function sourceName(s) {
  return s.name || s.outlet || s.title || `unnamed ${s.kind || ""} source`.replace("  ", " ");
}

function speakerLabel(speaker, actors) {
  if (!speaker) return "no speaker named";
  const actor = actors && actors[speaker];
  return actor && actor !== speaker ? `${speaker} (${actor})` : speaker;
}

function renderDossier(panel, d) {
  clear(panel);
  const inc = d.incident || {};
  const loc = inc.location || {};
  const when = inc.date || {};
  const grade = gradeOf(inc.grade);
  const kind = kindOf(inc);
  const whenText = when.start ? (when.end && when.end !== when.start ? `${when.start} to ${when.end}` : when.start)
    : "date unknown";
  panel.appendChild(el("div", {class: "dossier-bar"},
    el("button", {type: "button", class: "linkish", onclick: closeDossier}, "← all incidents"),
    el("a", {href: hashFor(inc.id), class: "permalink", title: "link to this incident"}, "link to this incident")));
  panel.appendChild(el("h2", {class: "dossier-title"},
    `${whenText} · ${loc.name || loc.text || "place unknown"} · ${kind.label}`));
  const where = [loc.admin1, loc.country].filter(Boolean).join(", ");
  const precision = {1: "the place itself", 2: "near the place", 3: "somewhere in the region"}[loc.precision];
  panel.appendChild(el("p", {class: "dossier-meta muted"},
    [where, precision ? `located ${precision}` : null, when.precision && when.precision !== "day" ? `date known to the ${when.precision}` : null]
      .filter(Boolean).join(" · ")));
  panel.appendChild(el("p", {class: "grade-line"},
    el("span", {class: `badge grade-${grade}`}, inc.grade || "ungraded"),
    inc.contested && grade !== "contested" ? el("span", {class: "badge contested-badge"}, "sources disagree") : null,
    el("span", {class: "grade-reason"}, gradeSentence(inc))));
  const contradictions = inc.contradictions || [];
  if (contradictions.length) {
    const box = el("section", {class: "contradictions"}, el("h3", {}, "Where the sources disagree"));
    for (const c of contradictions) {
      const values = el("ul", {});
      // One body under several spellings ("Russia's defence ministry", "Ministry of Defence of the Russian
      // Federation") is one voice: grouped by the actor it speaks for.
      const groups = new Map();
      for (const v of c.values || []) {
        const who = v.speaker_actor || v.speaker || "an unattributed source";
        const key = `${show(v.value)}\u0000${who}`;
        if (!groups.has(key)) groups.set(key, {value: v.value, who, spellings: new Set()});
        if (v.speaker && v.speaker !== who) groups.get(key).spellings.add(v.speaker);
      }
      for (const g of groups.values()) {
        const spelled = g.spellings.size ? el("span", {class: "muted"}, ` (${[...g.spellings].join("; ")})`) : null;
        if (c.field === "account") {
          values.appendChild(el("li", {}, el("span", {class: "speaker"}, g.who), spelled, " ",
            el("span", {class: "value"}, ACCOUNT_WORDS[g.value] || show(g.value))));
        } else {
          values.appendChild(el("li", {}, el("span", {class: "value"}, show(g.value)),
            " — says ", el("span", {class: "speaker"}, g.who), spelled));
        }
      }
      box.appendChild(el("div", {class: "contradiction"}, el("strong", {}, FIELD_WORDS[c.field] || c.field), values));
    }
    panel.appendChild(box);
  }
  panel.appendChild(renderHarm(d.harm || []));
  panel.appendChild(renderStances(inc, d.sources || []));
  if (loc.name && TERRITORY.includes(inc.sub_type)) {
    panel.appendChild(el("button", {type: "button", onclick: () => showControl(loc.name, when.start)},
      `Control of ${loc.name} over time`));
  }
  const sources = d.sources || [];
  panel.appendChild(el("h3", {}, plural(sources.length, "source")));
  const cards = el("div", {class: "source-columns"});
  for (const s of sources) cards.appendChild(renderSource(s));
  panel.appendChild(cards);
  const docs = d.documents || [];
  const copies = sources.filter((s) => s.copy_of);
  if (copies.length) {
    const one = copies.length === 1;
    panel.appendChild(el("p", {class: "muted small"}, `${plural(copies.length, "source")} ${one ? "repeats" : "repeat"} ` +
      `another document almost word for word: ${one ? "it is" : "they are"} shown but ${one ? "does" : "do"} not ` +
      "count as independent."));
  }
  panel.dataset.documents = String(docs.length);
}

function gradeSentence(inc) {
  const grade = gradeOf(inc.grade);
  const general = GRADE_WORDS[grade] || "not graded";
  return inc.grade_reason ? `${capital(general)}: ${inc.grade_reason}.`.replace(/[.,;]+\.$/, ".") : `${capital(general)}.`;
}

function capital(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Civilian harm: each toll as a range, with who says what; "unknown" where no source gives a number. */
function renderHarm(rows) {
  const box = el("section", {class: "harm"}, el("h3", {}, "Harm"));
  const list = el("dl", {class: "harm-list"});
  for (const r of rows) {
    const value = range(r.min, r.max) || "unknown";
    const who = (r.claims || []).map((c) => `${show(c.value)} (${c.speaker || "unattributed"}` +
      `${c.modality && c.modality !== "asserted" ? `, ${MODALITY_WORDS[c.modality] || c.modality}` : ""})`);
    list.appendChild(el("dt", {}, r.label || FIELD_WORDS[r.field] || r.field));
    list.appendChild(el("dd", {class: value === "unknown" ? "unknown" : "known", "data-field": r.field}, value,
      who.length ? el("span", {class: "who muted"}, ` — ${who.join("; ")}`) : null,
      r.whose && r.whose.length ? el("span", {class: "muted"}, ` (of whom: ${r.whose.join(", ")})`) : null));
  }
  box.appendChild(list);
  return box;
}

/** Each belligerent's stance: does a source speaking for it acknowledge, claim, deny or dispute it? */
function renderStances(inc, sources) {
  const actors = inc.actors || [];
  const box = el("section", {class: "stances"}, el("h3", {}, "The belligerents"));
  if (!actors.length) { box.appendChild(el("p", {class: "muted"}, "No acting party is named.")); return box; }
  const list = el("ul", {});
  for (const actor of actors) {
    const said = [];
    for (const s of sources) {
      for (const c of s.claims || []) {
        if (c.speaker_actor === actor && c.field === "actor") said.push(c.modality || "asserted");
      }
    }
    const stance = said.includes("denied") ? "denies it" : said.includes("disputed") ? "disputes the account"
      : said.length ? "acknowledges it (its own statement)" : "not heard from in these sources";
    list.appendChild(el("li", {}, el("strong", {}, actor), `: ${stance}`));
  }
  box.appendChild(list);
  return box;
}

function renderSource(s) {
  const card = el("article", {class: "source", "data-doc": s.doc_id});
  const named = s.named_from === "dateline" ? " (named in its header)" : "";
  const head = el("header", {},
    el("div", {class: "outlet"}, sourceName(s), named ? el("span", {class: "muted small"}, named) : null),
    el("div", {class: "muted"}, [s.kind, s.published].filter(Boolean).join(" · ") || "kind and date unknown"),
    s.copy_of ? el("div", {class: "muted"}, "a near-copy of another document (not independent)") : null);
  const links = el("div", {class: "links"},
    el("a", {href: `/api/documents/${encodeURIComponent(s.doc_id)}`, onclick: (e) => {
      e.preventDefault(); openDocument(s.doc_id, s);
    }}, "read the document"));
  if (s.url && safeHref(s.url) !== "#") {
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(el("a", {href: s.url, rel: "noopener noreferrer nofollow", target: "_blank"}, "original"));
  }
  head.appendChild(links);
  card.appendChild(head);
  if ((s.speakers || []).length) {
    card.appendChild(el("p", {class: "speakers"}, el("strong", {}, "Who speaks: "),
      s.speakers.map((sp) => speakerLabel(sp, s.speaker_actors)).join("; ")));
  }
  const claims = el("ul", {class: "claims"});
  for (const c of s.claims || []) {
    const verb = MODALITY_WORDS[c.modality] || c.modality || "says";
    if (c.field === "account") {
      claims.appendChild(el("li", {class: `claim${c.contradicted ? " contradicted" : ""}`, title: c.speaker || ""},
        el("span", {class: "field"}, FIELD_WORDS.account), ": ",
        el("span", {class: "value"}, ACCOUNT_WORDS[c.value] || show(c.value))));
      continue;
    }
    claims.appendChild(el("li", {class: `claim${c.contradicted ? " contradicted" : ""}`, title: c.speaker || ""},
      el("span", {class: "field"}, FIELD_WORDS[c.field] || c.field), ": ",
      el("span", {class: "value"}, show(c.value)), " ",
      el("span", {class: `modality modality-${String(c.modality || "").replace(/[^a-z]/g, "")}`}, `(${verb})`)));
  }
  if (!(s.claims || []).length) claims.appendChild(el("li", {class: "muted"}, "no claims"));
  card.appendChild(claims);
  for (const ev of s.evidence || []) card.appendChild(renderSentence(ev.sentence || "", ev.marks || [], ev, s));
  return card;
}

/** The sentence as text nodes, with each claimed span in a <mark> naming its field. */
function renderSentence(sentence, marks, ev, source) {
  const quote = el("blockquote", {class: "evidence"});
  let at = 0;
  for (const m of [...marks].sort((a, b) => a.start - b.start)) {
    if (m.start < at || m.end > sentence.length) continue;
    quote.appendChild(document.createTextNode(sentence.slice(at, m.start)));
    quote.appendChild(el("mark", {class: `field-${String(m.field).replace(/[^a-z_]/g, "")}`, title: FIELD_WORDS[m.field] || m.field},
      sentence.slice(m.start, m.end)));
    at = m.end;
  }
  quote.appendChild(document.createTextNode(sentence.slice(at)));
  if (ev && (ev.speaker || ev.modality)) {
    const verb = MODALITY_WORDS[ev.modality] || ev.modality || "";
    const who = ev.speaker ? speakerLabel(ev.speaker, source && source.speaker_actors) : "the report itself";
    quote.appendChild(el("footer", {}, [who, verb]
      .filter(Boolean).join(" ")));
  }
  return quote;
}

/* ---------- document view ---------- */

async function openDocument(docId, source) {
  openTab("document");
  const panel = clear(document.getElementById("panel-document"));
  panel.appendChild(el("p", {class: "muted"}, "Loading…"));
  try {
    const doc = await getJSON(`/api/documents/${encodeURIComponent(docId)}`);
    renderDocument(panel, doc, docId, source);
  } catch (err) {
    clear(panel).appendChild(el("p", {class: "error"}, `Could not open the document: ${err.message}`));
  }
}

function renderDocument(panel, doc, docId, source) {
  clear(panel);
  const meta = doc.document || doc;
  const name = (source && sourceName(source)) || meta.outlet;
  panel.appendChild(el("h2", {class: "document-title"}, meta.title || name || "untitled document"));
  panel.appendChild(el("p", {class: "muted"},
    [meta.title ? name : null, meta.kind, meta.published, meta.author].filter(Boolean).join(" · ")));
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

/* ---------- control of places, one place ---------- */

function showControl(place, on) {
  document.getElementById("c-place").value = place;
  if (on) document.getElementById("c-on").value = String(on).slice(0, 10);
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
  const item = el("li", {}, el("strong", {}, `${when} · ${kindOf(e).label} · ${who}`));
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
    periods.forEach((p) => {
      const a = dayMs(p.since) ?? lo;
      const b = dayMs(p.until) ?? hi;
      const seg = el("div", {class: "control-seg", title: `${p.holder || "unknown"}: ${p.since || "?"} to ${p.until || "now"}`},
        p.holder || "unknown");
      seg.style.left = `${((a - lo) / (hi - lo)) * 100}%`;
      seg.style.width = `${Math.max(2, ((b - a) / (hi - lo)) * 100)}%`;
      seg.style.background = holderColour(p.holder || "unknown");
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

/** The stats request for the dashboard's view: its filters (belligerent and outlet too) and its brush. */
function statsQuery(by, group) {
  const params = viewQuery();
  params.set("by", by);
  params.set("group", group);
  return params;
}

let chartSeq = 0;

async function loadChart() {
  const by = document.getElementById("ch-by").value;
  const group = document.getElementById("ch-group").value;
  const headline = document.getElementById("chart-headline");
  const seq = ++chartSeq;
  try {
    const body = await getJSON(`/api/stats?${statsQuery(by, group)}`);
    if (seq !== chartSeq) return;
    const rows = (body.rows || []).map((r) => ({period: String(r.period || ""), group: r.group ?? "unknown",
      metrics: Object.fromEntries(Object.entries(r).filter(([k, v]) => typeof v === "number" && k !== "period"))}));
    const metricSelect = document.getElementById("ch-metric");
    const metrics = [...new Set(["incidents", "events", "strikes", ...rows.flatMap((r) => Object.keys(r.metrics))])]
      .filter((m) => rows.length === 0 || rows.some((r) => m in r.metrics));
    const keep = metricSelect.value;
    clear(metricSelect);
    for (const m of metrics) metricSelect.appendChild(el("option", {value: m}, m));
    metricSelect.value = metrics.includes(keep) ? keep : (metrics.includes("events") ? "events" : metrics[0] || "");
    drawChart(rows, metricSelect.value, by);
    document.getElementById("chart-svg").dataset.query = statsQuery(by, group).toString();
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

function drawChart(rows, metric, by) {
  const box = clear(document.getElementById("chart-svg"));
  const legend = clear(document.getElementById("chart-legend"));
  const headline = document.getElementById("chart-headline");
  const width = box.clientWidth || 420;
  const height = box.clientHeight || 240;
  box.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const known = [...new Set(rows.map((r) => r.period))].map(periodMs).filter((t) => t !== null).sort((a, b) => a - b);
  if (!known.length || !metric) { headline.textContent = "Nothing to count in this view."; box.dataset.total = "0"; return; }
  // The span of the busy periods, every period in it (quiet ones as zeros).
  const weighted = [];
  for (const r of rows) {
    const t = periodMs(r.period);
    for (let k = 0; k < Math.min(50, r.metrics[metric] || 0); k++) weighted.push(t);
  }
  weighted.sort((a, b) => a - b);
  const core = weighted.length && !state.fullSpan ? coreSpan(weighted) : {lo: known[0], hi: known[known.length - 1]};
  const periods = [];
  for (let t = binStart(core.lo, by); t <= core.hi; t = nextBin(t, by)) periods.push(periodKey(t, by));
  const index = new Map(periods.map((p, i) => [p, i]));
  const inView = rows.filter((r) => index.has(r.period));
  const totals = new Map();
  for (const r of inView) totals.set(r.group, (totals.get(r.group) || 0) + (r.metrics[metric] || 0));
  const groups = [...totals.entries()].filter((g) => g[1] > 0).sort((a, b) => b[1] - a[1]).map((g) => g[0]);
  const top = groups.slice(0, SERIES_COLOURS.length - 1);
  const series = new Map(top.map((g) => [g, new Array(periods.length).fill(0)]));
  if (groups.length > top.length) series.set("others", new Array(periods.length).fill(0));
  for (const r of inView) {
    const key = top.includes(r.group) ? r.group : "others";
    if (series.has(key)) series.get(key)[index.get(r.period)] += r.metrics[metric] || 0;
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
  let total = 0;
  for (const [name, values] of series) {
    const colour = SERIES_COLOURS[i++ % SERIES_COLOURS.length];
    const points = values.map((v, k) => `${x(k)},${y(v)}`).join(" ");
    const line = svg("polyline", {points, fill: "none", stroke: colour, "stroke-width": 2, class: "series"});
    line.appendChild(svg("title", {text: name}));
    box.appendChild(line);
    values.forEach((v, k) => box.appendChild(svg("circle", {cx: x(k), cy: y(v), r: 2.5, fill: colour})));
    const sum = values.reduce((a, b) => a + b, 0);
    total += sum;
    const sw = el("span", {class: "swatch"});
    sw.style.background = colour;
    legend.appendChild(el("li", {}, sw, `${name}: ${sum}`));
  }
  box.dataset.total = String(total);
  if (!series.size) { headline.textContent = `No ${metric} in this view.`; return; }
  const last = periods[periods.length - 1];
  const leader = [...series.entries()].sort((a, b) => b[1][periods.length - 1] - a[1][periods.length - 1])[0];
  headline.textContent = `${metric} per ${by} in this view (${total}); latest ${by} (${last}): ` +
    `${leader[1][periods.length - 1]} by ${leader[0]}.`;
}

/* ---------- start ---------- */

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function filtersChanged() {
  state.page = 0;
  saveHash();
  loadIncidents();
}

async function start() {
  const [config, kinds] = await Promise.all([getJSON("/api/config").catch(() => ({tiles: null})),
    getJSON("/static/kinds.json").catch(() => null)]);
  state.config = config;
  if (kinds) state.kinds = kinds;
  initMap();
  initBrush();
  for (const button of document.querySelectorAll("#tabs button")) {
    button.addEventListener("click", () => {
      openTab(button.dataset.panel);
      if (button.dataset.panel !== "dossier") state.openIncident = null;
      saveHash();
    });
  }
  const reload = debounce(filtersChanged, 300);
  document.getElementById("f-q").addEventListener("input", reload);
  document.getElementById("f-actor").addEventListener("change", filtersChanged);
  for (const id of ["f-type", "f-grade", "f-contested"]) {
    document.getElementById(id).addEventListener("change", filtersChanged);
  }
  for (const id of ["f-belligerent", "f-outlet"]) document.getElementById(id).addEventListener("change", filtersChanged);
  document.getElementById("l-inview").addEventListener("change", () => { state.page = 0; saveHash(); reloadList(); });
  document.getElementById("l-order").addEventListener("click", () => {
    state.oldest = !state.oldest;
    state.page = 0;
    saveHash();
    reloadList();
  });
  document.getElementById("filters").addEventListener("submit", (e) => { e.preventDefault(); filtersChanged(); });
  document.getElementById("f-reset").addEventListener("click", () => {
    document.getElementById("filters").reset();
    stopPlay();
    state.brush = null;
    state.chosen = null;
    state.oldest = false;
    document.getElementById("l-inview").checked = false;
    updateBrushLabel();
    filtersChanged();
  });
  document.getElementById("control-form").addEventListener("submit", (e) => { e.preventDefault(); loadControl(); });
  for (const id of ["ch-by", "ch-group", "ch-metric"]) document.getElementById(id).addEventListener("change", loadChart);
  window.addEventListener("resize", debounce(render, 200));
  window.addEventListener("popstate", onHashChange);
  window.addEventListener("hashchange", onHashChange);
  state.lastHash = location.hash;
  const first = applyHash();
  // Framed on the matching incidents in the theatre (the server's extent): a stray point far away (a
  // mis-resolved place) should not zoom the map out.
  await loadIncidents({framing: true});
  if (first.incident) await openDossier(first.incident, {fromHash: true});
  else if (first.tab) openTab(first.tab);
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
