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
    assert "javascript" not in out and "<script" not in out and "onerror" not in out and "<img" not in out


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
