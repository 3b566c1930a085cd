"""``python -m crossrec.cli``: the ``crossrec`` command."""

from crossrec.cli.main import main

raise SystemExit(main())
