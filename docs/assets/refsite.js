// refsite.js: the site's one small script (a classic script, no framework, no network).
// Not an ES module: browsers refuse modules from file://, and the offline bundle is opened from there.
// The API below is on window.refsite.
//
// Interactive parts are "widgets": an element with data-refsite-widget="NAME" is set up by the
// function registered under NAME, with the JSON from the <script type="application/json"> element
// named by its data-refsite-data. Material's document$ fires on every page view, including
// instant navigation, so widgets are set up again on each new page.
//
// The calculator evaluator below mirrors generator/calculators.py line for line: both read the same
// JSON spec the generator emits, and every YAML test case runs in both. Change them together.
// No threshold lives here: every number comes from the page's JSON, which comes from content/.
//
// For other widgets (on window.refsite, so a second widget lives in this file or uses that):
//   registerWidget(name, setup)   setup(element, json) runs once per page view for each
//                                 [data-refsite-widget=name]; json is read from the element named by
//                                 its data-refsite-data (a <script type="application/json">).
//   readUrlState(names), writeUrlState(state)   inputs in the address (replaceState; never sent).
//   el(tag, attrs, ...children), trustedHtml(html), severityBadge(severity)   result rendering.
//   evaluate(spec, raw)           the calculator evaluator (yes-no inputs and flags included).
//   evaluateChecklist(spec, raw), checklistSummaryText(spec, result)   the checklist's evaluator and
//                                 its copied summary (mirror generator/checklists.py the same way).
// A calculator announces each result as a bubbling "refsite:calculated" event on its form
// (detail: calculator, state, band, quantities in canonical units) and keeps the scale input's
// canonical value in data-canonical-value on its result section, for pictures that mark it.

// ---------------------------------------------------------------- widgets

(() => {
"use strict";

const widgets = new Map();

function registerWidget(name, setup) {
  widgets.set(name, setup);
}

function setupWidgets(root = document) {
  for (const element of root.querySelectorAll("[data-refsite-widget]")) {
    const setup = widgets.get(element.dataset.refsiteWidget);
    if (!setup || element.dataset.refsiteReady) continue;
    element.dataset.refsiteReady = "true";
    setup(element, readJson(element.dataset.refsiteData));
  }
}

function readJson(id) {
  const element = id && document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

// ---------------------------------------------------------------- URL state (shareable, never sent anywhere)

function readUrlState(names) {
  const params = new URLSearchParams(window.location.search);
  const state = {};
  for (const name of names) if (params.has(name)) state[name] = params.get(name);
  return state;
}

function writeUrlState(state) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(state)) if (value !== "") params.set(name, value);
  const query = params.toString();
  const url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  history.replaceState(history.state, "", url);
}

// ---------------------------------------------------------------- small DOM helpers

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

// HTML written by the generator (already escaped there), shown as it was rendered at build time.
function trustedHtml(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

const SEVERITY = {
  info: { icon: "ℹ\uFE0E", word: "Note" },
  caution: { icon: "▲\uFE0E", word: "Caution" },
  warning: { icon: "⚠\uFE0E", word: "Warning" },
  danger: { icon: "‼\uFE0E", word: "Red flag" },
};

function severityBadge(severity) {
  const { icon, word } = SEVERITY[severity] || SEVERITY.info;
  return el("span", { class: `severity severity--${severity}` },
    el("span", { class: "severity__icon", "aria-hidden": "true" }, icon), " ", word);
}

// ---------------------------------------------------------------- advice by context (mirrors advice.py)

const UNKNOWN = "unknown";
const MODES = ["advice", "conditional", "hidden"];

function readContext(questions, raw) {
  const answers = {};
  for (const question of questions) {
    const given = raw[question.id] || "";
    answers[question.id] = question.options.some((o) => o.id === given) ? given : UNKNOWN;
  }
  return answers;
}

function adviceMode(contexts, reader) {
  let conditional = false;
  for (const [question, answers] of Object.entries(contexts)) {
    const given = reader[question] || UNKNOWN;
    if (given === UNKNOWN) conditional = true;
    else if (!answers.includes(given)) return "hidden";
  }
  return conditional ? "conditional" : "advice";
}

function contextMatches(contexts, reader) {
  return Object.entries(contexts).every(([question, answers]) => answers.includes(reader[question] || UNKNOWN));
}

function severityFor(fallback, rules, reader) {
  const rule = rules.find((r) => contextMatches(r.contexts, reader));
  return rule ? rule.severity : fallback;
}

function adviceShown(groups, reader, origin) {
  return groups.map((g) => ({ from: origin, facts: g.facts, mode: adviceMode(g.contexts, reader) }));
}

function factsByMode(entries) {
  const found = new Map();
  for (const entry of entries) {
    for (const fact of entry.facts) {
      if (!found.has(fact) || MODES.indexOf(entry.mode) < MODES.indexOf(found.get(fact))) found.set(fact, entry.mode);
    }
  }
  const byMode = Object.fromEntries(MODES.map((m) => [m, []]));
  for (const [fact, mode] of found) byMode[mode].push(fact);
  return byMode;
}

// ---------------------------------------------------------------- reading inputs (mirrors calculators.py)

const SPACE = " \t\n\r\f\v\u00a0\u2009\u202f";
const MAX_LENGTH = 24;
const PLAIN = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/;
const EXPONENT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+$/;
const THOUSANDS = /^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$/;
const DECIMAL_COMMA = /^[+-]?[0-9]*,[0-9]+$/;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const YEARS = [1900, 2199]; // dates outside are typing slips, not clinical limits
const TOLERANCE = 1e-9;

function issue(code, { input = null, level = "error", fixes = [] } = {}) {
  return { input, level, code, fixes };
}

function stripSpace(text) {
  let start = 0;
  let end = text.length;
  while (start < end && SPACE.includes(text[start])) start += 1;
  while (end > start && SPACE.includes(text[end - 1])) end -= 1;
  return text.slice(start, end);
}

function parseNumber(text) {
  const s = stripSpace(text);
  if (s === "") return [null, null];
  // Characters as Python counts them (code points): an emoji is one character here too, not two UTF-16 units.
  if (s.length > MAX_LENGTH && [...s].length > MAX_LENGTH) return [null, issue("too-long")];
  if (PLAIN.test(s)) {
    const value = Number(s);
    if (!Number.isFinite(value)) return [null, issue("too-large")];
    return value < 0 ? [null, issue("negative")] : [value, null];
  }
  if (EXPONENT.test(s)) return [null, issue("exponent")];
  if (THOUSANDS.test(s)) {
    const fixes = [s.replaceAll(",", "")];
    if (s.split(",").length === 2 && !s.includes(".")) fixes.push(s.replace(",", "."));
    return [null, issue("thousands-separator", { fixes })];
  }
  if (DECIMAL_COMMA.test(s)) return [null, issue("decimal-comma", { fixes: [s.replace(",", ".")] })];
  return [null, issue("not-a-number")];
}

function parseDate(text) {
  const m = ISO_DATE.exec(stripSpace(text));
  if (!m) return null;
  const [year, month, day] = m.slice(1).map(Number);
  if (year < YEARS[0] || year > YEARS[1]) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return Math.round(date.getTime() / 86400000);
}

function textFixes(inp, found) {
  found.input = inp.id;
  found.fixes = found.fixes.map((value) => ({ field: inp.id, value }));
  return found;
}

const bound = (b, key, fallback) => (key in b ? b[key] : fallback);

function readMeasurement(inp, raw) {
  const [value, found] = parseNumber(raw[inp.id] || "");
  if (found) return [null, textFixes(inp, found)];
  if (value === null) return [null, null];
  if (value === 0) return [null, issue("zero", { input: inp.id })];
  const unit = chosenUnit(inp, raw);
  const canonical = value * unit.factor;
  const b = inp.bounds;
  if (canonical < bound(b, "reject_below", 0) || canonical > bound(b, "reject_above", Infinity)) {
    const code = canonical < bound(b, "reject_below", 0) ? "implausible-low" : "implausible-high";
    return [null, issue(code, { input: inp.id, fixes: unitFixes(inp, value, unit, false) })];
  }
  for (const [code, outside] of [["unusually-low", canonical < bound(b, "warn_below", 0)],
    ["unusually-high", canonical > bound(b, "warn_above", Infinity)]]) {
    if (outside) {
      return [canonical, issue(code, { input: inp.id, level: "warning", fixes: unitFixes(inp, value, unit, true) })];
    }
  }
  return [canonical, null];
}

function chosenUnit(inp, raw) {
  const code = raw[inp.id + "_unit"] || "";
  return inp.units.find((u) => u.code === code) || inp.units[0];
}

function unitFixes(inp, value, unit, comfortable) {
  const b = inp.bounds;
  const seen = new Set([unit.factor]);
  const ok = [];
  const rest = [];
  for (const other of inp.units) {
    if (seen.has(other.factor)) continue;
    seen.add(other.factor);
    const canonical = value * other.factor;
    const insideWarn = bound(b, "warn_below", 0) <= canonical && canonical <= bound(b, "warn_above", Infinity);
    const insideReject = bound(b, "reject_below", 0) <= canonical && canonical <= bound(b, "reject_above", Infinity);
    const fix = { field: inp.id + "_unit", value: other.code };
    if (insideWarn) ok.push(fix);
    else if (insideReject && !comfortable) rest.push(fix);
  }
  return ok.concat(rest);
}

function readPercent(inp, raw) {
  const [value, found] = parseNumber(raw[inp.id] || "");
  if (found) return [null, textFixes(inp, found)];
  if (value !== null && value > 100) return [null, issue("percent-over-100", { input: inp.id })];
  return [value, null];
}

function readDays(inp, raw) {
  const [value, found] = parseNumber(raw[inp.id] || "");
  if (found) return [null, textFixes(inp, found)];
  if (value === null) return [null, null];
  if (value !== Math.floor(value)) return [null, issue("not-whole-days", { input: inp.id })];
  if (value > bound(inp.bounds, "reject_above", Infinity)) return [null, issue("too-many-days", { input: inp.id })];
  return [value, null];
}

function readDate(inp, raw) {
  const text = stripSpace(raw[inp.id] || "");
  if (text === "") return [null, null];
  const day = parseDate(text);
  return day !== null ? [day, null] : [null, issue("bad-date", { input: inp.id })];
}

function readYesNo(inp, raw) {
  const answer = raw[inp.id] || "";
  return [answer === "yes" || answer === "no" ? answer : null, null];
}

const READERS = { measurement: readMeasurement, percent: readPercent, days: readDays, date: readDate, "yes-no": readYesNo };

// ---------------------------------------------------------------- evaluating (mirrors calculators.py)

function close(value, threshold) {
  return Math.abs(value - threshold) <= TOLERANCE * Math.max(1, Math.abs(threshold));
}

function meets(value, comparator, threshold) {
  if (close(value, threshold)) return comparator === ">=" || comparator === "<=";
  return comparator === ">" || comparator === ">=" ? value > threshold : value < threshold;
}

const upperSideIncludesValue = (comparator) => comparator === ">=" || comparator === "<";

function onUpperSide(value, b) {
  if (close(value, b.value)) return upperSideIncludesValue(b.comparator);
  return value > b.value;
}

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
    absolute: {}, checks: [], band: null, severity: null, flags: [], advice: [] };
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
  [result.severity, result.advice] = resultAdvice(spec, result, reader);
  return result;
}

function resultAdvice(spec, result, reader) {
  const band = spec.scale ? spec.scale.bands.find((b) => b.id === result.band) : undefined;
  const shown = band ? adviceShown(band.advice, reader, band.id) : [];
  spec.checks.forEach((check, i) => {
    if (result.checks[i].status === "met") shown.push(...adviceShown(check.advice, reader, check.fact));
  });
  for (const flag of spec.flags) {
    if (result.flags.includes(flag.id)) shown.push(...adviceShown(flag.advice, reader, flag.id));
  }
  return [band ? severityFor(band.severity, band.severity_by_context, reader) : null, shown];
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

// Up to six significant figures, thousands separated, never an exponent (mirrors format_value).
function formatNumber(x) {
  if (!Number.isFinite(x)) return "–";
  const magnitude = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
  const digits = Math.min(6, Math.max(0, 5 - magnitude));
  const text = x.toLocaleString("en-US", { maximumFractionDigits: digits, useGrouping: true });
  return text === "-0" ? "0" : text;
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
    if (field) field.value = value; // for a radio group, this checks the matching option
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

function message(spec, code, inp, raw) {
  const unit = inp && inp.type === "measurement" ? chosenUnit(inp, raw).display : inp && inp.type === "days" ? "days" : "";
  const noun = (inp && (inp.noun || spec.text.nouns[inp.type])) || "value";
  return spec.text.messages[code].replace("{unit}", unit).replace("{noun}", noun);
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

function renderFieldMessages(form, spec, outcome, raw) {
  for (const slot of form.querySelectorAll("[data-message-for]")) {
    const found = outcome.issues.find((i) => i.input === slot.dataset.messageFor);
    const inp = spec.inputs.find((i) => i.id === slot.dataset.messageFor);
    slot.textContent = found ? message(spec, found.code, inp, raw) : "";
    slot.dataset.level = found ? found.level : "";
    form.elements.namedItem(slot.dataset.messageFor)?.setAttribute?.("aria-invalid", found && found.level === "error" ? "true" : "false");
  }
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

// What to do next, first: advice that fits the reader's answers, then (where the condition is not known) what each
// source says about its own patients, then how much was left out, and the checklist with the inputs carried over.
function nextSteps(view, outcome, raw) {
  const byMode = factsByMode(outcome.advice);
  const hidden = byMode.hidden.length;
  const list = (ids, mode) => el("ul", { class: "calc-next__list" }, ...ids.map((id) =>
    el("li", { class: "calc-msg", "data-message-fact": id, "data-mode": mode }, trustedHtml(view.messages[id][mode]))));
  const parts = [];
  if (byMode.advice.length) parts.push(el("h3", { class: "calc-next__heading" }, view.text.next), list(byMode.advice, "advice"));
  if (byMode.conditional.length) {
    parts.push(el("h3", { class: "calc-next__heading calc-next__heading--conditional" }, view.text.conditional),
      el("p", { class: "calc-next__hint" }, view.text.conditional_hint), list(byMode.conditional, "conditional"));
  }
  if (hidden) parts.push(el("p", { class: "calc-next__hidden", "data-hidden": hidden }, view.text.hidden.replace("{n}", hidden)));
  if (view.checklist) {
    parts.push(el("p", { class: "calc-next__checklist" }, el("a", { href: carryLink(view.checklist.href, view.checklist.carry, raw) },
      view.text.checklist, " →")));
  }
  return parts.length ? el("section", { class: "calc-next", "aria-label": view.text.next }, ...parts) : null;
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
        el("strong", {}, view.flags[id].message)));
    }
    const atBoundary = outcome.checks.filter((c) => c.boundary);
    if (atBoundary.length) {
      details.append(el("div", { class: "calc-boundary" }, severityBadge("caution"), " ",
        el("strong", {}, "Exactly at a cut-off the sources leave open or state differently:"),
        el("ul", {}, ...atBoundary.map((c) => el("li", {}, trustedHtml(view.boundary_notes[c.fact]))))));
    }
    const next = nextSteps(view, outcome, raw);
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

registerWidget("calculator", setupCalculator);

// ---------------------------------------------------------------- threshold ladder

// The ladder is drawn at build time; its SVG carries its scale as "value:y" stops (×10⁹/L,
// highest first). A calculator's result marks the entered count on it, between two stops on a log scale.
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

// ---------------------------------------------------------------- abbreviations

// Glossary abbreviations carry their meaning in a title, which phones never show: a tap spells it out.
document.addEventListener("click", (event) => {
  const abbr = event.target.closest && event.target.closest("abbr[title]");
  if (abbr) abbr.classList.toggle("abbr--open");
});

// ---------------------------------------------------------------- citation cards without popovers

// A citation marker opens its source's card as a native popover. Browsers without the Popover API
// (Safari before 17, Firefox before 125) show the cards as a list at the end of the page instead
// (refsite.css, under .no-popover): there a tap on a marker goes to its card, and the card's Close
// goes back to the marker.
const hasPopovers = Object.prototype.hasOwnProperty.call(HTMLElement.prototype, "popover");
let lastMarker = null;

function followCitation(event) {
  const button = event.target.closest && event.target.closest("button[popovertarget]");
  const card = button && document.getElementById(button.getAttribute("popovertarget"));
  if (!card) return;
  event.preventDefault();
  const back = button.classList.contains("cite-popover__close");
  const target = back ? lastMarker : card;
  if (!back) lastMarker = button;
  if (!target || !target.isConnected) return;
  if (!back) target.setAttribute("tabindex", "-1");
  target.scrollIntoView({ block: back ? "center" : "start" });
  target.focus({ preventScroll: true });
}

if (!hasPopovers) {
  document.documentElement.classList.add("no-popover");
  document.addEventListener("click", followCitation);
}

// ---------------------------------------------------------------- checklists (mirrors checklists.py)

const CHECKLIST_GROUPS = ["red_flags", "causes", "features"];
// The answers each group takes; no answer (or any other) is "not yet assessed".
const CHECKLIST_ANSWERS = { red_flags: ["present", "absent"], causes: ["present", "excluded"], features: ["present", "absent"] };
const CHECKLIST_BLOCKERS = ["red-flag", "feature", "recheck", "cause-present", "cause-open", "context", "count-error",
  "count-missing", "count-below"];

function readChecklistStates(spec, raw) {
  const states = {};
  const ignored = [];
  for (const group of CHECKLIST_GROUPS) {
    for (const item of spec[group]) {
      const value = raw[item.id] || "";
      if (CHECKLIST_ANSWERS[group].includes(value)) states[item.id] = value;
      else if (value !== "") ignored.push(item.id);
    }
  }
  return [states, ignored];
}

function evaluateChecklist(spec, raw) {
  const [states, ignored] = readChecklistStates(spec, raw);
  const reader = readContext(spec.contexts, raw);
  const [count, countIssue] = readMeasurement(spec.count, raw);
  const marked = (group, state) => spec[group].filter((i) => (states[i.id] || "") === state).map((i) => i.id);
  const red = Object.fromEntries(spec.red_flags.map((i) => [i.id, i]));
  const present = marked("red_flags", "present");
  const pointingAway = spec.features.filter((i) => states[i.id] === i.points_away_when).map((i) => i.id);
  const result = {
    states,
    context: reader,
    count,
    count_issue: countIssue,
    count_unit: chosenUnit(spec.count, raw),
    red_flags: present.filter((i) => adviceMode(red[i].contexts, reader) !== "hidden"),
    red_flags_other: present.filter((i) => adviceMode(red[i].contexts, reader) === "hidden"),
    red_flags_absent: marked("red_flags", "absent"),
    red_flags_open: marked("red_flags", ""),
    causes_present: marked("causes", "present"),
    causes_open: marked("causes", ""),
    causes_excluded: marked("causes", "excluded"),
    cml_pattern: pointingAway,
    features_favouring: spec.features.filter((i) => i.id in states && states[i.id] !== i.points_away_when).map((i) => i.id),
    recheck: pointingAway.length && states[spec.bears_on] === "excluded" ? [spec.bears_on] : [],
    advice: present.flatMap((i) => adviceShown(red[i].advice, reader, i)),
    ignored,
  };
  result.blockers = checklistBlockers(spec, result, reader);
  result.meets_definition = !result.blockers.length;
  const cutoff = spec.definition.cutoff;
  result.at_boundary = count !== null && close(count, cutoff.value) && Boolean(cutoff.boundary);
  return result;
}

function checklistBlockers(spec, result, reader) {
  const cutoff = spec.definition.cutoff;
  const count = result.count;
  const found = {
    "red-flag": Boolean(result.red_flags.length || result.red_flags_other.length),
    feature: Boolean(result.cml_pattern.length),
    recheck: Boolean(result.recheck.length),
    "cause-present": Boolean(result.causes_present.length),
    "cause-open": Boolean(result.causes_open.length),
    context: adviceMode(spec.definition.contexts, reader) !== "advice",
    "count-error": Boolean(result.count_issue) && result.count_issue.level === "error",
    "count-missing": count === null && !result.count_issue,
    "count-below": count !== null && !meets(count, cutoff.comparator, cutoff.value),
  };
  return CHECKLIST_BLOCKERS.filter((b) => found[b]);
}

function checklistSummary(spec, result) {
  const items = Object.fromEntries(CHECKLIST_GROUPS.flatMap((g) => spec[g].map((i) => [i.id, i])));
  const text = spec.text;
  const line = (id, detail = "") => ({ item: id, text: items[id].name, refs: items[id].refs, detail, advice: [] });
  const redFlag = (id) => {
    const shown = result.advice.filter((a) => a.from === id && a.mode !== "hidden");
    const entry = line(id, `${text.population}: ${items[id].populations.join("; ")}.`);
    entry.advice = shown.flatMap((a) => a.facts.map((fact) => ({ fact, mode: a.mode })));
    return entry;
  };
  const other = (id) => {
    const about = (items[id].advice_populations.length ? items[id].advice_populations : items[id].populations).join("; ");
    return line(id, text.other_population.replace("{populations}", about));
  };
  const feature = (id) => line(id, text.short[result.states[id]]);
  // What is still open is listed once something is answered: before that, the list below is all open.
  const answered = Object.keys(result.states).length > 0;
  const sections = [
    ["red-flags", text.red_flags, result.red_flags.map(redFlag)],
    ["red-flags-other", text.red_flags_other, result.red_flags_other.map(other)],
    ["red-flags-open", text.red_flags_open, answered ? result.red_flags_open.map((i) => line(i)) : []],
    ["cml-pattern", spec.cml_heading, result.cml_pattern.map(feature)],
    ["recheck", text.recheck, result.recheck.map((i) => line(i))],
    ["causes-present", text.causes_present, result.causes_present.map((i) => line(i))],
    ["causes-open", text.causes_open, answered ? result.causes_open.map((i) => line(i)) : []],
    checklistDefinitionSection(spec, result),
    ["causes-excluded", text.causes_excluded, result.causes_excluded.map((i) => line(i))],
    ["red-flags-absent", text.red_flags_absent, result.red_flags_absent.map((i) => line(i))],
    ["features-favouring", spec.favouring_heading, result.features_favouring.map(feature)],
    ["ignored", text.ignored, result.ignored.map((i) => line(i))],
  ];
  return sections.filter(([, , lines]) => lines.length).map(([kind, heading, lines]) => ({ kind, heading, lines }));
}

function checklistDefinitionSection(spec, result) {
  const definition = spec.definition;
  const text = spec.text;
  if (result.meets_definition) {
    let note = definition.note;
    if (result.at_boundary) note += " " + text.at_boundary.replace("{note}", definition.cutoff.boundary);
    return ["definition", text.reached, [{ item: null, text: definition.text, refs: definition.refs, detail: note, advice: [] }]];
  }
  const entered = Object.keys(result.states).length || result.count !== null || result.count_issue
    || Object.values(result.context).some((v) => v !== UNKNOWN);
  if (!entered) return ["blockers", text.blocked, []];
  return ["blockers", text.blocked, result.blockers.map((b) => ({ item: null, text: blockerText(spec, result, b), refs: [],
    detail: "", advice: [] }))];
}

function blockerText(spec, result, code) {
  const words = spec.text.blockers[code];
  if (code === "context") {
    const questions = Object.fromEntries(spec.contexts.map((q) => [q.id, q]));
    const contexts = Object.entries(spec.definition.contexts);
    const allowed = contexts.flatMap(([q, answers]) => answers.map((a) => answerLabel(questions[q], a))).join("; ");
    const given = contexts.map(([q]) => answerLabel(questions[q], result.context[q])).join("; ");
    return words.replace("{allowed}", allowed).replace("{given}", given);
  }
  return words.replace("{cutoff}", spec.definition.cutoff.text);
}

function answerLabel(question, answer) {
  const option = question.options.find((o) => o.id === answer);
  return `${question.label}: ${option ? option.label : question.unknown_label}`;
}

function checklistStatus(spec, result) {
  if (!Object.keys(result.states).length) return spec.text.nothing;
  const counts = [[spec.text.red_flags, result.red_flags.concat(result.red_flags_other)], [spec.cml_heading, result.cml_pattern],
    [spec.text.causes_present, result.causes_present], [spec.text.causes_open, result.causes_open]];
  const parts = counts.filter(([, ids]) => ids.length).map(([heading, ids]) => `${heading}: ${ids.length}`);
  if (result.meets_definition) parts.push(spec.text.reached);
  return parts.join(" · ");
}

function checklistProgress(spec, result) {
  const total = CHECKLIST_GROUPS.reduce((n, g) => n + spec[g].length, 0);
  return spec.text.answered.replace("{n}", Object.keys(result.states).length).replace("{total}", total);
}

const citeText = (refs) => (refs.length ? "[" + refs.join(", ") + "]" : "");

function adviceText(spec, entry) {
  const words = spec.facts[entry.fact];
  return entry.mode === "advice" ? words.statement : `${words.if} ${words.statement}`;
}

function lineText(entry) {
  const words = [entry.text, citeText(entry.refs)].filter(Boolean).join(" ");
  return words + (entry.detail ? ` — ${entry.detail}` : "");
}

function checklistHeader(spec, result, stamp) {
  const lines = [spec.title, stamp];
  const { count, count_unit: unit } = result;
  if (count !== null) {
    const typed = unit.factor !== 1 ? `${formatNumber(count / unit.factor)} ${unit.display} = ` : "";
    lines.push(`${spec.text.count}: ${typed}${formatNumber(count)} ${spec.count.canonical_unit}`);
  }
  lines.push(spec.contexts.map((q) => answerLabel(q, result.context[q.id])).join(" · "));
  return lines;
}

function checklistSummaryText(spec, result, stamp) {
  const lines = checklistHeader(spec, result, stamp).concat([checklistStatus(spec, result)]);
  const cited = new Set();
  for (const section of checklistSummary(spec, result)) {
    lines.push("");
    if (section.heading) lines.push(section.heading + ":");
    for (const entry of section.lines) {
      entry.refs.forEach((n) => cited.add(n));
      lines.push((section.heading ? "- " : "") + lineText(entry));
      for (const a of entry.advice) lines.push(`  - ${adviceText(spec, a)}`);
    }
  }
  if (cited.size) {
    lines.push("", spec.text.references + ":");
    for (const [label, text] of Object.entries(spec.references)) if (cited.has(label)) lines.push(`[${label}] ${text}`);
  }
  return lines.join("\n");
}

function checklistShortText(spec, result, stamp) {
  const words = spec.text.short;
  const names = Object.fromEntries(CHECKLIST_GROUPS.flatMap((g) => spec[g].map((i) => [i.id, i.label])));
  const groupLine = (heading, parts) => {
    const given = parts.filter(([, ids]) => ids.length).map(([label, ids]) => `${label}: ${ids.map((i) => names[i]).join(", ")}`);
    return `${heading} — ` + (given.length ? given.join("; ") : words.none);
  };
  const lines = checklistHeader(spec, result, stamp);
  lines.push(groupLine(words.red_flags, [[words.present, result.red_flags.concat(result.red_flags_other)],
    [words.absent, result.red_flags_absent], [words.open, result.red_flags_open]]));
  lines.push(groupLine(words.causes, [[words.present, result.causes_present], [words.excluded, result.causes_excluded],
    [words.not_excluded, result.causes_open]]));
  lines.push(groupLine(words.features, [[words.away, result.cml_pattern], [words.favouring, result.features_favouring]]));
  lines.push(result.meets_definition ? spec.text.reached
    : spec.text.blocked + ": " + result.blockers.map((b) => blockerText(spec, result, b)).join(" "));
  return lines.join("\n");
}

// ---------------------------------------------------------------- the checklist widget

function checklistNames(spec) {
  return CHECKLIST_GROUPS.flatMap((g) => spec[g].map((i) => i.id))
    .concat([spec.count.id, spec.count.id + "_unit"], spec.contexts.map((q) => q.id));
}

// The answers as they go in the address: a unit only with a count, so an untouched form leaves it empty.
function checklistAddress(spec, names, raw) {
  const state = Object.fromEntries(names.map((n) => [n, raw[n] || ""]));
  if (!state[spec.count.id]) state[spec.count.id + "_unit"] = "";
  return state;
}

function checklistFormState(form, spec) {
  const raw = {};
  for (const name of checklistNames(spec)) {
    const field = form.elements.namedItem(name);
    if (field) raw[name] = field.value || "";
  }
  return raw;
}

// Check each item's radio for its answer ("" is "not yet assessed"); an answer no radio has leaves the item as it is.
// (A RadioNodeList's value setter cannot check a radio whose value is "" in Chromium, so radios are checked directly.)
// Text fields and selects take the value as it is.
function fillChecklist(form, states) {
  for (const [name, value] of Object.entries(states)) {
    const field = form.elements.namedItem(name);
    if (!field) continue;
    if (field instanceof RadioNodeList || field.type === "radio") {
      const radio = [...form.querySelectorAll("input[type=radio]")].find((r) => r.name === name && r.value === value);
      if (radio) radio.checked = true;
    } else if (field.tagName === "SELECT") {
      if ([...field.options].some((o) => o.value === value)) field.value = value;
    } else {
      field.value = value;
    }
  }
}

// Local date and time as it goes into the notes: 2026-11-26 17:40.
function timestamp(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

function renderChecklistSummary(region, spec, view, result) {
  region.dataset.state = Object.keys(result.states).length ? "assessed" : "empty";
  region.querySelector(".checklist-summary__status").textContent = checklistStatus(spec, result);
  region.querySelector(".checklist-summary__context").textContent = checklistHeader(spec, result, "").slice(2).join(" · ");
  const sections = checklistSummary(spec, result).map((section) => {
    const entry = (line) => {
      const markers = trustedHtml(line.item ? view.markers[line.item] : view.definition);
      const parts = [el("span", { class: "checklist-summary__name" }, line.text), " ", line.refs.length ? markers : "",
        line.detail ? el("span", { class: "checklist-summary__detail" }, ` — ${line.detail}`) : ""];
      if (line.advice.length) {
        parts.push(el("ul", { class: "checklist-summary__advice" }, ...line.advice.map((a) =>
          el("li", { class: "calc-msg", "data-message-fact": a.fact, "data-mode": a.mode }, trustedHtml(view.messages[a.fact][a.mode])))));
      }
      return parts;
    };
    const box = el("div", { class: `checklist-summary__section checklist-summary__section--${section.kind}`,
      "data-section": section.kind });
    if (!section.heading) {
      box.append(el("p", { "data-item": "" }, ...section.lines.flatMap(entry)));
      return box;
    }
    const badge = section.kind === "red-flags" ? severityBadge("danger")
      : ["cml-pattern", "recheck", "red-flags-other"].includes(section.kind) ? severityBadge("warning") : null;
    box.append(el("h3", {}, badge, badge ? " " : "", section.heading));
    if (section.lines.length) {
      box.append(el("ul", {}, ...section.lines.map((line) => el("li", { "data-item": line.item || "" }, ...entry(line)))));
    }
    return box;
  });
  region.querySelector(".checklist-summary__body").replaceChildren(...sections);
}

async function copyChecklist(region, spec, result, kind) {
  const stamp = timestamp();
  const body = kind === "full" ? checklistSummaryText(spec, result, stamp) : checklistShortText(spec, result, stamp);
  const text = `${body}\n\n${spec.text.link}: ${window.location.href}`;
  const note = region.querySelector(".checklist-summary__copied");
  try {
    await navigator.clipboard.writeText(text);
    note.replaceChildren(spec.text.copied);
  } catch {
    const box = el("textarea", { class: "checklist-summary__text", readonly: true, rows: 8, "aria-label": spec.text.copy_failed });
    box.value = text;
    note.replaceChildren(spec.text.copy_failed, box);
    box.select();
  }
}

function setupChecklist(form, data) {
  if (!data) return;
  const { spec, view } = data;
  const region = document.getElementById("checklist-summary");
  const bar = form.querySelector(".checklist-bar");
  const names = checklistNames(spec);
  let result = null;
  const show = (raw, share) => {
    result = evaluateChecklist(spec, raw);
    renderChecklistSummary(region, spec, view, result);
    const countOutcome = { issues: result.count_issue ? [result.count_issue] : [] };
    renderFieldMessages(form, { inputs: [spec.count], text: spec.input_text }, countOutcome, raw);
    bar.querySelector(".checklist-bar__progress").textContent = checklistProgress(spec, result);
    region.querySelector(".checklist-summary__copied").replaceChildren();
    if (share) writeUrlState(checklistAddress(spec, names, raw));
  };
  const fromLink = readUrlState(names);
  fillChecklist(form, fromLink);
  form.addEventListener("change", () => show(checklistFormState(form, spec), true));
  form.addEventListener("input", (event) => {
    if (event.target.type === "text") show(checklistFormState(form, spec), true);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", (event) => {
    event.preventDefault(); // set every item back to "not yet assessed" now, not after the event
    const cleared = Object.fromEntries(names.map((name) => [name, ""]));
    cleared[spec.count.id + "_unit"] = spec.count.units[0].code;
    fillChecklist(form, cleared);
    show(checklistFormState(form, spec), true);
  });
  for (const button of document.querySelectorAll(".checklist__copy")) {
    button.addEventListener("click", () => copyChecklist(region, spec, result, button.dataset.copy));
  }
  // Instant navigation would fetch the page afresh for these links (their address lacks the answers): scroll instead.
  for (const link of form.querySelectorAll(".checklist__to-summary")) {
    (link.tagName === "A" ? link : link.querySelector("a")).addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      region.scrollIntoView();
      region.querySelector(".checklist-summary__title").focus();
    });
  }
  region.querySelector(".checklist-summary__actions").hidden = false;
  bar.hidden = false;
  show(fromLink, false); // answers in the link that were not understood are reported, not silently dropped
}

registerWidget("checklist", setupChecklist);

// ---------------------------------------------------------------- search lands where the answer is

// A search result opens its page with ?h=<words>, and the theme marks the words it finds. Without an
// #anchor the page would open at its top: open it at the first mark a reader can see instead (not one
// in the synonyms list or in anything the search index leaves out).
function showFirstMatch() {
  if (window.location.hash || !new URLSearchParams(window.location.search).has("h")) return;
  const article = document.querySelector("article");
  const visible = () => [...document.querySelectorAll("article mark")]
    .find((m) => !m.closest("[data-search-exclude], details:not([open])"));
  const show = () => {
    const mark = visible();
    if (mark) mark.scrollIntoView({ block: "center" });
    return Boolean(mark);
  };
  if (show() || !article) return;
  // The theme may mark the words a moment after the page is shown: wait for them, for a short while.
  const watcher = new MutationObserver(() => { if (show()) watcher.disconnect(); });
  watcher.observe(article, { childList: true, subtree: true });
  setTimeout(() => watcher.disconnect(), 2000);
}

// ---------------------------------------------------------------- start

if (window.document$) window.document$.subscribe(() => { setupWidgets(); showFirstMatch(); });
else { setupWidgets(); showFirstMatch(); }

window.refsite = Object.freeze({
    registerWidget,
    setupWidgets,
    readJson,
    readUrlState,
    writeUrlState,
    el,
    trustedHtml,
    SEVERITY,
    severityBadge,
    stripSpace,
    parseNumber,
    parseDate,
    chosenUnit,
    close,
    meets,
    bandsContaining,
    evaluate,
    readContext,
    adviceMode,
    factsByMode,
    formatNumber,
    ladderY,
    readChecklistStates,
    evaluateChecklist,
    checklistSummary,
    checklistStatus,
    checklistProgress,
    checklistSummaryText,
    checklistShortText,
});
})();
