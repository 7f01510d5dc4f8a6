"""The YAML loader: YAML 1.2 scalars, marks, and every kind of unreadable file."""

from pathlib import Path

from generator.load import MAX_FILE_BYTES, load_document


def load_text(tmp_path: Path, text: str | bytes):
    file = tmp_path / "x.yaml"
    file.write_bytes(text if isinstance(text, bytes) else text.encode())
    return load_document(file, "x.yaml")


def test_yaml_12_scalars_do_not_surprise(tmp_path):
    doc, problems = load_text(tmp_path, "a: no\nb: 1:10\nc: 010\nd: 2026-11-21\ne: yes\nf: 1.5\ng: ~\nh: true\n")
    assert problems == []
    assert doc.data == {"a": "no", "b": "1:10", "c": 10, "d": "2026-11-21", "e": "yes", "f": 1.5, "g": None, "h": True}


def test_marks_point_at_values_and_keys(tmp_path):
    doc, _ = load_text(tmp_path, "- id: one\n  list:\n    - x\n    - y\n")
    assert doc.mark((0, "list", 1)) == (4, 7)
    assert doc.mark((0, "id"), key=True) == (1, 3)
    assert doc.mark((0, "missing", "deeper")) == (1, 3)  # falls back to the nearest enclosing value


def test_duplicate_key_names_both_lines(tmp_path):
    _, problems = load_text(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert [(p.line, p.column) for p in problems] == [(3, 1)]
    assert "duplicate key 'a' (first given on line 1)" in problems[0].message


def test_syntax_error_has_line(tmp_path):
    _, problems = load_text(tmp_path, "a: 1\nb: [unclosed\nc: 2\n")
    assert len(problems) == 1 and problems[0].line == 3
    assert problems[0].message.startswith("YAML syntax error")


def test_tab_indentation_says_use_spaces(tmp_path):
    _, problems = load_text(tmp_path, "a:\n\tb: 1\n")
    assert problems[0].line == 2 and "tabs" in problems[0].hint


def test_aliases_are_rejected_without_expanding(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    _, problems = load_text(tmp_path, "\n".join(lines) + "\n")
    assert problems and all("aliases" in p.message for p in problems)
    assert problems[0].line == 2


def test_empty_binary_non_utf8_and_huge_files(tmp_path):
    assert "empty" in load_text(tmp_path, "# only a comment\n")[1][0].message
    assert "binary" in load_text(tmp_path, b"\x89PNG\x00\x00")[1][0].message
    bad = load_text(tmp_path, "a: 1\nb: caf\xe9\n".encode("latin-1"))[1][0]
    assert "UTF-8" in bad.message and bad.line == 2
    assert "limit" in load_text(tmp_path, "a: " + "x" * (MAX_FILE_BYTES + 1))[1][0].message


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path):
    _, problems = load_text(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems and "nested too deeply" in problems[0].message


def test_control_character_is_a_problem_at_its_place_not_a_traceback(tmp_path):
    _, problems = load_text(tmp_path, "a: 1\nb: caf\x07e\n")
    assert [(p.line, p.column) for p in problems] == [(2, 7)]
    assert "control character U+0007" in problems[0].message


def _read_by(loader_class, text: str):
    """A document read with one composer only (parse_document picks the fastest safe one)."""
    import generator.load as load

    original = load._compose
    load._compose = lambda text, lines: load.compose_with(loader_class, text)
    try:
        return load.parse_document(text, "x.yaml")
    finally:
        load._compose = original


def test_libyaml_composer_reads_content_exactly_as_the_checked_one():
    """The fast path (libyaml's own composer) gives the same data, marks and problems as the
    composer that notes aliases and depth, on every real content file and on broken text."""
    import pytest

    from generator import load
    if load._CYaml12Loader is None:
        pytest.skip("PyYAML without libyaml")
    root = Path(__file__).resolve().parent.parent / "content"
    texts = [f.read_text(encoding="utf-8") for f in sorted(root.glob("*/*.yaml"))]
    texts += ["a: !!python/object x\n", "a: 1\na: 2\n", "? [x]\n: 1\n", "- " * 39 + "x\n", "- " * 41 + "x\n",
              "a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(45)) + "  " * 46 + "end\n"]
    for text in texts:
        fast, fast_problems = _read_by(load._CYaml12Loader, text)
        checked, checked_problems = _read_by(load._FastYaml12Loader, text)
        assert fast_problems == checked_problems
        assert (fast.data, fast.value_marks, fast.key_marks) == (checked.data, checked.value_marks, checked.key_marks)


def test_text_that_could_hold_an_alias_takes_the_composer_that_refuses_them(tmp_path):
    from generator.load import _may_hold_alias
    assert not _may_hold_alias("unit: 10*9/L\nnote: 2*3 and x*y\n")
    for alias in ("a: *x\n", "- *x\n", "[*x]\n", '{"a":*x}\n', "*x: 1\n", "a: [1, *x]\n"):
        assert _may_hold_alias(alias), alias
    _, problems = load_text(tmp_path, 'b: &x 1\na: {"k":*x}\n')
    assert problems and "aliases" in problems[0].message and problems[0].line == 2
