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
from collections.abc import Sequence
from pathlib import Path

from . import _env  # noqa: F401  - offline environment before anything else

PROG = "ics-assistant"


class UsageError(Exception):
    """A mistake by the user: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse prints the whole usage on a mistake; users get one line and a pointer to --help."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{PROG}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--index", metavar="DIR", help="index directory (default: $ICS_INDEX_DIR or ./index)")
    common.add_argument("--config", metavar="FILE", help="settings TOML file (default: $ICS_CONFIG or ./ics-assistant.toml)")
    common.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")

    parser = _Parser(prog=PROG, description="Cited answers from ICS policy documents, offline.", parents=[common])
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

    status = sub.add_parser("status", parents=[common], help="what the index holds")
    status.add_argument("--json", action="store_true", help="print as JSON")
    return parser


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
    from .api import QuestionError
    from .embedding import ModelNotFoundError
    from .retrieval import FilterError
    from .settings import SettingsError
    from .store import StoreError

    if isinstance(exc, (QuestionError, SettingsError, StoreError, FilterError, ModelNotFoundError)):
        return str(exc)
    return None


def _run(args: argparse.Namespace) -> int:
    from .api import Assistant
    from .settings import Settings

    settings = Settings.load(config_file=args.config, index_dir=args.index)
    if args.command == "ingest":
        return _ingest(args, settings)
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
    from .api import Assistant

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
        print(str(summary).splitlines()[0])
        print(f"index: {settings.index_location}")
    # Some files failing is reported, not fatal: the rest of the batch is in the index.
    return 0 if (summary.added or summary.updated or summary.unchanged or summary.removed or not summary.failed) else 1


def _ask(args: argparse.Namespace, assistant) -> int:  # noqa: ANN001
    filters = {
        "documents": args.document or (), "publishers": args.publisher or (),
        "date_from": args.since, "date_to": args.until,
    }
    answer = assistant.ask(args.question, top_k=args.top_k, filters=filters)
    if args.json:
        print(answer.to_json(indent=2))
        return 0
    print(answer.text)
    for citation in answer.citations:
        print()
        print(_format_citation(citation))
    for note in answer.notes:
        print(f"\nnote: {note}")
    return 0


def _format_citation(c) -> str:  # noqa: ANN001
    where = ", ".join(x for x in (f"p. {c.page}" if c.page else "", c.section or "") if x)
    head = f"[{c.n}] {c.title} ({c.source}{'; ' + where if where else ''})"
    quote = " ".join(c.quote.split())
    return f"{head}\n    \"{quote}\""


def _index_exists(index_dir: Path) -> bool:
    return (index_dir / "chroma.sqlite3").is_file()


def _quiet_libraries() -> None:
    # Library chatter (weights loading bars, HF warnings) is noise for CLI users.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    for name in ("sentence_transformers", "transformers", "chromadb", "httpx", "bm25s", "llama_index"):
        logging.getLogger(name).setLevel(logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
