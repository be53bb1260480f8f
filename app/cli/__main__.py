"""`python -m app.cli …`: the same as the `lifeact` command."""

import sys

from app.cli import main

sys.exit(main())
