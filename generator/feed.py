"""An Atom feed of the records at /feed.xml, newest change first.

Timestamps come from each record's own dates (published, updated), never from the clock,
so the feed is the same on every build of the same content.
"""

from __future__ import annotations

from jinja2 import Environment

from .model import Record
from .site import EDITORS, LICENCE, SITE_NAME, GeneratedFile, Site

FEED_PATH = "feed.xml"


def timestamp(date: str) -> str:
    """A record date (YYYY-MM-DD) as an Atom date-time: midnight UTC that day."""
    return f"{date}T00:00:00Z"


def entries(site: Site) -> list[Record]:
    records = site.corpus.all_records()
    records.sort(key=lambda r: (r.kind.folder, r.id))  # a fixed order for records changed on the same day
    return sorted(records, key=lambda r: (r.data["dates"]["updated"], r.data["dates"]["published"]), reverse=True)


def render_feed(site: Site, env: Environment) -> list[GeneratedFile]:
    records = entries(site)
    updated = max((r.data["dates"]["updated"] for r in records), default="1970-01-01")
    content = env.get_template("feed.xml.j2").render(
        site=site,
        records=records,
        updated=timestamp(updated),
        timestamp=timestamp,
        feed_url=site.absolute(FEED_PATH),
        site_name=SITE_NAME,
        editors=EDITORS,
        licence=LICENCE,
    )
    return [GeneratedFile(FEED_PATH, content)]
