"""What a page render costs the server, less: compiled templates kept between pages.

Voila makes a new exporter, and so a new Jinja environment, for every page it renders,
and compiles the page's templates again each time: about 15 templates (the course's,
Voila's ``lab`` and nbconvert's base), 0.25 s of the server's CPU per page, 40 % of what
the server spent on a crowd of 30 (``make bench`` profile, ``docs/upstream.md``). The
compiled code depends only on the template's source and the environment's settings,
which every page shares, so ``CompiledTemplates`` keeps it in memory and hands it to
each new environment (Jinja's documented ``BytecodeCache`` interface); a template whose
source changes is compiled again. ``widgets.server.voila_internals`` installs it on
Voila's exporter.
"""

from __future__ import annotations

import threading

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Compiled Jinja templates by (name, file, async, source checksum), in memory."""

    def __init__(self) -> None:
        self._code: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        key = (name, filename, environment.is_async, self.get_source_checksum(source))
        bucket = Bucket(environment, repr(key), key[-1])
        with self._lock:
            bucket.code = self._code.get(key)
        bucket.course_key = key  # type: ignore[attr-defined]
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        with self._lock:
            self._code[bucket.course_key] = bucket.code  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self._code)

    # Jinja calls these only through get_bucket/set_bucket, which keep code objects
    # themselves (no marshal round trip): nothing is read from or written to disk.
    def load_bytecode(self, bucket: Bucket) -> None:  # pragma: no cover - not used
        bucket.code = self._code.get(getattr(bucket, "course_key", None))

    def dump_bytecode(self, bucket: Bucket) -> None:  # pragma: no cover - not used
        self.set_bucket(bucket)


COMPILED = CompiledTemplates()
