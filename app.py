"""Debrief: the entry point. The frame (navigation, sidebar) is in components/shell.py; pages in pages/."""

from components import shell

shell.start().run()
