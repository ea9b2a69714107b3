"""Writers: the document tree as a Word file (on the reference document) and as an HTML page."""
