"""`python -m ltpgap` runs the command line."""

from ltpgap.cli import main

main()
