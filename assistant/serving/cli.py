"""Command line: ``ics-assistant ingest | ask | status``.

User mistakes (bad arguments, missing files, an empty index, an unreachable Chroma server) exit
with status 2 and one line on stderr, never a traceback.

Example::

    $ ics-assistant ingest corpus/ ../shared/corpus-nhs/
    $ ics-assistant ask "Who leads the review?" --json
    $ ics-assistant status --index /data/index
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import _env  # noqa: F401  - offline environment before anything else

if TYPE_CHECKING:
    from assistant.results import Answer

PROG = "ics-assistant"


class UsageError(Exception):
    """A mistake by the user: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse prints the whole usage on a mistake; users get one line and a pointer to --help."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{PROG}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    # Accepted before or after the command. The command's copies default to SUPPRESS, so that one not given after
    # the command leaves the value given before it ("--index DIR ingest ..."): argparse would otherwise reset it.
    common = _Parser(add_help=False)
    _add_common_arguments(common, argparse.SUPPRESS)
    parser = _Parser(prog=PROG, description="Cited answers from ICS policy documents, offline.")
    _add_common_arguments(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    ingest = sub.add_parser("ingest", parents=[common], help="add or update documents in the index")
    ingest.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: the corpus directories)")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.add_argument("--quiet", action="store_true", help="no progress bars")

    ask = sub.add_parser("ask", parents=[common], help="ask a question")
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--top-k", type=_positive_int, metavar="N", help="passages to retrieve (default 5)")
    ask.add_argument("--document", action="append", metavar="FILE", help="search only this document (file name); repeatable")
    ask.add_argument("--publisher", action="append", metavar="NAME", help="search only this publisher; repeatable")
    ask.add_argument("--since", metavar="DATE", help="only documents dated on or after DATE (YYYY[-MM[-DD]])")
    ask.add_argument("--until", metavar="DATE", help="only documents dated on or before DATE")
    ask.add_argument("--current-only", action="store_true", help="leave out documents that another indexed document supersedes")
    ask.add_argument("--stream", action="store_true", help="print the answer as it is written, then the verified answer")
    _add_llm_arguments(ask)

    status = sub.add_parser("status", parents=[common], help="what the index holds")
    status.add_argument("--json", action="store_true", help="print as JSON")

    feedback = sub.add_parser("feedback", parents=[common], help="users' feedback from the chat")
    feedback_sub = feedback.add_subparsers(dest="feedback_command", metavar="ACTION", parser_class=_Parser)
    feedback_sub.required = True
    export = feedback_sub.add_parser("export", parents=[common], help="write the feedback as CSV")
    export.add_argument("--out", metavar="FILE.csv", help="CSV file to write (default: standard output)")
    _add_eval_parsers(sub, common)
    return parser


def _add_common_arguments(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--index", metavar="DIR", default=default, help="index directory (default: $ICS_INDEX_DIR or ./index)")
    parser.add_argument("--config", metavar="FILE", default=default,
                        help="settings TOML file (default: $ICS_CONFIG or ./ics-assistant.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", default=default if default is not None else False,
                        help="log details to stderr")


def _add_eval_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``eval`` (run the question set), ``eval compare A B`` and ``faithfulness`` (docs/evaluation.md)."""
    ev = sub.add_parser("eval", parents=[common], help="evaluate on a question set; writes eval/reports/<timestamp>/")
    ev.add_argument("--questions", metavar="FILE", nargs="+", default=["eval/questions.jsonl"],
                    help="question files (JSONL; default eval/questions.jsonl); several make one run")
    ev.add_argument("--splits", metavar="FILE", help="by-document tune/confirm split (eval/splits.json): adds both halves to the reports")
    ev.add_argument("--corpus", nargs="+", metavar="DIR", help="documents to index first (default: build from the corpus directories only if the index is empty)")
    ev.add_argument("--out", metavar="DIR", help="run directory (default eval/reports/<timestamp>); an unfinished run there is resumed")
    ev.add_argument("--resume", metavar="RUN_DIR", help="finish an interrupted run")
    ev.add_argument("--workers", type=_positive_int, default=1, metavar="N", help="questions asked in parallel (threads; default 1)")
    ev.add_argument("--split", choices=("dev", "test", "all"), default="all", help="which questions (default all)")
    ev.add_argument("--limit", type=_positive_int, metavar="N", help="only the first N questions")
    ev.add_argument("--ids", metavar="FILE", help="only the questions whose ids FILE lists (one a line, # comments), e.g. eval/llm-subset.txt")
    ev.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_judge_argument(ev)
    _add_llm_arguments(ev)
    ev_sub = ev.add_subparsers(dest="eval_command", metavar="ACTION", parser_class=_Parser)
    compare = ev_sub.add_parser("compare", help="what changed between two runs: question by question, and every metric")
    compare.add_argument("run_a", metavar="RUN_A", help="a run directory (holding summary.json)")
    compare.add_argument("run_b", metavar="RUN_B", help="the run to compare with RUN_A (deltas are B - A)")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    compare.add_argument("--html", metavar="FILE.html", help="also write the comparison as an HTML report")
    compare.add_argument("--min-change", type=float, default=0.01, metavar="X", help="smallest per-question change listed (default 0.01)")

    faith = sub.add_parser("faithfulness", parents=[common], help="score {context, answer} JSONL lines for faithfulness")
    faith.add_argument("--input", required=True, metavar="FILE.jsonl", help='lines of {"context": str or [str], "answer": str}')
    faith.add_argument("--output", metavar="FILE.jsonl", help="where to write the verdicts (default: standard output)")
    faith.add_argument("--threshold", type=float, metavar="X", help="support a claim needs when nothing contradicts it (0-1; default 0.5)")
    faith.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_judge_argument(faith)
    _add_llm_arguments(faith)


def _add_judge_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--judge", choices=("offline", "llm"), default="offline",
                        help="who judges faithfulness: the offline checker (default) or the configured LLM "
                             "(--backend openai --llm-base-url URL, --gguf PATH, or just --llm-base-url to judge extractive answers)")


def _add_llm_arguments(parser: argparse.ArgumentParser) -> None:
    """Choose who writes answers (see docs/llm.md); each overrides its ``ICS_*`` setting."""
    parser.add_argument("--backend", choices=("extractive", "openai", "gguf"), help="answer writer (default: extractive)")
    parser.add_argument("--llm-base-url", metavar="URL", help="OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1")
    parser.add_argument("--llm-model", metavar="NAME", help="model name sent to the server")
    parser.add_argument("--gguf", metavar="PATH", help="a local GGUF model file (implies --backend gguf)")


def _llm_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Settings from the LLM flags of commands that have them (absent flags change nothing)."""
    gguf = getattr(args, "gguf", None)
    if gguf is not None and not Path(gguf).is_file():
        raise UsageError(f"no such GGUF file: {gguf}")
    backend = getattr(args, "backend", None) or ("gguf" if gguf else None)
    return {"backend": backend, "llm_base_url": getattr(args, "llm_base_url", None),
            "llm_model": getattr(args, "llm_model", None), "gguf_path": gguf}


def _eval(args: argparse.Namespace, settings) -> int:  # noqa: ANN001
    from assistant.api import Assistant
    from assistant.evaluation.questions import QuestionSetError, load_question_files
    from assistant.evaluation.runner import EvalError, run_eval
    from assistant.evaluation.splits import DocumentSplits, SplitsError

    try:
        questions = load_question_files(args.questions)
        splits = DocumentSplits.load(args.splits) if args.splits else None
    except (QuestionSetError, SplitsError) as exc:
        raise UsageError(str(exc)) from None
    if args.ids:
        wanted = _read_ids(Path(args.ids))
        unknown = sorted(set(wanted) - {q.id for q in questions})
        if unknown:
            raise UsageError(f"{args.ids}: no question has the id(s) {', '.join(unknown[:5])}")
        by_id = {q.id: q for q in questions}
        questions = [by_id[i] for i in wanted]  # in the file's order: a run cut short has asked a sample of each kind
    questions = [q for q in questions if args.split == "all" or q.split == args.split][: args.limit]
    if not questions:
        raise UsageError(f"no {args.split} questions in {', '.join(args.questions)}")
    if args.resume and args.out and Path(args.resume) != Path(args.out):
        raise UsageError("give --resume RUN_DIR or --out DIR, not both")
    if args.resume and not (Path(args.resume) / "results.jsonl").is_file():
        raise UsageError(f"{args.resume} is not an evaluation run (no results.jsonl)")
    corpus = [Path(p) for p in args.corpus or []]
    missing = [str(p) for p in corpus if not p.exists()]
    if missing:
        raise UsageError(f"no such corpus directory: {', '.join(missing)}")
    checker = None  # the runner's default: the offline checker
    if args.judge == "llm":
        from assistant.evaluation.judge import make_judge

        checker = make_judge(settings, "llm")
    assistant = Assistant(settings=settings)
    progress = not args.quiet and sys.stderr.isatty()
    if corpus or (not settings.chroma_host and not _index_exists(settings.index_dir)) or assistant.store.count() == 0:
        summary = assistant.ingest(corpus or list(settings.corpus_dirs), progress=progress)
        print(f"index: {str(summary).splitlines()[0]}", file=sys.stderr)
        if assistant.store.count() == 0:
            raise UsageError("the index is empty after ingesting: give --corpus DIR with documents")
    try:
        run = run_eval(assistant, questions, args.resume or args.out, workers=args.workers, progress=progress,
                       questions_file=", ".join(args.questions), splits=splits, checker=checker)
    except EvalError as exc:
        raise UsageError(str(exc)) from None
    print(run)
    return 0


def _read_ids(path: Path) -> list[str]:
    """Question ids listed in ``path``, in order: one a line, blank lines and ``#`` comments ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    ids = [i for i in dict.fromkeys(line.split("#", 1)[0].strip() for line in lines) if i]
    if not ids:
        raise UsageError(f"{path} lists no question id")
    return ids


def _eval_compare(args: argparse.Namespace) -> int:
    from assistant.evaluation.compare import compare_runs
    from assistant.evaluation.reports import write_comparison
    from assistant.evaluation.results import EvalError, EvalRun

    try:
        comparison = compare_runs(EvalRun.load(args.run_a), EvalRun.load(args.run_b), Path(args.run_a).name,
                                  Path(args.run_b).name, args.min_change)
    except EvalError as exc:
        raise UsageError(str(exc)) from None
    print(comparison.to_json(indent=2) if args.json else comparison)
    if args.html:
        try:
            print(f"written: {write_comparison(comparison, args.html)}", file=sys.stderr)
        except OSError as exc:
            raise UsageError(f"cannot write {args.html}: {exc}") from None
    return 0


def _faithfulness(args: argparse.Namespace, settings) -> int:  # noqa: ANN001
    from assistant.evaluation.faithfulness import score_jsonl
    from assistant.evaluation.judge import LLMFaithfulnessJudge, make_judge

    source = Path(args.input)
    if not source.is_file():
        raise UsageError(f"no such file: {source}")
    if args.threshold is not None and not 0 <= args.threshold <= 1:
        raise UsageError(f"--threshold must be between 0 and 1, got {args.threshold}")
    checker = make_judge(settings, args.judge, threshold=args.threshold)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        counts = score_jsonl(source, out, checker, progress=not args.quiet and sys.stderr.isatty())
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {source}: {exc}") from None
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"{counts['lines']} lines: {counts['supported']} supported, {counts['unsupported']} unsupported, "
          f"{counts['unscored']} not scored", file=sys.stderr)
    if isinstance(checker, LLMFaithfulnessJudge):
        print(f"judge: LLM verdicts for {checker.counts['llm']} claims, offline checker for {checker.counts['fallback']} "
              "(no usable reply from the LLM)", file=sys.stderr)
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)  # some libraries lower their own loggers' levels on import
    if not args.verbose:
        _quiet_libraries()
    try:
        return _run(args)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # known user-facing errors are converted below
        message = _user_message(exc)
        if message is None:
            raise
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 2


def _user_message(exc: Exception) -> str | None:
    from assistant.answering.llm import LLMError
    from assistant.api import QuestionError
    from assistant.ingest.chroma import StoreError
    from assistant.ingest.embedding import ModelNotFoundError
    from assistant.retrieval.filters import FilterError
    from assistant.settings import SettingsError

    if isinstance(exc, (QuestionError, SettingsError, StoreError, FilterError, ModelNotFoundError, LLMError)):
        return str(exc)
    return None


def _run(args: argparse.Namespace) -> int:
    from assistant.api import Assistant
    from assistant.settings import Settings

    settings = Settings.load(config_file=args.config, index_dir=args.index, **_llm_overrides(args))
    if args.command == "ingest":
        return _ingest(args, settings)
    if args.command == "feedback":
        return _feedback_export(args, settings)
    if args.command == "eval":
        return _eval_compare(args) if args.eval_command == "compare" else _eval(args, settings)
    if args.command == "faithfulness":
        return _faithfulness(args, settings)
    if not settings.chroma_host and not _index_exists(settings.index_dir):
        raise UsageError(f"no index at {settings.index_dir}: build it with `{PROG} ingest [PATH...]` (or pass --index DIR)")
    assistant = Assistant(settings=settings)
    if args.command == "status":
        status = assistant.status()
        print(status.to_json(indent=2) if args.json else status)
        return 0
    if args.command == "ask":
        return _ask(args, assistant)
    raise UsageError(f"unknown command {args.command!r}")


def _ingest(args: argparse.Namespace, settings) -> int:  # noqa: ANN001
    from assistant.api import Assistant
    from assistant.results import copy_line

    paths = [Path(p) for p in args.paths] or list(settings.corpus_dirs)
    missing = [str(p) for p in paths if not p.exists()]
    if missing and len(missing) == len(paths):
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    assistant = Assistant(settings=settings)
    summary = assistant.ingest(paths, progress=not (args.quiet or args.json) and sys.stderr.isatty())
    if args.json:
        print(summary.to_json(indent=2))
    else:
        for failure in summary.failed:
            print(f"{PROG}: skipped {failure['path']}: {failure['reason']}", file=sys.stderr)
        for warning in summary.warnings:
            print(f"{PROG}: warning: {warning['path']}: {warning['warning']}", file=sys.stderr)
        for copy in summary.copies:
            print(f"{PROG}: skipped {copy_line(copy)}", file=sys.stderr)
        print(str(summary).splitlines()[0])
        print(f"index: {settings.index_location}")
    # Some files failing is reported, not fatal: the rest of the batch is in the index.
    return 0 if (summary.added or summary.updated or summary.unchanged or summary.removed or summary.copies
                 or not summary.failed) else 1


def _ask(args: argparse.Namespace, assistant) -> int:  # noqa: ANN001
    assistant.preload()  # a fresh process: load the vector index and the model side by side
    filters = {
        "documents": args.document or (), "publishers": args.publisher or (),
        "date_from": args.since, "date_to": args.until, "current_only": args.current_only,
    }
    if args.stream and not args.json:
        answer = _print_stream(assistant.stream(args.question, top_k=args.top_k, filters=filters))
    else:
        answer = assistant.ask(args.question, top_k=args.top_k, filters=filters)
        if args.json:
            print(answer.to_json(indent=2))
            return 0
        print(_bold_for_terminal(answer))
    for citation in answer.citations:
        print()
        print(citation)  # Citation.line: the one citation format (the chat's is the same, in Markdown)
    for change in answer.changes:
        print(f"\nchecked: {change}")
    for note in answer.notes:
        print(f"\nnote: {note}")
    return 0


def _bold_for_terminal(answer: "Answer") -> str:
    """The answer's text with its answering words bold on a terminal (ANSI); plain when piped."""
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        return answer.text
    return "".join(f"\033[1m{piece}\033[0m" if bold else piece for piece, bold in answer.pieces())


def _print_stream(parts: "Iterable[str | Answer]") -> "Answer":
    """Print text pieces as they arrive; then the verified answer, when it differs from what was shown."""
    from assistant.results import Answer

    shown: list[str] = []
    answer = None
    for part in parts:
        if isinstance(part, Answer):
            answer = part
        else:
            shown.append(part)
            sys.stdout.write(part)
            sys.stdout.flush()
    assert answer is not None, "a stream ends with an Answer"
    print()
    if " ".join("".join(shown).split()) != " ".join(answer.text.split()):
        # An LLM's draft is shown as it is written; what counts is the checked answer.
        print("\nVerified answer:" if not answer.fallback else "\nAnswer:")
        print(answer.text)
    return answer


def _feedback_export(args: argparse.Namespace, settings) -> int:  # noqa: ANN001
    import sqlite3

    from assistant.serving.feedback import FeedbackError, FeedbackStore

    path = settings.feedback_path
    if not path.is_file():
        raise UsageError(f"no feedback yet at {path} (it is created when a chat user rates an answer)")
    try:
        store = FeedbackStore(path)
        if args.out is None:
            store.write_csv(sys.stdout)
            return 0
        out = Path(args.out)
        if out.is_dir():
            raise UsageError(f"--out {out} is a directory: give a file name such as feedback.csv")
        rows = store.export_csv(out)
    except (FeedbackError, OSError, sqlite3.Error) as exc:
        raise UsageError(f"cannot export feedback: {exc}") from None
    print(f"{rows} feedback row{'s' * (rows != 1)} written to {out}", file=sys.stderr)
    return 0


def _index_exists(index_dir: Path) -> bool:
    return (index_dir / "chroma.sqlite3").is_file()


def _quiet_libraries() -> None:
    # Library chatter (weights loading bars, HF warnings) is noise for CLI users.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    for name in ("sentence_transformers", "transformers", "chromadb", "httpx", "bm25s", "llama_index"):
        logging.getLogger(name).setLevel(logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
