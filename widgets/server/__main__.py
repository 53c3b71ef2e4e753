"""``python -m widgets.server``: serve the course (see ``widgets.server.app``)."""

from widgets.server.app import main

main()
