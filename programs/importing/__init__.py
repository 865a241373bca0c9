"""Import of schools with their schoolleiders, and of expertcoaches, from CSV or XLSX.

``reading`` turns bytes into a table, ``columns`` maps headers, ``planning`` validates and
diffs (no writes; rows through ``planning_schools`` / ``planning_coaches``, typed in
``rows``), ``services`` stores uploads and commits them, ``examples`` builds the
downloadable example files. See docs/import.md.
"""
