import os
import sys

try:
    from .cli import main
except ImportError as error:  # a package missing from this environment: say which, never a traceback
    if __name__ != "__main__":
        raise
    print(
        f"error: a package the generator needs is not installed ({error.name or error}); "
        "install the project with `make site`, or `pip install -e .`",
        file=sys.stderr,
    )
    sys.exit(3)

# Guarded: the finder's index is built in a spawned process, which imports this module.
if __name__ == "__main__":
    status = main()
    # Everything is written and every process the command started has ended. Freeing a
    # large build's objects one by one on the way out takes a second at 20,000 records;
    # the system frees the memory at once (mypy ends the same way).
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader that has gone, such as `| head`: nothing more to give it
            pass
    os._exit(status or 0)
