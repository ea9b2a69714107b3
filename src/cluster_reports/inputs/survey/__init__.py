"""Field surveys (ODK Collect, KoboToolbox): the forms, and the import of their exports (issue 16)."""
