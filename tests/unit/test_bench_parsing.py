"""The bench's parsers: /proc files, pages, cookies, command lines, options (pure)."""

from __future__ import annotations

import json

import pytest

from bench import kernel_cost, load, machine, pages, procs, run, servers

SMAPS = """55d0c0a00000-7ffd5a5f2000 ---p 00000000 00:00 0                          [rollup]
Rss:               54321 kB
Pss:               38000 kB
Pss_Anon:          20000 kB
Shared_Clean:      15000 kB
Private_Clean:      1000 kB
Private_Dirty:     20000 kB
Swap:                  0 kB
"""

KID = "3a90aef2-dd98-47d6-9d93-e28f33d32f41"
PAGE = f"""<html><head>
<script id="jupyter-config-data" type="application/json">
  {{"appVersion": "0.5.13", "kernelId": "{KID}", "progressiveRendering": false}}
</script></head><body>
<script type="application/vnd.jupyter.widget-view+json">{{"model_id": "abc"}}</script>
</body></html>"""


def test_smaps_rollup_fields_are_read_in_bytes():
    fields = procs.parse_smaps_rollup(SMAPS)
    assert fields["Rss"] == 54321 * 1024
    assert fields["Pss"] == 38000 * 1024
    assert "Private_Dirty" in fields
    assert procs.unique_bytes(fields) == 21000 * 1024


def test_unique_bytes_is_none_without_private_fields():
    assert procs.unique_bytes({"Rss": 1}) is None


def test_stat_is_read_after_the_command_name_even_with_spaces_and_parens():
    fields = [
        "S",
        "4242",
        "1",
        "1",
        "0",
        "-1",
        "4194304",
        "100",
        "0",
        "0",
        "0",
        "250",
        "50",
        "7",
        "3",
        "20",
        "0",
        "1",
        "0",
    ]
    st = procs.parse_stat("1234 (python (x) y) " + " ".join(fields))
    assert st["ppid"] == 4242 and st["state"] == "S"
    assert st["cpu_s"] == pytest.approx(300 / procs.CLOCK_TICKS)
    assert st["children_cpu_s"] == pytest.approx(10 / procs.CLOCK_TICKS)  # reaped children


def test_descendants_of_this_process_include_a_child_we_start():
    import os
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in procs.descendants(os.getpid())
        assert procs.alive(child.pid)
        assert procs.proc_mem(child.pid).rss > 0
    finally:
        child.kill()
        child.wait()
    assert not procs.alive(child.pid)


def test_kernel_id_comes_from_the_kernels_connection_file():
    cmd = ["/venv/bin/python", "-m", "ipykernel_launcher", "-f", f"/tmp/voila_x/kernel-{KID}.json"]
    assert procs.kernel_id_from_cmdline(cmd) == KID
    lean = [
        "/venv/bin/python",
        "/repo/share/course-kernel/kernels/python3/launch.py",
        "-f",
        f"/tmp/voila_x/kernel-{KID}.json",
        "--HistoryManager.enabled=False",
    ]
    assert procs.kernel_id_from_cmdline(lean) == KID
    assert procs.kernel_id_from_cmdline(["/venv/bin/python", "-m", "widgets.server"]) is None
    # a non-kernel process that happens to mention a kernel file is not a kernel
    assert procs.kernel_id_from_cmdline(["cat", f"kernel-{KID}.json"]) is None


def test_page_config_gives_kernel_id_progressive_flag_and_widgets():
    assert pages.config_data(PAGE)["appVersion"] == "0.5.13"
    assert pages.kernel_id(PAGE) == KID
    assert pages.is_progressive(PAGE) is False
    assert pages.is_progressive(
        PAGE.replace('"progressiveRendering": false', '"progressiveRendering": true')
    )
    assert pages.has_widget_views(PAGE)
    assert not pages.has_widget_views("<p>no widgets</p>")
    outputs = (
        '<div class="jp-OutputArea-child jp-OutputArea-executeResult">'
        '<div class="jp-OutputArea-child">'
        '<div class="jp-OutputArea-childish">'
    )
    assert pages.output_count(outputs) == 2
    assert pages.output_count(PAGE) == 0


def test_a_page_without_config_or_kernel_is_an_error():
    with pytest.raises(pages.PageError):
        pages.kernel_id("<html></html>")
    with pytest.raises(pages.PageError):
        pages.kernel_id(PAGE.replace(f'"kernelId": "{KID}", ', ""))
    with pytest.raises(pages.PageError):
        pages.config_data('<script id="jupyter-config-data">{not json</script>')
    assert pages.is_progressive("<html></html>") is False


def test_cookies_are_read_from_real_voila_headers():
    headers = [
        'username-127-0-0-1-18901="2|1:0|10:1795643865|24:username-127-0-0-1-18901|8:eyJ1Ijo'
        'gMX0=|2a19"; expires=Fri, 25 Dec 2026 21:57:45 GMT; HttpOnly; Path=/',
        "_xsrf=2|4629afd9|a530c7c9b4fc3cf3414c73a159c0071e|1795643865; "
        "expires=Fri, 25 Dec 2026 21:57:45 GMT; Path=/",
    ]
    jar = pages.cookies_from_headers(headers)
    assert jar["_xsrf"] == "2|4629afd9|a530c7c9b4fc3cf3414c73a159c0071e|1795643865"
    assert jar["username-127-0-0-1-18901"].startswith("2|1:0|")
    assert pages.cookie_header({"a": "1", "b": "2"}) == "a=1; b=2"
    assert pages.cookies_from_headers([]) == {}


def test_ws_url_swaps_the_scheme():
    assert (
        pages.ws_url("http://127.0.0.1:8866", "/api/kernels/x/channels")
        == "ws://127.0.0.1:8866/api/kernels/x/channels"
    )
    assert pages.ws_url("https://h/", "/p") == "wss://h/p"
    with pytest.raises(ValueError):
        pages.ws_url("ftp://h", "/p")


def test_course_command_keeps_the_repo_config_after_an_extra_config():
    cmd = servers.course_command(
        9999, "py", ["--VoilaConfiguration.preheat_kernel=True"], config_dir="/tmp/extra"
    )
    assert cmd[:3] == ["py", "-m", "widgets.server"]
    assert "--port=9999" in cmd and "--Voila.port_retries=0" in cmd and "--no-browser" in cmd
    paths = [c.split("=", 1)[1] for c in cmd if c.startswith("--Voila.config_file_paths=")]
    assert paths == ["/tmp/extra", str(servers.REPO)]  # first wins in traitlets
    assert cmd[-1] == "--VoilaConfiguration.preheat_kernel=True"
    assert not any("config_file_paths" in c for c in servers.course_command(1, "py", []))


def test_default_command_is_plain_voila_with_the_lab_template():
    cmd = servers.default_command(8000, "/venv/bin/voila", [])
    assert cmd[0] == "/venv/bin/voila"
    assert cmd[1] == str(servers.NOTEBOOKS)
    assert "--VoilaConfiguration.template=lab" in cmd
    assert "--port=8000" in cmd and "--Voila.port_retries=0" in cmd
    assert not any("widgets.server" in c for c in cmd)


def test_lessons_filter_names_unknown_lessons():
    found = servers.lessons()
    assert found and all(not n.endswith(".ipynb") for n in found)
    assert servers.lessons([found[0]]) == [found[0]]
    with pytest.raises(SystemExit, match="no-such-lesson"):
        servers.lessons(["no-such-lesson"])


def test_quick_options_and_full_options():
    quick = run.parse_args(["--quick", "--lessons", "00-index, 01-x"])
    assert quick.loads == 3 and quick.warm_loads == 0
    assert quick.visitors == [1, 10] and quick.leak_wait == 15
    assert quick.lessons == ["00-index", "01-x"]
    full = run.parse_args([])
    assert full.loads == 5 and full.warm_loads == 5
    assert full.visitors == [1, 10, 30] and full.leak_wait == 60
    assert run.parse_args(["--visitors", "30"]).visitors == [1, 30]  # 1 visitor always measured


def test_course_config_is_read_from_json_text_or_a_file(tmp_path):
    cfg = {"VoilaKernelManager": {"kernel_pools_config": {"00-index.ipynb": {"pool_size": 3}}}}
    assert run.parse_args(["--course-config", json.dumps(cfg)]).course_config == cfg
    f = tmp_path / "c.json"
    f.write_text(json.dumps(cfg))
    assert run.parse_args(["--course-config", str(f)]).course_config == cfg


def test_machine_parsers():
    assert machine.cpu_model("processor\t: 0\nmodel name\t: AMD EPYC 7B13\n") == "AMD EPYC 7B13"
    assert machine.cpu_model("") is None
    assert (
        machine.mem_total_bytes("MemTotal:       24684000 kB\nMemFree: 1 kB\n") == 24684000 * 1024
    )
    assert machine.mem_total_bytes("") is None


def test_kernel_messages_follow_the_jupyter_websocket_json_form():
    m = load.kernel_message(
        "comm_open",
        {"comm_id": "c", "target_name": load.CONTROL_TARGET, "data": {}},
        "sess",
        metadata={"version": "1.0.0"},
    )
    assert m["channel"] == "shell"
    assert m["header"]["msg_type"] == "comm_open" and m["header"]["session"] == "sess"
    assert m["header"]["version"] == "5.3" and len(m["header"]["msg_id"]) == 32
    assert m["metadata"] == {"version": "1.0.0"} and m["buffers"] == []
    json.dumps(m)  # serialisable as sent


def test_kernel_cost_reads_code_cells_and_new_packages(tmp_path):
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["# T"]},
            {"cell_type": "code", "source": ["from widgets import Quiz\n", "x = 1"]},
            {"cell_type": "code", "source": "lesson.nav('x')"},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "l.ipynb"
    path.write_text(json.dumps(nb))
    assert kernel_cost.code_cells(path) == ["from widgets import Quiz\nx = 1", "lesson.nav('x')"]
    assert kernel_cost.new_packages(
        {"sys", "ipywidgets"}, {"sys", "ipywidgets", "yaml", "_private", "pydantic"}
    ) == ["pydantic", "yaml"]


def test_variants_collect_flags_and_config_by_name():
    v = run.parse_variants(
        [
            "preheat: --VoilaConfiguration.preheat_kernel=True "
            "--VoilaConfiguration.default_pool_size=2",
            "prog: --VoilaConfiguration.progressive_rendering=True",
        ],
        ['pools: {"VoilaKernelManager": {"kernel_pools_config": {"default": {"pool_size": 1}}}}'],
    )
    assert v["preheat"]["args"] == [
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=2",
    ]
    assert v["prog"] == {
        "args": ["--VoilaConfiguration.progressive_rendering=True"],
        "config": None,
    }
    assert v["pools"]["config"]["VoilaKernelManager"]["kernel_pools_config"]["default"] == {
        "pool_size": 1
    }


@pytest.mark.parametrize("bad", ["no-colon", ": --x", "default: --x", "a b: --x"])
def test_variants_need_a_plain_free_name(bad):
    with pytest.raises(SystemExit):
        run.parse_variants([bad], [])


def test_a_notebook_in_a_subfolder_can_be_chosen_by_path(tmp_path, monkeypatch):
    (tmp_path / "workshop").mkdir()
    for name in ("00-index", "01-a", "workshop/join"):
        (tmp_path / f"{name}.ipynb").write_text("{}")
    monkeypatch.setattr(servers, "NOTEBOOKS", tmp_path)
    assert servers.lessons() == ["00-index", "01-a"]
    assert servers.lessons(["workshop/join", "01-a"]) == ["01-a", "workshop/join"]
    with pytest.raises(SystemExit):
        servers.lessons(["workshop/../01-a"])


def test_a_page_made_once_gives_its_held_states_and_others_none():
    state = {
        "version_major": 2,
        "version_minor": 0,
        "state": {"a1": {"model_name": "HTMLModel", "state": {"value": "<p>Hi</p>"}}},
    }
    script = '<script id="course-widget-state"{} type="application/vnd.jupyter.widget-state+json">'
    held = script.format(" data-course-held") + json.dumps(state) + "</script>"
    assert pages.held_states(held) == {"a1": {"value": "<p>Hi</p>"}}
    # A page run for its visitor (not marked): its front end asks the kernel.
    assert pages.held_states(script.format("") + json.dumps(state) + "</script>") is None
    assert pages.held_states("<p>no state</p>") is None
