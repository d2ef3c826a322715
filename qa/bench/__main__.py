"""`python -m qa.bench --worker KIND cfg.json`: the bench's fresh measuring processes start here."""
import sys

from . import _main

sys.exit(_main(sys.argv[1:]))
