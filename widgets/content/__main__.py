"""``python -m widgets.content``: check every file in data/ and name any mistake."""

from . import main

raise SystemExit(main())
