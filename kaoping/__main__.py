"""``python -m kaoping`` runs the command line, for machines where the script is not on PATH."""

from kaoping.cli.main import main

main()
