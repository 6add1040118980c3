"""Recorded HTTP bodies in the real payload shape of each platform, built per test."""
