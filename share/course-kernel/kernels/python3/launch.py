"""Start the kernel a visitor's page runs on, without what a lesson never uses.

ipykernel imports the debugger library (debugpy, about 140 modules and 8 MB per
kernel) whether or not anyone debugs; a visitor's page cannot, so it is blocked
here and ipykernel runs without its debugger. psutil (about 0.8 MB) only serves
resource-usage requests and finding child processes to signal, and a lesson starts
none. IPython's input history (a SQLite database and a thread, about 1.5 MB) is
switched off by the kernel's arguments.
Only the course server (``python -m widgets.server``) uses this kernelspec;
JupyterLab keeps the usual one. Measured in ``make bench`` ("What a kernel costs").

The kernelspec's provisioner (``widgets.server.forking``) runs this script in a process
forked from a template that blocked the same modules and preloaded ipykernel, ipywidgets
and the lessons' modules (``kernel.json``); ``--IPKernelApp.extensions=ipywidgets`` then
registers ipywidgets with the kernel, which its import in the template could not do.
The preload list also names what ipykernel and IPython import only while a kernel
starts or runs its first cell (IPython's debugger, inspector and completer, pygments'
Python lexer, stack_data, tornado's asyncio bridge, ...): imported after the fork, they
cost each visitor's kernel about 20 ms of CPU (lesson 01) and 1 MB of private memory. One entry
(``widgets.server.forking.warm:ipython``) runs a cell through IPython's input
transformer in the template, so that no kernel compiles the tokenizer's pattern again.
``tests/content/test_course_kernel.py`` runs every lesson on a forked kernel and names
any module still imported after the fork.

A kernel forked from a *prepared* template (one that has run its page's cells already, see
``widgets/server/forking/template.py``) finds that page in ``sys.modules`` and has its
shell show those cells again when asked to run them.
"""

import sys

# "import debugpy" / "import psutil" now fail; ipykernel carries on without them.
sys.modules["debugpy"] = None
sys.modules["psutil"] = None

from ipykernel.kernelapp import IPKernelApp  # noqa: E402

app = IPKernelApp.instance()
app.initialize()
# Forked from a template that ran this page's cells already (the provisioner's prepared
# templates): the kernel shows them again instead of running them.
prepared = sys.modules.get("_forking_prepared")
if prepared is not None:
    prepared.install(app.shell)
app.start()
