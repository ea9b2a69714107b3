"""The domain: the method's rules in plain Python (selection scores, firm size classes and growth
seeds, budgets, indicator achievement, the meeting routine, a cluster's summary). No files, no
documents: everything here takes validated params and returns values."""
