"""``python -m suar`` runs the command line."""

from suar.cli import main

main()
