"""Run b24tui with ``python -m b24tui``."""

from b24tui.cli import main

raise SystemExit(main())
