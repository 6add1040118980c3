"""The long-running service behind ``listener run``: scheduling, the
one-instance lock, config reload, graceful stop and health.

Kept import-light on purpose: ``listener.config`` imports
``listener.service.settings``.
"""
