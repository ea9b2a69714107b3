"""Excel workbooks of a cluster's params, both ways: written for consultants to fill, read back into
the params files. The layout follows the schema (``fields``); the sheets' and columns' names in both
languages are data (``labels.yaml``)."""
