"""`nhnprice lsp`: the language server for editors (docs/editors.md)."""

from __future__ import annotations

import sys

import click

# imported by nhnprice.cli, after the shared options are defined, to register the command
from nhnprice.diagnostics import EXIT_ERRORS
from nhnprice.lsp import make_server, serve


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only way).")
def lsp(stdio: bool) -> None:
    """Serve an editor over standard input and output (the Language Server Protocol).

    \b
    For every open spec, from the text in the editor (unsaved changes included; no file
    is written): diagnostics as you type, hover with the amounts a pool, group, key,
    register or parameter computes, go to definition, find references, completion,
    the outline of sections and pools, formatting as `nhnprice fmt` does, and rename.
    Editors start it themselves; docs/editors.md says how for VS Code, Neovim and Emacs.
    """
    try:
        server = make_server()
    except ModuleNotFoundError as exc:  # pygls is a dependency; a broken installation is said so, not a traceback
        click.echo(f"error: the language server needs pygls ({exc}): pip install 'nhnprice[lsp]'", err=True)
        sys.exit(EXIT_ERRORS)
    serve(server)
