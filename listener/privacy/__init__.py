"""Privacy: pseudonymisation, settings, and (later) retention and erasure."""
