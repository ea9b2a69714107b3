"""The document kinds: what each presents (its context, tables and charts, in either language) and
the registry of kinds. Words come from the label catalogue (``i18n``); nothing here is laid out."""
