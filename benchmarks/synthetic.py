"""Synthetic content at N times the real content, in a temporary project folder, for benchmarks.

Copy k of the real content keeps every record's shape, structure and numbers,
so it passes the real validator and renders the same kinds of page at the same
sizes. What it does not keep is anything a reader could take for clinical
content: every record id becomes `synthetic-<kind>-<copy>-<n>`, every word of
text becomes a placeholder word of the same length (digits and punctuation
stay, so sizes and arithmetic checks stay the same), and longer texts start
with "Synthetic". It writes a whole project (content/, docs/, mkdocs.yml with
a nav of the synthetic pages, a plain-MkDocs config for comparison), never
into the real content/.

    python benchmarks/synthetic.py --scale 10 --out /tmp/refsite-10x
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import types
import typing
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel

from common import local_config

from generator.citations import INLINE_CITATION
from generator.content import content_files
from generator.load import Yaml12Loader, load_document, parse_document
from generator.model import COUNT, KINDS
from generator.schemas import modeline
from generator.validate.records import NUMBER_WORDS
from generator.widgets.calculator.render import calculator_path
from generator.widgets.checklist.render import checklist_path

ROOT = Path(__file__).resolve().parent.parent

# Id fields that point at another record, by (model, field): which kind they point at.
# Every other id-typed value (tags such as red-flag, ids local to one record) is kept as it is.
REFERENCES = {
    ("Citation", "source"): "sources",
    ("Source", "cited_by"): "sources",
    ("Section", "facts"): "facts",
    ("Bar", "fact"): "facts",
    ("Figure", "notes"): "facts",
    ("GlossaryEntry", "topic"): "topics",
    ("CalculatorCheck", "fact"): "facts",
    ("Advice", "facts"): "facts",
    ("Advice", "count"): "facts",
    ("RedFlag", "needs_count"): "facts",
    ("ChecklistDefinition", "count"): "facts",
    ("RedFlag", "from_count"): "facts",
    ("CaseExpectation", "outside"): "facts",
    ("Band", "lower"): "facts",
    ("Band", "upper"): "facts",
    ("CaseExpectation", "met"): "facts",
    ("CaseExpectation", "boundary"): "facts",
    ("CaseExpectation", "advice"): "facts",
    ("CaseExpectation", "conditional"): "facts",
    ("CaseExpectation", "to_do"): "facts",
    ("CaseExpectation", "background"): "facts",
    ("ChecklistItem", "facts"): "facts",
    ("ChecklistItem", "thresholds"): "facts",
    ("ChecklistDefinition", "facts"): "facts",
    ("ChecklistDefinition", "count_threshold"): "facts",
    ("ChecklistExpectation", "advice"): "facts",
    ("ChecklistExpectation", "conditional"): "facts",
}
# Kinds a larger site would still have once: the questions about the patient, which facts and
# widgets name by id, and the editors' choices, which name records of the first copy. Only the
# first copy writes them, ids kept.
SHARED_KINDS = {"contexts", "choices", "quantities", "site"}
# Kinds copied word for word: units and their spellings are data, not words to replace.
VERBATIM_KINDS = {"quantities"}
LENGTH_LIMITED = {"short_label"}  # fields the model caps in length: no "Synthetic" in front
# The words that name an answer in population text: kept real, so placeholder words never match them (the check
# still runs over every synthetic population).
VERBATIM_FIELDS = {("ContextOption", "named_by")}
# Cases' expectations of wording: phrases of the real words, which placeholder words cannot keep. Left out.
WORDING_EXPECTED = {("CaseExpectation", "flag_says"), ("CaseExpectation", "flag_does_not_say"),
                    ("ChecklistExpectation", "says"), ("ChecklistExpectation", "does_not_say")}
# Nested records whose ids must be unique across all content (they become page anchors).
GLOBAL_NESTED_IDS = {"Discrepancy": "discrepancies"}
SINGULAR = {"discrepancies": "discrepancy", "glossary": "glossary"}
# The threshold ladder draws every white-count threshold in content, on the topics that declare
# one and on every calculator whose scale is a white count. A larger site would still have it in
# those few places, so only the first copy keeps them: later copies leave out ladder sections and
# white-count calculators. Copying them too (--copy-whole-content-figures) multiplies pages that
# grow with content by content: 380 MB of Markdown at 100× (RESULTS.md).
WHOLE_CONTENT_FIGURES = {"threshold-ladder"}
# Identifier fields with their own syntax: replaced by values that point nowhere real,
# or left out where no value could be guaranteed to point nowhere (any PMID is someone's paper).
IDENTIFIERS = {"DOI": lambda name: f"10.5555/{name}", "URL": lambda name: f"https://example.org/{name}",
               "PMID": None}

PLACEHOLDER_WORDS = (
    "a ab ad at et in id is ne si ut ac ex do nam non est sed vel per qui sit eos eum nec "
    "amet enim esse iure nisi odio quam quia quis sint sunt ulla unde illo nemo modi eius "
    "dolor ipsum lorem magna minim culpa irure velit fugit earum autem dicta animi error "
    "labore dolore aliqua veniam nostrud laboris officia mollit cillum beatae nesciunt "
    "pariatur occaecat cupidatat proident deserunt voluptate consequat reprehenderit "
    "exercitation consectetur adipiscing incididunt temporibus perspiciatis voluptatibus"
).split()
BY_LENGTH: dict[int, list[str]] = {}
for _word in PLACEHOLDER_WORDS:
    BY_LENGTH.setdefault(len(_word), []).append(_word)

WORD = re.compile(r"[^\W\d_]+")
LINK_TARGET = re.compile(r"(\]\(\s*<?)([^\s)>]*)")
TOKEN = re.compile(f"(?P<cite>{INLINE_CITATION.pattern})|(?P<link>{LINK_TARGET.pattern})|(?P<word>{WORD.pattern})")
PREFIX = "Synthetic"
PREFIX_FROM_WORDS = 4  # texts of this many words or more start with "Synthetic"


def placeholder(word: str, copy: int) -> str:
    """A placeholder word of the same length and case pattern, the same for the same word within a copy."""
    if word.lower() in NUMBER_WORDS:  # "three" may be the count a discrepant value prints
        return word
    seed = zlib.crc32(f"{copy}:{word.lower()}".encode())
    choices = BY_LENGTH.get(len(word))
    if choices:
        out = choices[seed % len(choices)]
    else:
        longest = BY_LENGTH[max(BY_LENGTH)]
        out = (longest[seed % len(longest)] * (len(word) // 20 + 1))[:len(word)]
    if word.isupper() and len(word) > 1:
        return out.upper() + _copy_letters(copy)
    return out.capitalize() if word[0].isupper() else out


def _copy_letters(copy: int) -> str:
    """'' for the first copy, then B, C, …, BA, …: marks a later copy's abbreviations as its own.
    Placeholders come from a few dozen words, so without it every copy's WBC, CML and G-CSF
    would become the same handful of terms, each page would use hundreds of the glossary's
    abbreviations, and each would carry hundreds of definitions (real content: a few each)."""
    letters = ""
    while copy:
        copy, digit = divmod(copy, 26)
        letters = chr(ord("A") + digit) + letters
    return letters


@dataclass
class Ids:
    """Real id → synthetic id, per kind, for one copy."""

    copy: int
    numbers: dict[str, dict[str, int]]  # kind → real id → its position among that kind
    units: frozenset[str] = frozenset()  # unit codes in content: kept as they are wherever they stand

    def new(self, kind: str, real: str) -> str:
        number = self.numbers.get(kind, {}).get(real)
        if number is None:
            return real
        singular = SINGULAR.get(kind, kind.removesuffix("s"))
        return f"synthetic-{singular}-{self.copy:03d}-{number:04d}"

    def page(self, target: str) -> str:
        """A link target inside text: topic-id.md#fact-id → its synthetic twin."""
        page, hash_, anchor = target.partition("#")
        if page.endswith(".md"):
            page = self.new("topics", page.removesuffix(".md")) + ".md"
        return page + hash_ + (self.new("facts", anchor) if anchor else "")


def synthetic_text(text: str, ids: Ids, prefix: bool = True) -> str:
    """Placeholder words in place of the words; digits, punctuation, citations and links kept (renamed).
    Longer texts start with "Synthetic", unless prefix is false (fields with a length limit)."""
    def swap(m: re.Match) -> str:
        if m.group("cite"):
            source, locator = m.group(2), m.group(3)
            renamed = ids.new("sources", source)
            return f"[@{renamed}, {synthetic_text(locator, ids)}]" if locator else f"[@{renamed}]"
        if m.group("link"):
            return m.group(5) + ids.page(m.group(6))
        return placeholder(m.group(0), ids.copy)

    out = TOKEN.sub(swap, text)
    return f"{PREFIX} {out[0].lower()}{out[1:]}" if prefix and len(WORD.findall(text)) >= PREFIX_FROM_WORDS else out


def _fields(model: type[BaseModel]) -> dict[str, typing.Any]:
    """Key as written in YAML → the field's annotation, with top-level constraints put back."""
    out = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if info.metadata:
            annotation = typing.Annotated[(annotation, *info.metadata)]
        out[info.alias or name] = annotation
    return out


def _shape(annotation) -> tuple[str, typing.Any]:
    """What a value of this type is, for synthesis: ('model', cls), ('list', item type),
    ('id', None), ('text', None) or ('keep', None)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        if any(getattr(m, "pattern", None) for m in metadata) and base is str:
            return "id", None
        return _shape(base)
    if origin in (typing.Union, types.UnionType):
        options = [_shape(a) for a in typing.get_args(annotation) if a is not type(None)]
        return next((s for s in options if s[0] != "keep"), ("keep", None))
    if origin is list:
        return "list", typing.get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    if annotation is str:
        return "text", None
    return "keep", None  # numbers, dates, literals, booleans, mappings


def synthesize(data, model: type[BaseModel], ids: Ids, kind: str | None = None):
    """One record's raw YAML data, made synthetic (kind: the content kind of a top-level record)."""
    if not isinstance(data, dict):
        return data
    fields = _fields(model)
    out = {}
    for key, value in data.items():
        annotation = fields.get(key)
        if (model.__name__, key) in WORDING_EXPECTED:
            continue
        if (model.__name__, key) in VERBATIM_FIELDS:
            out[key] = value
            continue
        if (model.__name__, key) == ("Context", "applies_to") and isinstance(value, dict) and COUNT in value:
            out[key] = {**value, COUNT: [ids.new("facts", f) for f in value[COUNT]]}  # facts, not answers
            continue
        if key in IDENTIFIERS:
            if IDENTIFIERS[key] is not None:
                out[key] = IDENTIFIERS[key](ids.new(kind or "sources", data.get("id", "x")))
            continue
        if key == "id" and kind in SHARED_KINDS:
            out[key] = value
        elif key == "label" and kind == "sources":  # a citation label: short, and each copy's its own
            out[key] = f"S{ids.copy:03d}-{ids.numbers['sources'][data['id']]:04d}"
        elif key == "id" and model.__name__ == "Place":  # a reference whose kind is given beside it
            out[key] = value if data.get("kind") in SHARED_KINDS else ids.new(data["kind"], value)
        elif key == "id" and kind:
            out[key] = ids.new(kind, value)
        elif key == "id" and model.__name__ in GLOBAL_NESTED_IDS:
            out[key] = ids.new(GLOBAL_NESTED_IDS[model.__name__], value)
        elif annotation is None:
            out[key] = value
        else:
            out[key] = _value(value, annotation, ids, REFERENCES.get((model.__name__, key)), key)
    if kind == "topics" and isinstance(out.get("order"), int):
        out["order"] = ids.copy * 1000 + out["order"]
    return out


def without_whole_content_figures(kind: str, records: list[dict]) -> list[dict]:
    """What a later copy leaves out: topics' ladder sections, white-count calculators, and what checklists' cases
    expect of red-flag advice (the red flags are the shared context's, so their advice is the first copy's facts)."""
    if kind == "calculators":
        return [r for r in records if not _draws_ladder(r)]
    if kind == "topics":
        return [{**r, "sections": _without_ladders(r["sections"])} for r in records]
    if kind == "checklists":
        return [{**r, "cases": [{**c, "expect": {k: v for k, v in c["expect"].items() if k not in ADVICE_EXPECTED}}
                                for c in r.get("cases", [])]} for r in records]
    return records


ADVICE_EXPECTED = {"advice", "conditional"}


def _draws_ladder(calculator: dict) -> bool:
    """Whether a calculator's page carries the threshold ladder: its scale is a white count
    (the rule of generator/widgets/calculator/render.py, on raw data)."""
    scale = calculator.get("scale") or {}
    return any(i.get("id") == scale.get("input") and i.get("quantity") == "wbc" for i in calculator.get("inputs", []))


def _without_ladders(sections: list[dict]) -> list[dict]:
    """Sections minus figures of the whole content; a section left with nothing to show goes too."""
    kept = []
    for section in sections:
        figures = [f for f in section.get("figures", []) if f.get("kind") not in WHOLE_CONTENT_FIGURES]
        section = {key: value for key, value in section.items() if key != "figures"}
        if figures:
            section["figures"] = figures
        if section.get("facts") or figures:
            kept.append(section)
    return kept


def _value(value, annotation, ids: Ids, refers_to: str | None, key: str):
    shape, inner = _shape(annotation)
    if shape == "list" and isinstance(value, list):
        return [_value(item, inner, ids, refers_to, key) for item in value]
    if shape == "model":
        return synthesize(value, inner, ids)
    if not isinstance(value, str):
        return value
    if shape == "id":
        return ids.new(refers_to, value) if refers_to else value
    if shape == "text" and value not in ids.units:
        return synthetic_text(value, ids, prefix=key not in LENGTH_LIMITED)
    return value


class _Dumper(yaml.SafeDumper):
    """Quotes every string that YAML 1.1 or content's YAML 1.2 loader would read as something
    else ("7.2e4" is text to PyYAML's 1.1 rules, a number to ours)."""


_Dumper.yaml_implicit_resolvers = {first: list(rules) for first, rules in yaml.SafeDumper.yaml_implicit_resolvers.items()}
for _first, _rules in Yaml12Loader.yaml_implicit_resolvers.items():
    _Dumper.yaml_implicit_resolvers.setdefault(_first, []).extend(_rules)


def to_yaml(data, kind: str) -> str:
    """A content file's text, checked to read back as exactly this data."""
    text = f"{modeline(kind)}\n" + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    if parse_document(text, "synthetic")[0].data != data:
        raise SystemExit("synthetic YAML does not read back as written: a scalar needs quoting")
    return text


def real_content(content_dir: Path) -> dict[str, list[object]]:
    """The raw data of every real content file, by kind, in file order."""
    found: dict[str, list[object]] = {}
    for kind, files in content_files(content_dir).items():
        for file in files:
            doc, problems = load_document(file, str(file))
            if problems:
                raise SystemExit(f"{problems[0]} — fix the real content first (refsite check)")
            found.setdefault(kind, []).append(doc.data)
    return found


def known_units(real: dict[str, list[object]]) -> frozenset[str]:
    """Every unit code the real content declares (content/quantities/)."""
    return frozenset(u["code"] for data in real.get("quantities", []) for q in data for u in q["units"])


def id_numbers(real: dict[str, list[object]]) -> dict[str, dict[str, int]]:
    """Each real id's position among its kind; nested global ids (discrepancies) too."""
    numbers: dict[str, dict[str, int]] = {}
    for kind, documents in real.items():
        model, is_list = KINDS[kind]
        for data in documents:
            for record in data if is_list else [data]:
                numbers.setdefault(kind, {}).setdefault(record["id"], len(numbers.get(kind, {})))
                for d in record.get("discrepancies", []) if kind == "facts" else []:
                    table = numbers.setdefault("discrepancies", {})
                    table.setdefault(d["id"], len(table))
    return numbers


def write_content(real: dict[str, list[object]], scale: int, content_dir: Path,
                  copy_whole_content_figures: bool = False) -> dict[str, int]:
    """scale copies of the real content as YAML files; returns record counts by kind."""
    numbers = id_numbers(real)
    counts = {kind: 0 for kind in KINDS}
    for kind, documents in real.items():
        model, is_list = KINDS[kind]
        folder = content_dir / kind
        folder.mkdir(parents=True, exist_ok=True)
        for copy in range(1 if kind in SHARED_KINDS else scale):
            ids = Ids(copy, numbers, known_units(real))
            for n, data in enumerate(documents):
                records = data if is_list else [data]
                if copy > 0 and not copy_whole_content_figures:
                    records = without_whole_content_figures(kind, records)
                made = [r if kind in VERBATIM_KINDS else synthesize(r, model, ids, kind) for r in records]
                if not made:
                    continue
                counts[kind] += len(made)
                text = to_yaml(made if is_list else made[0], kind)
                (folder / f"synthetic-{copy:03d}-{n:02d}.yaml").write_text(text, encoding="utf-8")
    return counts


# Kinds with a page per record, and that page's path (the generator's own rules).
PAGES = {"topics": lambda r: f"{r['id']}.md",
         "calculators": lambda r: calculator_path(types.SimpleNamespace(**r)),
         "checklists": lambda r: checklist_path(types.SimpleNamespace(**r))}


def synthetic_nav(nav: list, real: dict[str, list[dict]], synthetic: dict[str, list[dict]], placed: set | None = None) -> list:
    """The real nav with each kind's pages replaced, where the first of them stood, by all the
    synthetic pages of that kind."""
    real_pages = {PAGES[kind](r): kind for kind in PAGES for r in real.get(kind, [])}
    placed = set() if placed is None else placed
    out = []
    for entry in nav:
        (title, target), = entry.items()
        kind = real_pages.get(target) if isinstance(target, str) else None
        if kind and kind not in placed:
            placed.add(kind)
            out += [{r["title"]: PAGES[kind](r)} for r in sorted(synthetic[kind], key=lambda r: r.get("order", 0))]
        elif isinstance(target, list):
            out.append({title: synthetic_nav(target, real, synthetic, placed)})
        elif not kind:
            out.append(entry)
    return out


def records(content_dir: Path) -> dict[str, list[dict]]:
    """Every record's raw data, by kind."""
    found: dict[str, list[dict]] = {}
    for kind, documents in real_content(content_dir).items():
        is_list = KINDS[kind][1]
        found[kind] = [r for data in documents for r in (data if is_list else [data])]
    return found


def write_configs(project: Path, real: dict[str, list[dict]], synthetic: dict[str, list[dict]]) -> None:
    """mkdocs.yml (the real one, nav of the synthetic pages) and its offline variant as it is;
    mkdocs.plain.yml: the same site without our plugin, for the generated Markdown (MkDocs or
    ProperDocs); mkdocs.zensical.yml: Zensical on that Markdown, as mkdocs.zensical.yml has it
    (written whole: Zensical's INHERIT would append to the nav); and mkdocs.no-bundle.yml: with
    our plugin but without its second build, the offline bundle."""
    config = local_config(ROOT / "mkdocs.yml")
    config["nav"] = synthetic_nav(config["nav"], real, synthetic)
    shutil.copy(ROOT / "mkdocs.offline.yml", project / "mkdocs.offline.yml")
    ours = [p for p in config["plugins"] if isinstance(p, dict) and "refsite" in p]
    others = [p for p in config["plugins"] if p not in ours]
    without_bundle = [{"refsite": {**p["refsite"], "offline_bundle": False}} for p in ours]
    # The About page links to the offline zip, which only the post-build step writes: the plugin tells
    # MkDocs of it, plain MkDocs reports the link (and leaves it as written) instead.
    plain = {**config, "docs_dir": "markdown", "plugins": others, "validation": {"links": {"not_found": "info"}}}
    zensical = yaml.load((ROOT / "mkdocs.zensical.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    zensical = {**plain, "site_dir": "site-zensical", "theme": {**plain["theme"], **zensical["theme"], "custom_dir": "markdown/overrides"},
                "extra": {**plain["extra"], **zensical["extra"]}}
    for name, variant in (("mkdocs.yml", config), ("mkdocs.plain.yml", plain), ("mkdocs.zensical.yml", zensical),
                          ("mkdocs.no-bundle.yml", {**config, "plugins": others + without_bundle})):
        (project / name).write_text(yaml.safe_dump(variant, allow_unicode=True, sort_keys=False), encoding="utf-8")


def commit_all(project: Path) -> None:
    """One commit, so history is read from git as in a real checkout."""
    git = ["git", "-C", str(project), "-c", "user.name=refsite benchmark", "-c", "user.email=benchmark@example.invalid"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "Synthetic content for benchmarks"], check=True)


def make_project(scale: int, project: Path, content_dir: Path = ROOT / "content", git: bool = True,
                 copy_whole_content_figures: bool = False) -> dict:
    """A whole synthetic project at scale× the real content; returns what is in it (also saved as
    benchmark.json): record counts, and a fact and the page it is on, for the live-reload benchmark."""
    if (project / "content").exists() or project.resolve() == ROOT:
        raise SystemExit(f"{project} already holds a project: give an empty or new folder")
    project.mkdir(parents=True, exist_ok=True)
    real = real_content(content_dir)
    counts = write_content(real, scale, project / "content", copy_whole_content_figures)
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "docs-zensical", project / "docs-zensical")
    synthetic = records(project / "content")
    write_configs(project, records(content_dir), synthetic)
    probe = _probe(project, synthetic["topics"])
    manifest = {"scale": scale, "counts": counts, "whole_content_figures_copied": copy_whole_content_figures,
                "yaml_bytes": _bytes(project / "content"), "probe": probe}
    (project / "benchmark.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    if git:
        commit_all(project)
    return manifest


def _probe(project: Path, topics: list[dict]) -> dict:
    """The first fact listed on the first topic page, and the file it is in: the live-reload benchmark edits it."""
    topic = min(topics, key=lambda t: t["order"])
    fact_id = next(f for s in topic["sections"] for f in s.get("facts", []))
    for file in sorted((project / "content" / "facts").glob("*.yaml")):
        if f"id: {fact_id}\n" in file.read_text(encoding="utf-8"):
            return {"fact": fact_id, "file": str(file.relative_to(project)), "page": f"{topic['id']}/"}
    raise SystemExit(f"fact {fact_id} not found")


def _bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*.yaml"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of the real content (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="new folder for the project (never content/)")
    parser.add_argument("--no-git", action="store_true", help="do not make the project a git repository")
    parser.add_argument("--copy-whole-content-figures", action="store_true",
                        help="every copy keeps its threshold ladders too (each draws every threshold in content)")
    args = parser.parse_args()
    manifest = make_project(args.scale, args.out, git=not args.no_git,
                            copy_whole_content_figures=args.copy_whole_content_figures)
    print(json.dumps(manifest, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
