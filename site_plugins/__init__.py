"""MkDocs adapters for the refsite generator: the only code that knows MkDocs.

refsite_plugin.py  runs the generator inside `mkdocs build` / `mkdocs serve`
offline.py         builds the offline bundle's file:// variant alongside the main build
staging.py         makes `mkdocs build` atomic: built beside site_dir, swapped in once every step passed

Adapters only: they call the generator through the names generator/__init__.py exports and never
import its inner modules; nothing here checks or renders content itself.
"""
