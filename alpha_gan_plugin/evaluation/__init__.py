"""Registered components."""
