"""Several course servers behind HAProxy: ``python -m widgets.server.balance --workers N``.

One Voila process renders pages on one core. This starts N course servers (each a full
``python -m widgets.server`` on a port of its own on 127.0.0.1) and HAProxy in front of
them on the address the visitor uses. HAProxy gives each new visitor the next server in
turn and a cookie naming it, so every later request of that visitor (the page, its
kernel's websocket, the tab-close shutdown) goes to the server that holds the kernel.
The same recipe spreads the course over several machines: see ``docs/deploy.md``.

HAProxy comes from the system (Debian: ``apt-get install haproxy``); nothing else is
needed. ``make app WORKERS=2`` runs this; plain ``make app`` stays one process.

A workshop's room (``/course/room``) asked of one server is asked of every server, each
preparing its share of the room (``widgets.logic.room.room_share``), since the people
in the room are spread over the servers as they arrive.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from widgets.logic.room import KEY_ENV, PEERS_ENV

COOKIE = "course-server"
HEALTH = "/voila/static/voila.js"  # a cheap page every course server serves


def haproxy_config(ip: str, port: int, ports: list[int]) -> str:
    """HAProxy's configuration: one front door, the course servers behind it."""
    servers = "\n".join(
        f"    server w{n} 127.0.0.1:{p} cookie w{n} check inter 2s"
        for n, p in enumerate(ports, start=1)
    )
    return f"""# Made by widgets/server/balance.py
global
    maxconn 4096

defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    # A kernel's websocket stays open as long as its page.
    timeout tunnel 24h
    timeout http-request 30s

frontend course
    bind {ip}:{port}
    default_backend servers

backend servers
    # A new visitor gets the next server; the cookie keeps them there (their kernel is there).
    balance roundrobin
    cookie {COOKIE} insert indirect nocache httponly attr "SameSite=Lax"
    option httpchk
    http-check send meth GET uri {HEALTH}
{servers}
"""


def _free_ports(count: int) -> list[int]:
    import socket

    sockets, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def _ready(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTH}", timeout=2):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="course servers (default 2)")
    parser.add_argument("--port", type=int, default=8866, help="the address's port")
    parser.add_argument("--ip", default="127.0.0.1", help="the address (0.0.0.0: every one)")
    known, voila_args = parser.parse_known_args(argv)
    haproxy = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None
    )
    if haproxy is None:
        sys.exit("HAProxy is needed for several servers: apt-get install haproxy (Debian).")
    import secrets

    ports = _free_ports(known.workers)
    key = os.environ.get(KEY_ENV) or secrets.token_urlsafe(32)
    peers = [f"http://127.0.0.1:{p}" for p in ports]
    workers = []
    for port in ports:
        env = dict(os.environ)
        env[PEERS_ENV] = " ".join(u for u in peers if not u.endswith(f":{port}"))
        env[KEY_ENV] = key
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "widgets.server",
                    f"--port={port}",
                    "--Voila.ip=127.0.0.1",
                    "--Voila.port_retries=0",
                    *voila_args,
                ],
                env=env,
            )
        )
    config = Path(tempfile.mkdtemp(prefix="course-haproxy-")) / "haproxy.cfg"
    config.write_text(haproxy_config(known.ip, known.port, ports))
    balancer = None

    def stop(*_):
        for process in [balancer, *workers]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [balancer, *workers]:
            if process is not None:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for port in ports:
            if not _ready(port, 120):
                print(f"A course server (port {port}) did not start.", file=sys.stderr)
                stop()
        balancer = subprocess.Popen([haproxy, "-db", "-W", "-f", str(config)])
        print(
            f"The course is at http://{known.ip}:{known.port}/ "
            f"({known.workers} servers behind HAProxy: {' '.join(peers)})",
            flush=True,
        )
        while all(p.poll() is None for p in [balancer, *workers]):
            time.sleep(0.5)
        print("A server or HAProxy stopped; stopping the rest.", file=sys.stderr)
    finally:
        stop()


if __name__ == "__main__":
    main()
