"""The site's interactive widgets, one package each: a widget holds its spec, evaluator, checks,
rendering, templates and browser script, and offers the same small interface (see
generator/render/kit.py Widget). The pipeline hands WIDGETS to validation and
rendering, which loop over them and never import a widget.

Widgets never import each other: one links to another's page through PageContext.paths.
"""

from __future__ import annotations

from .calculator import WIDGET as CALCULATOR
from .checklist import WIDGET as CHECKLIST

# In the order their pages, home-page lines and uses on a source's page come.
WIDGETS = (CALCULATOR, CHECKLIST)
