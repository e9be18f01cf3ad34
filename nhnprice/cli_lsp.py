"""`nhnprice lsp`: the language server for editors (docs/editors.md)."""

from __future__ import annotations

import click


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
        from nhnprice.lsp import serve
    except ImportError as exc:  # pygls is a dependency; a broken installation is said so, not a traceback
        from nhnprice.cli import EXIT_ERRORS

        click.echo(f"error: the language server needs pygls ({exc}): pip install 'nhnprice[lsp]'", err=True)
        raise SystemExit(EXIT_ERRORS) from None
    serve()
