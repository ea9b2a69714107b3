"""Placeholder: the province summary roll-up is being written (context, charts, tables)."""

from __future__ import annotations


def context(summaries, key, labels) -> dict:
    raise NotImplementedError("province_summary is not written yet")


def chart_specs(ctx: dict, labels, fmt) -> dict:
    return {}


def tables(ctx: dict, labels) -> dict:
    return {}
