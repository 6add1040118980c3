"""The body's own conversation: its own-channel sources, what waits for an
answer, and the engagement section's settings (issue 18)."""
