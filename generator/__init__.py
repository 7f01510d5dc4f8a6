"""refsite: turns the YAML facts in content/ into reference pages.

Knows nothing about MkDocs; site_plugins/ adapts it. See pipeline.py for the flow.
"""
