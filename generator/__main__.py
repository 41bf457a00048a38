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
    sys.exit(main())
