"""``python -m crossrec.cli``: the ``crossrec`` command."""

from crossrec.cli.command import main

raise SystemExit(main())
