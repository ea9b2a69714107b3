"""Inputs: a cluster's params files (YAML and CSV) read and validated against the schema, the
programme library, the official list of provinces and regencies, and synthetic sets for scale tests.
Every problem is named by file, field and reason."""
