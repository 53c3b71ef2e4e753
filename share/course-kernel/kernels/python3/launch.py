"""Start the kernel a visitor's page runs on, without what a lesson never uses.

ipykernel imports the debugger library (debugpy, about 140 modules and 8 MB per
kernel) whether or not anyone debugs; a visitor's page cannot, so it is blocked
here and ipykernel runs without its debugger. IPython's input history (a SQLite
database and a thread, about 1.5 MB) is switched off by the kernel's arguments.
Only the course server (``python -m widgets.serve``) uses this kernelspec;
JupyterLab keeps the usual one. Measured in ``make bench`` ("What a kernel costs").
"""

import sys

sys.modules["debugpy"] = None  # "import debugpy" now fails: no debugger, nothing else lost

from ipykernel.kernelapp import launch_new_instance  # noqa: E402

launch_new_instance()
