"""Placeholder: the monitoring report document is being written (context, charts, tables)."""

from __future__ import annotations


def context(loaded, peers, labels) -> dict:
    raise NotImplementedError("monitoring_report is not written yet")


def chart_specs(ctx: dict, labels, fmt) -> dict:
    return {}


def tables(ctx: dict, labels) -> dict:
    return {}
