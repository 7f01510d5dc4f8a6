// calculator.js: the threshold calculator's browser script. Its source is
// generator/widgets/calculator/calculator.js; the generator serves it as assets/widgets/calculator.js,
// loaded after the core (assets/refsite.js). A classic script, like the core.
// It uses the core only through window.refsite, and never the checklist's script.
//
// The evaluator mirrors generator/widgets/calculator/evaluate.py function for function: both read the same
// JSON spec the generator emits, and every YAML test case runs in both. Change them together.
// No threshold lives here: every number comes from the page's JSON, which comes from content/.
//
// Adds to window.refsite: evaluate(spec, raw) (yes-no inputs and flags included), bandsContaining,
// ladderY. A calculator announces each result as a bubbling "refsite:calculated" event on its form
// (detail: calculator, state, band, quantities in canonical units) and keeps the scale input's
// canonical value in data-canonical-value on its result section, for pictures that mark it (the
// threshold ladder, below).

(() => {
"use strict";

const {
  registerWidget, readUrlState, writeUrlState, el, trustedHtml, severityBadge, UNKNOWN, readContext, severityFor,
  adviceShown, factsByMode, arrangeAdvice, raisedFlags, redFlagAdvice, issue, stripSpace, parseNumber, chosenUnit, READERS,
  close, meets, onUpperSide,
  formatNumber, message, renderFieldMessages,
} = window.refsite;

// ---------------------------------------------------------------- evaluating (mirrors evaluate.py)

function bandsContaining(scale, value) {
  return scale.bands
    .filter((b) => (b.lower === null || onUpperSide(value, b.lower)) && (b.upper === null || !onUpperSide(value, b.upper)))
    .map((b) => b.id);
}

function evaluate(spec, raw) {
  const values = {};
  const issues = [];
  for (const inp of spec.inputs) {
    const [value, found] = READERS[inp.type](inp, raw);
    if (found) issues.push(found);
    if (value !== null) values[inp.id] = value;
  }
  issues.push(...crossChecks(spec, values));
  const derived = daysFromDates(spec, values, raw, issues);
  const reader = readContext(spec.contexts, raw);
  const result = { state: "ok", issues, values, derived_from_dates: derived, context: reader, quantities: {},
    absolute: {}, checks: [], band: null, severity: null, flags: [], flag_messages: {}, red_flags: [], advice: [],
    arranged: { to_do: [], conditional: [], background: [] } };
  if (issues.some((i) => i.level === "error")) {
    result.state = "error";
    return result;
  }
  const numeric = spec.inputs.filter((i) => i.quantity && i.id in values);
  const requiredMissing = spec.inputs.some((i) => i.required && !(i.id in values));
  const answered = spec.inputs.filter((i) => i.type === "yes-no" && i.id in values);
  if (requiredMissing || !(numeric.length || answered.length)) {
    result.state = "empty";
    return result;
  }
  for (const inp of numeric) result.quantities[inp.quantity] = values[inp.id];
  for (const inp of numeric) {
    if (inp.percent_of && inp.percent_of in values) result.absolute[inp.id] = values[inp.id] * values[inp.percent_of] / 100;
  }
  result.checks = spec.checks.map((c) => checkOne(c, result.quantities));
  if (spec.scale && spec.scale.input in values) result.band = bandsContaining(spec.scale, values[spec.scale.input])[0] || null;
  result.flags = spec.flags.filter((f) => values[f.input] === f.equals).map((f) => f.id);
  // A flag reads right for the patient: its words may differ by context (message_by_context), as in evaluate.py.
  for (const flag of spec.flags.filter((f) => result.flags.includes(f.id))) {
    const rule = flag.message_by_context.find((m) => Object.entries(m.contexts)
      .every(([question, answers]) => answers.includes(reader[question] || UNKNOWN)));
    result.flag_messages[flag.id] = rule ? rule.message : flag.message;
  }
  if (result.band !== null) result.red_flags = raisedFlags(spec.red_flags, reader, result.quantities);
  [result.severity, result.advice] = resultAdvice(spec, result, reader);
  result.arranged = arrangeAdvice(result.advice, spec.roles);
  return result;
}

function resultAdvice(spec, result, reader) {
  const band = spec.scale ? spec.scale.bands.find((b) => b.id === result.band) : undefined;
  const counts = result.quantities;
  const shown = redFlagAdvice(spec.red_flags, result.red_flags, reader, counts);
  if (band) shown.push(...adviceShown(band.advice, reader, band.id, counts));
  spec.checks.forEach((check, i) => {
    if (result.checks[i].status === "met") shown.push(...adviceShown(check.advice, reader, check.fact, counts));
  });
  for (const flag of spec.flags) {
    if (result.flags.includes(flag.id)) shown.push(...adviceShown(flag.advice, reader, flag.id, counts));
  }
  const level = band ? severityFor(band.severity, band.severity_by_context, reader) : null;
  return [result.red_flags.length ? "danger" : level, shown];
}

function checkOne(check, quantities) {
  const value = quantities[check.quantity];
  if (value === undefined) return { fact: check.fact, status: "missing", boundary: false };
  return { fact: check.fact, status: meets(value, check.comparator, check.value) ? "met" : "not-met",
    boundary: close(value, check.value) && check.ambiguous_at_value };
}

function crossChecks(spec, values) {
  const found = [];
  const wholes = new Set(spec.inputs.filter((i) => i.percent_of).map((i) => i.percent_of));
  for (const whole of wholes) {
    const parts = spec.inputs.filter((i) => i.percent_of === whole && i.id in values).map((i) => values[i.id]);
    if (parts.reduce((a, b) => a + b, 0) > 100 + 1e-6) found.push(issue("percent-sum-over-100"));
  }
  return found;
}

function daysFromDates(spec, values, raw, issues) {
  const filled = [];
  for (const inp of spec.inputs) {
    const between = inp.days_between;
    if (!between || inp.id in values || stripSpace(raw[inp.id] || "")) continue;
    const start = values[between.start];
    const end = values[between.end];
    if (start === undefined || end === undefined) continue;
    if (end < start) {
      issues.push(issue("dose-after-count", { input: between.start }));
      continue;
    }
    values[inp.id] = end - start;
    filled.push(inp.id);
  }
  return filled;
}

// ---------------------------------------------------------------- the calculator widget

// The form's values by field name. A date typed only in part reads as "" in the DOM;
// for evaluation it is marked "incomplete" so the reader is told, but it is never put in the URL.
function fieldNames(spec) {
  return spec.inputs.flatMap((i) => (i.type === "measurement" ? [i.id, i.id + "_unit"] : [i.id]))
    .concat(spec.contexts.map((q) => q.id));
}

function formState(form, spec, { forUrl = false } = {}) {
  const raw = {};
  for (const name of fieldNames(spec)) {
    const field = form.elements.namedItem(name);
    if (!field) continue;
    raw[name] = field.value; // a radio group's value is its checked option ("" when none)
    if (!forUrl && field.validity && field.validity.badInput) raw[name] = "incomplete";
  }
  return raw;
}

function fillForm(form, state) {
  for (const [name, value] of Object.entries(state)) {
    const field = form.elements.namedItem(name);
    if (!field) continue;
    // A select keeps "Not known" for an answer it does not offer (an old address naming a retired answer), rather
    // than showing no answer at all; for a radio group, setting the value checks the matching option.
    if (field.tagName === "SELECT" && ![...field.options].some((o) => o.value === value)) continue;
    field.value = value;
  }
}

function fillDefaults(form, spec) {
  for (const inp of spec.inputs) {
    const field = form.elements.namedItem(inp.id);
    if (inp.default === "today" && field && !field.value) field.value = todayIso();
  }
}

function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function setupCalculator(form, data) {
  if (!data) return;
  const { spec, view } = data;
  const result = document.getElementById(form.id.replace(/^calc-/, "calc-result-"));
  const scale = result && result.querySelector(".calc-scale__picture");
  const names = fieldNames(spec);
  let shown = null;
  const update = (share = true) => {
    const raw = formState(form, spec);
    // A text field's "change" on blur repeats its last "input": re-rendering then would swap the
    // fix buttons under a finger mid-tap, so an unchanged form is left as it is.
    const key = JSON.stringify(raw);
    if (key === shown) return;
    shown = key;
    const outcome = evaluate(spec, raw);
    renderCalculator(form, result, scale, spec, view, raw, outcome);
    if (share) writeUrlState(formState(form, spec, { forUrl: true }));
  };
  fillForm(form, readUrlState(names));
  fillDefaults(form, spec);
  // Controls that belong to the form from elsewhere on the page (form="…") send their events to where they are.
  for (const target of new Set([form, ...[...form.elements].filter((field) => !form.contains(field))])) {
    target.addEventListener("input", () => update());
    target.addEventListener("change", () => update());
  }
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(() => { fillDefaults(form, spec); update(); }));
  result.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-fix-field]");
    if (!button) return;
    fillForm(form, { [button.dataset.fixField]: button.dataset.fixValue });
    update();
    form.elements.namedItem(button.dataset.fixField.replace(/_unit$/, ""))?.focus?.();
  });
  update(false);
}

function fixButton(spec, fix, raw) {
  const inp = spec.inputs.find((i) => i.id === fix.field.replace(/_unit$/, ""));
  let label = "Use " + fix.value;
  if (fix.field.endsWith("_unit") && inp) {
    const unit = inp.units.find((u) => u.code === fix.value);
    const [typed] = parseNumber(raw[inp.id] || "");
    label = `Use ${unit.display}: ${formatNumber(typed)} ${unit.display} = ${formatNumber(typed * unit.factor)} ${inp.canonical_unit}`;
  }
  return el("button", { type: "button", class: "calc-fix", "data-fix-field": fix.field, "data-fix-value": fix.value }, label);
}

function renderIssue(spec, found, raw) {
  const inp = spec.inputs.find((i) => i.id === found.input);
  return el("div", { class: `calc-issue calc-issue--${found.level}`, "data-issue-code": found.code, "data-level": found.level },
    severityBadge(found.level === "error" ? "warning" : "caution"), " ",
    el("span", {}, (inp ? inp.label + ": " : "") + message(spec, found.code, inp, raw)),
    found.fixes.length ? el("span", { class: "calc-fixes" }, ...found.fixes.map((f) => fixButton(spec, f, raw))) : null);
}

function headline(spec, view, outcome) {
  if (outcome.band) {
    return [severityBadge(outcome.severity), " ", el("strong", {}, view.bands[outcome.band].label)];
  }
  const met = outcome.checks.filter((c) => c.status === "met").map((c) => view.defines[c.fact]);
  const known = outcome.checks.filter((c) => c.status !== "missing").length;
  if (!known) return [el("strong", {}, outcome.flags.length ? "See the red flag below" : "Type a value above")];
  return [el("strong", {}, met.length ? "Matches: " + met.join("; ") : `Matches none of the ${known} cut-offs checked`)];
}

function valueLines(spec, outcome, raw) {
  const lines = [];
  for (const inp of spec.inputs) {
    const value = outcome.values[inp.id];
    if (value === undefined) continue;
    if (inp.type === "measurement") {
      const shown = [];
      const seen = new Set();
      for (const u of [chosenUnit(inp, raw), ...inp.units]) {
        if (seen.has(u.code)) continue;
        seen.add(u.code);
        shown.push(`${formatNumber(value / u.factor)} ${u.display}`);
      }
      lines.push(el("p", { class: "calc-values", "data-canonical-value": value, "data-input": inp.id }, shown.join(" = ")));
    } else if (inp.type === "days") {
      const how = outcome.derived_from_dates.includes(inp.id) ? " (from the two dates)" : "";
      lines.push(el("p", { class: "calc-values", "data-days": value, "data-input": inp.id },
        `${formatNumber(value)} ${value === 1 ? "day" : "days"} from the dose to the count${how}`));
    }
  }
  const absolute = Object.entries(outcome.absolute);
  if (absolute.length) {
    lines.push(el("ul", { class: "calc-absolute" }, ...absolute.map(([id, value]) => {
      const inp = spec.inputs.find((i) => i.id === id);
      const whole = spec.inputs.find((i) => i.id === inp.percent_of);
      return el("li", { "data-absolute-input": id, "data-value": value },
        `${inp.label.replace(/\s*%$/, "")}: ${formatNumber(value)} ${whole.canonical_unit}`);
    })));
  }
  return lines;
}

const STATUS = {
  met: ["✓", "Meets"],
  "not-met": ["✗", "Does not meet"],
  missing: ["…", "Not entered"],
};

function checkList(view, outcome) {
  return el("ul", { class: "calc-checks" }, ...outcome.checks.map((c) => {
    const [icon, word] = c.boundary ? ["◐", STATUS[c.status][1] + ", at the boundary"] : STATUS[c.status];
    return el("li", { class: `calc-check calc-check--${c.status}`, "data-fact": c.fact, "data-status": c.status,
      "data-boundary": String(c.boundary) },
    el("span", { class: "calc-check__status" }, el("span", { "aria-hidden": "true" }, icon), " ", word),
    " ", trustedHtml(view.checks[c.fact]));
  }));
}

// What to do next, first: the red flags raised, what the sources say to do for this patient (warnings, then
// management), then (where the condition is not known) what each source says about its own patients, then a study's
// findings held back outside its counts, then background, each heading only with lines under it; then how much was
// left out, and the checklist with the inputs carried over.
function nextSteps(spec, view, outcome, raw) {
  const { to_do: toDo, conditional, background } = outcome.arranged;
  const byMode = factsByMode(outcome.advice);
  const hidden = byMode.hidden.length;
  const roles = spec.roles;
  const list = (ids, mode, part) => el("ul", { class: "calc-next__list" }, ...ids.map((id) =>
    el("li", { class: `calc-msg calc-msg--${roles[id]}`, "data-message-fact": id, "data-mode": mode, "data-role": roles[id],
      "data-part": part }, trustedHtml(view.messages[id][mode]))));
  const parts = [];
  if (outcome.red_flags.length) {
    parts.push(el("p", { class: "calc-next__red-flags", "data-red-flags": outcome.red_flags.join(" ") },
      el("strong", {}, `${view.text.red_flags}: `), outcome.red_flags.map((id) => view.red_flags[id]).join("; ")));
  }
  if (toDo.length) {
    parts.push(el("h3", { class: "calc-next__heading", "data-part": "to_do" }, view.text.next), list(toDo, "advice", "to_do"));
  }
  if (conditional.length) {
    parts.push(el("h3", { class: "calc-next__heading calc-next__heading--conditional", "data-part": "conditional" },
      view.text.conditional), el("p", { class: "calc-next__hint" }, view.text.conditional_hint),
    list(conditional, "conditional", "conditional"));
  }
  // A study's findings held back because the count is outside the counts it reported: one line per study range.
  const outside = outcome.advice.filter((a) => a.mode === "outside");
  const ranges = [...new Set(outside.flatMap((a) => a.outside))];
  if (ranges.length) {
    parts.push(el("ul", { class: "calc-next__list" }, ...ranges.map((id) => {
      const heldBack = [...new Set(outside.filter((a) => a.outside.includes(id)).flatMap((a) => a.facts))]
        .filter((f) => byMode.outside.includes(f));
      return el("li", { class: "calc-msg calc-next__outside", "data-outside": id, "data-held-back": heldBack.join(" ") },
        trustedHtml(view.outside[id]));
    })));
  }
  if (background.length) {
    parts.push(el("h3", { class: "calc-next__heading calc-next__heading--background", "data-part": "background" },
      view.text.background), list(background, "advice", "background"));
  }
  if (hidden) parts.push(el("p", { class: "calc-next__hidden", "data-hidden": hidden }, view.text.hidden.replace("{n}", hidden)));
  if (view.checklist) {
    parts.push(el("p", { class: "calc-next__checklist" }, el("a", { href: carryLink(view.checklist.href, view.checklist.carry, raw) },
      view.text.checklist, " →")));
  }
  return parts.length ? el("section", { class: "calc-next", "aria-label": view.text.section }, ...parts) : null;
}

// A link with some of this page's answers in its address, so the next page opens with them.
function carryLink(href, names, raw) {
  const params = new URLSearchParams();
  for (const name of names) if (raw[name]) params.set(name, raw[name]);
  const [path, hash] = href.split("#");
  const query = params.toString();
  return path + (query ? "?" + query : "") + (hash ? "#" + hash : "");
}

function renderCalculator(form, result, scale, spec, view, raw, outcome) {
  renderFieldMessages(form, spec, outcome, raw);
  const summary = result.querySelector(".calc-result__summary");
  const values = result.querySelector(".calc-result__values");
  const details = result.querySelector(".calc-result__details");
  result.dataset.state = outcome.state;
  result.dataset.band = outcome.band || "";
  result.dataset.severity = outcome.severity || "";
  details.replaceChildren();
  values.replaceChildren();
  const issues = outcome.issues.filter((i) => i.level !== "prompt");
  if (outcome.state === "empty") {
    summary.textContent = "Type a value above to see the result.";
  } else if (outcome.state === "error") {
    summary.textContent = "Check the entry above: no range is shown until it is fixed.";
  } else {
    summary.replaceChildren(...headline(spec, view, outcome));
    values.append(...valueLines(spec, outcome, raw));
  }
  details.append(...issues.map((i) => renderIssue(spec, i, raw)));
  if (outcome.state === "ok") {
    for (const id of outcome.flags) {
      details.append(el("div", { class: "calc-flag", "data-flag": id }, severityBadge("danger"), " ",
        el("strong", {}, outcome.flag_messages[id])));
    }
    const atBoundary = outcome.checks.filter((c) => c.boundary);
    if (atBoundary.length) {
      details.append(el("div", { class: "calc-boundary" }, severityBadge("caution"), " ",
        el("strong", {}, "Exactly at a cut-off the sources leave open or state differently:"),
        el("ul", {}, ...atBoundary.map((c) => el("li", {}, trustedHtml(view.boundary_notes[c.fact]))))));
    }
    const next = nextSteps(spec, view, outcome, raw);
    if (next) details.append(next);
    if (outcome.checks.length) {
      const evidence = el("details", { class: "calc-evidence" },
        el("summary", {}, `${view.text.checks} (${outcome.checks.length})`));
      if (outcome.band) {
        const band = view.bands[outcome.band];
        evidence.append(el("p", { class: "calc-band-source" }, `Range ${band.range}, its lines drawn by: `,
          trustedHtml(band.drawn_by)));
      }
      evidence.append(checkList(view, outcome));
      details.append(evidence);
    }
  }
  carryContext(spec, raw);
  placeMarker(scale, spec, outcome);
  const canonical = spec.scale ? outcome.values[spec.scale.input] : undefined;
  result.dataset.canonicalValue = Number.isFinite(canonical) ? String(canonical) : "";
  form.dispatchEvent(new CustomEvent("refsite:calculated", { bubbles: true,
    detail: { calculator: spec.id, state: outcome.state, band: outcome.band, quantities: outcome.quantities } }));
}

// Links to the other calculators keep the patient's answers (the context questions), so they are asked once.
function carryContext(spec, raw) {
  const names = spec.contexts.map((q) => q.id);
  for (const link of document.querySelectorAll(".calc-others a[href]")) {
    link.dataset.base = link.dataset.base || link.getAttribute("href");
    link.setAttribute("href", carryLink(link.dataset.base, names, raw));
  }
}

// The marker sits in its band: bands are drawn equal width; within one, the value's place is linear
// between the band's ends (the first band starts at zero; the last ends at the scale's drawn maximum).
function placeMarker(scale, spec, outcome) {
  if (!scale) return;
  const marker = scale.querySelector(".calc-scale__marker");
  const index = spec.scale.bands.findIndex((b) => b.id === outcome.band);
  const value = outcome.values[spec.scale.input];
  if (outcome.state !== "ok" || index < 0 || !Number.isFinite(value)) {
    marker.setAttribute("display", "none");
    return;
  }
  const band = spec.scale.bands[index];
  const low = band.lower ? band.lower.value : 0;
  const high = band.upper ? band.upper.value : Number(scale.dataset.scaleMax);
  const within = high > low ? Math.min(1, Math.max(0, (value - low) / (high - low))) : 0.5;
  const width = Number(scale.dataset.scaleWidth) / spec.scale.bands.length;
  marker.setAttribute("transform", `translate(${((index + within) * width).toFixed(2)},0)`);
  marker.setAttribute("display", "inline");
}

// ---------------------------------------------------------------- threshold ladder

// The ladder is drawn at build time; its SVG carries its scale as "value:y" stops (in its quantity's
// canonical unit, highest first). A calculator's result marks the entered count on it, between two stops on a log scale.
function ladderY(stops, value) {
  for (let i = 0; i + 1 < stops.length; i++) {
    const [v1, y1] = stops[i];
    const [v2, y2] = stops[i + 1];
    if (value <= v1 && value >= v2) return y1 + (Math.log(v1 / value) / Math.log(v1 / v2)) * (y2 - y1);
  }
  return value > stops[0][0] ? stops[0][1] : stops[stops.length - 1][1];
}

function markLadder(event) {
  const result = event.target.closest("form") && document.querySelector(".calc-result[data-canonical-value]");
  const svg = document.querySelector(".figure__svg--ladder[data-stops]");
  if (!result || !svg) return;
  const marker = svg.querySelector(".figure__entered");
  const value = Number(result.dataset.canonicalValue);
  if (event.detail.state !== "ok" || !result.dataset.canonicalValue || !(value > 0)) {
    marker.setAttribute("display", "none");
    uncover(svg, null);
    return;
  }
  const stops = svg.dataset.stops.split(" ").map((pair) => pair.split(":").map(Number));
  marker.setAttribute("transform", `translate(0,${ladderY(stops, value).toFixed(1)})`);
  // Left of the axis there is room for about three digits at full size.
  const label = marker.querySelector("text");
  label.textContent = formatLadderValue(value);
  label.setAttribute("font-size", label.textContent.length > 3 ? "11" : "14");
  marker.setAttribute("display", "inline");
  uncover(svg, marker);
}

// A scale label the entered value would cover is hidden while it is there (the value reads in its place);
// labels it covered before come back.
function uncover(svg, marker) {
  for (const text of svg.querySelectorAll("text[data-covered]")) {
    text.removeAttribute("visibility");
    text.removeAttribute("data-covered");
  }
  if (!marker) return;
  const box = marker.getBoundingClientRect();
  for (const text of svg.querySelectorAll("text")) {
    if (marker.contains(text)) continue;
    const other = text.getBoundingClientRect();
    if (other.left < box.right && box.left < other.right && other.top < box.bottom && box.top < other.bottom) {
      text.setAttribute("visibility", "hidden");
      text.dataset.covered = "true";
    }
  }
}

function formatLadderValue(value) {
  return value >= 10 ? String(Math.round(value)) : String(Number(value.toPrecision(2)));
}

document.addEventListener("refsite:calculated", markLadder);

registerWidget("calculator", setupCalculator, { bandsContaining, evaluate, ladderY });
})();
