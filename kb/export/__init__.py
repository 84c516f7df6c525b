"""Citations and data out of the knowledge base: CSL-JSON, BibTeX, a JSON dataset, CSV, the citation box.

Every format is a pure function of the loaded KnowledgeBase (see `base.exportable`); only `atomic` and
`publish` touch the file system. Importing this package is cheap: citeproc-py is loaded by `citebox` alone.
"""
