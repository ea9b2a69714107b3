"""Batches: every cluster of a params folder rendered on Dask, by phases (scan, staleness, execute,
record, roll-ups, index page), with a run manifest so that a re-run renders only what changed."""
