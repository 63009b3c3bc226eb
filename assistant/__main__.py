"""``python -m assistant``: the command line (same as ``ics-assistant``)."""

import sys

from assistant.serving.cli import main

sys.exit(main())
