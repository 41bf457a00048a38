"""Record text reaches pages as text or cleaned Markdown, never as live markup."""

from generator.markup import markdown_block, markdown_inline


def test_inline_text_loses_all_markdown_and_html_meaning():
    out = markdown_inline("A *b* <script>x</script> [l](javascript:x) {{ x }}")
    assert "<" not in out and "*" not in out and "[" not in out and "{{" not in out
    assert "&#60;script&#62;" in out


def test_markdown_fields_keep_lists_and_safe_links_only():
    out = markdown_block(
        "- one\n- [ok](https://example.org)\n- [bad](javascript:alert(1))\n\n<script>alert(1)</script><img src=x onerror=alert(1)>"
    )
    assert "<li>one</li>" in out
    assert 'href="https://example.org"' in out
    assert 'href="javascript' not in out and "<script" not in out and "<img" not in out
    # Raw HTML stays text, shown as written.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in out


def test_bidirectional_controls_are_removed():
    assert "\u202e" not in markdown_inline("abc\u202edef")


def test_code_spans_escape_text_and_show_backticks_as_code():
    from generator.markup import code_spans

    assert str(code_spans("Use `as_stated` <b>here</b>")) == "Use <code>as_stated</code> &lt;b&gt;here&lt;/b&gt;"


def test_front_matter_text_is_escaped_for_the_theme():
    from generator.markup import front_matter

    assert (
        front_matter("A & B </title><script>x</script>\nnext")
        == "A &amp; B &lt;/title&gt;&lt;script&gt;x&lt;/script&gt; next"
    )


def test_links_keep_only_full_addresses():
    out = markdown_block(
        "[a](//evil.example/x) [b](/root) [c](page.html) [d](#part) [e](?q=1) [f](ftp://host/x) "
        "[g](https://example.org/) <a href='//evil.example/'>raw</a>"
    )
    assert out.count('href="') == 1 and 'href="https://example.org/"' in out
    assert "&lt;a href='//evil.example/'&gt;raw&lt;/a&gt;" in out  # raw HTML is shown as text, never a link


def test_markdown_the_page_would_change_is_named():
    from generator.markup import MAX_NESTING, markdown_problem

    assert markdown_problem("Plain text with [a link](https://example.org) and **bold**.") is None
    assert "the link '//evil.example/x' has no full address" in markdown_problem("[x](//evil.example/x)")
    # Reference-style links are not Markdown here (links are written inline): they stay text.
    assert markdown_problem("[x][r]\n\n[r]: /x") is None
    from generator.markup import markdown_block

    assert "<a" not in markdown_block("[x][r]\n\n[r]: https://example.org")
    assert markdown_problem("[x](javascript:alert(1))") is None  # never a link: it stays text
    deep = "".join("  " * level + "- item\n" for level in range(MAX_NESTING + 1))
    assert f"nested {MAX_NESTING + 1} levels deep; at most {MAX_NESTING}" in markdown_problem(deep)
    # Quotes are not Markdown here (a source's words go in a quotation field): "> " stays text.
    assert markdown_problem("> " * (MAX_NESTING + 1) + "quote") is None
    assert "<blockquote>" not in markdown_block("> quote") and "&gt; quote" in markdown_block("> quote")


def test_the_deepest_nesting_allowed_renders_whole():
    from generator.markup import MAX_NESTING, markdown_problem

    deepest = (
        "".join("  " * level + f"- item {level}\n" for level in range(MAX_NESTING - 1))
        + "  " * (MAX_NESTING - 1)
        + "- **last** [link](https://example.org)\n"
    )
    assert markdown_problem(deepest) is None
    out = markdown_block(deepest)
    assert out.count("<ul>") == MAX_NESTING
    assert "<strong>last</strong>" in out and 'href="https://example.org"' in out
