import sys

from .cli import main

# Guarded: the finder's index is built in a spawned process, which imports this module.
if __name__ == "__main__":
    sys.exit(main())
