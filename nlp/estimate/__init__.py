"""Estimators of corrected shares: pure functions, numbers in, numbers out.

A period's predicted labels (``Period``) and an audit of some of its posts
or of an earlier period's (``Audit``: predicted and true labels, with the
sampling design) give, per class, a share with a 95% interval:

- ``raw_shares``: the predicted shares, Wilson intervals (sampling noise only);
- ``ppi_shares``: PPI++ for an audit drawn from the same period, simple
  random or stratified (``nlp.estimate.ppi``);
- ``confusion_shares``: confusion-matrix correction for an audit from any
  period, bootstrap intervals (``nlp.estimate.confusion``);
- ``correct_shares`` / ``choose``: the applicable corrections, the one with
  the narrower intervals chosen and named, raw beside it;
- ``audit_accuracy``: precision and recall per class with Wilson intervals;
- ``allocate``: posts to audit per stratum (proportional, at least 5 each);
- ``weekly_rate``: posts a week over a period, exact Poisson interval.

docs/nlp.md ("Measured accuracy and corrected shares") explains the methods
in plain words.
"""

from __future__ import annotations

from nlp.estimate.accuracy import ClassAccuracy, Rate, audit_accuracy, wilson
from nlp.estimate.allocate import FLOOR, allocate
from nlp.estimate.choose import Corrected, choose, correct_shares, raw_shares
from nlp.estimate.confusion import confusion_shares
from nlp.estimate.design import ALL, NONE, Audit, Period, label_set
from nlp.estimate.ppi import ppi_shares
from nlp.estimate.rates import poisson_interval, weekly_rate
from nlp.estimate.results import ShareEstimate, Shares

__all__ = [
    "ALL", "FLOOR", "NONE", "Audit", "ClassAccuracy", "Corrected", "Period", "Rate",
    "ShareEstimate", "Shares", "allocate", "audit_accuracy", "choose", "confusion_shares",
    "correct_shares", "label_set", "poisson_interval", "ppi_shares", "raw_shares",
    "weekly_rate", "wilson",
]
