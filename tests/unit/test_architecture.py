"""The pure rules stay pure: nothing under widgets/logic imports a UI library."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

LOGIC = Path(__file__).resolve().parents[2] / "widgets" / "logic"
FORBIDDEN = {"ipywidgets", "IPython", "anywidget", "traitlets", "matplotlib", "voila"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(LOGIC.glob("*.py")), ids=lambda p: p.name)
def test_logic_module_imports_no_ui(path):
    assert not _imports(path) & FORBIDDEN, f"{path.name} imports {_imports(path) & FORBIDDEN}"


def _ui_loaded_after(code: str) -> list[str]:
    """The user-interface packages a fresh interpreter has loaded after running ``code``."""
    check = (
        "\nimport sys, json\n"
        "print(json.dumps([n for n in ('anywidget', 'IPython', 'ipywidgets') if n in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code + check], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_importing_logic_loads_no_ui_at_run_time():
    code = (
        "import importlib, pkgutil, widgets.logic as L\n"
        "for m in pkgutil.iter_modules(L.__path__):\n"
        "    importlib.import_module('widgets.logic.' + m.name)\n"
        "import widgets.content"
    )
    assert _ui_loaded_after(code) == []


def test_the_red_flag_rules_api_loads_no_ui():
    # Other checks (the facilitator guide, the plans, the bench) use the rules alone.
    code = (
        "from widgets.red_flags import RED_FLAGS, assess\n"
        "assert assess({RED_FLAGS[0].id}).level == 'emergency'"
    )
    assert _ui_loaded_after(code) == []


def test_no_module_aliases_ipywidgets_as_widgets():
    root = LOGIC.parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "ipywidgets":
                        assert alias.asname == "ipw", f"{path.name}: import ipywidgets as ipw"


WIDGETS = LOGIC.parent
SERVER = WIDGETS / "server"


def _module_imports(path: Path) -> set[str]:
    """Full dotted names imported by a module (relative imports resolved)."""
    package = ".".join(path.relative_to(WIDGETS.parent).with_suffix("").parts[:-1])
    return _module_imports_of(ast.parse(path.read_text()), package)


def _module_imports_of(tree: ast.AST, package: str) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
    return names


def test_the_forking_provisioner_has_no_course_imports():
    """It is written to be published on its own: the standard library, jupyter_client
    and traitlets; its template only the standard library, and ``comm`` (ipykernel's
    comm layer, in the kernel's own python) when it prepares a page; its warmers
    (``warm.py``, called in the template) what they warm, IPython."""
    for path in (SERVER / "forking").glob("*.py"):
        outside = {
            n.split(".")[0]
            for n in _module_imports(path)
            if not n.startswith("widgets.server.forking")
        }
        allowed = set(sys.stdlib_module_names)
        if path.name == "warm.py":
            allowed |= {"IPython"}
        elif path.name == "template.py":
            allowed |= {"comm"}
        elif path.name != "template.py":
            allowed |= {"jupyter_client", "traitlets"}
        assert outside <= allowed, f"{path.name} imports {outside - allowed}"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in WIDGETS.rglob("*.py") if SERVER not in p.parents),
    ids=lambda p: str(p.relative_to(WIDGETS)),
)
def test_kernel_side_code_never_imports_the_server(path):
    """What runs in a visitor's kernel (widgets, logic, content) stays out of the server."""
    imported = _module_imports(path)
    assert not {n for n in imported if n.startswith(("widgets.server", "voila"))}


PRIVATE_VOILA = ("._pools", "_notebook_filter", "fill_if_needed =", "_config_file_paths_default")


@pytest.mark.parametrize(
    "path",
    sorted(p for p in SERVER.rglob("*.py") if p.name != "voila_internals.py"),
    ids=lambda p: p.name,
)
def test_voila_internals_are_reached_only_through_the_adapter(path):
    text = path.read_text()
    assert not [name for name in PRIVATE_VOILA if name in text]
    assert "kernel_pools_config =" not in text


CONTENT = WIDGETS / "content"
# Imported late on purpose: the validator and PyYAML cost a kernel ~9 MB and only
# validation needs them (a kernel reads the snapshot).
# Only when data/ is validated, never in a visitor's kernel (which reads the snapshot):
# pydantic, PyYAML, the CSV reader, and the translation catalogs (Babel).
LATE_ON_PURPOSE = {"widgets.content._schema", "yaml", "csv", "widgets.i18n.catalogs"}


def _late_imports(path: Path, package: str) -> set[str]:
    """Modules a function of ``path`` imports when it runs (not at import time)."""
    tree = ast.parse(path.read_text())
    late = set()
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            holder = ast.Module(body=func.body, type_ignores=[])
            late |= _module_imports_of(holder, package)
    return late


@pytest.mark.parametrize("path", sorted(CONTENT.glob("*.py")), ids=lambda p: p.name)
def test_the_content_layer_has_no_import_cycle_put_off_until_run_time(path):
    """Each schema module imports base, course, tables and registry at the top; the
    package imports the kinds, so no function has to import a sibling to break a cycle."""
    late = _late_imports(path, "widgets.content")
    assert late <= LATE_ON_PURPOSE, f"{path.name} imports {late - LATE_ON_PURPOSE} late"


def test_every_kind_of_content_is_registered_by_the_package():
    from widgets.content import DATA_DIR as DATA
    from widgets.content import everything, registry

    kinds = {p.stem for p in CONTENT.glob("*.py") if not p.stem.startswith("_")}
    kinds -= {"base", "course", "tables", "registry", "generated"}
    registered_by = {loader.__module__.rsplit(".", 1)[1] for loader in registry.KINDS.values()}
    assert kinds <= registered_by
    assert set(everything(DATA)) == set(registry.KINDS)
