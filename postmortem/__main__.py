"""`python -m postmortem`: the same commands as `debrief`. Reached by module name through runpy so the
domain package holds no import of cli (the one file of postmortem/ allowed to reach it)."""

import runpy

runpy.run_module("cli", run_name="__main__", alter_sys=False)
