"""Debrief on the command line: the click group `debrief` and one module per family of commands.

The composition root beside the app: it may use storage, exports and files; the domain package
never imports it (postmortem/__main__.py reaches it by name only, through runpy).
"""
