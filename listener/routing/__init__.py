"""Routing: what residents raise goes to the service team that owns it (digests, case
exports)."""
