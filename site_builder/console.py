"""The `site-builder` command's entry point.

A build typed again as last time runs from what that one read, without loading click
(rerun.py); everything else goes through click (cli.py).
"""

from __future__ import annotations

import sys


def main() -> None:
    arguments = sys.argv[1:]
    try:
        if arguments[:1] == ["build"]:
            from site_builder.rerun import rerun

            if rerun(arguments):
                return
        from site_builder.cli import cli

        cli(prog_name="site-builder", obj={"arguments": arguments})
    except KeyboardInterrupt:  # as click says it
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # a bug of ours: one clear line, the traceback with --debug
        if "--debug" in arguments:
            raise
        print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("This is a bug in site-builder. Run the command again with --debug "
              "(site-builder --debug ...) for the traceback, and report it.", file=sys.stderr)
        sys.exit(1)
