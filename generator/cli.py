"""The command line: validate, render, build, new, from-issue, migrate, schemas.

Exit status: 0 valid (or built), 1 invalid content, 2 bad usage, 3 an internal error.
No command prints a traceback: errors are one line each, naming file, line and field.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .model import KINDS
from .problems import FORMATS, ProblemWriter, UsageError, format_text

# Other modules are imported by the commands that use them: `build` starts its background
# processes before it loads anything heavy (jsonschema, MkDocs).


def project_root() -> Path:
    """The folder with content/ and schemas/: the working directory, else this checkout."""
    cwd = Path.cwd()
    if (cwd / "schemas").is_dir() and (cwd / "content").is_dir():
        return cwd
    return Path(__file__).resolve().parent.parent


def cmd_validate(args) -> int:
    from .validate import check_project

    writer = ProblemWriter(sys.stdout, args.format)
    result = check_project(args.root, [Path(p) for p in args.paths] or None, report=writer.add)
    writer.close()
    print(result.summary(), file=sys.stderr)
    return 0 if result.ok else 1


def _validated(root: Path):
    """The validation result when the content is valid; otherwise print the problems, and None."""
    from .validate import check_project

    writer = ProblemWriter(sys.stderr)
    result = check_project(root, report=writer.add)
    writer.close()
    if not result.ok:
        print(f"{result.summary()}; nothing was built", file=sys.stderr)
        return None
    return result


def site_url(root: Path) -> str:
    """mkdocs.yml's site_url, read with PyYAML alone: MkDocs' own config loader would also
    load and check every plugin and theme setting, which rendering has no use for."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may hold tags such as !!python/name for extensions; they do not matter here.
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError) as error:
        raise UsageError(f"cannot read site_url from {root / 'mkdocs.yml'}: {error}") from error
    url = config.get("site_url") if isinstance(config, dict) else None
    if not url:
        raise UsageError("set site_url in mkdocs.yml: the feed, open data and citations give full addresses")
    return url


def cmd_render(args) -> int:
    from .render import render_site
    from .site_files import write_docs_folder

    url = site_url(args.root)
    result = _validated(args.root)
    if result is None:
        return 1
    count = write_docs_folder(render_site(result.corpus, url), args.root / "docs", Path(args.out))
    print(f"wrote {count} generated files to {args.out}", file=sys.stderr)
    return 0


def cmd_build(args) -> int:
    """Build into a folder beside the site, then swap it in: a failed or killed build, or
    content that fails its checks, leaves the previous site as it was (swap.py). The
    content is checked and rendered in two other processes while MkDocs builds the pages
    here (background.py); the site is swapped in only once the checks have passed."""
    from . import swap
    from .background import BackgroundBuild

    site_dir = Path(args.site_dir).resolve()
    # Started before MkDocs is loaded; the verdict is wanted only once MkDocs has built the pages.
    background = BackgroundBuild(args.root, site_url(args.root), check_first=False)
    try:
        with swap.staging_folder(site_dir) as staging:
            built = _build_with_mkdocs(args, staging, background)
            verdict = background.report(sys.stderr)
            if not verdict.ok:
                print(f"{verdict.summary}; nothing was built", file=sys.stderr)
                return 1
            if built is not None:
                print(f"build failed: {built}; {site_dir.name}/ was left as it was", file=sys.stderr)
                return 1
            if args.offline:
                from .offline import make_offline

                make_offline(staging)
            swap.publish(staging, site_dir)
    except swap.Busy as busy:
        raise UsageError(str(busy)) from None
    finally:
        background.close()
    print(f"built the site into {site_dir}", file=sys.stderr)
    return 0


def _build_with_mkdocs(args, staging: Path, background) -> str | None:
    """MkDocs' build into the staging folder; None, or why it failed."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .plugin import WhatWorksPlugin

    # MkDocs' warnings and errors, as `mkdocs build` shows them (strict mode fails on a warning).
    shown = logging.StreamHandler(sys.stderr)
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logging.getLogger("mkdocs").addHandler(shown)
    try:
        # Offline, Material's header search is left out: its web worker cannot run from file://.
        plugins = {"plugins": ["whatworks"]} if args.offline else {}
        config = load_config(str(args.root / "mkdocs.yml"), strict=True, site_dir=str(staging), **plugins)  # type: ignore[arg-type]
        plugin = config.plugins.get("whatworks")
        if isinstance(plugin, WhatWorksPlugin):
            plugin.background = background
        build(config)
    except (MkDocsException, SystemExit) as error:
        return str(error)
    finally:
        logging.getLogger("mkdocs").removeHandler(shown)
    return None


def cmd_new(args) -> int:
    import datetime

    from .load import load_document
    from .model import Corpus
    from .scaffold import ScaffoldError, scaffold
    from .schemas import load_schema_set

    # The schemas are all a new record needs; the files in content/ say which ids are taken.
    schema_set, problems = load_schema_set(args.root / "schemas", load_document)
    if problems:
        sys.stderr.write(format_text(problems))
        return 1
    try:
        path, text = scaffold(Corpus(args.root, schema_set), args.kind, args.title, datetime.date.today(), args.id)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as stream:  # "x": never overwrite, even in a race
            stream.write(text)
    except FileExistsError:
        print(f"error: {path.relative_to(args.root)} already exists; choose a different title or --id", file=sys.stderr)
        return 1
    print(f"wrote {path.relative_to(args.root)}: replace every TODO, then run `make validate`", file=sys.stderr)
    return 0


def cmd_from_issue(args) -> int:
    import datetime

    from .from_issue import record_from_issue
    from .scaffold import ScaffoldError
    from .validate import check_project

    try:
        body = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the issue body {args.file}: {error}") from error
    result = check_project(args.root)
    try:
        path, text = record_from_issue(result.corpus, body, datetime.date.today())
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:  # never overwrite a record
        stream.write(text)
    print(path.relative_to(args.root))  # for the workflow that opens the pull request
    print("wrote it: replace every TODO with the contributor, then run `make validate`", file=sys.stderr)
    return 0


def cmd_migrate(args) -> int:
    from .load import load_document
    from .migrate import describe, migrate_project
    from .schemas import load_schema_set

    schema_set, problems = load_schema_set(args.root / "schemas", load_document)
    if problems:
        sys.stderr.write(format_text(problems))
        return 1
    outcomes = migrate_project(args.root, schema_set, write=not args.check)
    for outcome in outcomes:
        if outcome.error or outcome.changed:
            print(describe(outcome), file=sys.stderr)
    errors = sum(1 for o in outcomes if o.error)
    changed = sum(1 for o in outcomes if o.changed)
    verb = "need migrating" if args.check else "migrated"
    print(f"{len(outcomes)} records: {changed} {verb}, {errors} could not be read", file=sys.stderr)
    return 1 if errors or (args.check and changed) else 0


def cmd_schemas(args) -> int:
    """Write schemas/vocabularies/<id>.schema.json from the vocabularies' YAML files, so that
    tools other than the generator (check-jsonschema, editors) find every vocabulary as JSON Schema."""
    from .load import load_document
    from .schemas import SCHEMA_SUFFIX, VOCABULARY_FOLDER, load_schema_set, vocabulary_schema_files

    schemas_dir = args.root / "schemas"
    schema_set, problems = load_schema_set(schemas_dir, load_document)
    if problems:
        sys.stderr.write(format_text(problems))
        return 1
    wanted = vocabulary_schema_files(schema_set)
    present = {
        str(path.relative_to(schemas_dir)): path.read_text(encoding="utf-8")
        for path in sorted((schemas_dir / VOCABULARY_FOLDER).glob("*" + SCHEMA_SUFFIX))
    }
    stale = sorted(path for path in present.keys() - wanted.keys())
    changed = sorted(path for path, text in wanted.items() if present.get(path) != text)
    for path in changed + stale:
        state = "out of date" if path in present else "missing"
        if path in stale:
            state = "stale: no vocabulary has its name"
        print(f"schemas/{path}: {state}", file=sys.stderr)
    if args.check:
        if changed or stale:
            print("run `python -m generator schemas` (make schemas) and commit the result", file=sys.stderr)
        return 1 if changed or stale else 0
    for path in changed:
        (schemas_dir / path).write_text(wanted[path], encoding="utf-8")
    for path in stale:
        (schemas_dir / path).unlink()
    print(f"{len(wanted)} vocabulary schemas: {len(changed)} written, {len(stale)} removed", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m generator", description="Validate and build the What Works knowledge base."
    )
    top.add_argument(
        "--root", type=Path, default=None, help="project folder (default: the one holding content/ and schemas/)"
    )
    commands = top.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check records against the schemas, vocabularies and each other")
    validate.add_argument("paths", nargs="*", help="files or folders to check (default: all of content/)")
    validate.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (FILE:LINE:COL: $.path: message), github annotations, or json",
    )
    validate.set_defaults(run=cmd_validate)

    render = commands.add_parser("render", help="write the generated pages as a plain MkDocs docs folder")
    render.add_argument("--out", required=True, help="folder to write (created if missing)")
    render.set_defaults(run=cmd_render)

    build = commands.add_parser("build", help="validate, then build the site with MkDocs into --site-dir")
    build.add_argument("--site-dir", default="site", help="where the built site goes (default: site)")
    build.add_argument(
        "--offline", action="store_true", help="a copy that works opened from disk (file://), for previews"
    )
    build.set_defaults(run=cmd_build)
    new = commands.add_parser("new", help="write a new record with every field, ready to fill in")
    new.add_argument("kind", choices=sorted(KINDS), help="the kind of record")
    new.add_argument("--title", required=True, help="its title")
    new.add_argument("--id", help="its id and file name (default: made from the title)")
    new.set_defaults(run=cmd_new)

    schemas = commands.add_parser(
        "schemas", help="write schemas/vocabularies/<id>.schema.json from the vocabularies' YAML files"
    )
    schemas.add_argument("--check", action="store_true", help="only report files that are out of date (exit 1 if any)")
    schemas.set_defaults(run=cmd_schemas)
    from_issue = commands.add_parser(
        "from-issue", help="a new exemplar from a 'Share a project' issue's Markdown body, TODOs for what it lacks"
    )
    from_issue.add_argument("file", help="the issue body, as GitHub writes it (### headings, then answers)")
    from_issue.set_defaults(run=cmd_from_issue)

    migrate = commands.add_parser("migrate", help="bring every record up to the current schema version")
    migrate.add_argument("--check", action="store_true", help="only report records that need migrating (exit 1 if any)")
    migrate.set_defaults(run=cmd_migrate)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root = (args.root or project_root()).resolve()
    try:
        return args.run(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the promise is no traceback, ever; say what broke instead
        said = str(error) if len(str(error)) <= 300 else str(error)[:297] + "..."
        print(f"internal error ({type(error).__name__}): {said}. Please report it.", file=sys.stderr)
        return 3
