// pactum's authoring page: a new scenario from nothing, actors, issues, the stances grid,
// paste from a spreadsheet, every validation problem beside its field, live forecasts.
// Uses app.js's helpers (el, clear, api, errorText, est, estOut, fmt, pagedTable).
// Safety rule as in app.js: user data only ever goes on the page as text.
"use strict";

// ---------- state ----------

const E = {
  id: 0, version: 0, scenario: null, dirty: false, problems: [], pending: new Map(),
  models: [], forecasts: [], abort: null, editAt: 0, restored: false,
};
// Validation and forecasts follow edits, debounced (see liveScheduler in app.js).
const edLive = liveScheduler(() => edRun());
const NEW_DRAFT_KEY = "pactum-draft:new";

function draftKey() { return E.id ? `pactum-draft:${E.id}:v${E.version}` : NEW_DRAFT_KEY; }

// ---------- routing hooks (called from app.js) ----------

// Handles /scenarios/new and /scenarios/{id}/edit; false for every other page.
function editorRoute(app) {
  const m = location.pathname.match(/^\/scenarios\/(\d+)\/edit$/);
  if (location.pathname === "/scenarios/new") { editorNew(app); return true; }
  if (m) { editorOpen(app, Number(m[1])); return true; }
  return false;
}

// Leaving with unsaved edits asks first; the draft is written at once (an edit younger
// than the debounce is not in it yet).
window.addEventListener("beforeunload", (e) => {
  if (!(E.scenario && E.dirty)) return;
  edKeepDraft(edOut());
  e.preventDefault(); e.returnValue = "";
});

function edKeepDraft(scenario) {
  try { localStorage.setItem(draftKey(), JSON.stringify(scenario)); } catch (_) { /* storage full: the page still works */ }
}

// ---------- values typed as text ----------

// `text` cut to `n` characters with an ellipsis.
function edShort(text, n) {
  const t = String(text);
  return t.length <= n ? t : t.slice(0, n - 1) + "…";
}

// "40" is a point; "30 50" a range (most likely: the midpoint); "30 40 50" low, mode, high.
// Returns null for an empty text; throws a sentence for anything else that is not numbers.
function parseEst(text) {
  const t = String(text).trim();
  if (t === "") return null;
  const parts = t.split(/[\s;]+/);
  const nums = parts.map((p) => {
    const x = Number(p);
    if (p === "" || !Number.isFinite(x)) {
      throw new Error(/^\d+,\d+$/.test(p) ? `“${p}” is not a number (use a dot for decimals)` : `“${p}” is not a number`);
    }
    return x;
  });
  if (nums.length === 1) return { low: nums[0], mode: nums[0], high: nums[0] };
  if (nums.length === 2) return { low: nums[0], mode: (nums[0] + nums[1]) / 2, high: nums[1] };
  if (nums.length === 3) return { low: nums[0], mode: nums[1], high: nums[2] };
  throw new Error(`“${t}” has ${nums.length} numbers; give one, or low mode high`);
}
function estText(e) {
  if (!e) return "";
  return e.low === e.mode && e.mode === e.high ? String(e.mode) : `${e.low} ${e.mode} ${e.high}`;
}
function parseOpt(text) {
  const t = String(text).trim();
  if (t === "") return undefined;
  const x = Number(t);
  if (!Number.isFinite(x)) throw new Error(`“${t}” is not a number`);
  return x;
}
function listText(v) { return (v || []).join("; "); }
function parseList(t) { return String(t).split(";").map((x) => x.trim()).filter(Boolean); }

function slug(text) {
  const s = String(text).toLowerCase().normalize("NFKD").replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
  return s.slice(0, 32) || "x";
}
function uniqueId(base, taken) {
  let id = slug(base), k = 2;
  while (taken.has(id)) id = `${slug(base)}-${k++}`;
  return id;
}

// ---------- the scenario as edited ----------

function edLoad(s) {
  s.actors = s.actors || []; s.issues = s.issues || []; s.stances = s.stances || [];
  s.actors.forEach((a) => { a.capability = est(a.capability); });
  s.stances.forEach((st) => {
    st.position = est(st.position); st.salience = est(st.salience);
    if (st.capability !== undefined) st.capability = est(st.capability);
  });
  return s;
}
function edOut() {
  const s = JSON.parse(JSON.stringify(E.scenario));
  s.actors.forEach((a) => { a.capability = estOut(a.capability); });
  s.stances.forEach((st) => {
    st.position = estOut(st.position); st.salience = estOut(st.salience);
    if (st.capability) st.capability = estOut(st.capability);
  });
  for (const k of ["frozen_at", "author", "notes"]) if (!s[k]) delete s[k];
  return s;
}
function edActorName(a) { return a.name || a.id; }
function edIssueName(i) { return i.question || i.id; }
function stanceOf(actor, issue) { return E.scenario.stances.find((st) => st.actor === actor && st.issue === issue); }

// ---------- new scenario ----------

// The "New scenario" card of the library page: title, questions, frozen-at date, author.
function newScenarioCard() {
  const msg = el("div", { class: "field-msg hidden", id: "new-title-msg", role: "alert" });
  const title = el("input", { type: "text", id: "new-title", "aria-label": "title of the new scenario", placeholder: "e.g. Emission cuts at COP", size: 30 });
  const questions = el("textarea", { id: "new-questions", rows: 2, cols: 30, "aria-label": "questions, one per line",
    placeholder: "one question per line, e.g. How deep is the emission cut by 2030?" });
  const frozen = el("input", { type: "date", id: "new-frozen", "aria-label": "inputs frozen at (date)" });
  const author = el("input", { type: "text", id: "new-author", "aria-label": "author", size: 20 });
  const create = () => {
    if (!title.value.trim()) {
      msg.className = "field-msg"; msg.textContent = "A scenario needs a title: give it a short name, e.g. the negotiation it is about.";
      title.classList.add("invalid"); title.focus(); return;
    }
    const old = localStorage.getItem(NEW_DRAFT_KEY);
    if (old && !confirm("An unsaved new scenario is kept in this browser. Replace it with this one?")) return;
    const taken = new Set();
    const issues = questions.value.split("\n").map((q) => q.trim()).filter(Boolean).map((q) => {
      const id = uniqueId(q.split(/\s+/).slice(0, 4).join(" "), taken); taken.add(id);
      return { id, question: q, scale: { lo: 0, hi: 100 } };
    });
    const s = { title: title.value.trim(), frozen_at: frozen.value || undefined, author: author.value.trim() || undefined, actors: [], issues, stances: [] };
    localStorage.setItem(NEW_DRAFT_KEY, JSON.stringify(s));
    location.href = "/scenarios/new";
  };
  title.addEventListener("keydown", (e) => { if (e.key === "Enter") create(); });
  return el("div", { class: "card", id: "new-card" }, el("h2", {}, "New scenario"),
    el("div", { class: "ed-form" },
      el("label", {}, "Title ", title), msg,
      el("label", {}, "Question(s) ", questions),
      el("label", {}, "Inputs frozen at ", frozen),
      el("label", {}, "Author ", author)),
    el("div", { class: "small muted" }, "Each question becomes an issue on a 0–100 scale you can change. Nothing is stored until the scenario validates; the draft stays in this browser."),
    el("div", { class: "toolbar mt" }, el("button", { class: "primary", id: "new-button", onclick: create }, "Create")));
}

async function editorNew(app) {
  const raw = localStorage.getItem(NEW_DRAFT_KEY);
  if (!raw) {
    clear(app).append(newScenarioCard());
    return;
  }
  E.id = 0; E.version = 0; E.dirty = true;
  await editorStart(app, JSON.parse(raw));
}

async function editorOpen(app, id) {
  clear(app).append(el("p", { class: "muted" }, "Loading…"));
  try {
    const { data } = await api("GET", `/api/scenarios/${id}/versions/latest`);
    E.id = id; E.version = data.version;
    const raw = localStorage.getItem(draftKey());
    E.restored = !!raw;
    E.dirty = !!raw;
    await editorStart(app, raw ? JSON.parse(raw) : data.scenario);
  } catch (err) {
    clear(app).append(el("div", { class: "banner error" }, errorText(err)), el("a", { href: "/" }, "Back to the library"));
  }
}

async function editorStart(app, scenario) {
  E.scenario = edLoad(scenario);
  try { E.models = (await api("GET", "/api/models")).data.models; } catch (_) { E.models = []; }
  edBuild(app);
  edRun();
}

// ---------- the page ----------

function edBuild(app) {
  clear(app || document.getElementById("app"));
  const s = E.scenario;
  const meta = (key, label, attrs) => edField("", "", key, label, el("input", { type: "text", value: s[key] || "", "aria-label": label, ...attrs,
    oninput: (e) => { s[key] = e.target.value; edChanged(); } }));
  const note = el("input", { type: "text", id: "ed-note", placeholder: "what changed (optional)", "aria-label": "what changed (note for the version)", size: 24 });
  (app || document.getElementById("app")).append(...[
    el("div", { class: "head" },
      el("div", { class: "meta" },
        el("h1", {}, E.id ? "Edit scenario" : "New scenario"),
        el("div", { class: "muted small" }, E.id ? [`editing from version v${E.version} · `, el("a", { href: `/scenarios/${E.id}` }, "scenario page")]
          : "not stored yet: the draft is kept in this browser until it validates and you create it")),
      el("div", { class: "toolbar" },
        el("span", { id: "ed-state", class: "badge" }, "…"), note,
        el("button", { class: "primary", id: "ed-save", onclick: () => edSave(note.value) }, E.id ? "Save version" : "Create scenario"),
        E.restored ? el("button", { id: "ed-discard", onclick: edDiscard }, "Discard restored edits") : null)),
    el("div", { id: "ed-status", class: "banner hidden", role: "status" }),
    E.restored ? el("div", { class: "banner info" }, "Unsaved edits from this browser were restored.") : null,
    el("div", { class: "card" }, el("h2", {}, "Scenario"),
      el("div", { class: "ed-form" },
        meta("title", "Title", { id: "ed-title", size: 40 }),
        meta("frozen_at", "Inputs frozen at", { id: "ed-frozen", placeholder: "YYYY-MM-DD", size: 11 }),
        meta("author", "Author", { id: "ed-author" }),
        meta("notes", "Notes", { id: "ed-notes", size: 40 }))),
    el("div", { id: "ed-problems", class: "card hidden", role: "region", "aria-label": "problems" }),
    el("div", { class: "grid ed-layout" },
      el("div", {},
        el("div", { class: "card" }, el("h2", {}, "Actors"), el("div", { id: "ed-actors", class: "ed-scroll" })),
        el("div", { class: "card" }, el("h2", {}, "Issues"), el("div", { id: "ed-issues", class: "ed-scroll" })),
        el("div", { class: "card" }, el("h2", {}, "Stances"),
          el("div", { class: "small muted mb" }, "Each cell: position and salience (0–1). A number, or a range as “low mode high”. An empty cell: no stance. Arrow keys, Enter and Tab move like a spreadsheet; paste a block copied from a spreadsheet into any cell."),
          el("div", { id: "ed-grid", class: "ed-scroll" }), edPastePanel())),
      el("div", {},
        el("div", { class: "card" },
          el("div", { class: "card-head" }, el("h2", {}, "Forecasts · every model"), el("span", { id: "ed-timing", class: "badge" }, "…")),
          el("div", { id: "ed-forecasts" }, el("p", { class: "muted" }, "Forecasts appear once the scenario has two actors with stances on every issue.")))))].filter(Boolean));
  edTables();
  edState();
}

function edTables() {
  clear(document.getElementById("ed-actors")).append(edActorTable(), edAddActor());
  clear(document.getElementById("ed-issues")).append(...E.scenario.issues.map(edIssueBlock), edAddIssue());
  clear(document.getElementById("ed-grid")).append(edGrid());
  edShowProblems();
}

// A labelled field whose problems show beside it; `actor`, `issue`, `field` name it as the
// server's validation does.
function edField(actor, issue, field, label, ...inputs) {
  return el("span", { class: "ed-field", "data-target": `${actor}|${issue}|${field}` }, label ? el("span", { class: "ed-label" }, label) : null, ...inputs);
}

function edChanged(structural) {
  E.dirty = true;
  E.editAt = performance.now();
  if (structural) edTables();
  edState();
  edLive.edit();
}

function edState() {
  const b = document.getElementById("ed-state");
  if (!b) return;
  const n = E.problems.length + E.pending.size;
  b.className = n ? "badge dirty" : E.dirty ? "badge dirty" : "badge live";
  b.textContent = n ? `${n} problem(s)` : E.dirty ? "unsaved edits" : "saved";
}

function edStatus(kind, text) {
  const b = document.getElementById("ed-status");
  b.className = `banner ${kind}`; b.textContent = text;
}

// ---------- actors ----------

function edActorTable() {
  const s = E.scenario;
  return pagedTable({ id: "ed-actors-table", class: "ed-table" },
    el("tr", {}, el("th", {}, "Order"), el("th", {}, "Name"), el("th", {}, "Id"), el("th", {}, "Capability"),
      el("th", {}, "Sources"), el("th", {}, "Notes"), el("th", {}, "")),
    s.actors.length, (k) => {
      const a = s.actors[k];
      const who = edActorName(a);
      const text = (key, label, get, set, attrs) => el("input", { type: "text", value: get(), "aria-label": `${label} of ${who}`, ...attrs,
        oninput: (e) => { set(e.target.value); edChanged(); } });
      const cap = el("input", { type: "text", value: estText(a.capability), inputmode: "decimal", class: "ed-num", "aria-label": `capability of ${who}`,
        placeholder: "30 or 20 30 40", oninput: (e) => edSetEst(e.target, `${a.id}||capability`, (v) => { a.capability = v; }) });
      const id = el("input", { type: "text", value: a.id, class: "ed-id", "aria-label": `id of ${who}`,
        onchange: (e) => edRenameActor(a, e.target.value.trim()) });
      return el("tr", { "data-actor": a.id },
        el("td", { class: "ed-order" },
          el("button", { "aria-label": `move ${who} up`, disabled: k === 0, onclick: () => edMove(s.actors, k, -1) }, "↑"),
          el("button", { "aria-label": `move ${who} down`, disabled: k === s.actors.length - 1, onclick: () => edMove(s.actors, k, 1) }, "↓")),
        el("td", {}, edField(a.id, "", "name", "", text("name", "name", () => a.name || "", (v) => { a.name = v; }, { class: "name" }))),
        el("td", {}, edField(a.id, "", "id", "", id)),
        el("td", {}, edField(a.id, "", "capability", "", cap)),
        el("td", {}, text("sources", "sources", () => listText(a.sources), (v) => { a.sources = parseList(v); }, { placeholder: "a; b" })),
        el("td", {}, text("notes", "notes", () => a.notes || "", (v) => { a.notes = v || undefined; })),
        el("td", {}, el("button", { "aria-label": `remove ${who}`, onclick: () => edRemoveActor(a) }, "Remove")));
    });
}

// Parses an estimate typed in `input`; a text that is not numbers is a problem shown beside
// it (and blocks saving) until fixed; the last good value stays in the scenario meanwhile.
function edSetEst(input, key, set, optional) {
  try {
    const v = parseEst(input.value);
    if (v === null && !optional) throw new Error("empty; type a number");
    set(v);
    E.pending.delete(key);
  } catch (err) {
    E.pending.set(key, err.message);
  }
  edChanged();
}

function edAddActor() {
  const name = el("input", { type: "text", id: "ed-new-actor", "aria-label": "name of the new actor", placeholder: "name" });
  const cap = el("input", { type: "text", id: "ed-new-capability", inputmode: "decimal", class: "ed-num", "aria-label": "capability of the new actor", placeholder: "capability" });
  const msg = el("span", { class: "field-msg hidden", role: "alert" });
  const add = () => {
    const n = name.value.trim();
    let c = null;
    try { c = parseEst(cap.value); } catch (err) { msg.className = "field-msg"; msg.textContent = `Capability: ${err.message}.`; cap.focus(); return; }
    if (!n) { msg.className = "field-msg"; msg.textContent = "Give the actor a name."; name.focus(); return; }
    if (!c) { msg.className = "field-msg"; msg.textContent = "Give the actor a capability (its clout: only ratios between actors matter)."; cap.focus(); return; }
    const id = uniqueId(n, new Set(E.scenario.actors.map((a) => a.id)));
    E.scenario.actors.push({ id, name: n === id ? "" : n, capability: c });
    edChanged(true);
    document.getElementById("ed-new-actor").focus();
  };
  for (const i of [name, cap]) i.addEventListener("keydown", (e) => { if (e.key === "Enter") add(); });
  return el("div", { class: "toolbar mt" }, name, cap, el("button", { id: "ed-add-actor", onclick: add }, "Add actor"), msg);
}

function edMove(list, k, d) {
  const j = k + d;
  if (j < 0 || j >= list.length) return;
  [list[k], list[j]] = [list[j], list[k]];
  edChanged(true);
}

function edRemoveActor(a) {
  const s = E.scenario;
  const gone = s.stances.filter((st) => st.actor === a.id);
  const on = gone.map((st) => { const i = s.issues.find((x) => x.id === st.issue); return i ? edIssueName(i) : st.issue; });
  const what = gone.length ? `Its ${gone.length} stance(s) go with it: on ${on.join("; ")}.` : "It has no stances.";
  if (!confirm(`Remove ${edActorName(a)}? ${what}`)) return;
  s.actors = s.actors.filter((x) => x !== a);
  s.stances = s.stances.filter((st) => st.actor !== a.id);
  for (const k of [...E.pending.keys()]) if (k.startsWith(`${a.id}|`)) E.pending.delete(k);
  edChanged(true);
}

function edRenameActor(a, id) {
  const s = E.scenario;
  if (!id || id === a.id) { edTables(); return; }
  if (s.actors.some((x) => x.id === id)) { edStatus("error", `Another actor already has the id “${id}”; ids are unique.`); edTables(); return; }
  s.stances.forEach((st) => { if (st.actor === a.id) st.actor = id; });
  a.id = id;
  edChanged(true);
}

// ---------- issues ----------

function edIssueBlock(issue) {
  const s = E.scenario;
  const who = edIssueName(issue);
  const txt = (label, get, set, attrs) => el("input", { type: "text", value: get() ?? "", "aria-label": `${label} of ${who}`, ...attrs,
    oninput: (e) => { set(e.target.value); edChanged(); } });
  // A number typed in an optional field: an unreadable text is a problem beside the field.
  const num = (key, label, get, set, attrs) => el("input", { type: "text", inputmode: "decimal", class: "ed-num", value: get() ?? "", "aria-label": `${label} of ${who}`, ...attrs,
    oninput: (e) => {
      try { set(parseOpt(e.target.value)); E.pending.delete(key); } catch (err) { E.pending.set(key, err.message); }
      edChanged();
    } });
  const req = (v) => { if (v === undefined) throw new Error("empty; type a number"); return v; };
  const outcome = () => { issue.outcome = issue.outcome || { value: NaN }; return issue.outcome; };
  const setOutcome = (key, v) => {
    if (key === "value" && v === undefined) { delete issue.outcome; return; }
    const o = outcome(); o[key] = v;
  };
  const k = (f) => `|${issue.id}|${f}`;
  return el("div", { class: "ed-issue", "data-issue": issue.id },
    el("div", { class: "ed-form" },
      edField("", issue.id, "question", "Question", txt("question", () => issue.question, (v) => { issue.question = v; }, { size: 36 })),
      edField("", issue.id, "id", "Id", el("input", { type: "text", value: issue.id, class: "ed-id", "aria-label": `id of ${who}`,
        onchange: (e) => edRenameIssue(issue, e.target.value.trim()) })),
      edField("", issue.id, "scale", "Scale",
        num(k("scale.lo"), "scale low end", () => issue.scale.lo, (v) => { issue.scale.lo = req(v); }),
        " to ", num(k("scale.hi"), "scale high end", () => issue.scale.hi, (v) => { issue.scale.hi = req(v); })),
      edField("", issue.id, "unit", "Unit", txt("unit", () => issue.scale.unit, (v) => { issue.scale.unit = v; }, { size: 6 })),
      edField("", issue.id, "labels", "Ends mean",
        txt("label of the low end", () => issue.scale.lo_label, (v) => { issue.scale.lo_label = v; }, { size: 12, placeholder: "low end" }),
        " … ", txt("label of the high end", () => issue.scale.hi_label, (v) => { issue.scale.hi_label = v; }, { size: 12, placeholder: "high end" })),
      edField("", issue.id, "reference_point", "Reference point", num(k("reference_point"), "reference point", () => issue.reference_point, (v) => { issue.reference_point = v; })),
      edField("", issue.id, "outcome.value", "Known outcome",
        num(k("outcome.value"), "known outcome", () => issue.outcome && issue.outcome.value, (v) => setOutcome("value", v)),
        " on ", txt("date of the outcome", () => issue.outcome && issue.outcome.date, (v) => { if (issue.outcome) issue.outcome.date = v || undefined; }, { size: 10, placeholder: "YYYY-MM-DD" }),
        " sources ", txt("sources of the outcome", () => issue.outcome && listText(issue.outcome.sources), (v) => { if (issue.outcome) issue.outcome.sources = parseList(v); }, { size: 14, placeholder: "a; b" })),
      edField("", issue.id, "notes", "Notes", txt("notes", () => issue.notes, (v) => { issue.notes = v || undefined; }, { size: 30 })),
      edField("", issue.id, "stances", ""),
      el("button", { "aria-label": `remove issue ${who}`, onclick: () => edRemoveIssue(issue) }, "Remove issue")));
}

function edAddIssue() {
  const q = el("input", { type: "text", id: "ed-new-issue", "aria-label": "question of the new issue", placeholder: "question", size: 30 });
  const add = () => {
    const text = q.value.trim();
    if (!text) { q.focus(); return; }
    const id = uniqueId(text.split(/\s+/).slice(0, 4).join(" "), new Set(E.scenario.issues.map((i) => i.id)));
    E.scenario.issues.push({ id, question: text, scale: { lo: 0, hi: 100 } });
    edChanged(true);
    document.getElementById("ed-new-issue").focus();
  };
  q.addEventListener("keydown", (e) => { if (e.key === "Enter") add(); });
  return el("div", { class: "toolbar mt" }, q, el("button", { id: "ed-add-issue", onclick: add }, "Add issue"),
    el("span", { class: "small muted" }, "starts on a 0–100 scale; change it above"));
}

function edRemoveIssue(issue) {
  const s = E.scenario;
  const n = s.stances.filter((st) => st.issue === issue.id).length;
  if (!confirm(`Remove the issue “${edIssueName(issue)}”? ${n ? `Its ${n} stance(s) go with it.` : "It has no stances."}`)) return;
  s.issues = s.issues.filter((i) => i !== issue);
  s.stances = s.stances.filter((st) => st.issue !== issue.id);
  for (const k of [...E.pending.keys()]) if (k.includes(`|${issue.id}|`)) E.pending.delete(k);
  edChanged(true);
}

function edRenameIssue(issue, id) {
  const s = E.scenario;
  if (!id || id === issue.id) { edTables(); return; }
  if (s.issues.some((x) => x.id === id)) { edStatus("error", `Another issue already has the id “${id}”; ids are unique.`); edTables(); return; }
  s.stances.forEach((st) => { if (st.issue === issue.id) st.issue = id; });
  issue.id = id;
  edChanged(true);
}

// ---------- the stances grid ----------

function edGrid() {
  const s = E.scenario;
  if (!s.actors.length || !s.issues.length) return el("p", { class: "muted" }, "Add actors and issues; their stances are typed here.");
  const head = [
    el("tr", {}, el("th", { rowspan: 2 }, "Actor"), s.issues.map((i) => el("th", { colspan: 2, class: "ed-issue-head", title: i.id }, edShort(edIssueName(i), 40)))),
    el("tr", {}, s.issues.flatMap((i) => [el("th", {}, `position${i.scale.unit ? " (" + i.scale.unit + ")" : ""}`), el("th", {}, "salience")])),
  ];
  const table = pagedTable({ id: "ed-grid-table", class: "ed-table" }, head, s.actors.length, (r) => {
    const a = s.actors[r];
    return el("tr", { "data-actor": a.id }, el("th", { scope: "row", class: "who" }, edActorName(a)),
      s.issues.flatMap((i, c) => edCell(a, i, r, c)));
  });
  table.addEventListener("paste", edPasteEvent);
  table.addEventListener("keydown", edGridKeys);
  return table;
}

function edCell(a, issue, r, c) {
  const st = stanceOf(a.id, issue.id);
  const key = `${a.id}|${issue.id}`;
  const mk = (part, label) => el("input", { type: "text", inputmode: "decimal", class: "ed-cell", "data-row": r, "data-col": c * 2 + (part === "position" ? 0 : 1),
    "data-issue": issue.id, "data-actor": a.id, "data-part": part, value: st ? estText(st[part]) : "",
    "aria-label": `${label} of ${edActorName(a)} on ${edIssueName(issue)}`,
    oninput: () => edCellInput(a.id, issue.id, key) });
  return [el("td", {}, edField(a.id, issue.id, "position", "", mk("position", "position"))),
    el("td", {}, edField(a.id, issue.id, "salience", "", mk("salience", "salience")))];
}

function edCellInputs(key) {
  const [actor, issue] = key.split("|");
  const q = (part) => document.querySelector(`input.ed-cell[data-actor="${CSS.escape(actor)}"][data-issue="${CSS.escape(issue)}"][data-part="${part}"]`);
  return [q("position"), q("salience")];
}

// Both halves empty: no stance. Both numbers: the stance. Anything else is a problem beside
// the cell until fixed; the last good stance stays meanwhile (nothing is silently dropped).
function edCellInput(actor, issue, key) {
  const [p, s] = edCellInputs(key);
  const pendingKey = `${actor}|${issue}|cell`;
  let pos = null, sal = null;
  try {
    pos = parseEst(p.value);
    sal = parseEst(s.value);
  } catch (err) {
    E.pending.set(pendingKey, err.message);
    edChanged(); return;
  }
  const sc = E.scenario;
  if (pos === null && sal === null) {
    sc.stances = sc.stances.filter((st) => !(st.actor === actor && st.issue === issue));
    E.pending.delete(pendingKey);
  } else if (pos === null || sal === null) {
    E.pending.set(pendingKey, pos === null ? "type a position too (or clear the salience: no stance)" : "type a salience too (0–1), or clear the position: no stance");
  } else {
    edSetStance(actor, issue, pos, sal);
    E.pending.delete(pendingKey);
  }
  edChanged();
}

function edSetStance(actor, issue, pos, sal) {
  const st = stanceOf(actor, issue);
  if (st) { st.position = pos; st.salience = sal; } else E.scenario.stances.push({ actor, issue, position: pos, salience: sal });
}

// Arrows, Enter and Tab move between cells like a spreadsheet (left and right only when
// the caret is at the edge of the text).
function edGridKeys(e) {
  const t = e.target;
  if (!t.classList || !t.classList.contains("ed-cell")) return;
  const r = Number(t.dataset.row), c = Number(t.dataset.col);
  let to = null;
  if (e.key === "ArrowUp") to = [r - 1, c];
  else if (e.key === "ArrowDown" || (e.key === "Enter" && !e.shiftKey)) to = [r + 1, c];
  else if (e.key === "Enter" && e.shiftKey) to = [r - 1, c];
  else if (e.key === "ArrowLeft" && t.selectionStart === 0 && t.selectionEnd === 0) to = [r, c - 1];
  else if (e.key === "ArrowRight" && t.selectionStart === t.value.length) to = [r, c + 1];
  if (!to) return;
  const next = document.querySelector(`#ed-grid input.ed-cell[data-row="${to[0]}"][data-col="${to[1]}"]`);
  if (next) { e.preventDefault(); next.focus(); next.select(); }
}

// ---------- paste from a spreadsheet ----------

function edPastePanel() {
  const area = el("textarea", { id: "ed-paste", rows: 3, cols: 40, "aria-label": "block copied from a spreadsheet",
    placeholder: "actor⇥capability⇥position⇥salience (one issue), or a matrix: actor⇥issue 1⇥issue 2 with “position / salience” cells" });
  const issueSel = el("select", { id: "ed-paste-issue", "aria-label": "issue of the pasted rows" },
    E.scenario.issues.map((i) => el("option", { value: i.id }, edShort(edIssueName(i), 40))));
  const msg = el("div", { id: "ed-paste-msg", class: "hidden mt", role: "alert" });
  const apply = () => { if (edPaste(area.value, issueSel.value, msg)) area.value = ""; };
  // The message sits outside the folded panel: a paste into the grid reports there too.
  return el("div", {}, msg, el("details", { class: "mt", id: "ed-paste-panel" }, el("summary", {}, "Paste a block from a spreadsheet"),
    el("div", { class: "toolbar mt" }, area, el("label", {}, "Issue ", issueSel), el("button", { id: "ed-paste-apply", onclick: apply }, "Add pasted rows"))));
}

function edPasteEvent(e) {
  const text = e.clipboardData && e.clipboardData.getData("text/plain");
  if (!text || !/[\t\n]/.test(text.trim())) return;
  e.preventDefault();
  const issue = e.target.dataset && e.target.dataset.issue;
  edPaste(text, issue, document.getElementById("ed-paste-msg"));
}

// Reads a pasted block: a table with a header row (actor, capability, position, salience,
// optional issue) or a matrix (actors × issues, cells "position / salience"). All or
// nothing: any error (naming the pasted row and column) and no change is made.
function edPaste(text, issueId, msg) {
  const rows = text.replace(/\r/g, "").split("\n").filter((l) => l.trim() !== "").map((l) => l.split("\t").map((c) => c.trim()));
  const errors = [];
  const s = JSON.parse(JSON.stringify(E.scenario));
  const show = (ok, lines) => {
    msg.className = ok ? "banner ok" : "banner error";
    clear(msg).append(...lines.map((l) => el("div", {}, l)));
  };
  if (rows.length < 2 || rows[0].length < 2) {
    show(false, ["The block needs a header row and at least one row below it, with columns separated by tabs (copy cells from a spreadsheet)."]);
    return false;
  }
  const head = rows[0].map((h) => h.toLowerCase());
  const col = (name) => head.indexOf(name);
  const findActor = (name) => s.actors.find((a) => a.id.toLowerCase() === name.toLowerCase() || (a.name || "").toLowerCase() === name.toLowerCase());
  const findIssue = (name) => s.issues.find((i) => i.id.toLowerCase() === name.toLowerCase() || (i.question || "").toLowerCase() === name.toLowerCase());
  const num = (r, name, t) => { try { return parseEst(t); } catch (err) { errors.push(`Pasted row ${r + 1}, column “${name}”: ${err.message}.`); return undefined; } };
  let added = 0, stances = 0;
  const actorFor = (r, name, capText) => {
    if (!name) { errors.push(`Pasted row ${r + 1}: the actor's name is empty.`); return null; }
    let a = findActor(name);
    const cap = capText === undefined ? null : num(r, "capability", capText);
    if (!a) {
      if (!cap) { errors.push(`Pasted row ${r + 1}: “${name}” is a new actor; give its capability (a capability column).`); return null; }
      a = { id: uniqueId(name, new Set(s.actors.map((x) => x.id))), name, capability: cap };
      if (a.id === name) a.name = "";
      s.actors.push(a); added++;
    } else if (cap) a.capability = cap;
    return a;
  };
  const setStance = (a, issue, pos, sal) => {
    const st = s.stances.find((x) => x.actor === a.id && x.issue === issue);
    if (st) { st.position = pos; st.salience = sal; } else s.stances.push({ actor: a.id, issue, position: pos, salience: sal });
    stances++;
  };
  const isTable = col("actor") >= 0 && ["capability", "position", "salience"].some((n) => col(n) >= 0);
  if (isTable) {
    const [ca, cc, cp, cs, ci] = ["actor", "capability", "position", "salience", "issue"].map(col);
    if ((cp >= 0) !== (cs >= 0)) errors.push(`The header has ${cp >= 0 ? "position" : "salience"} but not ${cp >= 0 ? "salience" : "position"}: a stance needs both.`);
    rows.slice(1).forEach((row, k) => {
      const r = k + 1;
      const a = actorFor(r, row[ca] || "", cc >= 0 ? row[cc] || "" : undefined);
      if (!a || cp < 0 || cs < 0) return;
      const pt = row[cp] || "", stx = row[cs] || "";
      if (!pt && !stx) return;
      let issue = issueId;
      if (ci >= 0) {
        const i = findIssue(row[ci] || "");
        if (!i) { errors.push(`Pasted row ${r + 1}, column “issue”: “${row[ci] || ""}” is not an issue of this scenario.`); return; }
        issue = i.id;
      } else if (!issue && s.issues.length === 1) issue = s.issues[0].id;
      if (!issue) { errors.push(`Pasted row ${r + 1}: which issue? Add an issue column, or paste into that issue's column of the grid.`); return; }
      const pos = num(r, "position", pt), sal = num(r, "salience", stx);
      if (pos === null || sal === null) { errors.push(`Pasted row ${r + 1}: give both position and salience (or neither).`); return; }
      if (pos && sal) setStance(a, issue, pos, sal);
    });
  } else {
    const cc = col("capability");
    const issues = head.map((h, c) => {
      if (c === 0 || c === cc) return null;
      const i = findIssue(rows[0][c]);
      if (!i) errors.push(`Pasted column ${c + 1} (“${rows[0][c]}”): not an issue of this scenario; the header row names the issues (id or question).`);
      return i || null;
    });
    rows.slice(1).forEach((row, k) => {
      const r = k + 1;
      const a = actorFor(r, row[0] || "", cc >= 0 ? row[cc] || "" : undefined);
      if (!a) return;
      issues.forEach((i, c) => {
        const cell = (row[c] || "").trim();
        if (!i || !cell) return;
        const parts = cell.split("/");
        if (parts.length !== 2) { errors.push(`Pasted row ${r + 1}, column “${rows[0][c]}”: give “position / salience”, e.g. 40 / 0.8.`); return; }
        const pos = num(r, rows[0][c], parts[0]), sal = num(r, rows[0][c], parts[1]);
        if (pos && sal) setStance(a, i.id, pos, sal);
        else if (pos === null || sal === null) errors.push(`Pasted row ${r + 1}, column “${rows[0][c]}”: give both position and salience.`);
      });
    });
  }
  if (errors.length) { show(false, ["Nothing was pasted:", ...errors]); return false; }
  E.scenario = s;
  edChanged(true);
  show(true, [`Pasted ${rows.length - 1} row(s): ${added} new actor(s), ${stances} stance(s).`]);
  return true;
}

// ---------- validation, forecasts ----------

async function edPost(path, body, signal) {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error((data && data.error && data.error.message) || `HTTP ${res.status}`);
    err.detail = (data && data.error) || {};
    throw err;
  }
  return data;
}

// Validates and forecasts the scenario as it stands; a newer edit aborts both requests.
async function edRun() {
  edLive.cancel();
  if (E.abort) E.abort.abort();
  const ctl = new AbortController();
  E.abort = ctl;
  const t0 = E.editAt || performance.now();
  E.editAt = 0;
  const scenario = edOut();
  // The draft is kept with every (debounced) edit, so a reload or a crash loses nothing.
  if (E.dirty) edKeepDraft(scenario);
  const big = scenario.stances.length > LIVE_ALL_MODELS_MAX;
  const models = big ? E.models.map((m) => m.name).filter((n) => LINEAR_MODELS.includes(n)) : undefined;
  const validation = edPost("/api/validate", { scenario }, ctl.signal);
  const forecast = edPost("/api/forecast", { scenario, models }, ctl.signal);
  forecast.catch(() => {}); // awaited below; an aborted request is not an error
  try {
    const v = await validation;
    E.problems = v.problems;
  } catch (err) {
    if (err.name === "AbortError") return;
    E.problems = [{ target: { field: "request" }, message: errorText(err) }];
  }
  edShowProblems();
  edState();
  try {
    const f = await forecast;
    E.forecasts = f.forecasts;
    edRenderForecasts();
    const ms = performance.now() - t0;
    const t = document.getElementById("ed-timing");
    t.textContent = `updated in ${ms.toFixed(0)} ms` + (big ? ` · ${models.length} linear models live (large scenario)` : "");
    t.setAttribute("data-ms", ms.toFixed(1));
    t.className = "badge live";
    document.getElementById("ed-forecasts").classList.remove("stale");
  } catch (err) {
    if (err.name === "AbortError") return;
    document.getElementById("ed-forecasts").classList.add("stale");
    const t = document.getElementById("ed-timing");
    t.textContent = "not updated: see the problems"; t.className = "badge dirty";
  }
}

function edRenderForecasts() {
  const box = clear(document.getElementById("ed-forecasts"));
  E.scenario.issues.forEach((issue) => {
    const d = tableDecimals(issue.scale.hi - issue.scale.lo);
    const unit = issue.scale.unit ? ` ${issue.scale.unit}` : "";
    box.append(el("h3", {}, edIssueName(issue)), el("table", { class: "forecasts" },
      el("thead", {}, el("tr", {}, el("th", {}, "Model"), el("th", { class: "num" }, `Forecast${unit}`))),
      el("tbody", {}, E.forecasts.map((f) => {
        const fi = f.issues.find((i) => i.id === issue.id);
        return fi ? el("tr", {}, el("td", {}, f.model), el("td", { class: "num", "data-test": `ed-forecast-${f.model}-${issue.id}`, "data-model": f.model }, fmt(fi.forecast, d))) : null;
      }))));
  });
}

// Every problem (the server's and the page's own unreadable values) beside its field and
// in the list at the top; a problem the page can fix offers the fix as a button.
function edShowProblems() {
  document.querySelectorAll("#app .ed-field .field-msg").forEach((m) => m.remove());
  document.querySelectorAll("#app .ed-field .invalid").forEach((i) => { i.classList.remove("invalid"); i.removeAttribute("aria-invalid"); });
  const local = [...E.pending].map(([key, message]) => {
    const [actor, issue, field] = key.split("|");
    const a = E.scenario.actors.find((x) => x.id === actor), i = E.scenario.issues.find((x) => x.id === issue);
    const who = a && i ? `${edActorName(a)} on “${edIssueName(i)}”` : a ? edActorName(a) : i ? `Issue “${edIssueName(i)}”` : "";
    const f = field === "cell" ? "position" : field.startsWith("scale.") ? "scale" : field;
    return { target: { actor: actor || undefined, issue: issue || undefined, field: f }, message: `${who}: ${message}.` };
  });
  const all = [...local, ...E.problems];
  const list = document.getElementById("ed-problems");
  if (!list) return;
  if (!all.length) { list.className = "card hidden"; clear(list); return; }
  list.className = "card";
  clear(list).append(el("h2", {}, `${all.length} problem(s) · the version is saved once they are fixed`),
    el("ul", { class: "ed-problem-list" }, all.map((p) => el("li", {}, p.message, p.fix ? edFixButton(p.fix) : null))));
  all.forEach((p) => {
    const t = p.target;
    const box = document.querySelector(`#app .ed-field[data-target="${CSS.escape(`${t.actor || ""}|${t.issue || ""}|${t.field}`)}"]`);
    if (!box) return;
    box.querySelectorAll("input").forEach((i) => { i.classList.add("invalid"); i.setAttribute("aria-invalid", "true"); });
    box.append(el("span", { class: "field-msg", role: "alert" }, p.message, p.fix ? edFixButton(p.fix) : null));
  });
}

function edFixButton(fix) {
  const s = E.scenario;
  if (fix.kind === "widen_range") {
    return el("button", { class: "ed-fix", onclick: () => {
      const st = fix.issue ? stanceOf(fix.actor, fix.issue) : null;
      const obj = st ? st[fix.field] : (s.actors.find((a) => a.id === fix.actor) || {}).capability;
      if (!obj) return;
      obj.low = fix.low; obj.high = fix.high;
      edChanged(true);
    } }, `widen the range to ${fix.low}–${fix.high}`);
  }
  if (fix.kind === "widen_scale") {
    return el("button", { class: "ed-fix", onclick: () => {
      const i = s.issues.find((x) => x.id === fix.issue);
      if (!i) return;
      i.scale.lo = fix.lo; i.scale.hi = fix.hi;
      edChanged(true);
    } }, `widen the scale to ${fix.lo}–${fix.hi}`);
  }
  return null;
}

// ---------- saving ----------

async function edSave(note) {
  if (E.abort) E.abort.abort();
  edLive.cancel();
  const scenario = edOut();
  try {
    const v = await edPost("/api/validate", { scenario });
    E.problems = v.problems;
  } catch (err) { edStatus("error", errorText(err)); return; }
  edShowProblems(); edState();
  const n = E.problems.length + E.pending.size;
  if (n) { edStatus("error", `Not saved: ${n} problem(s) to fix first (listed above and beside each field). Your edits are kept.`); return; }
  try {
    if (!E.id) {
      const info = await edPost("/api/scenarios/new", { scenario });
      localStorage.removeItem(NEW_DRAFT_KEY);
      E.dirty = false;
      location.href = `/scenarios/${info.scenario_id}/edit`;
      return;
    }
    const old = draftKey();
    const info = await edPost(`/api/scenarios/${E.id}/versions`, { scenario, note: note || undefined });
    localStorage.removeItem(old);
    E.version = info.version; E.dirty = false; E.restored = false;
    edBuild();
    edRun();
    edStatus("ok", `Saved as version ${info.version} (SHA-256 ${info.sha256.slice(0, 12)}…).`);
  } catch (err) {
    edStatus("error", `Not saved: ${errorText(err)}`);
  }
}

function edDiscard() {
  if (!confirm("Discard the restored edits and reload the saved version?")) return;
  localStorage.removeItem(draftKey());
  E.dirty = false;
  location.reload();
}
