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
function svg(tag, attrs, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  }
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// `text` cut to `n` characters with an ellipsis (the full text goes in a tooltip).
function short(text, n) {
  const t = String(text);
  return t.length <= n ? t : t.slice(0, n - 1) + "…";
}

// An SVG text node showing `text` cut to `n` characters, with the full text as its tooltip.
function svgLabel(attrs, text, n) {
  const node = svg("text", attrs, short(text, n));
  if (String(text).length > n) node.append(svg("title", {}, text));
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function decimals(range) {
  if (!(range > 0)) return 2;
  return Math.max(0, Math.min(3, 3 - Math.floor(Math.log10(range))));
}
function fmt(x, d) {
  return Number.isFinite(x) ? x.toFixed(d) : "—";
}

// ---------- API ----------

async function api(method, path, body, contentType) {
  const opts = { method, headers: {} };
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
  const m = location.pathname.match(/^\/scenarios\/(\d+)$/);
  if (typeof editorRoute === "function" && editorRoute(app)) return; // editor.js
  if (location.pathname === "/login") loginPage(app);
  else if (m) scenarioPage(app, Number(m[1]));
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
  const file = el("input", { type: "file", id: "import-file", accept: ".toml,.csv,.txt,.tsv,.json" });
  const drop = el("div", { class: "drop" }, "Drop a scenario file here, or choose one: ", file,
    el("div", { class: "small muted" },
      "Native TOML, KTAB CSV, Decide, plain tables, schelling JSON or a DEU file; the format is detected."));
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
    el("thead", {}, el("tr", {}, el("th", {}, "Title"), el("th", { class: "num" }, "Versions"), el("th", {}, "Last saved (UTC)"))),
    el("tbody", {}, items.map((s) => el("tr", {},
      el("td", {}, el("a", { href: `/scenarios/${s.id}` }, s.title || `Scenario ${s.id}`)),
      el("td", { class: "num" }, s.latest_version),
      el("td", { class: "small" }, s.updated_at.replace("T", " ").slice(0, 19))))));
}

async function doImport(file, banner) {
  banner.className = "banner";
  if (!file) { banner.classList.add("error"); banner.textContent = "Choose a file first."; return; }
  banner.classList.add("info"); banner.textContent = `Reading ${file.name}…`;
  try {
    const bytes = await file.arrayBuffer();
    const { data } = await api("POST", `/api/scenarios?filename=${encodeURIComponent(file.name)}`, bytes, "application/octet-stream");
    if (data.created.length === 1) {
      location.href = `/scenarios/${data.created[0].scenario_id}`;
      return;
    }
    banner.className = "banner ok";
    banner.textContent = `Imported ${data.created.length} scenarios (${data.format}); ${data.skipped.length} rows skipped.`;
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
      el("td", {}, el("a", { href: `/api/runs/${r.id}` }, `#${r.id}`)),
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
  models: [], model: "compromise", forecasts: [], seq: 0, shown: 0, editAt: 0,
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

async function scenarioPage(app, id) {
  S.id = id;
  clear(app).append(el("p", { class: "muted" }, "Loading…"));
  try {
    const [v, vs, ms] = await Promise.all([
      api("GET", `/api/scenarios/${id}/versions/latest`),
      api("GET", `/api/scenarios/${id}/versions`),
      api("GET", "/api/models"),
    ]);
    S.versions = vs.data.versions;
    S.models = ms.data.models;
    if (!S.models.some((m) => m.name === S.model)) S.model = S.models[0].name;
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
        el("div", { class: "card hidden", id: "mc-card" },
          el("div", { class: "card-head" }, el("h2", {}, "Monte Carlo"), el("span", { id: "mc-time", class: "badge" })),
          el("div", { id: "mc-caption", class: "small muted mb" }),
          el("div", { id: "mc-result" })),
        el("div", { class: "card" }, el("h2", {}, "Position map"), legend(["actor", "fc", "outcome", "ref"]), el("div", { id: "chart-map" })),
        el("div", { class: "card" }, el("h2", {}, "Each model's forecast"), legend(["fc", "outcome", "ref"]), el("div", { id: "chart-models" })),
        el("div", { class: "card" }, el("h2", { id: "rounds-title" }, "Rounds"), legend(["median", "mean", "actorpath", "outcome"]), el("div", { id: "chart-rounds" })))));
  setDirty(S.dirty);
}

function legend(keys) {
  const names = { actor: "actor (area ∝ capability × salience)", fc: "forecast", outcome: "known outcome",
    ref: "reference point", median: "weighted median", pq: "p10 and p90 (10th and 90th percentiles)", mcmedian: "median of the draws", mean: "weighted mean", actorpath: "actor positions" };
  return el("div", { class: "legend" }, keys.filter((k) => names[k]).map((k) => el("span", { class: `l-${k}` }, names[k])));
}

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
      refreshForecast();
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
    const d = decimals(issue.scale.hi - issue.scale.lo);
    const step = Math.pow(10, -d);
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
        `Scale ${fmt(issue.scale.lo, d)}–${fmt(issue.scale.hi, d)}${unit}`,
        issue.scale.lo_label || issue.scale.hi_label ? ` (${issue.scale.lo_label || "lo"} … ${issue.scale.hi_label || "hi"})` : "",
        issue.reference_point !== undefined ? ` · reference ${fmt(issue.reference_point, d)}` : "",
        issue.outcome ? ` · outcome ${fmt(issue.outcome.value, d)}${issue.outcome.date ? " (" + issue.outcome.date + ")" : ""}` : ""),
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

// Live preview: every model on the unsaved scenario; stale answers are dropped.
async function refreshForecast() {
  const seq = ++S.seq;
  const t0 = S.editAt || performance.now();
  S.editAt = 0;
  document.querySelectorAll("input.invalid").forEach((i) => i.classList.remove("invalid"));
  try {
    const models = previewModels();
    const { data } = await api("POST", "/api/forecast", { scenario: scenarioOut(), models });
    if (seq !== S.seq) return;
    S.forecasts = data.forecasts;
    document.getElementById("forecast-table").classList.remove("stale");
    renderForecast();
    const ms = performance.now() - t0;
    const t = document.getElementById("timing");
    t.textContent = `updated in ${ms.toFixed(0)} ms` + (models ? ` · ${models.length} linear models live (large scenario)` : "");
    t.setAttribute("data-ms", ms.toFixed(1));
    t.className = "badge live";
    const st = document.getElementById("status");
    if (st.classList.contains("error")) st.className = "banner hidden";
  } catch (err) {
    if (seq !== S.seq) return;
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
  const box = clear(document.getElementById("forecast-table"));
  const s = S.scenario;
  s.issues.forEach((issue) => {
    const d = decimals(issue.scale.hi - issue.scale.lo);
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
  renderMap();
  renderModels();
  renderRounds();
}

// ---------- charts (inline SVG; labels are text nodes) ----------

const W = 640;
const PAD_L = 170, PAD_R = 24;

function xScale(issue) {
  const lo = issue.scale.lo, hi = issue.scale.hi;
  return (x) => PAD_L + ((x - lo) / (hi - lo)) * (W - PAD_L - PAD_R);
}

function axis(g, issue, y, d) {
  const x = xScale(issue);
  g.append(svg("line", { class: "axis", x1: x(issue.scale.lo), x2: x(issue.scale.hi), y1: y, y2: y }));
  for (let k = 0; k <= 4; k++) {
    const v = issue.scale.lo + (k / 4) * (issue.scale.hi - issue.scale.lo);
    g.append(svg("line", { class: "axis", x1: x(v), x2: x(v), y1: y, y2: y + 4 }));
    g.append(svg("text", { class: "tick", x: x(v), y: y + 15, "text-anchor": "middle" }, fmt(v, Math.min(d, 1))));
  }
  if (issue.scale.lo_label) g.append(svgLabel({ class: "tick", x: x(issue.scale.lo), y: y + 27, "text-anchor": "start" }, issue.scale.lo_label, 42));
  if (issue.scale.hi_label) g.append(svgLabel({ class: "tick", x: x(issue.scale.hi), y: y + 27, "text-anchor": "end" }, issue.scale.hi_label, 42));
}

function marker(g, issue, value, cls, label, labelCls, y1, y2) {
  if (value === null || value === undefined) return;
  const x = xScale(issue)(value);
  g.append(svg("line", { class: cls, x1: x, x2: x, y1, y2 }));
  if (label) {
    // Outcome labels sit at the top, reference labels at the bottom, so they never collide.
    const flip = x > W - 90;
    const y = cls === "reference" ? y2 - 4 : y1 + 9;
    g.append(svg("text", { class: labelCls, x: flip ? x - 4 : x + 4, y, "text-anchor": flip ? "end" : "start" }, label));
  }
}

function selectedForecast(issueId) {
  const f = S.forecasts.find((x) => x.model === S.model);
  const fi = f && f.issues.find((i) => i.id === issueId);
  return fi || null;
}

// Charts show at most this many actors per issue: those with the most weight.
const CHART_ACTORS = 60;

// The stances of `issue` with their weight (capability × salience), heaviest first, at
// most CHART_ACTORS of them; and how many the issue has.
function chartRows(issue, by) {
  const s = S.scenario;
  const weight = (st) => {
    const a = actorOf(st.actor);
    const cap = st.capability ? st.capability.mode : a ? a.capability.mode : 0;
    return Math.max(0, cap * st.salience.mode);
  };
  const all = (by.get(issue.id) || []).map((k) => ({ st: s.stances[k], k, w: weight(s.stances[k]) }));
  if (all.length <= CHART_ACTORS) return { rows: all, total: all.length };
  all.sort((a, b) => b.w - a.w);
  return { rows: all.slice(0, CHART_ACTORS), total: all.length };
}

function renderMap() {
  const box = clear(document.getElementById("chart-map"));
  const s = S.scenario;
  const by = stancesByIssue();
  s.issues.forEach((issue) => {
    const d = decimals(issue.scale.hi - issue.scale.lo);
    const { rows, total } = chartRows(issue, by);
    const wmax = rows.reduce((m, r) => Math.max(m, r.w), 1e-12);
    const rowH = 26, top = 24;
    const H = top + rows.length * rowH + 40;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `position map of ${issue.id}` });
    const x = xScale(issue);
    const more = rows.length < total ? ` — the ${rows.length} heaviest of ${total.toLocaleString("en")} actors` : "";
    root.append(svgLabel({ x: 0, y: 14, "font-weight": "600" }, short(issue.question || issue.id, 88 - more.length) + more, 88));
    const yAxis = top + rows.length * rowH + 4;
    rows.sort((a, b) => a.st.position.mode - b.st.position.mode).forEach((r, i) => {
      const y = top + i * rowH + rowH / 2;
      const a = actorOf(r.st.actor);
      root.append(svg("line", { class: "grid", x1: x(issue.scale.lo), x2: x(issue.scale.hi), y1: y, y2: y }));
      root.append(svgLabel({ x: PAD_L - 18, y: y + 4, "text-anchor": "end" }, a ? (a.name || a.id) : r.st.actor, 21));
      const p = r.st.position;
      if (p.low !== p.high) root.append(svg("line", { class: "range", x1: x(p.low), x2: x(p.high), y1: y, y2: y }));
      const rad = 3 + 9 * Math.sqrt(r.w / wmax);
      root.append(svg("circle", { class: "actor", cx: x(p.mode), cy: y, r: rad },));
    });
    const yTop = top - 4;
    marker(root, issue, issue.reference_point, "reference", null, null, yTop, yAxis);
    if (issue.outcome) marker(root, issue, issue.outcome.value, "outcome", null, null, yTop, yAxis);
    const fi = selectedForecast(issue.id);
    if (fi) {
      const fx = x(fi.forecast);
      root.append(svg("line", { class: "fcline", x1: fx, x2: fx, y1: yTop, y2: yAxis }));
      root.append(svg("path", { class: "fc", d: `M${fx - 5},${yAxis - 9} L${fx + 5},${yAxis - 9} L${fx},${yAxis - 1} Z` }));
      const flip = fx > W - 140;
      root.append(svg("text", { class: "label-fc", x: flip ? fx - 6 : fx + 6, y: yAxis - 4, "text-anchor": flip ? "end" : "start" }, `${S.model} ${fmt(fi.forecast, d)}`));
    }
    axis(root, issue, yAxis, d);
    box.append(root);
  });
}

function renderModels() {
  const box = clear(document.getElementById("chart-models"));
  S.scenario.issues.forEach((issue) => {
    const d = decimals(issue.scale.hi - issue.scale.lo);
    const rows = S.forecasts.map((f) => ({ model: f.model, fi: f.issues.find((i) => i.id === issue.id) })).filter((r) => r.fi);
    const rowH = 22, top = 24;
    const H = top + rows.length * rowH + 40;
    const yAxis = top + rows.length * rowH + 4;
    const x = xScale(issue);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `model forecasts of ${issue.id}` });
    root.append(svgLabel({ x: 0, y: 14, "font-weight": "600" }, issue.question || issue.id, 88));
    marker(root, issue, issue.reference_point, "reference", null, null, top - 4, yAxis);
    if (issue.outcome) marker(root, issue, issue.outcome.value, "outcome", null, null, top - 4, yAxis);
    rows.forEach((r, i) => {
      const y = top + i * rowH + rowH / 2;
      root.append(svg("line", { class: "grid", x1: x(issue.scale.lo), x2: x(issue.scale.hi), y1: y, y2: y }));
      root.append(svg("text", { x: PAD_L - 8, y: y + 4, "text-anchor": "end", "font-weight": r.model === S.model ? "700" : "400" }, r.model));
      root.append(svg("circle", { class: "fc", cx: x(r.fi.forecast), cy: y, r: 5 }));
      const right = x(r.fi.forecast) > W - 80;
      root.append(svg("text", { x: x(r.fi.forecast) + (right ? -8 : 8), y: y + 4, "text-anchor": right ? "end" : "start" }, fmt(r.fi.forecast, d)));
    });
    axis(root, issue, yAxis, d);
    box.append(root);
  });
}

function renderRounds() {
  const box = clear(document.getElementById("chart-rounds"));
  document.getElementById("rounds-title").textContent = `Rounds · ${S.model}`;
  const by = stancesByIssue();
  S.scenario.issues.forEach((issue) => {
    const fi = selectedForecast(issue.id);
    if (!fi) return;
    const d = decimals(issue.scale.hi - issue.scale.lo);
    const H = 200, top = 24, bottom = 30, left = 56, right = 20;
    const n = Math.max(1, fi.rounds.length - 1);
    const x = (r) => left + (r / n) * (W - left - right);
    const y = (v) => top + (1 - (v - issue.scale.lo) / (issue.scale.hi - issue.scale.lo)) * (H - top - bottom);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `rounds of ${issue.id}` });
    const steps = fi.rounds.length <= 1 ? " — one step: this model has no bargaining rounds" : ` — ${fi.rounds.length - 1} round(s)`;
    root.append(svgLabel({ x: 0, y: 14, "font-weight": "600" }, short(issue.question || issue.id, 92 - steps.length) + steps, 100));
    for (let k = 0; k <= 4; k++) {
      const v = issue.scale.lo + (k / 4) * (issue.scale.hi - issue.scale.lo);
      root.append(svg("line", { class: "grid", x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      root.append(svg("text", { class: "tick", x: left - 6, y: y(v) + 3, "text-anchor": "end" }, fmt(v, Math.min(d, 1))));
    }
    fi.rounds.forEach((r) => root.append(svg("text", { class: "tick", x: x(r.round), y: H - 12, "text-anchor": "middle" }, r.round)));
    const line = (vals, cls) => {
      if (vals.length === 1) {
        root.append(svg("line", { class: cls, x1: left, x2: W - right, y1: y(vals[0]), y2: y(vals[0]) }));
      } else {
        root.append(svg("path", { class: cls, d: vals.map((v, i) => `${i ? "L" : "M"}${x(i)},${y(v)}`).join(" ") }));
      }
    };
    // Each actor's path, for the heaviest actors only on a large issue.
    const shown = chartRows(issue, by).rows.map((r) => r.st.actor);
    const first = fi.rounds[0] ? fi.rounds[0].positions : {};
    shown.filter((a) => a in first).forEach((a) => line(fi.rounds.map((r) => r.positions[a]), "path"));
    line(fi.rounds.map((r) => r.mean), "mean");
    line(fi.rounds.map((r) => r.median), "median");
    if (issue.outcome) root.append(svg("line", { class: "outcome", x1: W - right - 10, x2: W - right, y1: y(issue.outcome.value), y2: y(issue.outcome.value) }));
    box.append(root);
  });
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
    status("error", errorText(err));
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
  const box = clear(document.getElementById("mc-result"));
  box.append(legend(["mcmedian", "pq"]));
  sim.issues.forEach((x) => {
    const issue = issueOf(x.id) || { id: x.id, scale: { lo: x.min, hi: x.max, unit: "" } };
    const d = decimals(issue.scale.hi - issue.scale.lo);
    const unit = issue.scale.unit ? ` ${issue.scale.unit}` : "";
    const keys = ["median", "mean", "p10", "p90"];
    box.append(el("h3", {}, issue.question || issue.id),
      histogram(x, issue, d, unit),
      el("table", { class: "mc-summary", "data-issue": x.id },
        el("thead", {}, el("tr", {}, keys.map((k) => el("th", { class: "num" }, k + unit)))),
        el("tbody", {}, el("tr", {}, keys.map((k) =>
          el("td", { class: "num", "data-test": `mc-${k}-${x.id}` }, fmt(x[k], d)))))));
  });
}

// A histogram of one issue's forecasts with p10, median and p90 marked; x in issue units.
function histogram(x, issue, d, unit) {
  const H = 180, left = 40, right = 20, top = 34, bottom = 28;
  const h = x.histogram;
  let lo = h.lo, hi = h.hi;
  if (!(hi > lo)) {
    const pad = Math.max((issue.scale.hi - issue.scale.lo) * 0.02, 1e-9);
    lo -= pad; hi += pad;
  }
  const xs = (v) => left + ((v - lo) / (hi - lo)) * (W - left - right);
  const max = Math.max(1, ...h.counts);
  const ys = (c) => H - bottom - (c / max) * (H - top - bottom);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "histogram", "data-issue": x.id, role: "img" });
  root.append(svg("title", {}, `Forecasts of ${issue.question || issue.id} over ${x.draws_with_forecast} draws`));
  root.append(svg("line", { class: "axis", x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }));
  for (let k = 0; k <= 4; k++) {
    const v = lo + (k / 4) * (hi - lo);
    const anchor = k === 0 ? "start" : k === 4 ? "end" : "middle";
    root.append(svg("text", { class: "tick", x: xs(v), y: H - bottom + 14, "text-anchor": anchor }, fmt(v, d) + (k === 4 ? unit : "")));
  }
  const total = h.counts.reduce((a, b) => a + b, 0) || 1;
  const bw = (W - left - right) / h.counts.length;
  h.counts.forEach((c, k) => {
    if (!c) return;
    const bar = svg("rect", { class: "bar", x: left + k * bw + 0.5, y: ys(c), width: Math.max(bw - 1, 1), height: H - bottom - ys(c) });
    bar.append(svg("title", {}, `${fmt(h.lo + k * (h.hi - h.lo) / h.counts.length, d)}${unit}: ${(100 * c / total).toFixed(1)}% of draws`));
    root.append(bar);
  });
  root.append(svg("text", { class: "tick", x: left - 6, y: top + 4, "text-anchor": "end" }, `${(100 * max / total).toFixed(0)}%`));
  // The median's label on the upper row, p10's and p90's below it, pushed apart when close.
  const mark = (v, cls, label, anchor, y) => {
    root.append(svg("line", { class: cls, x1: xs(v), x2: xs(v), y1: y + 4, y2: H - bottom }));
    root.append(svg("text", { class: `mlabel t-${cls}`, x: xs(v), y, "text-anchor": anchor }, `${label} ${fmt(v, d)}`));
  };
  const apart = (a, b) => Math.abs(xs(a) - xs(b)) > 80;
  const close = !apart(x.p10, x.p90);
  mark(x.p10, "pq", "p10", close ? "end" : "middle", top - 8);
  mark(x.p90, "pq", "p90", close ? "start" : "middle", top - 8);
  mark(x.median, "median", "median", "middle", 12);
  return root;
}
