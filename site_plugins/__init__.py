"""MkDocs adapters for the refsite generator (the only MkDocs-aware code)."""
