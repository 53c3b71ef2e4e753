"""``make bench``: the course's measuring harness (a benchmark, not a test).

It starts the course's own server (``python -m widgets.server``) and, in the same
run, a default Voila (lab template, no voila.json) on the same lessons, and
measures for every lesson: server render time, browser time-to-interactive with
a timeline of where the time goes, server-side load with 1, 10 and 30 visitors
at once (render, kernel websocket, widget state; no browser per visitor),
memory (RSS and PSS) per live session and of the server, and kernels still
alive after the tabs close. Results go to ``artifacts/bench/bench.json`` and
``artifacts/bench/bench.md``.

Run: ``.venv/bin/python -m bench`` (``--help`` for options, ``--quick`` while
developing). Modules: ``stats`` (percentiles), ``procs`` (process tree,
smaps_rollup, settling), ``pages`` (what a page and its headers say),
``servers`` (start/stop Voila), ``load`` (simulated visitors), ``browser``
(Playwright), ``report`` (targets, ratios, Markdown), ``run`` (the CLI).
"""
