"""Import of schools with their schoolleiders, and of expertcoaches, from CSV or XLSX.

``reading`` turns bytes into a table, ``columns`` maps headers, ``planning`` validates and
diffs (no writes), ``services`` stores uploads and commits them, ``templates`` builds the
downloadable example files. See docs/import.md.
"""
