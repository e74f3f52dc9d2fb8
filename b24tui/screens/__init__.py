"""The app's screens, one per module."""

from b24tui.screens.dashboard import DashboardScreen

__all__ = ["DashboardScreen"]
