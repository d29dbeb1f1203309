"""``python -m nnspec.bench``: print the benchmark's table."""

import sys

from . import main

sys.exit(main())
