// pactum's page: the library and the scenario editor.
// Safety rule: user data is only ever put on the page with textContent or as SVG text
// nodes; no HTML string is ever parsed (a test greps this file for the HTML sinks).
"use strict";

// ---------- small DOM helpers ----------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const SVGNS = "http://www.w3.org/2000/svg";
function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// Numbers on an issue's scale are shown with the decimals the server's chart module picks
// for it (`decimals` of each issue in /api/charts and Monte Carlo answers): one rule for the
// report and the page. Before the first answer, values are shown as typed.
function plain(x) {
  return Number.isFinite(x) ? String(x) : "—";
}
function fmt(x, d) {
  return Number.isFinite(x) ? x.toFixed(d) : "—";
}
// A stored time (`2026-12-02T03:04:05Z`) as `2026-12-02 03:04:05` (UTC).
function when(t) {
  return String(t || "").replace("T", " ").replace("Z", "").slice(0, 19);
}
// Decimals for a value shown in a table with no chart answer to take them from (the ledger,
// a recorded run, a version difference): the rule of pactum_chart::decimals for a scale of
// width `width` (3 below 1, one fewer per power of ten, 0 from 1000).
function tableDecimals(width) {
  if (!(width > 0)) return 2;
  return Math.max(0, Math.min(3, 3 - Math.floor(Math.log10(width))));
}

// ---------- API ----------

// `signal` (optional) is an AbortController's: a newer request can cancel this one.
async function api(method, path, body, contentType, signal) {
  const opts = { method, headers: {}, signal };
  if (body !== undefined) {
    opts.headers["Content-Type"] = contentType || "application/json";
    opts.body = contentType ? body : JSON.stringify(body);
  }
  const res = await fetch(path, opts);
  if (res.status === 401 && path !== "/login") {
    // A server started with --token, and this browser has not logged in (or the server
    // restarted with another token): the login page takes the token in a form.
    location.href = "/login";
    throw new Error("this server needs its token: log in first");
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = { raw: text }; }
  if (!res.ok) {
    const e = (data && data.error) || { message: `HTTP ${res.status}` };
    const err = new Error(e.message);
    err.detail = e;
    throw err;
  }
  return { data, headers: res.headers };
}

function errorText(err) {
  const d = err.detail || {};
  let s = d.message || String(err.message || err);
  if (d.location && (d.location.path || d.location.field)) {
    s = `${d.location.path || d.location.field}: ${s}`;
  }
  if (d.hint) s += ` (hint: ${d.hint})`;
  return s;
}

// ---------- routing ----------

function route() {
  const app = document.getElementById("app");
  const m = location.pathname.match(/^\/scenarios\/(\d+)(?:\/versions\/(\d+))?$/);
  const run = location.pathname.match(/^\/runs\/(\d+)$/);
  if (typeof editorRoute === "function" && editorRoute(app)) return; // editor.js
  if (location.pathname === "/login") loginPage(app);
  else if (location.pathname === "/seals") sealsPage(app); // seals.js
  else if (m) scenarioPage(app, Number(m[1]), m[2] ? Number(m[2]) : null);
  else if (run) runPage(app, Number(run[1])); // library.js
  else libraryPage(app);
}

// ---------- login (servers started with --token) ----------

// The token goes in a POST body, never in a URL: the server answers with an HttpOnly
// cookie that later requests carry.
function loginPage(app) {
  const banner = el("div", { class: "banner hidden", id: "login-status" });
  const input = el("input", { type: "password", id: "login-token", size: 40, autocomplete: "current-password",
    placeholder: "the token given to pactum serve" });
  const submit = async () => {
    try {
      await api("POST", "/login", { token: input.value.trim() });
      location.href = "/";
    } catch (err) {
      banner.className = "banner error";
      banner.textContent = errorText(err);
    }
  };
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") submit(); });
  clear(app).append(el("div", { class: "card login" },
    el("h1", {}, "Log in"),
    el("p", { class: "muted" }, "This server was started with a token. Enter it once; the browser keeps it in a cookie for this server."),
    banner,
    el("div", { class: "toolbar" }, input, el("button", { class: "primary", id: "login-button", onclick: submit }, "Log in"))));
  input.focus();
}
document.addEventListener("DOMContentLoaded", route);

// ---------- library page ----------

async function libraryPage(app) {
  clear(app);
  const banner = el("div", { class: "banner hidden", id: "import-status" });
  const file = el("input", { type: "file", id: "import-file", accept: ".toml,.csv,.txt,.tsv,.json,.xlsx,.ods" });
  const drop = el("div", { class: "drop" }, "Drop a scenario file here, or choose one: ", file,
    el("div", { class: "small muted" },
      "Native TOML, a workbook (XLSX, ODS), KTAB CSV, Decide, plain tables, schelling JSON or a DEU file; the format is detected."));
  const importBtn = el("button", { class: "primary", id: "import-button", onclick: () => doImport(file.files[0], banner) }, "Import");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault(); drop.classList.remove("over");
    if (e.dataTransfer.files[0]) doImport(e.dataTransfer.files[0], banner);
  });
  const list = el("div", { id: "library" }, el("p", { class: "muted" }, "Loading…"));
  const runs = el("div", { id: "recent-runs" });
  app.append(
    el("div", { class: "head" }, el("div", { class: "meta" },
      el("h1", {}, "Scenario library"),
      el("div", { class: "muted" }, "Every saved edit is a new version; every run records the version's SHA-256, so a forecast can be cited and reproduced."))),
    el("div", { class: "grid" },
      el("div", {}, typeof newScenarioCard === "function" ? newScenarioCard() : null,
        el("div", { class: "card" }, el("h2", {}, "Import"), banner, drop, el("div", { class: "toolbar mt" }, importBtn)),
        el("div", { class: "card" }, el("h2", {}, "How it works"),
          el("ol", { class: "steps" },
            el("li", {}, "Import a scenario: actors with their capability, issues with a scale in real units, and each actor's position and salience."),
            el("li", {}, "Edit any number in the tables — ranges too. The forecasts of every model are redrawn as you type."),
            el("li", {}, "Save a version and run a model. The run is stored with its parameters, seed and the version's SHA-256, so it can be cited and reproduced."),
            el("li", {}, "Export the native TOML, or use the JSON API (", el("a", { href: "/api/openapi.json" }, "OpenAPI"), "), which answers exactly what ", el("code", {}, "pactum forecast --format json"), " prints.")))),
      el("div", {}, el("div", { class: "card" }, el("h2", {}, "Scenarios"), list),
        el("div", { class: "card" }, el("h2", {}, "Recent runs"), runs))));
  try {
    const { data } = await api("GET", "/api/scenarios");
    clear(list).append(scenarioTable(data.scenarios));
    const r = await api("GET", "/api/runs?limit=10");
    clear(runs).append(runsTable(r.data.runs, true));
  } catch (err) {
    clear(list).append(el("div", { class: "banner error" }, errorText(err)));
  }
}

function scenarioTable(items) {
  if (!items.length) return el("p", { class: "muted" }, "No scenarios yet: start a new one or import a file.");
  return el("table", { id: "scenario-list" },
    el("thead", {}, el("tr", {}, el("th", {}, "Title"), el("th", { class: "num" }, "Versions"), el("th", {}, "Last saved (UTC)"), el("th", {}, "Actions"))),
    el("tbody", {}, items.map((s) => el("tr", {},
      el("td", {}, el("a", { href: `/scenarios/${s.id}` }, s.title || `Scenario ${s.id}`)),
      el("td", { class: "num" }, s.latest_version),
      el("td", { class: "small" }, s.updated_at.replace("T", " ").slice(0, 19)),
      el("td", {}, scenarioActions(s))))));
}

async function doImport(file, banner) {
  banner.className = "banner";
  if (!file) { banner.classList.add("error"); banner.textContent = "Choose a file first."; return; }
  banner.classList.add("info"); banner.textContent = `Reading ${file.name}…`;
  try {
    const bytes = await file.arrayBuffer();
    const { data } = await api("POST", `/api/scenarios?filename=${encodeURIComponent(file.name)}`, bytes, "application/octet-stream");
    if (data.created.length === 1) {
      keepImportNotes(data);
      location.href = `/scenarios/${data.created[0].scenario_id}`;
      return;
    }
    banner.className = "banner ok";
    banner.textContent = `Imported ${data.created.length} scenarios (${data.format}); ${data.skipped.length} rows skipped. ${importNotes(data).join(" ")}`;
    const { data: lib } = await api("GET", "/api/scenarios");
    clear(document.getElementById("library")).append(scenarioTable(lib.scenarios));
  } catch (err) {
    banner.className = "banner error";
    banner.textContent = errorText(err);
  }
}

function runsTable(runs, withTitle) {
  if (!runs.length) return el("p", { class: "muted" }, "No runs yet.");
  return el("table", { id: "runs-table" },
    el("thead", {}, el("tr", {},
      el("th", {}, "Run"), withTitle ? el("th", {}, "Scenario") : null, el("th", { class: "num" }, "Version"),
      el("th", {}, "Model"), el("th", { class: "num" }, "Seed"), el("th", {}, "Scenario SHA-256"), el("th", {}, "When (UTC)"))),
    el("tbody", {}, runs.map((r) => el("tr", {},
      el("td", {}, el("a", { href: `/runs/${r.id}` }, `#${r.id}`)),
      withTitle ? el("td", {}, el("a", { href: `/scenarios/${r.scenario_id}` }, r.title)) : null,
      el("td", { class: "num" }, `v${r.version}`),
      el("td", {}, r.model + (r.preset ? ` (${r.preset})` : "") + (r.draws ? ` · Monte Carlo, ${r.draws} draws` : "")),
      el("td", { class: "num" }, r.seed),
      el("td", { class: "mono", title: r.sha256 }, r.sha256.slice(0, 12) + "…"),
      el("td", { class: "small" }, r.created_at.replace("T", " ").slice(0, 19))))));
}

// ---------- scenario page ----------

// The seed as decimal text: a browser's numbers lose digits above 2^53, seeds go to 2^64-1.
function seedText(input) {
  const t = input.value.trim();
  return t === "" ? "0" : t;
}

// Estimates are edited as {low, mode, high}; points are sent back as plain numbers.
function est(v) {
  if (typeof v === "number") return { low: v, mode: v, high: v };
  return { low: v.low, mode: v.mode, high: v.high };
}
function estOut(e) {
  return e.low === e.mode && e.mode === e.high ? e.mode : { low: e.low, mode: e.mode, high: e.high };
}

const S = {
  id: 0, versions: [], version: null, sha: "", scenario: null, dirty: false, actorById: new Map(),
  models: [], model: "compromise", forecasts: [], seq: 0, shown: 0, editAt: 0, abort: null, importNotes: null,
};

function scenarioOut() {
  const s = JSON.parse(JSON.stringify(S.scenario));
  s.actors = S.scenario.actors.map((a) => ({ ...a, capability: estOut(a.capability) }));
  s.stances = S.scenario.stances.map((st) => {
    const o = { ...st, position: estOut(st.position), salience: estOut(st.salience) };
    if (st.capability) o.capability = estOut(st.capability);
    return o;
  });
  return s;
}

function loadScenario(s) {
  s.actors.forEach((a) => { a.capability = est(a.capability); });
  S.actorById = new Map(s.actors.map((a) => [a.id, a]));
  s.stances.forEach((st) => {
    st.position = est(st.position);
    st.salience = est(st.salience);
    if (st.capability !== undefined) st.capability = est(st.capability);
  });
  return s;
}

async function scenarioPage(app, id, version) {
  S.id = id;
  clear(app).append(el("p", { class: "muted" }, "Loading…"));
  try {
    const [v, vs, ms] = await Promise.all([
      api("GET", `/api/scenarios/${id}/versions/${version || "latest"}`),
      api("GET", `/api/scenarios/${id}/versions`),
      api("GET", "/api/models"),
    ]);
    S.versions = vs.data.versions;
    S.models = ms.data.models;
    if (!S.models.some((m) => m.name === S.model)) S.model = S.models[0].name;
    // A scenario with sides opens on the two-level model (its win-sets and p_agreement).
    if ((v.data.scenario.sides || []).length && S.models.some((m) => m.name === "twolevel")) S.model = "twolevel";
    showVersion(v.data);
    buildScenarioPage(app);
    refreshForecast();
    refreshRuns();
  } catch (err) {
    clear(app).append(el("div", { class: "banner error" }, errorText(err)), el("a", { href: "/" }, "Back to the library"));
  }
}

function showVersion(data) {
  S.version = data.version;
  S.sha = data.sha256;
  S.scenario = loadScenario(data.scenario);
  S.dirty = false;
  // The URL names the scenario and version, so a reload shows this version.
  history.replaceState(null, "", `/scenarios/${S.id}/versions/${S.version}`);
}

function buildScenarioPage(app) {
  clear(app);
  const s = S.scenario;
  const versionSel = el("select", { id: "version-select", onchange: async (e) => {
    const { data } = await api("GET", `/api/scenarios/${S.id}/versions/${e.target.value}`);
    showVersion(data); buildScenarioPage(app); refreshForecast();
  } }, S.versions.map((v) => el("option", { value: v.version, selected: v.version === S.version },
    `v${v.version} · ${v.created_at.replace("T", " ").slice(0, 16)}${v.note ? " · " + v.note : ""}`)));
  const note = el("input", { type: "text", id: "save-note", placeholder: "what changed (optional)", size: 26 });
  const presetSel = el("select", { id: "preset-select", title: "named parameter set of the model" });
  const fillPresets = () => {
    const m = S.models.find((x) => x.name === S.model);
    clear(presetSel).append(el("option", { value: "" }, "defaults"),
      ...((m && m.presets) || []).map((p) => el("option", { value: p.name, title: p.help }, p.name)));
    presetSel.disabled = !(m && m.presets && m.presets.length);
  };
  fillPresets();
  const modelSel = el("select", { id: "model-select", onchange: (e) => { S.model = e.target.value; fillPresets(); renderForecast(); } },
    S.models.map((m) => el("option", { value: m.name, selected: m.name === S.model, title: m.summary }, m.name)));
  const seed = el("input", { type: "number", id: "seed", value: 42, min: 0, step: 1, title: "random seed, recorded with the run" });
  const mc = el("button", { id: "mc-button",
    title: `Draw every ranged input ${MC_DRAWS.toLocaleString("en")} times (triangular) and run the chosen model on each draw; saves unsaved edits first and records the run.`,
    onclick: () => runMonteCarlo(seedText(seed), presetSel.value || undefined) },
  `Monte Carlo · ${MC_DRAWS.toLocaleString("en")} draws`);
  app.append(
    el("div", { class: "head" },
      el("div", { class: "meta" },
        el("h1", { id: "scenario-title" }, s.title || `Scenario ${S.id}`),
        el("div", { class: "muted small" },
          s.frozen_at ? `Inputs frozen at ${s.frozen_at} · ` : "",
          `${s.actors.length} actors · ${s.issues.length} issue(s) · version `, el("b", {}, `v${S.version}`),
          " · SHA-256 ", el("span", { class: "mono", id: "sha", title: S.sha }, S.sha.slice(0, 16) + "…"),
          " · ", el("a", { href: `/api/scenarios/${S.id}/versions/${S.version}/toml`, id: "export-link" }, "export TOML"),
          " · ", el("a", { href: `/scenarios/${S.id}/edit`, id: "edit-link" }, "edit actors, issues and stances"))),
      el("div", { class: "toolbar" }, versionSel, el("span", { id: "dirty", class: "badge hidden" }, "unsaved edits"), note,
        el("button", { id: "save-button", onclick: saveVersion }, "Save version"))),
    el("div", { id: "status", class: "banner hidden" }),
    el("div", { class: "grid" },
      el("div", {},
        el("div", { class: "card" }, el("h2", {}, "Actors"), actorTable()),
        el("div", { class: "card" }, el("h2", {}, "Stances"), stanceTables()),
        sidesCard(),
        el("div", { class: "card" }, el("h2", {}, "Run history"), el("div", { id: "runs" }))),
      el("div", {},
        el("div", { class: "card" },
          el("div", { class: "card-head" },
            el("h2", { title: "each model with its defaults and the scenario's own [models] parameters" }, "Forecasts · every model"),
            el("span", { id: "timing", class: "badge live" }, "…")),
          el("div", { id: "forecast-table" })),
        el("div", { class: "card" },
          el("div", { class: "toolbar mb" },
            el("label", {}, "Model ", modelSel), el("label", {}, "Preset ", presetSel), el("label", {}, "Seed ", seed),
            el("button", { class: "primary", id: "run-button", onclick: () => runModel(seedText(seed), presetSel.value || undefined) }, "Run & record"),
            mc, el("progress", { id: "mc-progress", class: "hidden", max: MC_DRAWS, value: 0 }),
            el("span", { id: "mc-count", class: "small muted hidden" })),
          el("div", { class: "small muted" }, "Run & record saves unsaved edits as a new version first, then stores the run with its model, parameters, seed and the version's SHA-256."),
          el("div", { class: "small muted", id: "mc-note" }, "Monte Carlo draws every input coded as a range (low–mode–high, triangular) and runs the chosen model on each draw; the histogram shows where the forecast lands, with p10, median and p90 marked.")),
        sealCard(), // seals.js
        el("div", { class: "card hidden", id: "mc-card" },
          el("div", { class: "card-head" }, el("h2", {}, "Monte Carlo"), el("span", { id: "mc-time", class: "badge" })),
          el("div", { id: "mc-caption", class: "small muted mb" }),
          el("div", { id: "mc-result" })),
        el("div", { class: "card hidden", id: "twolevel-card" }, el("h2", {}, "Two levels · win-sets"),
          el("div", { class: "small muted mb" }, "Per side, the band is its win-set (the deals its ratification rule accepts against the reversion point; orange where it binds, grey where the side does not ratify), the circle its mandate; the dashed line is the reversion point, the black diamond the forecast, the hollow one the level-I outcome."),
          el("div", { id: "chart-twolevel" })),
        el("div", { class: "card" }, el("h2", {}, "Position map"),
          el("div", { class: "small muted mb" }, "Circles: actors (area ∝ capability × salience; a line spans a coded range). Diamonds: each model's forecast. Dashed grey: status quo; orange-red: the known outcome."),
          el("div", { id: "chart-map" })),
        el("div", { class: "card" }, el("h2", { id: "rounds-title" }, "Rounds"), el("div", { id: "chart-rounds" })))));
  libraryPanels(app);
  setDirty(S.dirty);
}

// Leaving the scenario page with unsaved edits asks first, as the authoring page does.
window.addEventListener("beforeunload", (e) => {
  if (!(S.scenario && S.dirty)) return;
  e.preventDefault();
  e.returnValue = "";
});

function setDirty(d) {
  S.dirty = d;
  const b = document.getElementById("dirty");
  if (b) b.className = d ? "badge dirty" : "badge hidden";
}

function status(kind, text) {
  const b = document.getElementById("status");
  b.className = `banner ${kind}`;
  b.textContent = text;
  if (kind !== "error") setTimeout(() => { if (b.textContent === text) b.className = "banner hidden"; }, 4000);
}

// One numeric cell triple for an estimate; `path` names it for error highlighting.
function estimateInputs(obj, key, path, min, max, step) {
  const syncs = [];
  const mk = (part) => {
    const isMode = part === "mode";
    const input = el("input", {
      type: "number", step, min, max, "data-path": `${path}`, "data-part": part,
      class: isMode ? "" : "range", title: isMode ? "most likely value" : `${part} end of the range (blank: same as mode)`,
      "aria-label": `${path} ${part}`,
    });
    const sync = () => {
      const cur = obj[key];
      input.value = isMode || cur.low !== cur.high || cur.low !== cur.mode ? String(cur[part]) : "";
      input.placeholder = String(cur.mode);
    };
    sync();
    syncs.push({ part, sync });
    input.addEventListener("input", () => {
      const cur = obj[key];
      const wasPoint = cur.low === cur.mode && cur.mode === cur.high;
      const v = input.value === "" ? null : Number(input.value);
      if (isMode) {
        if (v === null || !Number.isFinite(v)) return;
        if (wasPoint) { cur.low = v; cur.high = v; }
        cur.mode = v;
      } else {
        cur[part] = v === null || !Number.isFinite(v) ? cur.mode : v;
      }
      syncs.filter((x) => x.part !== part).forEach((x) => x.sync());
      S.editAt = performance.now();
      setDirty(true);
      scheduleForecast();
    });
    return input;
  };
  return [el("td", { class: "num" }, mk("low")), el("td", { class: "num" }, mk("mode")), el("td", { class: "num" }, mk("high"))];
}

// Tables longer than this are paged, so a 100,000-actor scenario draws as fast as a small one.
const PAGE_ROWS = 100;

// A table of `count` rows built by `row(i)`, PAGE_ROWS at a time, with a pager under it.
function pagedTable(attrs, head, count, row) {
  const body = el("tbody", {});
  const table = el("table", attrs, el("thead", {}, head), body);
  if (count <= PAGE_ROWS) {
    for (let i = 0; i < count; i++) body.append(row(i));
    return table;
  }
  const pages = Math.ceil(count / PAGE_ROWS);
  let page = 0;
  const info = el("span", { class: "small muted pager-info" });
  const prev = el("button", { class: "pager-prev", onclick: () => show(page - 1) }, "◀ previous");
  const next = el("button", { class: "pager-next", onclick: () => show(page + 1) }, "next ▶");
  const show = (p) => {
    page = Math.max(0, Math.min(pages - 1, p));
    clear(body);
    const end = Math.min(count, (page + 1) * PAGE_ROWS);
    for (let i = page * PAGE_ROWS; i < end; i++) body.append(row(i));
    info.textContent = `rows ${(page * PAGE_ROWS + 1).toLocaleString("en")}–${end.toLocaleString("en")} of ${count.toLocaleString("en")}`;
    prev.disabled = page === 0;
    next.disabled = page === pages - 1;
  };
  show(0);
  return el("div", { class: "paged" }, table, el("div", { class: "toolbar pager" }, prev, info, next));
}

function actorOf(id) { return S.actorById.get(id); }

function actorTable() {
  const actors = S.scenario.actors;
  return pagedTable({ id: "actors-table" },
    el("tr", {}, el("th", {}, "Actor"), el("th", {}, "Name"),
      el("th", { class: "num" }, "cap. low"), el("th", { class: "num" }, "capability"), el("th", { class: "num" }, "cap. high")),
    actors.length, (k) => {
      const a = actors[k];
      return el("tr", {},
        el("td", { class: "mono" }, a.id),
        el("td", {}, el("input", { type: "text", class: "name", value: a.name || "", title: a.name || "", "data-path": `actors[${k}].name`,
          oninput: (e) => { a.name = e.target.value; setDirty(true); } })),
        estimateInputs(a, "capability", `actors[${k}].capability`, 0, undefined, "any"));
    });
}

// Stance indices of each issue, in scenario order (one pass over the stances).
function stancesByIssue() {
  const by = new Map(S.scenario.issues.map((i) => [i.id, []]));
  S.scenario.stances.forEach((st, k) => { const l = by.get(st.issue); if (l) l.push(k); });
  return by;
}

function stanceTables() {
  const s = S.scenario;
  const by = stancesByIssue();
  return s.issues.map((issue) => {
    const step = "any";
    const unit = issue.scale.unit ? ` ${issue.scale.unit}` : "";
    const ks = by.get(issue.id) || [];
    const row = (i) => {
      const k = ks[i];
      const st = s.stances[k];
      const actor = actorOf(st.actor);
      return el("tr", { "data-stance": k },
        el("td", { class: "who", title: actor ? `${actor.name || actor.id} (${actor.id})` : st.actor }, actor ? (actor.name || actor.id) : st.actor),
        estimateInputs(st, "position", `stances[${k}].position`, issue.scale.lo, issue.scale.hi, step),
        estimateInputs(st, "salience", `stances[${k}].salience`, 0, 1, 0.01));
    };
    return el("div", { class: "issue-block" },
      el("h3", {}, el("span", { class: "issue-title" }, issue.question || issue.id), " ", el("span", { class: "mono muted" }, `(${issue.id})`)),
      el("div", { class: "scale-note" },
        `Scale ${plain(issue.scale.lo)}–${plain(issue.scale.hi)}${unit}`,
        issue.scale.lo_label || issue.scale.hi_label ? ` (${issue.scale.lo_label || "lo"} … ${issue.scale.hi_label || "hi"})` : "",
        issue.reference_point !== undefined ? ` · reference ${plain(issue.reference_point)}` : "",
        issue.outcome ? ` · outcome ${plain(issue.outcome.value)}${issue.outcome.date ? " (" + issue.outcome.date + ")" : ""}` : ""),
      pagedTable({ class: "stances", "data-issue": issue.id },
        el("tr", {}, el("th", {}, "Actor"),
          el("th", { class: "num" }, "low"), el("th", { class: "num" }, "position"), el("th", { class: "num" }, "high"),
          el("th", { class: "num" }, "low"), el("th", { class: "num" }, "salience"), el("th", { class: "num" }, "high")),
        ks.length, row));
  });
}

// Scenarios with more stances than this preview only the models that are linear in the
// number of actors; the others run with "Run & record".
const LIVE_ALL_MODELS_MAX = 2000;
const LINEAR_MODELS = ["compromise", "median", "mean", "median-actor"];

function previewModels() {
  if (S.scenario.stances.length <= LIVE_ALL_MODELS_MAX) return undefined;
  return S.models.map((m) => m.name).filter((n) => LINEAR_MODELS.includes(n));
}

// Live previews answer an edit at once when the page was quiet for this long, and
// otherwise wait until typing pauses this long: a single edit costs one request and no
// wait, a value typed key by key two requests, not one per key. Shared with editor.js.
const LIVE_DEBOUNCE_MS = 80;

// A debounce for `run` (leading and trailing edge, see LIVE_DEBOUNCE_MS): call `edit()`
// on every edit, `cancel()` when the caller runs `run` itself.
function liveScheduler(run) {
  let timer = 0;
  let last = -Infinity;
  return {
    edit() {
      const now = performance.now();
      const quiet = now - last >= LIVE_DEBOUNCE_MS;
      last = now;
      clearTimeout(timer);
      if (quiet) run(); else timer = setTimeout(run, LIVE_DEBOUNCE_MS);
    },
    cancel() { clearTimeout(timer); },
  };
}

const liveForecast = liveScheduler(() => refreshForecast());

// An edit on the scenario page: forecasts follow (debounced, see liveScheduler).
function scheduleForecast() { liveForecast.edit(); }

// Live preview: every model on the unsaved scenario. A newer call cancels the request of
// an older one still in flight, and an answer that arrives late anyway is dropped.
async function refreshForecast() {
  liveForecast.cancel();
  if (S.abort) S.abort.abort();
  const ctl = new AbortController();
  S.abort = ctl;
  const seq = ++S.seq;
  const t0 = S.editAt || performance.now();
  S.editAt = 0;
  document.querySelectorAll("input.invalid").forEach((i) => i.classList.remove("invalid"));
  try {
    const models = previewModels();
    const { data } = await api("POST", "/api/charts", { scenario: scenarioOut(), models }, undefined, ctl.signal);
    if (seq !== S.seq) return;
    S.forecasts = data.forecasts.forecasts || [data.forecasts];
    S.charts = new Map(data.charts.issues.map((c) => [c.id, c]));
    document.getElementById("forecast-table").classList.remove("stale");
    renderForecastTable();
    const ms = performance.now() - t0;
    const t = document.getElementById("timing");
    t.textContent = `updated in ${ms.toFixed(0)} ms` + (models ? ` · ${models.length} linear models live (large scenario)` : "");
    t.setAttribute("data-ms", ms.toFixed(1));
    t.className = "badge live";
    // The charts follow in the next task, so the table is not held back by their layout;
    // data-charts-ms is the time from the edit to the charts laid out.
    setTimeout(() => {
      if (seq !== S.seq) return;
      renderCharts();
      document.body.getBoundingClientRect();
      t.setAttribute("data-charts-ms", (performance.now() - t0).toFixed(1));
    }, 0);
    const st = document.getElementById("status");
    if (st.classList.contains("error")) st.className = "banner hidden";
  } catch (err) {
    if (err.name === "AbortError" || seq !== S.seq) return;
    status("error", errorText(err));
    const path = err.detail && err.detail.location && err.detail.location.path;
    if (path) {
      const base = path.replace(/\.(low|mode|high)$/, "");
      document.querySelectorAll(`input[data-path="${CSS.escape(base)}"]`).forEach((i) => i.classList.add("invalid"));
    }
    document.getElementById("forecast-table").classList.add("stale");
    const t = document.getElementById("timing");
    t.textContent = "not updated: fix the input"; t.className = "badge dirty";
  }
}

function issueOf(id) { return S.scenario.issues.find((i) => i.id === id); }

function renderForecast() {
  renderForecastTable();
  renderCharts();
}

// The forecast of every model for every issue, as tables.
function renderForecastTable() {
  const box = clear(document.getElementById("forecast-table"));
  const s = S.scenario;
  s.issues.forEach((issue) => {
    const d = issueDecimals(issue.id);
    const out = issue.outcome ? issue.outcome.value : null;
    const unit = issue.scale.unit ? ` ${issue.scale.unit}` : "";
    box.append(el("h3", {}, issue.question || issue.id),
      el("table", { class: "forecasts" },
        el("thead", {}, el("tr", {}, el("th", {}, "Model"), el("th", { class: "num" }, `Forecast${unit}`),
          el("th", { class: "num" }, "Weighted mean"), out !== null ? el("th", { class: "num" }, "Error vs outcome") : null)),
        el("tbody", {}, S.forecasts.map((f) => {
          const fi = f.issues.find((i) => i.id === issue.id);
          if (!fi) return null;
          const err = out !== null ? fi.forecast - out : null;
          return el("tr", { class: f.model === S.model ? "highlight" : "" },
            el("td", {}, f.model),
            el("td", { class: "num", "data-test": `forecast-${f.model}-${issue.id}` }, fmt(fi.forecast, d)),
            el("td", { class: "num" }, fmt(fi.mean, d)),
            err !== null ? el("td", { class: "num" }, (err >= 0 ? "+" : "") + fmt(err, d)) : null);
        }))));
  });
}

// ---------- charts (drawn by the server's pactum-chart: the report's SVG, byte for byte) ----------

function issueDecimals(id) {
  const c = S.charts && S.charts.get(id);
  return c ? c.decimals : 2;
}

// Server-drawn SVG is parsed as XML (never as HTML) and only SVG drawing elements and
// their presentation attributes are kept; user text in it was escaped by the server and
// arrives as text nodes.
const SVG_TAGS = new Set(["svg", "g", "title", "desc", "line", "text", "tspan", "circle", "rect", "path", "polyline"]);
function chartNode(text, attrs) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (root.namespaceURI !== SVGNS || root.localName !== "svg") return el("p", { class: "small muted" }, "This chart could not be read.");
  for (const n of [...root.querySelectorAll("*")]) {
    if (n.namespaceURI !== SVGNS || !SVG_TAGS.has(n.localName)) n.remove();
  }
  for (const n of [root, ...root.querySelectorAll("*")]) {
    for (const a of [...n.attributes]) if (/^on/i.test(a.name) || /href$/i.test(a.name)) n.removeAttribute(a.name);
  }
  return el("div", attrs || { class: "chart-box" }, document.importNode(root, true));
}

function renderCharts() {
  const map = clear(document.getElementById("chart-map"));
  const rounds = clear(document.getElementById("chart-rounds"));
  const two = clear(document.getElementById("chart-twolevel"));
  document.getElementById("rounds-title").textContent = `Rounds · ${S.model}`;
  let sides = 0;
  S.scenario.issues.forEach((issue) => {
    const c = S.charts && S.charts.get(issue.id);
    if (!c) return;
    map.append(chartNode(c.position_map, { class: "chart-box", "data-issue": issue.id }));
    if (c.round_medians) rounds.append(chartNode(c.round_medians, { class: "chart-box", "data-issue": issue.id }));
    const actors = c.round_actors[S.model];
    if (actors) rounds.append(chartNode(actors, { class: "chart-box", "data-issue": issue.id }));
    else rounds.append(el("p", { class: "small muted" }, `${issue.id}: ${S.model} has no bargaining rounds (round 0 only).`));
    // The win-sets of the chosen model when it is two-level, else of twolevel.
    const w = c.win_sets[S.model] || c.win_sets.twolevel;
    if (w) { sides++; two.append(chartNode(w, { class: "chart-box winset", "data-issue": issue.id })); }
  });
  document.getElementById("twolevel-card").className = sides ? "card" : "card hidden";
}

// ---------- saving and running ----------

async function saveVersion() {
  const note = document.getElementById("save-note").value;
  try {
    const { data } = await api("POST", `/api/scenarios/${S.id}/versions`, { scenario: scenarioOut(), note: note || undefined });
    const vs = await api("GET", `/api/scenarios/${S.id}/versions`);
    S.versions = vs.data.versions;
    const v = await api("GET", `/api/scenarios/${S.id}/versions/${data.version}`);
    showVersion(v.data);
    buildScenarioPage(document.getElementById("app"));
    renderForecast();
    await refreshForecast();
    status("ok", `Saved as version ${data.version} (SHA-256 ${data.sha256.slice(0, 12)}…).`);
    return true;
  } catch (err) {
    status(err.detail && err.detail.kind === "unchanged" ? "info" : "error", errorText(err));
    return false;
  }
}

async function runModel(seed, preset) {
  if (S.dirty && !(await saveVersion())) return;
  try {
    const { data, headers } = await api("POST", "/api/forecast", { scenario_id: S.id, version: S.version, model: S.model, preset, seed });
    const f = S.forecasts.findIndex((x) => x.model === data.model);
    if (f >= 0) S.forecasts[f] = data; else S.forecasts.push(data);
    renderForecast();
    status("ok", `Run #${headers.get("X-Pactum-Run")} recorded: ${data.model}${preset ? " (" + preset + ")" : ""} on v${S.version} (seed ${seed}).`);
    refreshRuns();
  } catch (err) {
    status("error", errorText(err));
  }
}

async function refreshRuns() {
  const box = document.getElementById("runs");
  try {
    const { data } = await api("GET", `/api/runs?scenario=${S.id}&limit=20`);
    clear(box).append(runsTable(data.runs, false));
  } catch (err) {
    clear(box).append(el("div", { class: "banner error" }, errorText(err)));
  }
}

// ---------- Monte Carlo ----------

const MC_DRAWS = 1000;
const MC_POLL_MS = 100;

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

function mcProgress(done, total) {
  const bar = document.getElementById("mc-progress");
  const count = document.getElementById("mc-count");
  if (!bar || !count) return;
  bar.max = total; bar.value = done;
  bar.className = ""; count.className = "small muted";
  count.textContent = `${done.toLocaleString("en")} / ${total.toLocaleString("en")} draws`;
}

// Starts a job on the shown version (saving edits first), polls it into the progress bar
// and draws the result. The elapsed time (click to histogram on screen) is shown and kept
// in #mc-time's data-ms.
async function runMonteCarlo(seed, preset) {
  const button = document.getElementById("mc-button");
  const t0 = performance.now();
  if (S.dirty && !(await saveVersion())) return;
  button.disabled = true;
  try {
    const { data: job } = await api("POST", "/api/montecarlo",
      { scenario_id: S.id, version: S.version, model: S.model, preset, draws: MC_DRAWS, seed });
    let st = job;
    mcProgress(st.done_draws, st.draws);
    while (st.state === "running") {
      await sleep(MC_POLL_MS);
      st = (await api("GET", `/api/montecarlo/${job.job}`)).data;
      mcProgress(st.done_draws, st.draws);
    }
    if (st.state === "failed") {
      status("error", `Monte Carlo failed: ${st.error.message}`);
      return;
    }
    renderMonteCarlo(st);
    const ms = performance.now() - t0;
    const badge = document.getElementById("mc-time");
    badge.textContent = `${st.draws.toLocaleString("en")} draws in ${(ms / 1000).toFixed(2)} s`;
    badge.setAttribute("data-ms", ms.toFixed(1));
    if (st.warning) status("error", st.warning);
    else status("ok", `Monte Carlo run #${st.run} recorded: ${st.model} on v${st.version}, ${st.draws} draws, seed ${st.seed}.`);
    refreshRuns();
  } catch (err) {
    status("error", errorText(err));
  } finally {
    const b = document.getElementById("mc-button");
    if (b) b.disabled = false;
  }
}

function renderMonteCarlo(st) {
  const sim = st.result;
  document.getElementById("mc-card").className = "card";
  const ranged = sim.inputs.length;
  document.getElementById("mc-caption").textContent =
    `${sim.model} · ${sim.draws.toLocaleString("en")} draws · seed ${sim.seed} · ${sim.distribution} · v${st.version}` +
    (st.run ? ` · run #${st.run}` : "") +
    (ranged ? ` · ${ranged} ranged inputs` : " · no input is a range, so every draw is the same");
  mcHistograms(clear(document.getElementById("mc-result")), sim, "mc", st.charts);
}

// Per issue of a Monte Carlo result `sim`: a heading, the histogram drawn by the server
// (`charts`: the `charts` of a Monte Carlo job or a recorded run, `[{id, decimals, svg,
// p_agreement}]`), P(agreement) when the model can fail to agree, and a table of median,
// mean, p10 and p90 (cells marked `data-test="<prefix>-<stat>-<issue>"`).
function mcHistograms(box, sim, prefix, chartList) {
  const charts = new Map((chartList || []).map((c) => [c.id, c]));
  sim.issues.forEach((x) => {
    const issue = issueOf(x.id) || { id: x.id, scale: { unit: "" } };
    const c = charts.get(x.id);
    const d = c ? c.decimals : 2;
    const unit = issue.scale.unit ? ` ${issue.scale.unit}` : "";
    const keys = ["median", "mean", "p10", "p90"];
    const agree = c && c.p_agreement !== null && c.p_agreement !== undefined;
    box.append(el("h3", {}, issue.question || issue.id),
      el("div", { class: "mc-row" },
        c ? chartNode(c.svg, { class: "chart-box histogram", "data-issue": x.id }) : null,
        agree ? el("div", { class: "p-agreement", "data-test": `mc-p_agreement-${x.id}`, title: "share of draws in which the win-sets met" },
          el("span", { class: "small muted" }, "P(agreement)"), el("b", {}, c.p_agreement.toFixed(3))) : null),
      el("table", { class: "mc-summary", "data-issue": x.id },
        el("thead", {}, el("tr", {}, keys.map((k) => el("th", { class: "num" }, k + unit)))),
        el("tbody", {}, el("tr", {}, keys.map((k) =>
          el("td", { class: "num", "data-test": `${prefix}-${k}-${x.id}` }, fmt(x[k], d)))))));
  });
}
