"""Web chat over the indexed NHS policy documents: ``python app.py``.

Serves on ``settings.server_host:server_port`` (127.0.0.1:7860 by default; the standard
``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT`` variables win). On a fresh clone the index is empty,
so the corpus directories are ingested first. The UI itself lives in ``assistant/serving/chat/``.
"""

from __future__ import annotations

import logging
import os
import sys

# Importing the assistant package sets the offline environment (no analytics, no hub): keep it before gradio.
from assistant import Assistant, Settings, SettingsError
from assistant.serving.chat import build_app, launch, parse_auth
from assistant.serving.chat.rendering import TITLE


def main() -> int:
    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO)  # on the handler: bm25s sets its own logger to DEBUG when imported
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", handlers=[handler])
    for noisy in ("httpx", "sentence_transformers", "transformers", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        settings = Settings.load()
        host = os.environ.get("GRADIO_SERVER_NAME") or settings.server_host
        port = int(os.environ.get("GRADIO_SERVER_PORT") or settings.server_port)
        parse_auth(settings)  # a malformed login file is a one-line error now, not at launch
    except (SettingsError, ValueError) as exc:
        print(f"app.py: error: {exc}", file=sys.stderr)
        return 2

    assistant = Assistant(settings=settings)
    if assistant.store.is_empty():
        dirs = ", ".join(str(d) for d in settings.corpus_dirs)
        print(f"The index at {settings.index_location} is empty: ingesting {dirs}", flush=True)
        print(assistant.ingest(None), flush=True)
    if not assistant.store.is_empty():
        assistant.retrieve("warm up", top_k=1)  # load the embedding model now, not on the first question

    demo = build_app(assistant, settings)
    launch(demo, settings, host=host, port=port, prevent_thread_lock=True)
    login = " (login required)" if settings.auth_file or settings.auth_users else ""
    print(f"{TITLE} running at {demo.local_url}{login}  (Ctrl+C to stop)", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
