"""Reproducible training and measurement commands for fabula's shipped models."""
