// refsite.js: the site's shared core, loaded on every page before the widgets' scripts
// (assets/widgets/<name>.js, which the generator writes from generator/widgets/<name>/<name>.js).
// A classic script, no framework, no network. Not an ES module: browsers refuse modules from
// file://, and the offline bundle is opened from there.
// It must not depend on any widget: nothing here is a calculator's or the checklist's own. A widget's
// script uses this core only through window.refsite, and never another widget's script.
//
// Here: setting up widgets on each page view, the address as state, small DOM helpers, advice by
// the reader's context (mirrors generator/advice.py), reading typed inputs and comparing them with a
// threshold (mirrors generator/inputs.py), numbers as a clinician reads them (generator/wording.py),
// an input's message, and what every page does (abbreviations, citation cards, search landing).
// No threshold lives here: every number comes from the page's JSON, which comes from content/.
//
// Interactive parts are "widgets": an element with data-refsite-widget="NAME" is set up by the
// function registered under NAME, with the JSON in the data-json attribute of the element named by
// its data-refsite-data (an attribute, not a <script type="application/json">, because Material's
// instant navigation re-creates inline scripts without their type and id). Material's document$
// fires on every page view, including instant navigation, so widgets are set up on each new page,
// and what the last page's widgets set up outside their own elements is undone first.
//
// On window.refsite, for the widgets' scripts (and the tests):
//   registerWidget(name, setup, api)   setup(element, json, signal) runs once per page view for each
//                                 [data-refsite-widget=name]; json is read from the element named by
//                                 its data-refsite-data (its data-json attribute). The
//                                 functions in api join window.refsite; none may take a name already there.
//   readUrlState(names), writeUrlState(state)   inputs in the address (replaceState; never sent).
//   el(tag, attrs, ...children), trustedHtml(html), severityBadge(severity)   result rendering.
//   readContext, adviceMode, adviceShown, severityFor, factsByMode, gateState, raisedFlags, redFlagAdvice
//                                 advice by context and count, and red flags.
//   READERS (by input type), readMeasurement, chosenUnit, issue, close, meets, onUpperSide, formatNumber,
//   message, renderFieldMessages(form, spec, outcome, raw)   typed inputs and their messages.

// ---------------------------------------------------------------- widgets

(() => {
"use strict";

const widgets = new Map();
let started = false; // the page has been set up: a widget registered after that is set up at once

function registerWidget(name, setup, api = {}) {
  share(api);
  widgets.set(name, setup);
  if (started) setupWidgets();
}

// Each page view's widgets get an AbortSignal that fires when the reader leaves the page (the next
// document$): listeners they add outside their own elements pass it, and go with the page.
let leaving = new AbortController();

function setupWidgets(root = document) {
  for (const element of root.querySelectorAll("[data-refsite-widget]")) {
    const setup = widgets.get(element.dataset.refsiteWidget);
    if (!setup || element.dataset.refsiteReady) continue;
    element.dataset.refsiteReady = "true";
    setup(element, readJson(element.dataset.refsiteData), leaving.signal);
  }
}

function newPageView() {
  leaving.abort();
  leaving = new AbortController();
}

function readJson(id) {
  const element = id && document.getElementById(id);
  return element && element.dataset.json ? JSON.parse(element.dataset.json) : null;
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
const MODES = ["advice", "conditional", "outside", "hidden"];

function readContext(questions, raw) {
  const answers = {};
  for (const question of questions) {
    const given = raw[question.id] || "";
    answers[question.id] = question.options.some((o) => o.id === given) ? given : UNKNOWN;
  }
  return answers;
}

function gateState(gate, counts) {
  const value = counts[gate.quantity];
  if (value === undefined || value === null) return "unknown";
  if (gate.comparator !== null && gate.value !== null) return meets(value, gate.comparator, gate.value) ? "fits" : "below";
  return gate.low !== null && gate.high !== null && meets(value, ">=", gate.low) && meets(value, "<=", gate.high)
    ? "fits" : "outside";
}

function adviceMode(contexts, reader, gates = [], counts = {}, quoted = {}) {
  let conditional = false;
  for (const [question, answers] of Object.entries(contexts)) {
    const given = reader[question] || UNKNOWN;
    if (given === UNKNOWN || (quoted[question] || []).includes(given)) conditional = true;
    else if (!answers.includes(given)) return "hidden";
  }
  const states = gates.map((g) => gateState(g, counts));
  if (states.includes("below")) return "hidden";
  if (states.includes("outside")) return "outside";
  return conditional || states.includes("unknown") ? "conditional" : "advice";
}

function raisedFlags(flags, reader, counts) {
  const countAllows = (flag) => (flag.needs_count === null || gateState(flag.needs_count, counts) === "fits")
    && (flag.from_count === null || gateState(flag.from_count, counts) !== "below");
  return flags.filter((f) => reader[f.question] === f.answer && countAllows(f)).map((f) => f.id);
}

function redFlagAdvice(flags, ids, reader, counts) {
  return flags.filter((f) => ids.includes(f.id)).flatMap((f) => adviceShown(f.advice, reader, f.id, counts));
}

function contextMatches(contexts, reader) {
  return Object.entries(contexts).every(([question, answers]) => answers.includes(reader[question] || UNKNOWN));
}

function severityFor(fallback, rules, reader) {
  const rule = rules.find((r) => contextMatches(r.contexts, reader));
  return rule ? rule.severity : fallback;
}

function adviceShown(groups, reader, origin, counts = {}) {
  return groups.map((g) => ({
    from: origin, facts: g.facts, mode: adviceMode(g.contexts, reader, g.count, counts, g.quoted_for),
    outside: g.count.filter((gate) => gateState(gate, counts) === "outside").map((gate) => gate.fact),
  }));
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

// ---------------------------------------------------------------- reading inputs (mirrors inputs.py)

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

// ---------------------------------------------------------------- comparing with a threshold (mirrors inputs.py)

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

// Up to six significant figures, thousands separated, never an exponent (mirrors wording.py format_number).
function formatNumber(x) {
  if (!Number.isFinite(x)) return "–";
  const magnitude = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
  const digits = Math.min(6, Math.max(0, 5 - magnitude));
  const text = x.toLocaleString("en-US", { maximumFractionDigits: digits, useGrouping: true });
  return text === "-0" ? "0" : text;
}

// ---------------------------------------------------------------- an input's message (both widgets show them)

function message(spec, code, inp, raw) {
  const unit = inp && inp.type === "measurement" ? chosenUnit(inp, raw).display : inp && inp.type === "days" ? "days" : "";
  const noun = (inp && (inp.noun || spec.text.nouns[inp.type])) || "value";
  return spec.text.messages[code].replace("{unit}", unit).replace("{noun}", noun);
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

// ---------------------------------------------------------------- landing where the link points

// A link to #anchor, or a search result (which opens its page with ?h=<words> and the theme marks the words),
// must show its target below the sticky header. After instant navigation the theme scrolls on its own (to the
// top, or back to where a closed search panel left the page), and the page can still move afterwards
// (widgets fill their results, the words are marked a moment later). So for a short while after arriving the
// target is checked every tick and brought back into view, until the reader scrolls or touches the page.
// Measured on the phone walk-through: the theme's last scroll came 180 ms after the swap.
const SETTLE_MS = 2500;
const TICK_MS = 100;

function landingTarget() {
  const article = document.querySelector(".md-content article");
  if (!article) return null;
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (id) return document.getElementById(id);
  if (!new URLSearchParams(window.location.search).has("h")) return null;
  // The first mark a reader can see: not one in the synonyms list or in anything the search index leaves out.
  return [...article.querySelectorAll("mark")].find((m) => !m.closest("[data-search-exclude], details:not([open])")) || null;
}

function bringIntoView(target) {
  for (let details = target.closest("details:not([open])"); details; details = details.parentElement.closest("details:not([open])")) {
    details.open = true;
  }
  const header = document.querySelector(".md-header");
  const top = header ? header.getBoundingClientRect().bottom : 0;
  const box = target.getBoundingClientRect();
  const inView = box.top >= top - 1 && box.top < top + (window.innerHeight - top) * 0.6;
  if (!inView) target.scrollIntoView({ block: target.tagName === "MARK" ? "center" : "start", behavior: "instant" });
}

function land(signal) {
  if (!(window.location.hash || new URLSearchParams(window.location.search).has("h"))) return;
  const done = new AbortController();
  const stop = () => done.abort();
  signal.addEventListener("abort", stop, { once: true });
  for (const type of ["wheel", "touchstart", "keydown", "pointerdown"]) {
    window.addEventListener(type, stop, { once: true, passive: true, signal: done.signal });
  }
  const again = () => {
    const target = landingTarget();
    // While the search panel is open on a phone the theme locks the page's scrolling: wait for the lock to go.
    if (target && !document.body.hasAttribute("data-md-scrolllock")) bringIntoView(target);
  };
  const ticking = setInterval(again, TICK_MS);
  done.signal.addEventListener("abort", () => clearInterval(ticking));
  setTimeout(stop, SETTLE_MS);
  setTimeout(again);
}

// ---------------------------------------------------------------- start

const start = () => { newPageView(); started = true; setupWidgets(); land(leaving.signal); };
if (window.document$) window.document$.subscribe(start);
else start();

// window.refsite: the functions below, and each widget's own (registerWidget adds them); none can be
// replaced or removed once there.
const refsite = {};

function share(api) {
  for (const [name, value] of Object.entries(api)) {
    if (Object.prototype.hasOwnProperty.call(refsite, name)) throw new Error(`window.refsite.${name} is already defined`);
    Object.defineProperty(refsite, name, { value, enumerable: true });
  }
}

share({
    registerWidget,
    setupWidgets,
    readJson,
    readUrlState,
    writeUrlState,
    el,
    trustedHtml,
    SEVERITY,
    severityBadge,
    UNKNOWN,
    readContext,
    adviceMode,
    gateState,
    raisedFlags,
    redFlagAdvice,
    severityFor,
    adviceShown,
    factsByMode,
    issue,
    stripSpace,
    parseNumber,
    parseDate,
    readMeasurement,
    chosenUnit,
    READERS,
    close,
    meets,
    onUpperSide,
    formatNumber,
    message,
    renderFieldMessages,
});
window.refsite = refsite;
})();
