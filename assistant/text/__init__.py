"""Text utilities shared by every stage: sentence spans, stemmed terms, dates.

- ``sentences``: sentence spans as exact offsets (chunking, answering, verification, evaluation);
- ``terms``: stemmed content words and corpus document frequencies (keyword scoring, answering);
- ``dates``: ISO dates and their sortable ordinals (loaders, filters).
"""

from assistant.text.dates import date_ordinal, normalise_date
from assistant.text.sentences import clean_sentence, split_sentences
from assistant.text.terms import STOPWORDS, TermStats, coverage, terms

__all__ = ["STOPWORDS", "TermStats", "clean_sentence", "coverage", "date_ordinal", "normalise_date", "split_sentences", "terms"]
