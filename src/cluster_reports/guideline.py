"""Placeholder: the guideline document is being written (context, charts, tables)."""

from __future__ import annotations


def context(loaded, peers, labels) -> dict:
    raise NotImplementedError("guideline is not written yet")


def chart_specs(ctx: dict, labels, fmt) -> dict:
    return {}


def tables(ctx: dict, labels) -> dict:
    return {}
