"""Renderers: a Story as terminal text, HTML report, tables."""
