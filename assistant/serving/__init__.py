"""Serving: the command line (``cli``), the Gradio chat (``chat``) and users' feedback (``feedback``)."""
