"""Evaluation: question sets, metrics, the batch runner, its results and reports.

- ``questions``: the question-set schema, a lenient loader and evidence matching; ``splits``: the
  by-document tune / confirm split;
- ``metrics``: the one registry of metrics (fields needed, applicability, computation), built on the
  pure functions of ``scores`` (retrieval, answers, citations) and ``facts`` (key facts, answer relevance);
- ``results``: one result per question (``QuestionResult``) and per run (``EvalRun``), and the summary;
- ``runner``: ask every question, score every answer, write ``results.jsonl`` and the reports (``reports``,
  Jinja2 templates in ``templates/``); ``compare``: what changed between two runs, question by question;
- ``retrieval``: retrieval alone, ours against LlamaIndex's default pipeline;
- ``faithfulness``: batch scoring of ``{"context", "answer"}`` lines; ``judge``: an LLM as judge.
"""
