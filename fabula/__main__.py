"""``python -m fabula``: the command-line interface."""

from fabula.cli import main

if __name__ == "__main__":
    main()
