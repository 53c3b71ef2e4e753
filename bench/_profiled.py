"""Run a server module under cProfile, switched by signals (used by ``bench.cpu_profile``).

    python bench/_profiled.py OUT MODULE [ARGS...]

Runs ``python -m MODULE ARGS...`` in this process, from the working directory as
``-m`` would (so it works for a server started outside the repository). SIGUSR2 starts
profiling; SIGUSR1 stops it and writes the statistics to OUT (``pstats`` format). The
server then keeps running until it is stopped as usual.
"""

from __future__ import annotations

import os
import sys

# As for `python -m`: the working directory first, not this file's folder (whose
# modules must not stand in for others, e.g. the standard library's).
sys.path[0] = os.getcwd()

import cProfile  # noqa: E402
import runpy  # noqa: E402
import signal  # noqa: E402


def main() -> None:
    out, module, *args = sys.argv[1:]
    profile = cProfile.Profile()

    def start(*_):
        profile.enable()

    def stop(*_):
        profile.disable()
        profile.dump_stats(out + ".part")
        os.replace(out + ".part", out)  # OUT appears only once it is whole

    signal.signal(signal.SIGUSR2, start)
    signal.signal(signal.SIGUSR1, stop)
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
