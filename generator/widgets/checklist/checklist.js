// checklist.js: the differential-diagnosis checklist's browser script. Its source is
// generator/widgets/checklist/checklist.js; the generator serves it as assets/widgets/checklist.js,
// loaded after the core (assets/refsite.js). A classic script, like the core.
// It uses the core only through window.refsite, and never the calculator's script.
//
// The evaluator mirrors generator/widgets/checklist/evaluate.py, and the summary and copied notes
// generator/widgets/checklist/summary.py, line for line: both read the same JSON spec, and the tests
// compare them on every case and on drawn answer sets. Change them together.
//
// Adds to window.refsite: readChecklistStates, evaluateChecklist(spec, raw), checklistSummary,
// checklistStatus, checklistProgress, checklistSummaryText(spec, result, stamp), checklistShortText.

(() => {
"use strict";

const {
  registerWidget, readUrlState, writeUrlState, el, trustedHtml, severityBadge, UNKNOWN, readContext,
  adviceMode, adviceShown, arrangeAdvice, gateState, raisedFlags, redFlagAdvice, readMeasurement, chosenUnit, close, meets, formatNumber,
  renderFieldMessages,
} = window.refsite;

// ---------------------------------------------------------------- checklists (mirrors evaluate.py and summary.py)

const CHECKLIST_GROUPS = ["red_flags", "causes", "features"];
const ADVICE_PARTS = ["to_do", "conditional", "background"]; // arrangement.PARTS
// The answers each group takes; no answer (or any other) is "not yet assessed".
const CHECKLIST_ANSWERS = { red_flags: ["present", "absent"], causes: ["present", "excluded"], features: ["present", "absent"] };
const CHECKLIST_BLOCKERS = ["red-flag", "red-flag-open", "feature", "feature-open", "recheck", "cause-present",
  "cause-open", "context", "count-error", "count-missing", "count-below", "count-outside"];

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
  const counts = count !== null && spec.count.quantity ? { [spec.count.quantity]: count } : {};
  const raised = raisedFlags(spec.context_flags, reader, counts);
  const flags = new Set(spec.context_flags.map((f) => f.id));
  const countsHere = (id) => (flags.has(id) ? raised.includes(id) : adviceMode(red[id].contexts, reader) !== "hidden");
  const redFlags = present.filter(countsHere).concat(raised.filter((f) => !(f in red)));
  const pointingAway = spec.features.filter((i) => states[i.id] === i.points_away_when).map((i) => i.id);
  const collapsed = adviceMode(spec.causes_contexts, reader) === "hidden";
  const result = {
    states,
    context: reader,
    count,
    count_issue: countIssue,
    count_unit: chosenUnit(spec.count, raw),
    red_flags: redFlags,
    red_flags_other: present.filter((i) => !redFlags.includes(i)),
    raised,
    red_flags_absent: marked("red_flags", "absent"),
    red_flags_open: marked("red_flags", ""),
    causes_present: marked("causes", "present"),
    causes_open: marked("causes", ""),
    causes_excluded: marked("causes", "excluded"),
    causes_collapsed: collapsed,
    cml_pattern: pointingAway,
    features_favouring: marked("features", "present").filter((i) => !pointingAway.includes(i)),
    features_absent: marked("features", "absent").filter((i) => !pointingAway.includes(i)),
    features_open: marked("features", ""),
    recheck: pointingAway.length && states[spec.bears_on] === "excluded" && !collapsed ? [spec.bears_on] : [],
    advice: redFlagAdvice(spec.context_flags, raised, reader, counts)
      .concat(present.filter((i) => !flags.has(i)).flatMap((i) => adviceShown(red[i].advice, reader, i, counts))),
    ignored,
  };
  result.blockers = checklistBlockers(spec, result, reader);
  result.meets_definition = !result.blockers.length;
  const cutoff = spec.definition.cutoff;
  result.at_boundary = count !== null && close(count, cutoff.value) && Boolean(cutoff.boundary);
  return result;
}

function checklistBlockers(spec, result, reader) {
  if (adviceMode(spec.definition.contexts, reader) === "hidden") return ["context"];
  const cutoff = spec.definition.cutoff;
  const count = result.count;
  const found = {
    "red-flag": Boolean(result.red_flags.length || result.red_flags_other.length),
    "red-flag-open": Boolean(result.red_flags_open.length),
    feature: Boolean(result.cml_pattern.length),
    "feature-open": Boolean(unansweredFeatures(spec, result).length),
    recheck: Boolean(result.recheck.length),
    "cause-present": Boolean(result.causes_present.length),
    "cause-open": Boolean(result.causes_open.length),
    context: adviceMode(spec.definition.contexts, reader) !== "advice",
    "count-error": Boolean(result.count_issue) && result.count_issue.level === "error",
    "count-missing": count === null && !result.count_issue,
    "count-below": count !== null && !meets(count, cutoff.comparator, cutoff.value),
    "count-outside": count !== null && spec.definition.reported.some((g) => gateState(g, { [g.quantity]: count }) === "outside"),
  };
  return CHECKLIST_BLOCKERS.filter((b) => found[b]);
}

function unansweredFeatures(spec, result) {
  return result.features_open.filter((i) => spec.definition.features_answered.includes(i));
}

function itemLabels(spec, ids) {
  const labels = Object.fromEntries(CHECKLIST_GROUPS.flatMap((g) => spec[g].map((i) => [i.id, i.label])));
  return ids.map((i) => labels[i]).join("; ");
}

function checklistSummary(spec, result) {
  const items = Object.fromEntries(CHECKLIST_GROUPS.concat(["flag_items"]).flatMap((g) => spec[g].map((i) => [i.id, i])));
  const text = spec.text;
  const line = (id, detail = "") => ({ item: id, text: items[id].name, refs: items[id].refs, detail, advice: [] });
  const redFlag = (id) => {
    const arranged = arrangeAdvice(result.advice.filter((a) => a.from === id), spec.roles);
    const entry = line(id, `${text.population}: ${items[id].populations.join("; ")}.`);
    // What to do first (warnings, then management), then what is not yet known to apply, then background.
    entry.advice = ADVICE_PARTS.flatMap((part) => arranged[part].map((fact) =>
      ({ fact, mode: part === "conditional" ? "conditional" : "advice", part })));
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
    ["causes-open", text.causes_open, answered && !result.causes_collapsed ? result.causes_open.map((i) => line(i)) : []],
    checklistDefinitionSection(spec, result),
    ["causes-excluded", text.causes_excluded, result.causes_excluded.map((i) => line(i))],
    ["red-flags-absent", text.red_flags_absent, result.red_flags_absent.map((i) => line(i))],
    ["features-favouring", spec.favouring_heading, result.features_favouring.map(feature)],
    ["features-absent", text.features_absent, result.features_absent.map((i) => line(i))],
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
    if (result.features_open.length) note += " " + text.reached_open.replace("{items}", itemLabels(spec, result.features_open));
    return ["definition", text.reached, [{ item: null, text: definition.text, refs: definition.refs, detail: note, advice: [] }]];
  }
  const entered = Object.keys(result.states).length || result.count !== null || result.count_issue
    || Object.values(result.context).some((v) => v !== UNKNOWN);
  if (!entered) return ["blockers", text.blocked, []];
  return ["blockers", text.blocked, result.blockers.map((b) => ({ item: null, text: blockerText(spec, result, b), refs: [],
    detail: b === "context" && result.causes_collapsed ? text.causes_collapsed : "", advice: [] }))];
}

function blockerText(spec, result, code) {
  // Filled by replacing, as summary.py does: the words are content, and a brace an editor types is only text.
  const questions = Object.fromEntries(spec.contexts.map((q) => [q.id, q]));
  const contexts = Object.entries(spec.definition.contexts);
  const values = {
    allowed: () => contexts.flatMap(([q, answers]) => answers.map((a) => answerLabel(questions[q], a))).join("; "),
    given: () => contexts.map(([q]) => answerLabel(questions[q], result.context[q])).join("; "),
    items: () => itemLabels(spec, code === "red-flag-open" ? result.red_flags_open : unansweredFeatures(spec, result)),
    cutoff: () => spec.definition.cutoff.text,
    reported: () => spec.definition.reported_text,
  };
  let words = spec.text.blockers[code];
  for (const [name, value] of Object.entries(values)) {
    if (words.includes(`{${name}}`)) words = words.replaceAll(`{${name}}`, value());
  }
  return words;
}

function answerLabel(question, answer) {
  const option = question.options.find((o) => o.id === answer);
  return `${question.label}: ${option ? option.label : question.unknown_label}`;
}

function checklistStatus(spec, result) {
  if (!Object.keys(result.states).length) return spec.text.nothing;
  const openCauses = result.causes_collapsed ? [] : result.causes_open;
  const counts = [[spec.text.red_flags, result.red_flags.concat(result.red_flags_other)], [spec.cml_heading, result.cml_pattern],
    [spec.text.causes_present, result.causes_present], [spec.text.causes_open, openCauses]];
  const parts = counts.filter(([, ids]) => ids.length).map(([heading, ids]) => `${heading}: ${ids.length}`);
  if (result.meets_definition) parts.push(spec.text.reached);
  return parts.join(" · ") || blockedText(spec, result);
}

function blockedText(spec, result) {
  return spec.text.blocked + ": " + result.blockers.map((b) => blockerText(spec, result, b)).join(" ");
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

function adviceLines(spec, advice) {
  const lines = advice.filter((a) => a.part !== "background").map((a) => `  - ${adviceText(spec, a)}`);
  const background = advice.filter((a) => a.part === "background").map((a) => `    - ${adviceText(spec, a)}`);
  return lines.concat(background.length ? [`  ${spec.text.background}:`, ...background] : []);
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
      lines.push(...adviceLines(spec, entry.advice));
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
  const names = Object.fromEntries(CHECKLIST_GROUPS.concat(["flag_items"]).flatMap((g) => spec[g].map((i) => [i.id, i.label])));
  const groupLine = (heading, parts, empty = words.none) => {
    const given = parts.filter(([, named]) => named.length).map(([label, named]) => `${label}: ${named.join(", ")}`);
    return `${heading} — ` + (given.length ? given.join("; ") : empty);
  };
  const named = (ids) => ids.map((i) => names[i]);
  const away = result.cml_pattern.map((i) => names[i] + (result.states[i] === "absent" ? ` (${words.absent})` : ""));
  const consistent = spec.favouring_heading.slice(0, 1).toLowerCase() + spec.favouring_heading.slice(1);
  const openCauses = result.causes_collapsed ? [] : result.causes_open;
  const lines = checklistHeader(spec, result, stamp);
  lines.push(groupLine(words.red_flags, [[words.present, named(result.red_flags.concat(result.red_flags_other))],
    [words.absent, named(result.red_flags_absent)], [words.open, named(result.red_flags_open)]]));
  lines.push(groupLine(words.causes, [[words.present, named(result.causes_present)],
    [words.excluded, named(result.causes_excluded)], [words.not_excluded, named(openCauses)]],
  result.causes_collapsed ? words.collapsed : words.none));
  lines.push(groupLine(words.features, [[words.away, away], [consistent, named(result.features_favouring)],
    [words.absent, named(result.features_absent)], [words.open, named(result.features_open)]]));
  if (result.meets_definition) {
    const opened = result.features_open.length
      ? " " + spec.text.reached_open.replace("{items}", itemLabels(spec, result.features_open)) : "";
    lines.push(spec.text.reached + "." + opened);
  } else {
    lines.push(blockedText(spec, result));
  }
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
      const advice = (lines) => el("ul", { class: "checklist-summary__advice" }, ...lines.map((a) =>
        el("li", { class: `calc-msg calc-msg--${spec.roles[a.fact]}`, "data-message-fact": a.fact, "data-mode": a.mode,
          "data-role": spec.roles[a.fact], "data-part": a.part }, trustedHtml(view.messages[a.fact][a.mode]))));
      const toDo = line.advice.filter((a) => a.part !== "background");
      const background = line.advice.filter((a) => a.part === "background");
      if (toDo.length) parts.push(advice(toDo));
      if (background.length) {
        parts.push(el("p", { class: "checklist-summary__advice-heading", "data-part": "background" }, spec.text.background),
          advice(background));
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

// Render, keeping the control the reader just used where it was on the screen: the summary above the form grows
// as answers come in, and without scroll anchoring (iOS Safari has none) the first answer moved the tapped
// button 1.9 screens down. Where the browser anchors the scroll itself, the control has not moved: nothing to do.
function keepInPlace(control, render) {
  const before = control && control.isConnected ? control.getBoundingClientRect().top : null;
  render();
  if (before === null) return;
  const moved = control.getBoundingClientRect().top - before;
  if (Math.abs(moved) >= 1) window.scrollBy({ top: moved, behavior: "instant" });
}

// The progress-and-Copy bar is fixed to the bottom of the screen from the moment the form comes into view to
// the end of the page (a sticky bar inside the form left with the form's last item).
function followWithBar(form, bar, signal) {
  const watcher = new IntersectionObserver(([entry]) => {
    const bottom = entry.rootBounds ? entry.rootBounds.bottom : window.innerHeight;
    bar.classList.toggle("checklist-bar--shown", entry.boundingClientRect.top < bottom);
  });
  watcher.observe(form);
  signal.addEventListener("abort", () => watcher.disconnect());
}

function setupChecklist(form, data, signal) {
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
  const answered = (event) => keepInPlace(event.target.closest("label") || event.target,
    () => show(checklistFormState(form, spec), true));
  form.addEventListener("change", answered);
  form.addEventListener("input", (event) => {
    if (event.target.type === "text") answered(event);
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
  followWithBar(form, bar, signal);
  show(fromLink, false); // answers in the link that were not understood are reported, not silently dropped
}

registerWidget("checklist", setupChecklist, {
    readChecklistStates,
    evaluateChecklist,
    checklistSummary,
    checklistStatus,
    checklistProgress,
    checklistSummaryText,
    checklistShortText,
});
})();
