"""What runs in the course server's process (not in a visitor's kernel, not offline).

* ``forking``: the kernel provisioner that forks visitors' kernels from a warm template
  (no course imports; written to be published on its own).
"""
