"""Placeholder until the emulator core lands."""
