"""`nhnprice serve`: the spec in a local web page, with its figures beside it as it is edited."""

from __future__ import annotations

import webbrowser

import click

from nhnprice.serve.server import Server
from nhnprice.serve.workspace import Workspace

DEFAULT_PORT = 8077


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False), required=False, default="ny.nhp")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help=f"The port on 127.0.0.1 (default {DEFAULT_PORT}, or a free one when it is taken; 0: any free one).")
@click.option("--no-browser", is_flag=True, help="Print the address instead of opening it in a browser.")
@click.option("--allow-data-dir", "allowed_dirs", multiple=True, metavar="FOLDER", type=click.Path(file_okay=False),
              help="Let the spec read data files in FOLDER too (repeatable); by default it reads only from its own "
                   "folder and below.")
def serve(spec: str, port: int | None, no_browser: bool, allowed_dirs: tuple[str, ...]) -> None:
    """Edit SPEC in the browser and see its figures change as you type.

    The page shows the spec with its problems marked, the summary table,
    the flows, the expectations, the fees and an input for every
    parameter; a key or register can be uploaded for the session, any
    payer explained, and the report downloaded. The spec's file is written
    only when you press Lagre. Without SPEC, a new spec ny.nhp in the
    current folder (written on the first save).

    The server listens on 127.0.0.1 only and answers only the address it
    prints, which carries a token for this session. Data files are read
    only from the spec's folder and below (or from --allow-data-dir). Ctrl+C
    stops it.

    \b
    Examples:
      nhnprice serve specs/2024.nhp
      nhnprice serve specs/2024.nhp --port 9000 --no-browser
      nhnprice serve specs/examples/2027-individuelt-medlemskap.nhp --allow-data-dir specs/data
    """
    workspace = Workspace(spec, allowed_dirs)
    try:
        server = Server(workspace, DEFAULT_PORT if port is None else port)
    except OSError as exc:
        if port is not None:
            raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
        server = Server(workspace, 0)
    click.echo(f"nhnprice serve: {spec} at {server.url}")
    click.echo("Ctrl+C stops the server.")
    if not no_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
