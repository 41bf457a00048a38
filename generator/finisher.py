"""The pages MkDocs has written, finished in a process of their own: the glossary's markup
(glossary.py) and the header search's synonyms (header_search.py).

Both are work on MkDocs' output that MkDocs does not need: done in its process they would
add to every page's time, on the core MkDocs builds pages on. Once a page is written, the
plugin sends the finisher the page's file and body, and the title and text of each entry
Material's search made of the page. The finisher marks the terms in the body and writes
the file again, and works out each entry's synonyms; at the end it gives them all back,
and the plugin adds them to the index before Material writes it. The build waits for it
before the site is used.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .background import in_background, said

if TYPE_CHECKING:
    from .glossary import Glossary
    from .header_search import EntryText
    from .vocabulary import Vocabulary


class FinishFailed(Exception):
    pass


class Finisher:
    def __init__(self, vocabularies: dict[str, Vocabulary]):
        context = multiprocessing.get_context("spawn")  # not fork: MkDocs' process may run other threads
        self._end, their_end = context.Pipe()
        self._process = context.Process(target=_finish_pages, args=(vocabularies, their_end), daemon=True)
        self._process.start()
        their_end.close()
        self._waiting: tuple | None = None  # the page MkDocs is about to write

    def page(self, path: str, body: str | None, entries: list[EntryText]) -> None:
        """A page MkDocs is about to write to path, with its body as it will be in the file
        (None: no glossary markup), and its search entries. It goes to the finisher once it
        is written: when the next one comes, or at the end."""
        if self._waiting is not None:
            self._send(("page", *self._waiting))
        self._waiting = (path, body, entries)

    def finish(self) -> list[str]:
        """Finish the last page, wait until all is done, and give the synonyms of every
        search entry sent, in the order they were sent."""
        if self._waiting is not None:
            self._send(("page", *self._waiting))
            self._waiting = None
        self._send(("finish",))
        try:
            reply = self._end.recv()
        except (EOFError, OSError):
            reply = ("failed", "it stopped before it had finished")
        if reply[0] == "failed":
            raise FinishFailed(f"the glossary and search synonyms could not be added: {reply[1]}")
        self._process.join()
        return reply[1]

    def _send(self, message: tuple) -> None:
        try:
            self._end.send(message)
        except OSError:
            raise FinishFailed("the glossary and search synonyms could not be added: the process stopped") from None

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _finish_pages(vocabularies: dict[str, Vocabulary], end) -> None:
    in_background()
    # It starts while MkDocs and the renderer are busy, and has time to spare: let them go first.
    os.nice(10)
    from .glossary import VOCABULARY, Glossary
    from .header_search import synonyms_of
    from .synonyms import synonyms

    glossary = Glossary(vocabularies.get(VOCABULARY))
    words = synonyms(vocabularies)
    entries_words: list[str] = []
    try:
        while True:
            message = end.recv()
            if message[0] == "page":
                _, path, body, entries = message
                if body is not None:
                    _mark_up(Path(path), body, glossary)
                entries_words += (synonyms_of(entry, words) for entry in entries)
            else:
                end.send(("finished", entries_words))
                return
    except (EOFError, BrokenPipeError):
        pass  # the build has gone
    except Exception as error:
        end.send(("failed", said(error)))


def _mark_up(page: Path, body: str, glossary: Glossary) -> None:
    """Mark the glossary's terms in the page's body, in the written page."""
    marked = glossary.marked_up(body)
    if marked != body:
        page.write_text(page.read_text(encoding="utf-8").replace(body, marked, 1), encoding="utf-8")
