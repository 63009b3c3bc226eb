"""Evaluation: question sets, metrics, the batch runner and its reports.

- ``questions``: the question-set schema and evidence matching;
- ``metrics``: retrieval, correctness, citation and refusal metrics;
- ``runner``: ask every question, score every answer, write ``results.jsonl`` and reports (``reports``);
- ``faithfulness``: batch scoring of ``{"context", "answer"}`` lines; ``judge``: an LLM as judge.
"""
