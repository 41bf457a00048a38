"""The Markdown renderer's time grows in step with its input, whatever the input holds.

Python-Markdown took 330 s over a record of brackets that validated in half a second
(issue 14); these check that no shape of Markdown brings anything like it back."""

import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from generator.markup import markdown_block

SMALL, LARGE = 2_500, 20_000  # characters: 8 times as many, up to what a field may hold
# At 8 times the input, linear work takes 8 times as long and quadratic 64 times; the
# margin is for a shared machine, and the constant for inputs too quick to time closely.
MAX_RATIO, SLACK_SECONDS = 8 * 3, 0.02


def cpu_seconds(text: str) -> float:
    """The best of three: processor time, so that other work on the machine counts less."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        markdown_block(text)
        best = min(best, time.process_time() - start)
    return best


def sized(unit: str, length: int) -> str:
    """The unit repeated whole, to about `length` characters. Cut mid-unit, the small and
    the large text could end differently, and an ending can change how the whole text
    parses: `[[\\``[` cut at 2,500 characters rendered 40 times quicker than whole units,
    which made a linear case look quadratic."""
    return unit * max(1, length // len(unit))


def assert_linear(make) -> None:
    """`make(n)` is Markdown of about n characters; rendering it takes time in step with n."""
    small, large = make(SMALL), make(LARGE)
    small_seconds, large_seconds = cpu_seconds(small), cpu_seconds(large)
    allowed = MAX_RATIO * small_seconds * len(large) / len(small) / 8 + SLACK_SECONDS
    assert large_seconds < allowed, (small[:60], len(small), small_seconds, len(large), large_seconds)


def assert_memory_in_step(text: str) -> None:
    tracemalloc.start()
    try:
        markdown_block(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000 * len(text) + 5_000_000, (text[:60], len(text), peak)


# The shapes that have made Markdown renderers slow (CommonMark's "pathological" tests,
# and what broke this site), each as a unit repeated to length, or nested to depth.
KNOWN = {
    "brackets": "[",
    "closing brackets": "]",
    "nested brackets": None,  # "[" * n + "a" + "]" * n, made below
    "link openers": "[a",
    "link closers": "a]",
    "link openers and emphasis closers": "[ a_",
    "images": "![",
    "unclosed links": "[a](<b",
    "emphasis openers": "_a ",
    "emphasis closers": "a_ ",
    "emphasis runs": "**a",
    "nested strong and emphasis": "*a **a ",
    "mismatched emphasis": "*a_ ",
    "code spans": "`a",
    "backtick runs": "a``b```c",
    "angle brackets": "<",
    "html openers": "<a ",
    "html comments": "<!--",
    "entities": "&#",
    "autolinks": "<http://",
    "quotes": "> ",
    "list markers": "- ",
    "numbered list markers": "1. ",
    "link definitions": "[a]: /u\n[a]",
    "link definitions in quotes": "[a]: /u\n[a]: /u\n>>",
    "setext underlines": "a\n=\n",
    "backslashes": "\\",
    "long line": "word ",
}


def _known(name: str, length: int) -> str:
    if KNOWN[name] is None:
        half = length // 2
        return "[" * half + "a" + "]" * half
    return sized(KNOWN[name], length) + "x"


@pytest.mark.parametrize("name", list(KNOWN))
def test_known_hard_markdown_renders_in_linear_time_and_memory(name):
    assert_linear(lambda length: _known(name, length))
    assert_memory_in_step(_known(name, 5_000))


def test_lists_nested_by_indentation_render_in_linear_time():
    def nested(length: int) -> str:
        lines, size, depth = [], 0, 0
        while size < length:
            lines.append("  " * depth + "- item")
            size += len(lines[-1]) + 1
            depth += 1
        return "\n".join(lines)

    assert_linear(nested)


# Generated Markdown: a unit of syntax pieces, repeated to length (runs, nesting on one
# line, long lines) or put on lines indented deeper each time (list levels, quotes).
PIECES = st.sampled_from(
    ["[", "]", "(", ")", "](", "*", "**", "_", "__", "`", "``", "<", ">", "> ", "&#", "&", "!", "\\", "a", "b c", " ",
     "\n", "\n\n", "- ", "* ", "1. ", "    ", "  ", "http://x.y", "<!--", "-->", "[a]: /u\n", "#", "|", "~~", "="]
)  # fmt: skip
UNITS = st.lists(PIECES, min_size=1, max_size=12).map("".join)


@pytest.mark.slow
# No "explain" phase: on a failure it traces every line, which takes many minutes here.
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)
@given(unit=UNITS, indented=st.booleans())
@example(unit="[[\\``[", indented=False)
def test_generated_markdown_renders_in_linear_time(unit, indented):
    def make(length: int) -> str:
        if not indented:
            return sized(unit, length)
        lines, size, depth = [], 0, 0
        while size < length:
            lines.append("  " * (depth % 40) + unit.replace("\n", " "))
            size += len(lines[-1]) + 1
            depth += 1
        return "\n".join(lines)

    assert_linear(make)
