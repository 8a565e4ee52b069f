// pactum's page: editing the sides of a two-level negotiation (`[[sides]]` in TOML; see
// docs/models/twolevel.md). Each side has a negotiator, domestic members (the same on every
// issue, or per issue) and an optional ratification rule (a weighted threshold and/or veto
// players). Edits change S.scenario.sides and refresh the live forecasts like any other
// edit; the server's validation names what is wrong.
// Safety rule as in app.js: user data only ever goes on the page as text nodes.
"use strict";

// The members of `side` on `issue` ("" = the list for every issue).
function sideMembers(side, issue) {
  const m = side.members;
  if (m === undefined || Array.isArray(m)) return issue === "" ? (m || []) : null;
  return issue === "" ? null : (m[issue] || null);
}

function sideChanged() {
  S.editAt = performance.now();
  setDirty(true);
  scheduleForecast();
}

// A new side: the first actor that negotiates for no side yet, no members, no rule.
function newSide() {
  const used = new Set((S.scenario.sides || []).map((s) => s.negotiator));
  const free = S.scenario.actors.find((a) => !used.has(a.id)) || S.scenario.actors[0];
  let n = (S.scenario.sides || []).length + 1;
  while ((S.scenario.sides || []).some((s) => s.id === `side-${n}`)) n += 1;
  return { id: `side-${n}`, negotiator: free ? free.id : "", members: [] };
}

// A checkbox list of actors; `checked(id)` says which are ticked, `set(id, on)` records a change.
// `after()` runs once the change is recorded.
function actorChecks(label, ids, checked, set, after) {
  return el("fieldset", { class: "checks" }, el("legend", {}, label),
    ids.length === 0 ? el("span", { class: "muted small" }, "none") : null,
    ids.map((id) => {
      const a = actorOf(id);
      const box = el("input", { type: "checkbox", checked: checked(id),
        onchange: (e) => { set(id, e.target.checked); sideChanged(); if (after) after(); } });
      return el("label", { class: "check" }, box, " ", a && a.name ? a.name : id);
    }));
}

function setMembership(side, issue, id, on) {
  if (issue === "") {
    const list = Array.isArray(side.members) ? side.members : [];
    side.members = on ? [...list.filter((x) => x !== id), id] : list.filter((x) => x !== id);
  } else {
    const list = side.members[issue] || [];
    side.members[issue] = on ? [...list.filter((x) => x !== id), id] : list.filter((x) => x !== id);
  }
  if (!on && side.ratification && side.ratification.veto) {
    side.ratification.veto = side.ratification.veto.filter((x) => x !== id || x === side.negotiator);
  }
}

// Members the same on every issue <-> one list per issue the negotiator takes part in.
function togglePerIssue(side, perIssue) {
  if (perIssue) {
    const list = Array.isArray(side.members) ? side.members : [];
    const issues = S.scenario.stances.filter((st) => st.actor === side.negotiator).map((st) => st.issue);
    side.members = Object.fromEntries([...new Set(issues)].map((i) => [i, [...list]]));
  } else {
    const all = new Set(Object.values(side.members || {}).flat());
    side.members = [...all];
  }
}

function ruleInputs(side, k) {
  const rule = side.ratification || {};
  const threshold = el("input", { type: "number", min: 0, max: 1, step: 0.05, "data-path": `sides[${k}].ratification`,
    value: rule.threshold === undefined ? "" : rule.threshold, "aria-label": `ratification threshold of side ${side.id} (0-1, blank: none)`,
    placeholder: "none",
    oninput: (e) => {
      const v = e.target.value.trim();
      const r = side.ratification || {};
      if (v === "") delete r.threshold; else r.threshold = Number(v);
      side.ratification = r;
      if (r.threshold === undefined && !(r.veto && r.veto.length)) delete side.ratification;
      sideChanged();
    } });
  const arena = [side.negotiator, ...new Set(
    Array.isArray(side.members) ? side.members : Object.values(side.members || {}).flat())];
  const veto = actorChecks("Veto players (each must prefer the deal to the reference point)", arena,
    (id) => !!(rule.veto || []).includes(id),
    (id, on) => {
      const r = side.ratification || {};
      const list = (r.veto || []).filter((x) => x !== id);
      r.veto = on ? [...list, id] : list;
      if (!r.veto.length) delete r.veto;
      side.ratification = r;
      if (r.threshold === undefined && !r.veto) delete side.ratification;
    });
  return el("div", { class: "side-rule" },
    el("label", {}, "Ratification threshold (share of the arena's capability × salience, 0–1) ", threshold),
    veto);
}

function sideCard(side, k, redraw) {
  const others = S.scenario.actors.map((a) => a.id).filter((id) => id !== side.negotiator);
  const perIssue = !Array.isArray(side.members) && side.members !== undefined;
  const idInput = el("input", { type: "text", value: side.id, size: 14, "aria-label": `id of side ${k + 1}`, "data-path": `sides[${k}].id`,
    oninput: (e) => { side.id = e.target.value.trim(); sideChanged(); } });
  const nameInput = el("input", { type: "text", value: side.name || "", size: 22, "aria-label": `name of side ${k + 1}`,
    oninput: (e) => { const v = e.target.value; if (v.trim()) side.name = v; else delete side.name; sideChanged(); } });
  const negotiator = el("select", { "aria-label": `negotiator of side ${k + 1}`,
    onchange: (e) => { side.negotiator = e.target.value; sideChanged(); redraw(); } },
  S.scenario.actors.map((a) => el("option", { value: a.id, selected: a.id === side.negotiator }, a.name || a.id)));
  const mode = el("input", { type: "checkbox", checked: perIssue,
    onchange: (e) => { togglePerIssue(side, e.target.checked); sideChanged(); redraw(); } });
  // The veto list offers the arena, so it is redrawn when the members change.
  const rule = el("div", {}, ruleInputs(side, k));
  const redrawRule = () => { clear(rule).append(ruleInputs(side, k)); };
  const members = perIssue
    ? Object.keys(side.members).map((issue) => actorChecks(`Members on ${issue}`, others,
      (id) => (sideMembers(side, issue) || []).includes(id), (id, on) => setMembership(side, issue, id, on), redrawRule))
    : [actorChecks("Members (on every issue the negotiator takes part in)", others,
      (id) => (sideMembers(side, "") || []).includes(id), (id, on) => setMembership(side, "", id, on), redrawRule)];
  const remove = el("button", { type: "button", "aria-label": `remove side ${side.id}`,
    onclick: () => { S.scenario.sides.splice(k, 1); sideChanged(); redraw(); } }, "Remove side");
  return el("div", { class: "side", "data-side": side.id },
    el("div", { class: "toolbar" }, el("label", {}, "Side ", idInput), el("label", {}, "Name ", nameInput),
      el("label", {}, "Negotiator ", negotiator), remove),
    el("label", { class: "small" }, mode, " members differ by issue"),
    members, rule);
}

// The card listing the scenario's sides, for the scenario page.
function sidesCard() {
  const body = el("div", { id: "sides-body" });
  const redraw = () => {
    const sides = S.scenario.sides || [];
    const cards = sides.length === 0
      ? [el("p", { class: "small muted" }, "No sides: every actor sits at one table. Add a side to model a two-level negotiation: a negotiator bargains for it, its members decide what it can ratify (model twolevel).")]
      : sides.map((side, k) => sideCard(side, k, redraw));
    clear(body).append(...cards,
      el("button", { type: "button", id: "add-side",
        onclick: () => { S.scenario.sides = [...(S.scenario.sides || []), newSide()]; sideChanged(); redraw(); } }, "Add side"));
  };
  redraw();
  return el("div", { class: "card", id: "sides-card" },
    el("h2", { title: "the sides of a two-level negotiation: negotiator, domestic arena, ratification rule" }, "Sides (two-level)"), body);
}
