"""``python -m widgets.i18n COMMAND [LANGUAGE ...] [--only CATALOG.po ...]`` (every
translation when no language is named; every catalog unless ``--only`` names some):

    update   bring the catalogs in step with the English (new texts, stale ones marked)
    build    make notebooks/<language>/ from the English notebooks and the catalogs
    report   how complete each language is, part by part (``make content`` prints it)
    gaps     every text still missing, stale or broken, with its catalog
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from . import catalogs
from .catalogs import LOCALE_DIR, REPO


def _part(path) -> str:
    relative = path.relative_to(LOCALE_DIR).parts[1:]
    return relative[0].removesuffix(".po")  # widgets, data or lessons


def report(language: str) -> tuple[str, int]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    gap_count = 0
    for path, (wanted, found) in catalogs.gaps(language).items():
        counted = {(g.english, g.context) for g in found if g.kind != "unknown"}
        totals[_part(path)][0] += wanted
        totals[_part(path)][1] += wanted - len(counted)
        gap_count += len(found)
    shipped = "shipped" if language in catalogs.shipped() else "not shipped"
    words = ", ".join(
        f"{part} {done}/{wanted} ({100 * done // max(wanted, 1)}%)"
        for part, (wanted, done) in sorted(totals.items())
    )
    return f"{language} ({shipped}): {words}", gap_count


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in {"update", "build", "report", "gaps"}:
        print(__doc__)
        return 2
    only = None
    if "--only" in args:
        at = args.index("--only")
        only = {Path(p).resolve() for p in args[at + 1 :]}
        args = args[:at]
    command, languages = args[0], args[1:] or catalogs.translations()
    status = 0
    for language in languages:
        if command == "update":
            for path in catalogs.update(language, only):
                print(f"updated {path.relative_to(REPO)}")
        elif command == "build":
            for path in catalogs.build(language):
                print(f"made {path.relative_to(REPO)}")
        elif command == "report":
            line, _count = report(language)
            print(line)
        else:
            for found in catalogs.gaps(language, only).values():
                for gap in found[1]:
                    print(gap)
                    status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
