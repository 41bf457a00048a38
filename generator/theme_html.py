"""The theme's HTML, corrected where no template override can reach it.

Material's base.html writes the checkboxes that open the navigation drawer and the search
dialog with autocomplete="off", outside any block a theme override can replace. HTML
allows autocomplete only on inputs that take text, dates and the like, so the Nu HTML
Checker reports it on every page. The attribute is there to stop Firefox from restoring
a ticked box when a page is reloaded; without it, the worst case is a drawer or search
dialog that Firefox reopens after a reload, which Escape closes.
"""

from __future__ import annotations

# Material 9.8.2's markup, exactly: if an upgrade changes it, nothing is replaced and
# tests/test_html.py, which runs the Nu HTML Checker on every page, says so.
TOGGLES = {
    f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}" autocomplete="off">': (
        f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}">'
    )
    for name in ("drawer", "search")
}


def corrected(html: str) -> str:
    """A page's HTML as the theme wrote it, with the theme's invalid attributes taken out."""
    for theirs, ours in TOGGLES.items():
        html = html.replace(theirs, ours, 1)
    return html
