"""Compiled templates, kept on disk from one build to the next.

Compiling a Jinja template takes longer than rendering it several times: a build compiles
ours (in the renderer) and the theme's (in MkDocs' process) on every run, a tenth of a
second at 100 records. Jinja's own cache keeps each compiled template in a folder of the
user's temporary directory, readable by the user only, and compiles it again whenever its
source changes; each file is written whole, then renamed, so that two builds at once never
read half a file.
"""

from __future__ import annotations

from jinja2 import BytecodeCache, FileSystemBytecodeCache
from jinja2.bccache import Bucket


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache, for which a full or failing temporary folder only means compiling."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def compiled_templates() -> BytecodeCache | None:
    """Jinja's cache in its usual folder, or None where the folder cannot be made or is not
    safe to use (owned by another user, say): the build then compiles every template."""
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):
        return None
