// pactum's sealed forecasts: the "Seal" card of the scenario page and the ledger page at
// /seals (seals, outcome forms, scoreboard). Uses the helpers of app.js (el, api, clear,
// errorText, fmt, tableDecimals, seedText, S), loaded before this file.
// Safety rule as in app.js: user data only ever reaches the page as text nodes.
"use strict";

// ---------- the Seal card (scenario page) ----------

// The card that seals the shown, saved version: choose the model, seed and draws; the
// seal's hash is shown when it is stored.
function sealCard() {
  const model = el("select", { id: "seal-model", "aria-label": "Model to seal" },
    S.models.map((m) => el("option", { value: m.name, selected: m.name === S.model, title: m.summary }, m.name)));
  const seed = el("input", { type: "number", id: "seal-seed", value: 42, min: 0, step: 1, "aria-label": "Seal seed" });
  const draws = el("input", { type: "number", id: "seal-draws", value: 1000, min: 0, max: 200000, step: 1,
    "aria-label": "Seal Monte Carlo draws (0: the inputs' modes only)" });
  const result = el("div", { id: "seal-result", class: "banner hidden", role: "status", "aria-live": "polite" });
  const button = el("button", { class: "primary", id: "seal-button", "aria-label": `Seal version ${S.version}`,
    onclick: () => sealVersion(model.value, seed, draws, result, button) }, `Seal v${S.version}`);
  return el("div", { class: "card", id: "seal-card" },
    el("h2", {}, "Seal a forecast"),
    el("div", { class: "toolbar mb" },
      el("label", {}, "Model ", model), el("label", {}, "Seed ", seed), el("label", {}, "Draws ", draws), button),
    result,
    el("div", { class: "small muted" },
      "A seal stores the forecast of this saved version with its intervals, the canonical scenario, model, parameters, seed and time under a SHA-256. It is never edited, only superseded; ",
      el("a", { href: "/seals" }, "the ledger"), " lists every seal, takes the outcomes and grades the seals. Publish the hash somewhere dated: it proves the content, not the time."));
}

async function sealVersion(model, seedInput, drawsInput, result, button) {
  const fail = (text) => { result.className = "banner error"; result.textContent = text; };
  if (S.dirty) { fail("Save the edits as a version first: a seal is made of a saved version."); return; }
  const d = drawsInput.value.trim() === "" ? 0 : Number(drawsInput.value);
  if (!Number.isInteger(d) || d < 0) { fail("Draws must be a whole number from 0 to 200,000."); return; }
  button.disabled = true;
  result.className = "banner info";
  result.textContent = `Sealing v${S.version} with ${model}…`;
  try {
    const { data } = await api("POST", `/api/scenarios/${S.id}/versions/${S.version}/seal`,
      { model, seed: seedText(seedInput), draws: d });
    result.className = "banner ok";
    clear(result).append(`Sealed as seal #${data.id} (${data.model}, v${data.version}). SHA-256 `,
      el("code", { id: "seal-hash", class: "hash" }, data.sha256), " · ",
      el("a", { href: data.download, download: `seal-${data.id}.seal.json`, id: "seal-download" }, "download"), " · ",
      el("a", { href: "/seals" }, "ledger"));
  } catch (err) {
    fail(errorText(err));
  } finally {
    button.disabled = false;
  }
}

// ---------- the ledger page (/seals) ----------

async function sealsPage(app) {
  clear(app).append(
    el("div", { class: "head" }, el("div", { class: "meta" },
      el("h1", {}, "Sealed forecasts"),
      el("div", { class: "muted" },
        "Every seal with its SHA-256 and file (check one with ", el("code", {}, "pactum verify FILE"),
        "); record outcomes as they become known; the scoreboard grades every seal not superseded, as ",
        el("code", {}, "pactum score"), " does."))),
    el("div", { id: "seals-status", class: "banner hidden", role: "status", "aria-live": "polite" }),
    el("div", { class: "card" }, el("h2", {}, "Ledger"), el("div", { id: "seal-ledger", class: "scroll" }, el("p", { class: "muted" }, "Loading…"))),
    el("div", { class: "card" }, el("h2", {}, "Record outcomes"), el("div", { id: "outcome-forms" })),
    el("div", { class: "card" }, el("h2", {}, "Scoreboard"), el("div", { id: "scoreboard", class: "scroll" })));
  const seals = await refreshLedger();
  if (seals) await outcomeForms(seals);
  await refreshScoreboard();
}

function sealsStatus(kind, text) {
  const b = document.getElementById("seals-status");
  b.className = `banner ${kind}`;
  b.textContent = text;
}


async function refreshLedger() {
  const box = document.getElementById("seal-ledger");
  try {
    const { data } = await api("GET", "/api/seals");
    clear(box).append(ledgerTable(data.seals));
    return data.seals;
  } catch (err) {
    clear(box).append(el("div", { class: "banner error" }, errorText(err)));
    return null;
  }
}

function ledgerTable(seals) {
  if (!seals.length) {
    return el("p", { class: "muted" }, "No seals yet: open a scenario, save a version and use “Seal”.");
  }
  return el("table", { id: "seal-table", class: "stack" },
    el("thead", {}, el("tr", {},
      el("th", {}, "Seal"), el("th", {}, "Scenario"), el("th", { class: "num" }, "Version"), el("th", {}, "Model"),
      el("th", {}, "Sealed (UTC)"), el("th", {}, "SHA-256"), el("th", {}, "File"), el("th", {}, "Status"))),
    el("tbody", {}, seals.map((e) => el("tr", { "data-seal": e.id, class: e.superseded_by ? "superseded" : "" },
      el("td", { "data-label": "Seal" }, `#${e.id}`),
      el("td", { "data-label": "Scenario" }, el("a", { href: `/scenarios/${e.scenario_id}` }, e.title || `Scenario ${e.scenario_id}`)),
      el("td", { class: "num", "data-label": "Version" }, `v${e.version}`),
      el("td", { "data-label": "Model" }, e.model),
      el("td", { class: "small", "data-label": "Sealed (UTC)" }, when(e.sealed_at)),
      el("td", { class: "mono hash", "data-test": `hash-${e.id}`, "data-label": "SHA-256" }, e.sha256),
      el("td", { "data-label": "File" }, el("a", { href: e.download, download: `seal-${e.id}.seal.json`, "aria-label": `Download seal ${e.id}`,
        "data-test": `download-${e.id}` }, `seal-${e.id}.seal.json`)),
      el("td", { "data-label": "Status" }, e.superseded_by
        ? el("span", { class: "badge", "data-test": `superseded-${e.id}` }, `superseded by #${e.superseded_by}`)
        : el("span", { class: "toolbar" }, el("span", { class: "badge live" }, "current"),
          el("button", { "aria-label": `Re-seal seal ${e.id} on the latest version of its scenario, superseding it`,
            title: "Seal the scenario's latest version again with this seal's model, parameters, seed and draws; this seal is then marked superseded",
            onclick: () => reseal(e) }, "Re-seal")))))));
}

// Seals the scenario's latest version with `e`'s model, preset, parameters, seed and
// draws, superseding `e`.
async function reseal(e) {
  try {
    const res = await fetch(e.download);
    const raw = await res.text();
    if (!res.ok) throw new Error(`seal ${e.id}: HTTP ${res.status}`);
    const body = JSON.parse(raw).seal;
    // The seed as the file writes it: a browser's numbers lose digits above 2^53.
    const m = raw.match(/"seed": (\d+)/);
    const { data: sc } = await api("GET", `/api/scenarios/${e.scenario_id}`);
    const latest = sc.versions[sc.versions.length - 1].version;
    const req = { model: body.model, params: body.parameters, seed: m ? m[1] : "42", draws: body.draws, supersedes: e.id };
    if (body.preset) req.preset = body.preset;
    const { data } = await api("POST", `/api/scenarios/${e.scenario_id}/versions/${latest}/seal`, req);
    sealsStatus("ok", `Seal #${data.id} (v${data.version}) supersedes seal #${e.id}.`);
    await refreshLedger();
    await refreshScoreboard();
  } catch (err) {
    sealsStatus("error", `Re-seal of seal #${e.id}: ${errorText(err)}`);
  }
}

// ---------- outcomes ----------

// One form per issue of every scenario with a current seal.
async function outcomeForms(seals) {
  const box = clear(document.getElementById("outcome-forms"));
  const scenarios = new Map();
  seals.filter((e) => !e.superseded_by).forEach((e) => { if (!scenarios.has(e.scenario_id)) scenarios.set(e.scenario_id, e.title); });
  if (!scenarios.size) { box.append(el("p", { class: "muted" }, "Seal a forecast first: outcomes are recorded for sealed scenarios.")); return; }
  for (const [sid, title] of scenarios) {
    const section = el("section", { "data-scenario": sid }, el("h3", {}, el("a", { href: `/scenarios/${sid}` }, title || `Scenario ${sid}`)));
    box.append(section);
    try {
      const { data } = await api("GET", `/api/scenarios/${sid}/outcomes`);
      const seen = new Set();
      data.issues.filter((i) => !seen.has(i.id) && seen.add(i.id)).forEach((issue) => {
        const inForce = data.outcomes.find((o) => o.issue === issue.id && o.in_force);
        section.append(outcomeRow(sid, issue, inForce));
      });
    } catch (err) {
      section.append(el("div", { class: "banner error" }, errorText(err)));
    }
  }
}

function scaleText(issue) {
  return `${issue.scale[0]}–${issue.scale[1]}${issue.unit ? " " + issue.unit : ""}`;
}

function inForceText(o) {
  return o ? `In force: ${o.value} (${o.date}, ${o.source}; recorded ${when(o.recorded_at)} UTC).`
    : "No outcome recorded here yet (the scoreboard then uses one recorded in the sealed scenario, if any).";
}

function outcomeRow(sid, issue, inForce) {
  const scale = scaleText(issue);
  const value = el("input", { type: "number", step: "any", class: "outcome-value", "aria-label": `Outcome of ${issue.id} (scale ${scale})`, placeholder: "value" });
  const date = el("input", { type: "date", class: "outcome-date", "aria-label": `Date the outcome of ${issue.id} became known`,
    value: new Date().toISOString().slice(0, 10) });
  const source = el("input", { type: "text", class: "outcome-source", "aria-label": `Source of the outcome of ${issue.id}`, placeholder: "source (document, article)" });
  const error = el("div", { class: "field-error hidden", role: "alert" });
  const current = el("div", { class: "small muted outcome-current" }, inForceText(inForce));
  const inputs = { value, date, source, issue: value };
  const record = async () => {
    Object.values(inputs).forEach((i) => { i.classList.remove("invalid"); i.removeAttribute("aria-invalid"); });
    const showError = (text, field) => {
      error.className = "field-error";
      error.textContent = text;
      const input = inputs[field] || value;
      input.classList.add("invalid");
      input.setAttribute("aria-invalid", "true");
    };
    if (value.value.trim() === "" || !Number.isFinite(Number(value.value))) {
      showError(`Enter the outcome of ${issue.id} as a number on its scale ${scale}.`, "value");
      return;
    }
    try {
      const { data } = await api("POST", `/api/scenarios/${sid}/outcomes`,
        { issue: issue.id, value: Number(value.value), date: date.value, source: source.value });
      error.className = "field-error hidden";
      error.textContent = "";
      current.textContent = inForceText(data);
      sealsStatus("ok", `Outcome of ${issue.id} recorded: ${data.value}.`);
      await refreshScoreboard();
    } catch (err) {
      const loc = err.detail && err.detail.location;
      showError((err.detail && err.detail.message) || errorText(err), loc && loc.field);
    }
  };
  const button = el("button", { "aria-label": `Record the outcome of ${issue.id}`, onclick: record }, "Record");
  return el("div", { class: "outcome-row", "data-issue": issue.id },
    el("div", {}, el("span", { class: "issue-title" }, issue.id), issue.question ? ` — ${issue.question}` : "",
      el("span", { class: "scale-note" }, ` · scale ${scale}`)),
    el("div", { class: "toolbar" }, value, date, source, button),
    error, current);
}

// ---------- scoreboard ----------

async function refreshScoreboard() {
  const box = document.getElementById("scoreboard");
  try {
    const { data } = await api("GET", "/api/scoreboard");
    clear(box).append(scoreboardView(data));
  } catch (err) {
    clear(box).append(el("div", { class: "banner error" }, errorText(err)));
  }
}

function pct(x) {
  return Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : "—";
}

const ISSUE_HEADS = ["Seal", "Model", "Issue", "Forecast", "80% interval", "Outcome", "Error /100", "In 50", "In 80", "IS80", "Outcome from"];

function scoreboardView(b) {
  if (!b.models.length && !b.pending.length) return el("p", { class: "muted" }, "Nothing to grade yet.");
  const label = (m) => m.model + (m.preset ? `:${m.preset}` : "");
  const out = [el("p", { class: "small muted" },
    `${b.issues.length} sealed issue(s) graded, ${b.pending.length} pending. MAE and interval score (IS80, Gneiting & Raftery) on the 0–100 scale; coverage is the share of outcomes inside the sealed 50 % and 80 % intervals.`)];
  if (b.models.length) {
    out.push(el("table", { id: "scoreboard-models" },
      el("thead", {}, el("tr", {}, el("th", {}, "Model"), el("th", { class: "num" }, "n"), el("th", { class: "num" }, "MAE"),
        el("th", { class: "num" }, "cov50"), el("th", { class: "num" }, "cov80"), el("th", { class: "num" }, "IS80"))),
      el("tbody", {}, b.models.map((m) => el("tr", { "data-model": label(m) },
        el("td", {}, label(m)), el("td", { class: "num" }, m.n),
        el("td", { class: "num", "data-test": `mae-${label(m)}` }, fmt(m.mae, 2)),
        el("td", { class: "num" }, pct(m.coverage_50)), el("td", { class: "num" }, pct(m.coverage_80)),
        el("td", { class: "num" }, fmt(m.interval_score_80, 1)))))));
  }
  if (b.issues.length) {
    const d = (i) => tableDecimals(Math.max(Math.abs(i.interval_80[1] - i.interval_80[0]), 1));
    const iv = (v, k) => `${fmt(v[0], k)}–${fmt(v[1], k)}`;
    out.push(el("h3", {}, "Per issue"), el("table", { id: "scoreboard-issues", class: "stack" },
      el("thead", {}, el("tr", {}, ISSUE_HEADS.map((h, k) => el("th", { class: k >= 3 && k <= 9 && k !== 4 ? "num" : "" }, h)))),
      el("tbody", {}, b.issues.map((i) => el("tr", {},
        [[i.seal, "small"], [i.model], [i.issue], [fmt(i.forecast, d(i)), "num"], [iv(i.interval_80, d(i))],
          [fmt(i.outcome, d(i)), "num"], [fmt(i.abs_error_100, 2), "num"], [i.in_50 ? "yes" : "no", "num"],
          [i.in_80 ? "yes" : "no", "num"], [fmt(i.interval_score_80, 1), "num"], [i.outcome_source, "small"]]
          .map(([text, cls], k) => el("td", { class: cls, "data-label": ISSUE_HEADS[k] }, text)))))));
  }
  if (b.pending.length) {
    out.push(el("h3", {}, "Pending (outcome not known yet)"),
      el("ul", { id: "scoreboard-pending" }, b.pending.map((p) => el("li", {}, `${p.issue} — ${p.seal} (${p.model})`))));
  }
  if (b.unmatched.length) {
    out.push(el("div", { class: "small muted" }, "Outcomes matching no sealed issue: ", b.unmatched.join("; ")));
  }
  return el("div", {}, out);
}
