"""The Gradio chat for NHS staff: ``rendering`` (what is shown), ``handlers`` (what clicks do), ``layout`` (the page).

Example::

    >>> from assistant import Assistant
    >>> from assistant.serving.chat import build_app, launch
    >>> a = Assistant(index_dir="index")
    >>> launch(build_app(a), a.settings, prevent_thread_lock=True)   # http://127.0.0.1:7860/
"""

from assistant.serving.chat.handlers import reply
from assistant.serving.chat.layout import build_app, launch, parse_auth

__all__ = ["build_app", "launch", "parse_auth", "reply"]
