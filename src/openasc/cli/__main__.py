"""`python -m openasc.cli`: the same as the `openasc` command."""

from openasc.cli import main

main()
