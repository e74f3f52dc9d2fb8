"""b24tui: a keyboard-first terminal client for Bitrix24 tasks, checklists and the workday."""

__version__ = "0.1.0"
