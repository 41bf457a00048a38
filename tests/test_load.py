"""The YAML loader: positions, and refusing what PyYAML would silently accept."""

from generator.load import load_document


def load(tmp_path, text, name="record.yaml", raw=None):
    path = tmp_path / name
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(text, encoding="utf-8")
    return load_document(path)


def test_positions_point_at_values_and_keys(tmp_path):
    doc = load(tmp_path, "id: x\nthemes:\n  - a\n  - b\nplace:\n  area: Here\n")
    assert doc.data == {"id": "x", "themes": ["a", "b"], "place": {"area": "Here"}}
    assert doc.position(("themes", 1)) == (4, 5)
    assert doc.position(("place", "area")) == (6, 9)
    assert doc.position(("place", "area"), key=True) == (6, 3)
    assert doc.position(("place", "missing")) == (6, 3)  # falls back to the parent mapping


def test_dates_stay_text_for_the_schema_to_check(tmp_path):
    assert load(tmp_path, "published: 2026-11-27\n").data == {"published": "2026-11-27"}


def test_duplicate_keys_are_reported_with_both_lines(tmp_path):
    doc = load(tmp_path, "title: a\nsummary: b\ntitle: c\n")
    [problem] = doc.problems
    assert (problem.line, problem.column, problem.path) == (3, 1, "$.title")
    assert "first given on line 1" in problem.message


def test_aliases_are_refused_not_expanded(tmp_path):
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    doc = load(tmp_path, laughs)
    assert doc.problems and all("aliases" in p.message for p in doc.problems)


def test_python_tags_are_refused(tmp_path):
    doc = load(tmp_path, "title: !!python/object/apply:os.system ['echo hi']\n")
    assert "not allowed" in doc.problems[0].message


def test_empty_binary_and_non_utf8_files(tmp_path):
    assert "empty" in load(tmp_path, "").problems[0].message
    assert "binary" in load(tmp_path, None, raw=b"id: \x00\x01").problems[0].message
    problem = load(tmp_path, None, raw=b"id: ok\ntitle: caf\xe9\n").problems[0]
    assert "UTF-8" in problem.message and (problem.line, problem.column) == (2, 11)


def test_byte_order_mark_and_windows_line_endings_are_accepted(tmp_path):
    doc = load(tmp_path, None, raw=b"\xef\xbb\xbfid: x\r\ntitle: y\r\n")
    assert not doc.problems and doc.data == {"id": "x", "title": "y"}


def test_tabs_get_a_hint(tmp_path):
    problem = load(tmp_path, "place:\n\tarea: x\n").problems[0]
    assert problem.line == 2 and "tabs" in problem.message


def test_characters_yaml_forbids_are_reported_with_their_position(tmp_path):
    problem = load(tmp_path, "id: ok\ntitle: a\x1fb\n").problems[0]
    assert "U+001F" in problem.message and (problem.line, problem.column) == (2, 9)
