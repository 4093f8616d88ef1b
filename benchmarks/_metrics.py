"""Binary-classification metrics shared by the evaluation scripts (run as scripts: this folder is
on sys.path). The positive class is the one to detect (unfaithful, changed); a higher score means
more likely positive."""

from __future__ import annotations

from collections.abc import Callable, Sequence

EPS = 1e-9


def _check(labels: Sequence[bool], values: Sequence[object]) -> tuple[int, int]:
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values")
    pos = sum(1 for y in labels if y)
    neg = len(labels) - pos
    if pos == 0 or neg == 0:
        raise ValueError("both classes are needed (positives and negatives)")
    return pos, neg


def roc_auc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Area under the ROC curve: the probability that a random positive scores above a random
    negative, ties counting one half (the Mann-Whitney U statistic over pos x neg)."""
    pos, neg = _check(labels, scores)
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0  # sum of the (1-based, tie-averaged) ranks of the positives
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mid = (i + j) / 2 + 1
        rank_sum += mid * sum(1 for k in order[i : j + 1] if labels[k])
        i = j + 1
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def balanced_accuracy(labels: Sequence[bool], predictions: Sequence[bool]) -> float:
    """Mean of the true-positive rate and the true-negative rate."""
    pos, neg = _check(labels, predictions)
    tp = sum(1 for y, p in zip(labels, predictions, strict=True) if y and p)
    tn = sum(1 for y, p in zip(labels, predictions, strict=True) if not y and not p)
    return (tp / pos + tn / neg) / 2


def best_threshold(labels: Sequence[bool], scores: Sequence[float]) -> tuple[float, float]:
    """The threshold t (predict positive when score >= t) with the best balanced accuracy, and
    that accuracy. Candidates are the distinct scores and one above the maximum; ties go to the
    higher threshold (fewer alarms)."""
    _check(labels, scores)
    best_t, best_ba = float("inf"), -1.0
    for t in sorted({*scores, max(scores) + 1.0}, reverse=True):
        ba = balanced_accuracy(labels, [s >= t for s in scores])
        if ba > best_ba + EPS:
            best_t, best_ba = t, ba
    return best_t, best_ba


def safe(fn: Callable[[], float]) -> float | None:
    """``fn()``, or None when a metric is undefined (one class only, no items)."""
    try:
        return fn()
    except ValueError:
        return None
