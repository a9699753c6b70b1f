"""Debrief: the entry point. The frame (navigation, sidebar) is in components/shell.py; pages in pages/."""

from components import errors, shell

with errors.shown():  # the one place an error meant for the user becomes a message on the page
    shell.start().run()
