"""Helpers for the PDF exporter tests: fixture course loading and PDF inspection."""
