"""Every platform-specific piece, one folder per platform
(``listener/platforms/<id>/``), and the registry that joins them
(``listener.platforms.registry``)."""
