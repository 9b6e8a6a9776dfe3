"""``python -m graphkit``: the same as the ``graphkit`` command."""

from .cli import main

if __name__ == "__main__":
    main()
