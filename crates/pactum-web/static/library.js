// pactum's page, second part: the library's housekeeping (rename, duplicate, delete with a
// confirmation), what an import assumed, the versions of a scenario (list, difference,
// restore), a recorded run as a page, sensitivity and levers, and the downloads of a
// version. It uses app.js's helpers (el, svg, api, clear, fmt, decimals, histogram, S).
// Safety rule as in app.js: user data is only put on the page with textContent or as SVG
// text nodes; no HTML string is ever parsed.
"use strict";

// ---------- library list: rename, duplicate, delete ----------


// Re-draws the library page, then shows `text` in its banner.
async function libraryMessage(kind, text) {
  await libraryPage(document.getElementById("app"));
  const b = document.getElementById("import-status");
  if (b) { b.className = `banner ${kind}`; b.textContent = text; }
}

// The actions cell of one library row.
function scenarioActions(s) {
  const name = s.title || `Scenario ${s.id}`;
  const box = el("span", { class: "row-actions", "data-id": s.id });
  const buttons = () => clear(box).append(
    el("button", { type: "button", "data-action": "rename", "aria-label": `Rename ${name}`, onclick: () => renameForm(s, box, buttons) }, "Rename"),
    el("button", { type: "button", "data-action": "duplicate", "aria-label": `Duplicate ${name}`, onclick: () => duplicateScenario(s) }, "Duplicate"),
    el("button", { type: "button", class: "danger", "data-action": "delete", "aria-label": `Delete ${name}`, onclick: () => confirmDelete(s, box, buttons) }, "Delete"));
  buttons();
  return box;
}

function renameForm(s, box, back) {
  const input = el("input", { type: "text", class: "rename-input", value: s.title, size: 28, "aria-label": `New name for ${s.title}` });
  const msg = el("span", { class: "small err-text", role: "alert" });
  const submit = async () => {
    try {
      const { data } = await api("PATCH", `/api/scenarios/${s.id}`, { title: input.value });
      await libraryMessage("ok", `Renamed to “${data.title}” (saved as version ${data.version}).`);
    } catch (err) {
      msg.textContent = errorText(err);
      input.classList.add("invalid");
    }
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") submit();
    if (e.key === "Escape") back();
  });
  clear(box).append(input,
    el("button", { type: "button", class: "primary", "data-action": "rename-save", onclick: submit }, "Save name"),
    el("button", { type: "button", onclick: back }, "Cancel"), msg);
  input.focus();
  input.select();
}

async function duplicateScenario(s) {
  try {
    const { data } = await api("POST", `/api/scenarios/${s.id}/duplicate`, {});
    await libraryMessage("ok", `Duplicated “${s.title}” as “${data.title}”.`);
  } catch (err) {
    await libraryMessage("error", errorText(err));
  }
}

function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

// Asks before deleting, saying what goes with the scenario.
async function confirmDelete(s, box, back) {
  let u;
  try {
    u = (await api("GET", `/api/scenarios/${s.id}/usage`)).data;
  } catch (err) {
    await libraryMessage("error", errorText(err));
    return;
  }
  const what = `Delete “${s.title}”? This deletes its ${plural(u.versions, "version", "versions")} and ${plural(u.runs, "recorded run", "recorded runs")}. It cannot be undone.`;
  const keep = el("button", { type: "button", id: "keep-scenario", onclick: back }, "Keep it");
  const dialog = el("div", { class: "confirm", role: "alertdialog", "aria-label": `Delete ${s.title}?`, id: "confirm-delete" },
    el("p", { id: "confirm-text" }, what),
    el("button", { type: "button", class: "danger", id: "confirm-delete-button", onclick: async () => {
      try {
        const { data } = await api("DELETE", `/api/scenarios/${s.id}`);
        await libraryMessage("ok", `Deleted “${s.title}” with ${plural(data.versions, "version", "versions")} and ${plural(data.runs, "recorded run", "recorded runs")}.`);
      } catch (err) {
        await libraryMessage("error", errorText(err));
      }
    } }, "Delete for good"),
    keep);
  dialog.addEventListener("keydown", (e) => { if (e.key === "Escape") back(); });
  clear(box).append(dialog);
  keep.focus();
}

// ---------- import notes ----------

// What an import assumed or found, as sentences: the same content already in the library,
// and the reader's guesses (a scale taken from the data, saliences read as 0–100).
function importNotes(data) {
  const notes = [];
  (data.duplicates || []).forEach((d) => notes.push(`Imported twice: ${d.message}.`));
  (data.warnings || []).forEach((w) => notes.push(`The reader assumed something, check it: ${w.message}${w.location ? ` (${w.location})` : ""}.`));
  const skipped = (data.skipped || []).length;
  if (skipped) notes.push(`${plural(skipped, "row was", "rows were")} skipped: ${data.skipped.map((x) => x.message).slice(0, 3).join("; ")}.`);
  return notes;
}

const NOTES_KEY = "pactum-import-notes";

// Keeps the notes, and the reader's guesses the page can correct (a scale taken from the
// data, a salience coding), for the scenario page the import leads to.
function keepImportNotes(data) {
  const notes = importNotes(data);
  const guesses = (data.warnings || []).filter((w) => w.assumption).map((w) => ({ ...w.assumption }));
  if (notes.length) {
    sessionStorage.setItem(NOTES_KEY, JSON.stringify({ id: data.created[0].scenario_id, notes, guesses }));
  }
}

// The notes of the import that opened this scenario: taken from the session once, then kept
// in S while the page is rebuilt (after a correction or a save), until another scenario opens.
function takeImportNotes() {
  const raw = sessionStorage.getItem(NOTES_KEY);
  if (raw) {
    sessionStorage.removeItem(NOTES_KEY);
    try {
      const n = JSON.parse(raw);
      if (n && n.id === S.id && Array.isArray(n.notes)) S.importNotes = { ...n, guesses: n.guesses || [] };
    } catch (_) { /* a note from an older page: nothing to show */ }
  }
  return S.importNotes && S.importNotes.id === S.id ? S.importNotes : null;
}

function importNotesBanner() {
  const n = takeImportNotes();
  if (!n) return null;
  const fixes = n.guesses.map(guessFix).filter((x) => x);
  return el("div", { class: "banner warn", id: "import-notes", role: "status" },
    el("b", {}, "About this import"),
    el("ul", {}, n.notes.map((x) => el("li", {}, x))),
    fixes.length ? el("div", { class: "import-fixes" }, el("b", {}, "Correct what the reader guessed"), ...fixes) : null);
}

// A correction of the scenario on the page: an unsaved edit like any other, redrawn at once.
function applyCorrection(message) {
  setDirty(true);
  buildScenarioPage(document.getElementById("app"));
  renderForecast();
  refreshForecast();
  status("info", `${message} Save a version to keep it.`);
}

// The form that corrects one guess, or null when the guess no longer applies.
function guessFix(g) {
  if (g.kind === "scale") return scaleFix(g);
  if (g.kind === "salience_divisor") return salienceFix(g);
  return null;
}

// The scale the reader took from the data: the analyst states the real one.
function scaleFix(g) {
  const issue = issueOf(g.issue);
  if (!issue) return null;
  const name = issue.question || issue.id;
  const num = (id, label, value) => el("input", { type: "number", step: "any", id, value, "aria-label": label, class: "short" });
  const lo = num(`fix-scale-lo-${issue.id}`, `${name}: lower end of the scale`, issue.scale.lo);
  const hi = num(`fix-scale-hi-${issue.id}`, `${name}: upper end of the scale`, issue.scale.hi);
  const unit = el("input", { type: "text", id: `fix-scale-unit-${issue.id}`, value: issue.scale.unit || "", "aria-label": `${name}: unit`, size: 8 });
  const why = el("span", { class: "small", role: "alert" });
  const apply = () => {
    const [a, b] = [Number(lo.value), Number(hi.value)];
    if (lo.value === "" || hi.value === "" || !Number.isFinite(a) || !Number.isFinite(b) || a >= b) {
      why.textContent = "Give two numbers, the lower end first.";
      return;
    }
    const outside = S.scenario.stances.filter((st) => st.issue === issue.id && (st.position.low < a || st.position.high > b));
    if (outside.length) {
      const who = outside.slice(0, 3).map((st) => (actorOf(st.actor) || { name: st.actor }).name || st.actor).join(", ");
      why.textContent = `${plural(outside.length, "position lies", "positions lie")} outside ${plain(a)}–${plain(b)} (${who}${outside.length > 3 ? ", …" : ""}): widen the scale.`;
      return;
    }
    issue.scale.lo = a; issue.scale.hi = b; issue.scale.unit = unit.value.trim();
    applyCorrection(`The scale of “${name}” is now ${plain(a)}–${plain(b)}${issue.scale.unit ? " " + issue.scale.unit : ""}.`);
  };
  return el("div", { class: "import-fix", "data-fix": `scale-${issue.id}` },
    `Scale of “${name}” (taken from the data: ${plain(g.lo)}–${plain(g.hi)}): from `, lo, " to ", hi, " unit ", unit, " ",
    el("button", { type: "button", id: `fix-scale-${issue.id}`, onclick: apply }, "Set the scale"), " ", why);
}

// The salience coding the reader guessed from the values: the other reading, when it gives
// saliences in [0, 1]. Applying it again undoes it.
function salienceFix(g) {
  const to100 = g.divisor === 1;
  const factor = to100 ? 0.01 : 100;
  const fits = S.scenario.stances.every((st) => st.salience.high * factor <= 1 + 1e-12);
  const label = to100 ? "Read the saliences as 0–100 (divide each by 100)" : "Read the saliences as 0–1 (undo the division by 100)";
  const apply = () => {
    const scale = (x) => Number((x * factor).toPrecision(12));
    S.scenario.stances.forEach((st) => {
      st.salience = { low: scale(st.salience.low), mode: scale(st.salience.mode), high: scale(st.salience.high) };
    });
    g.divisor = to100 ? 100 : 1;
    applyCorrection(to100 ? "Every salience was divided by 100." : "Every salience was multiplied by 100.");
  };
  return el("div", { class: "import-fix", "data-fix": "salience" },
    `Saliences were read as ${to100 ? "0–1 (as written)" : "0–100 and divided by 100"}. `,
    fits ? el("button", { type: "button", id: "fix-salience", onclick: apply }, label)
      : el("span", { class: "muted" }, `Reading them as ${to100 ? "0–100" : "0–1"} would put a salience above 1, so it is not offered.`));
}

// ---------- scenario page: versions, analyses, downloads ----------

function libraryPanels(app) {
  const notes = importNotesBanner();
  const head = app.querySelector(".head");
  if (notes && head) head.after(notes);
  app.append(el("div", { class: "grid" },
    el("div", {}, versionsCard()),
    el("div", {}, analysisCard(), downloadsCard())));
}

function versionsCard() {
  const latest = S.versions.length ? S.versions[S.versions.length - 1].version : S.version;
  const rows = S.versions.slice().reverse().map((v) => el("tr", { class: v.version === S.version ? "highlight" : null },
    el("td", {}, el("a", { href: `/scenarios/${S.id}/versions/${v.version}` }, `v${v.version}`)),
    el("td", { class: "small" }, when(v.created_at)),
    el("td", {}, v.note || el("span", { class: "muted" }, "—")),
    el("td", { class: "small muted" }, v.source || ""),
    el("td", {}, v.version === latest ? el("span", { class: "small muted" }, "latest")
      : el("button", { type: "button", "data-action": "restore", "data-version": v.version, "aria-label": `Restore version ${v.version} as a new version`,
        onclick: () => restoreVersion(v.version) }, "Restore as new version"))));
  const pick = (id, label, value) => el("label", {}, `${label} `, el("select", { id, "aria-label": `${label} version` },
    S.versions.map((v) => el("option", { value: v.version, selected: v.version === value }, `v${v.version}`))));
  const to = S.version;
  const from = S.versions.some((v) => v.version === to - 1) ? to - 1 : (S.versions[0] || {}).version;
  return el("div", { class: "card", id: "versions-card" },
    el("h2", {}, "Versions"),
    el("table", { id: "versions-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "Version"), el("th", {}, "Saved (UTC)"), el("th", {}, "Note"), el("th", {}, "From"), el("th", {}, ""))),
      el("tbody", {}, rows)),
    el("h3", {}, "Difference between two versions"),
    el("div", { class: "toolbar" }, pick("diff-from", "From", from), pick("diff-to", "To", to),
      el("button", { type: "button", id: "diff-button", onclick: showDifference }, "Show difference")),
    el("div", { id: "diff-result", "aria-live": "polite" }));
}

async function restoreVersion(v) {
  try {
    const { data } = await api("POST", `/api/scenarios/${S.id}/versions/${v}/restore`, {});
    location.href = `/scenarios/${S.id}/versions/${data.version}`;
  } catch (err) {
    status(err.detail && err.detail.kind === "unchanged" ? "info" : "error", errorText(err));
  }
}

function valueText(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  if (typeof v === "object" && "low" in v && "high" in v) return `${v.low} · ${v.mode ?? ""} · ${v.high}`;
  return JSON.stringify(v);
}

function actorName(id) {
  const a = S.scenario && S.scenario.actors.find((x) => x.id === id);
  return a && a.name ? `${a.name} (${id})` : id;
}

async function showDifference() {
  const box = clear(document.getElementById("diff-result"));
  const from = document.getElementById("diff-from").value;
  const to = document.getElementById("diff-to").value;
  box.append(el("p", { class: "muted" }, "Running every model on both versions…"));
  try {
    const { data } = await api("GET", `/api/scenarios/${S.id}/diff?from=${from}&to=${to}`);
    clear(box);
    if (!data.changes.length) {
      box.append(el("p", { id: "diff-none" }, `v${from} and v${to} have the same inputs.`));
    } else {
      box.append(el("p", { class: "small muted" }, `${plural(data.changes.length, "input changed", "inputs changed")} from v${from} to v${to}:`),
        el("table", { id: "diff-changes" },
          el("thead", {}, el("tr", {}, el("th", {}, "What"), el("th", {}, "Actor"), el("th", {}, "Issue"), el("th", {}, "Field"), el("th", {}, "Old → new"))),
          el("tbody", {}, data.changes.map((c) => el("tr", { "data-what": c.what },
            el("td", {}, c.what), el("td", {}, c.actor ? actorName(c.actor) : ""), el("td", {}, c.issue || ""),
            el("td", {}, c.field), el("td", { class: "mono" }, `${valueText(c.old)} → ${valueText(c.new)}`))))));
    }
    box.append(el("h3", {}, "How each model's forecast moved"),
      el("table", { id: "diff-forecasts" },
        el("thead", {}, el("tr", {}, el("th", {}, "Model"), el("th", {}, "Issue"), el("th", { class: "num" }, `v${from}`), el("th", { class: "num" }, `v${to}`), el("th", { class: "num" }, "Change"))),
        el("tbody", {}, data.forecasts.map((m) => {
          const issue = issueOf(m.issue);
          const d = issue ? tableDecimals(issue.scale.hi - issue.scale.lo) : 2;
          const ch = m.change === null ? "—" : (m.change > 0 ? "+" : "") + fmt(m.change, d);
          return el("tr", { class: m.change ? "highlight" : null }, el("td", {}, m.model), el("td", {}, m.issue),
            el("td", { class: "num" }, m.from === null ? "—" : fmt(m.from, d)), el("td", { class: "num" }, m.to === null ? "—" : fmt(m.to, d)),
            el("td", { class: "num", "data-test": `move-${m.model}-${m.issue}` }, ch));
        }))));
  } catch (err) {
    clear(box).append(el("div", { class: "banner error" }, errorText(err)));
  }
}

// Sample size of the page's variance-based indices (the CLI's default is 4096; the page
// keeps the wait short and says so).
const SENS_SAMPLES = 1024;
const LEVER_DRAWS = 1000;

function analysisCard() {
  const modelSel = el("select", { id: "analysis-model", "aria-label": "Model for sensitivity and levers" },
    S.models.map((m) => el("option", { value: m.name, selected: m.name === (S.model === "compromise" ? "bdm" : S.model) }, m.name)));
  const actorSel = el("select", { id: "levers-actor", "aria-label": "Actor whose levers to search" },
    S.scenario.actors.map((a) => el("option", { value: a.id }, a.name || a.id)));
  return el("div", { class: "card", id: "analysis-card" },
    el("h2", {}, "Sensitivity and levers"),
    el("div", { class: "toolbar mb" },
      el("label", {}, "Model ", modelSel),
      el("button", { type: "button", id: "sensitivity-button", onclick: () => runSensitivity(modelSel.value) }, "Sensitivity"),
      el("label", {}, "Actor ", actorSel),
      el("button", { type: "button", id: "levers-button", onclick: () => runLevers(modelSel.value, actorSel.value) }, "Levers")),
    el("div", { class: "small muted" },
      `Saved version only (v${S.version}). Sensitivity: each ranged input at its low and high end, others at their modes, and variance shares over ${SENS_SAMPLES} base samples (pactum sensitivity --samples ${SENS_SAMPLES} --seed 42). Levers: the actor's best own moves and other actors' moves, robustness over ${LEVER_DRAWS} draws (pactum levers --seed 42).`),
    el("div", { id: "analysis-result", "aria-live": "polite" }));
}

async function analysis(kind, body) {
  const box = clear(document.getElementById("analysis-result"));
  box.append(el("p", { class: "muted" }, "Running on the worker pool…"));
  try {
    const { data } = await api("POST", `/api/scenarios/${S.id}/versions/${S.version}/${kind}`, body);
    clear(box);
    return { box, data };
  } catch (err) {
    clear(box).append(el("div", { class: "banner error" }, errorText(err)));
    return null;
  }
}

function issueHeading(id) {
  const issue = issueOf(id);
  const d = issue ? tableDecimals(issue.scale.hi - issue.scale.lo) : 2;
  const unit = issue && issue.scale.unit ? ` ${issue.scale.unit}` : "";
  return { title: (issue && issue.question) || id, d, unit };
}

async function runSensitivity(model) {
  const r = await analysis("sensitivity", { model, samples: SENS_SAMPLES, seed: "42" });
  if (!r) return;
  const { box, data } = r;
  box.append(el("p", { class: "small muted", id: "sensitivity-caption" },
    `${data.model}: ${plural(data.inputs.length, "ranged input", "ranged inputs")}; ${data.evaluations.tornado + data.evaluations.variance_based} model runs (N = ${data.samples}, ${data.distribution}, seed ${data.seed}).`));
  if (!data.inputs.length) {
    box.append(el("p", {}, "No input is a range: code ranges (low · mode · high) to see what drives the forecast."));
    return;
  }
  // The tornado of each issue is the server's (pactum-chart, the report's bytes).
  const tornado = new Map((data.charts || []).map((c) => [c.id, c.svg]));
  data.issues.forEach((x) => {
    const h = issueHeading(x.id);
    const idx = (v) => (v === null || v === undefined ? "—" : v.toFixed(2));
    box.append(el("h3", {}, `${h.title} · at modes ${fmt(x.at_modes, h.d)}${h.unit}`),
      tornado.has(x.id) ? chartNode(tornado.get(x.id), { class: "chart-box tornado", "data-issue": x.id }) : null,
      el("table", { class: "sensitivity", "data-issue": x.id },
        el("thead", {}, el("tr", {}, el("th", {}, "Input"), el("th", { class: "num" }, "At low"), el("th", { class: "num" }, "At high"),
          el("th", { class: "num" }, "Swing"), el("th", { class: "num" }, "First"), el("th", { class: "num" }, "Total"))),
        el("tbody", {}, x.tornado.slice(0, 12).map((s) => {
          const share = (x.indices || []).find((v) => v.input === s.input) || {};
          return el("tr", {}, el("td", {}, s.input), el("td", { class: "num" }, fmt(s.forecast_at_low, h.d)),
            el("td", { class: "num" }, fmt(s.forecast_at_high, h.d)), el("td", { class: "num" }, fmt(s.swing, h.d)),
            el("td", { class: "num" }, idx(share.first_order)), el("td", { class: "num" }, idx(share.total)));
        }))));
  });
  box.append(el("p", { class: "small muted" }, "Swing: the forecast with the input at its high end minus at its low end, the others at their modes. First / total: the share of the forecast's variance the input explains alone / with its interactions. The 12 largest swings per issue are shown."));
}

async function runLevers(model, actor) {
  const r = await analysis("levers", { model, actor, draws: LEVER_DRAWS, seed: "42" });
  if (!r) return;
  const { box, data } = r;
  box.append(el("p", { class: "small muted", id: "levers-caption" },
    `${data.model}: levers of ${actorName(data.actor)}; robustness over ${data.draws} draws (seed ${data.seed}); ${data.evaluations} model runs.`));
  const pct = (v) => (v === undefined ? "—" : `${Math.round(100 * v)}%`);
  data.issues.forEach((x) => {
    const h = issueHeading(x.id);
    const row = (l) => el("tr", {}, el("td", {}, actorName(l.actor)), el("td", {}, l.field),
      el("td", { class: "num" }, `${fmt(l.from, h.d)} → ${fmt(l.to, h.d)}`), el("td", { class: "num" }, fmt(l.forecast, h.d)),
      el("td", { class: "num" }, (l.gain > 0 ? "+" : "") + fmt(l.gain, h.d)), el("td", { class: "num" }, pct(l.robustness && l.robustness.p_closer)));
    box.append(el("h3", {}, h.title),
      el("p", { class: "small" }, `Target (the actor's position) ${fmt(x.target, h.d)}${h.unit}; forecast ${fmt(x.forecast, h.d)}${h.unit}; ${fmt(x.distance, h.d)}${h.unit} apart.`),
      el("table", { class: "levers", "data-issue": x.id },
        el("thead", {}, el("tr", {}, el("th", {}, "Who moves"), el("th", {}, "What"), el("th", { class: "num" }, "From → to"),
          el("th", { class: "num" }, "Forecast"), el("th", { class: "num" }, "Gain"), el("th", { class: "num" }, "Closer in draws"))),
        el("tbody", {}, x.own.map(row), x.others.slice(0, 5).map(row))));
  });
  box.append(el("p", { class: "small muted" }, "Gain: how much closer the forecast gets to the actor's position, in the issue's units (negative: farther). The actor's own moves come first, then the five other actors' moves that help most."));
}

function downloadsCard() {
  const base = `/api/scenarios/${S.id}/versions/${S.version}`;
  const link = (id, href, label, help) => el("li", {}, el("a", { id, href, download: "" }, label), el("span", { class: "small muted" }, ` — ${help}`));
  return el("div", { class: "card", id: "downloads-card" },
    el("h2", {}, `Downloads · v${S.version}`),
    el("ul", { class: "downloads" },
      link("download-toml", `${base}/toml`, "Scenario (TOML)", "the native file; its SHA-256 is the version's"),
      link("download-xlsx", `${base}/xlsx`, "Workbook (XLSX)", "actors, issues and stances sheets; re-imports to the same scenario"),
      link("download-report", `${base}/report`, "Report (HTML)", "as pactum report makes it"),
      link("download-csv", `${base}/results/csv`, "Forecasts (CSV)", "every suitable model, as pactum forecast --format csv"),
      link("download-json", `${base}/results/json`, "Forecasts (JSON)", "as pactum forecast --format json")),
    el("div", { class: "small muted" }, "Downloads are of the saved version; save unsaved edits first."));
}

// ---------- a recorded run as a page ----------

async function runPage(app, id) {
  clear(app).append(el("p", { class: "muted" }, "Loading…"));
  try {
    const { data } = await api("GET", `/api/runs/${id}`);
    const run = data.run;
    let scenario = null;
    try {
      scenario = (await api("GET", `/api/scenarios/${run.scenario_id}/versions/${run.version}`)).data.scenario;
    } catch (_) { scenario = null; }
    S.scenario = scenario || { issues: [], actors: [] };
    buildRunPage(app, run, data.forecast, data.charts);
  } catch (err) {
    clear(app).append(el("div", { class: "banner error" }, errorText(err)), el("a", { href: "/" }, "Back to the library"));
  }
}

function buildRunPage(app, run, out, charts) {
  const kind = run.draws ? `Monte Carlo, ${run.draws.toLocaleString("en")} draws` : "forecast";
  const params = Object.entries(run.parameters || {}).map(([k, v]) => `${k}=${v}`).join(", ");
  const facts = [
    ["Scenario", el("a", { href: `/scenarios/${run.scenario_id}/versions/${run.version}` }, `${run.title} · v${run.version}`)],
    ["Model", run.model + (run.preset ? ` (preset ${run.preset})` : "")],
    ["Parameters", params || "defaults"],
    ["Seed", String(run.seed)],
    ["Scenario SHA-256", el("span", { class: "mono" }, run.sha256)],
    ["Ran at (UTC)", when(run.created_at)],
    ["Time", `${(run.elapsed_us / 1000).toFixed(1)} ms`],
    ["Raw output", el("a", { href: `/api/runs/${run.id}` }, "the run as JSON")],
  ];
  clear(app).append(
    el("div", { class: "head" }, el("div", { class: "meta" },
      el("h1", { id: "run-title" }, `Run #${run.id} · ${run.model} · ${kind}`),
      el("div", { class: "muted small" }, "A recorded run: what the model answered for this version, with what it needs to be reproduced."))),
    el("div", { class: "grid" },
      el("div", {}, el("div", { class: "card" }, el("h2", {}, "Run"),
        el("table", { id: "run-facts" }, el("tbody", {}, facts.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v))))))),
      el("div", {}, el("div", { class: "card", id: "run-result" }, el("h2", {}, run.draws ? "Outcome distributions" : "Forecasts")))));
  const box = document.getElementById("run-result");
  if (!out) { box.append(el("p", { class: "muted" }, "The run's output could not be read.")); return; }
  if (run.draws) runHistograms(box, out, charts);
  else runForecasts(box, out);
}

function runHistograms(box, sim, charts) {
  box.append(el("div", { class: "small muted mb" }, `${sim.model} · ${sim.draws} draws · seed ${sim.seed} · ${sim.distribution}`));
  mcHistograms(box, { ...sim, issues: sim.issues || [] }, "run", charts);
}

function runForecasts(box, f) {
  const iv = (v, d) => (Array.isArray(v) ? `${fmt(v[0], d)} – ${fmt(v[1], d)}` : "—");
  box.append(el("table", { id: "run-forecasts" },
    el("thead", {}, el("tr", {}, el("th", {}, "Issue"), el("th", { class: "num" }, "Forecast"), el("th", { class: "num" }, "Weighted mean"),
      el("th", { class: "num" }, "50% interval"), el("th", { class: "num" }, "80% interval"), el("th", { class: "num" }, "Known outcome"))),
    el("tbody", {}, (f.issues || []).map((x) => {
      const issue = issueOf(x.id);
      const d = issue ? tableDecimals(issue.scale.hi - issue.scale.lo) : 2;
      const unit = issue && issue.scale.unit ? ` ${issue.scale.unit}` : "";
      const outcome = issue && issue.outcome ? fmt(issue.outcome.value, d) + unit : "—";
      return el("tr", {}, el("td", {}, (issue && issue.question) || x.id),
        el("td", { class: "num", "data-test": `run-forecast-${x.id}` }, fmt(x.forecast, d) + unit), el("td", { class: "num" }, fmt(x.mean, d)),
        el("td", { class: "num" }, iv(x.interval_50, d)), el("td", { class: "num" }, iv(x.interval_80, d)), el("td", { class: "num" }, outcome));
    }))));
}
