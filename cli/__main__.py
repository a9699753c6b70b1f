"""`python -m cli`: the same commands as the `debrief` script."""

from cli.main import main

raise SystemExit(main())
