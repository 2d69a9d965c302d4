"""`python -m opsmart` is the `opsmart` command."""

import sys

from opsmart.cli import main

sys.exit(main())
