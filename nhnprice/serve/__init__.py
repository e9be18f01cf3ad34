"""`nhnprice serve`: the spec beside its consequences, in a local web page.

`workspace` holds what one session serves (the spec, its folder, uploaded data
sets) and turns spec text into diagnostics, reports and page fragments with the
library's own passes; `http` puts that behind a small HTTP API on 127.0.0.1
(standard library only); `static/` is the page and its vendored editor. Nothing
here is imported by any other command (docs/serve.md).
"""
