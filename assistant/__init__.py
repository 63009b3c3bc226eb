"""ICS Policy Assistant: cited answers from NHS England integrated care system policy documents.

Example::

    >>> from assistant import Assistant
    >>> a = Assistant(index_dir="index")
    >>> a.ingest(["corpus"])
    >>> print(a.ask("What did the Hewitt Review say about national targets?"))
"""

from assistant.api import Assistant, QuestionError
from assistant.results import Answer, Citation, IndexStatus, IngestSummary, Passage
from assistant.retrieval.filters import SearchFilters
from assistant.settings import Settings, SettingsError

from . import _env  # noqa: F401  - must run before any library that may phone home is imported

__all__ = [
    "Answer", "Assistant", "Citation", "IndexStatus", "IngestSummary", "Passage", "QuestionError",
    "SearchFilters", "Settings", "SettingsError",
]
__version__ = "0.1.0"
