"""Composition: a kind's context through its template to Markdown, Markdown to the one document
tree both writers read, and the charts drawn once for both."""
