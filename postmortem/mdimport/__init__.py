"""Importing post-mortems written elsewhere in Markdown (wiki pages, Google SRE-style templates,
repositories of post-mortems) as Debrief drafts, with nothing dropped.

`import_markdown(text)` → ImportResult: the draft, how each heading was mapped and why, warnings and
the blameless-language findings. The mapping can be changed and the import run again.
"""

from postmortem.mdimport.headings import APPENDIX, IGNORE, TARGETS
from postmortem.mdimport.importer import (
    PLACEHOLDER_ID,
    ImportResult,
    SectionMapping,
    import_markdown,
    with_incident_id,
)

__all__ = [
    "APPENDIX",
    "IGNORE",
    "PLACEHOLDER_ID",
    "TARGETS",
    "ImportResult",
    "SectionMapping",
    "import_markdown",
    "with_incident_id",
]
