"""Placeholder until the portal methods land."""
