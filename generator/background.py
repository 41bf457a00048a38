"""The content's share of a build, done in two processes beside MkDocs' own.

MkDocs builds pages on one core. Everything the content needs besides that runs on the
other, in two spawned processes started before MkDocs has loaded its configuration:

- the checker runs the whole validator (check_project) and sends its problems and verdict;
- the renderer lists the pages from the record files' names (so that MkDocs can lay out
  the site at once), reads the records without checking them (validate.load_unchecked),
  then sends each page as it is rendered, then the data files, the feed, the redirects
  and the finder's index.

Nothing made from content that fails the checks is ever published: `python -m generator
build` builds into a staging folder and waits for the verdict before it swaps the site in
(swap.py), and a plain `mkdocs build`, which writes into site/ itself, waits for the verdict
before MkDocs touches site/. Content the checks would refuse may make the renderer fail;
the verdict then says why, rather than the renderer's error.

Files cross as zlib-compressed bytes; a thread in MkDocs' process receives them as they
come, so that the renderer never waits for MkDocs to ask.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import traceback
import zlib
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TextIO

from .problems import Problem, ProblemWriter
from .vocabulary import Vocabulary

BATCH = 16  # files per message from the renderer


class ContentFailed(Exception):
    """The content cannot be built: the checks failed, or the renderer did (the message says which)."""


@dataclass
class Plan:
    """What the renderer knows once the records are read."""

    pages: list[tuple[str, str | None]]  # (docs path, repository file to edit) of each page, in order
    vocabularies: dict[str, Vocabulary]


@dataclass
class Verdict:
    ok: bool
    summary: str  # validate.Result.summary()


@dataclass
class _Received:
    """What has come from the two processes so far."""

    plan: Plan | None = None
    epoch: int | None = None  # the newest record date as a Unix time (Corpus.epoch), once the records are read
    # docs path -> (zlib-compressed content, whether it is text, the file to edit for it)
    files: dict[str, tuple[bytes, bool, str | None]] = field(default_factory=dict)
    data_files: list[str] = field(default_factory=list)  # paths of the files other than pages, in order
    rendered: bool = False  # every file has come
    render_error: str | None = None
    problems: list[Problem] = field(default_factory=list)
    verdict: Verdict | None = None
    check_error: str | None = None


class BackgroundBuild:
    """The two processes, and what they have sent. Every method that returns something
    they send waits for it, and raises ContentFailed if it cannot come."""

    def __init__(self, root: Path, site_url: str, check_first: bool = True):
        """Start the renderer, and the checker too if check_first; otherwise the checker
        starts once the renderer is done: the renderer has the second core to itself, and
        the two never hold the records in memory at the same time. (MkDocs takes longer
        than the two together: the verdict still comes before the pages are all built.)"""
        # The renderer is forked when it can be, as it starts at once (MkDocs soon waits for its
        # first pages); fork is safe only while this process runs no other thread (mkdocs
        # serve, a test runner may). The checker, started later from a thread, is spawned:
        # a new Python that imports what it needs.
        spawn = multiprocessing.get_context("spawn")
        self._checks, self._checks_end = spawn.Pipe(duplex=False)
        self._renders, renders_end = spawn.Pipe(duplex=False)
        self._checker = spawn.Process(target=_check, args=(root, self._checks_end), daemon=True)
        forked = threading.active_count() == 1
        # A forked renderer has copies of this process's ends of the pipes: it closes them, or
        # a pipe would never break when this process is gone, and it would wait for ever.
        inherited = (self._renders, self._checks, self._checks_end) if forked else ()
        # Not a daemon: a daemon may not start processes, and the renderer reads with two (close() stops it).
        self._renderer = (multiprocessing.get_context("fork") if forked else spawn).Process(
            target=_render, args=(root, site_url, renders_end, inherited)
        )
        self._renderer.start()
        renders_end.close()  # so that a process that dies is seen as an end of its pipe here
        self._received = _Received()
        self._changed = threading.Condition()
        self._closed = False
        if check_first:
            self._start_checker()
        self._receiver = threading.Thread(target=self._receive, daemon=True, name="whatworks-receiver")
        self._receiver.start()

    def _start_checker(self) -> None:
        if self._checker.pid is None and not self._closed:
            self._checker.start()
            self._checks_end.close()

    def _receive(self) -> None:
        open_ends = [self._checks, self._renders]
        while open_ends:
            for end in wait(open_ends):
                assert isinstance(end, Connection)
                try:
                    message = end.recv()
                except (EOFError, OSError):
                    message = ("ended",)
                with self._changed:
                    if self._take(end is self._checks, message):
                        open_ends.remove(end)
                    if end is self._renders and message[0] in ("rendered", "failed", "ended"):
                        # The renderer is done, or cannot go on: the checker's turn, whose
                        # verdict also says whether the content is to blame for a failure.
                        self._start_checker()
                    self._changed.notify_all()

    def _take(self, from_checker: bool, message: tuple) -> bool:
        """Keep a message; True when its process has nothing more to send."""
        received, what = self._received, message[0]
        if what == "problems":
            received.problems.extend(message[1])
        elif what == "verdict":
            received.verdict = message[1]
        elif what == "plan":
            received.plan = message[1]
        elif what == "epoch":
            received.epoch = message[1]
        elif what == "files":
            for path, data, is_text, source, is_page in message[1]:
                received.files[path] = (data, is_text, source)
                if not is_page:
                    received.data_files.append(path)
        elif what == "rendered":
            received.rendered = True
        elif what == "failed" or what == "ended":
            error = message[1] if what == "failed" else "it stopped before it had finished"
            if from_checker and received.verdict is None:
                received.check_error = error
            elif not from_checker and not received.rendered:
                received.render_error = error
        return what in ("verdict", "rendered", "failed", "ended")

    def _until(self, ready):
        """Wait until ready() gives something, and give it; ContentFailed as soon as the
        checks have failed, or the renderer has and what is waited for is its."""
        with self._changed:
            while True:
                received = self._received
                if received.verdict is not None and not received.verdict.ok:
                    raise ContentFailed(received.verdict.summary)
                if received.check_error is not None:
                    raise ContentFailed(f"the validator failed: {received.check_error}")
                value = ready(received)
                if value is not None:
                    return value
                if received.render_error is not None and received.verdict is not None:
                    raise ContentFailed(f"the pages could not be made: {received.render_error}")
                self._changed.wait()  # for what is waited for, or, if the renderer failed, the verdict

    def verdict(self) -> tuple[Verdict, list[Problem]]:
        """The checks' verdict and problems (errors and warnings); never raises for invalid content."""
        with self._changed:
            while self._received.verdict is None and self._received.check_error is None:
                self._changed.wait()
            if self._received.check_error is not None:
                raise ContentFailed(f"the validator failed: {self._received.check_error}")
            verdict, problems, self._received.problems = self._received.verdict, self._received.problems, []
            assert verdict is not None
            return verdict, problems

    def report(self, stream: TextIO) -> Verdict:
        """Print the checks' problems (errors and warnings) as `validate` prints them, and give the verdict."""
        verdict, problems = self.verdict()
        writer = ProblemWriter(stream)
        writer.add(problems)
        writer.close()
        return verdict

    def failed(self) -> bool:
        """Whether the checks have already failed (without waiting for them)."""
        verdict = self._received.verdict
        return verdict is not None and not verdict.ok

    def plan(self) -> Plan:
        return self._until(lambda received: received.plan)

    def epoch(self) -> int:
        return self._until(lambda received: received.epoch)

    def take(self, path: str) -> tuple[bytes, bool]:
        """A file's zlib-compressed content and whether it is text; let go of here once taken."""
        data, is_text, _ = self._until(lambda received: received.files.get(path))
        with self._changed:
            self._received.files[path] = (b"", is_text, None)
        return data, is_text

    def data_files(self) -> list[tuple[str, str | None]]:
        """(docs path, file to edit) of every file other than the pages, once all have come."""
        self._until(lambda received: received.rendered or None)
        return [(path, self._received.files[path][2]) for path in self._received.data_files]

    def close(self) -> None:
        with self._changed:
            self._closed = True
        for process in (self._checker, self._renderer):
            if process.pid is not None:
                if process.is_alive():
                    process.terminate()
                process.join()


# In the spawned processes. Each sends ("failed", why) rather than die with a traceback.


def _check(root: Path, end: Connection) -> None:
    in_background()
    # Its verdict is wanted only at the end of the build: let MkDocs and the renderer go first.
    os.nice(10)
    from .validate import check_project

    try:
        result = check_project(root, report=lambda problems: end.send(("problems", problems)))
        end.send(("verdict", Verdict(result.ok, result.summary())))
    except BrokenPipeError:
        pass  # the build has gone
    except Exception as error:
        end.send(("failed", said(error)))
    finally:
        end.close()


def _render(root: Path, site_url: str, end: Connection, inherited: tuple[Connection, ...]) -> None:
    from .finder import data_files as finder_data_files
    from .load import load_document
    from .render import environment, plan_pages, render_data
    from .schemas import load_schema_set
    from .site import Site
    from .validate import Unreadable, record_files_by_kind

    # Files go in batches: each message wakes MkDocs' process, which has better things to do.
    # The first page goes alone, as MkDocs is waiting for it.
    batch: list[tuple] = []
    sent_any = False

    def send(path: str, content: str | bytes, source: str | None, is_page: bool) -> None:
        data = zlib.compress(content.encode("utf-8") if isinstance(content, str) else content, 1)
        batch.append((path, data, isinstance(content, str), source, is_page))
        if len(batch) >= BATCH or not sent_any:
            flush()

    def flush() -> None:
        nonlocal sent_any
        if batch:
            end.send(("files", batch[:]))
            batch.clear()
            sent_any = True

    for other in inherited:
        other.close()
    in_background()
    try:
        schema_set, problems = load_schema_set(root / "schemas", load_document)
        if problems:
            raise Unreadable(problems[0].file)
        # The pages are known from the files' names: MkDocs can lay out the site while the records are read.
        files = record_files_by_kind(root / "content")
        pages = plan_pages(schema_set, {name: [path.stem for path in paths] for name, paths in files.items()})
        end.send(("plan", Plan([(p.src_uri, p.source) for p in pages], schema_set.vocabularies)))
        corpus = _read_records(root, schema_set, files)
        end.send(("epoch", corpus.epoch()))
        site = Site(corpus, site_url)
        env = environment(site)
        for planned in pages:
            rendered = planned.render(site, env)
            send(rendered.src_uri, rendered.content, rendered.source, True)
        flush()
        for generated in render_data(site, env):
            send(generated.src_uri, generated.content, generated.source, False)
        for path, content in finder_data_files(site).items():
            send(path, content, None, False)
        flush()
        end.send(("rendered",))
    except BrokenPipeError:
        pass  # the build has gone
    except Unreadable as unreadable:
        end.send(("failed", f"{unreadable} cannot be read as a record"))
    except Exception as error:
        end.send(("failed", said(error)))
    finally:
        end.close()


READ_IN_TWO_FROM = 500  # records: below this, starting a process to read half of them saves nothing


def _read_records(root: Path, schema_set, files: dict[str, list[Path]]):
    """The records, unchecked (validate.load_unchecked). MkDocs waits for them, its core
    idle: from READ_IN_TWO_FROM records on, a second process reads half of them. It is
    forked, which is safe here: this process runs no other thread yet."""
    from concurrent.futures import ProcessPoolExecutor

    from .validate import load_unchecked

    if sum(len(paths) for paths in files.values()) < READ_IN_TWO_FROM:
        return load_unchecked(root, schema_set, files)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        return load_unchecked(root, schema_set, files, pool)


def in_background() -> None:
    """For a process the build starts (these two, the finisher). Ctrl-C reaches every
    process of the terminal's group: the build stops its own processes itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def said(error: Exception) -> str:
    """An error in one line, with the file and line it came from: what a process the build
    started sends back rather than die with a traceback."""
    where = traceback.extract_tb(error.__traceback__)[-1]
    return f"{type(error).__name__}: {error} ({Path(where.filename).name}, line {where.lineno})"
