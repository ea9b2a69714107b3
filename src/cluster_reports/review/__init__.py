"""Reviewers' edits: a reviewed Word file read back, its edits kept or reported when the report is
regenerated, the review report, and harvest (a reviewer's wording made the source)."""
