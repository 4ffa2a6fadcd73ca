"""Helpers for the SCORM tests: fixture paths, package building, a local HTTP server, schema validation."""
