"""/docs: the OpenAPI document in Swagger UI, from files the service itself serves.

A hospital's network often has no way out, and a page that pulls scripts from a CDN
would also tell a third party who reads the documentation. So the page, its start-up
script and Swagger UI's files (Swagger UI 5, from the `swagger-ui-py` package in the
`docs` extra; docs/decisions/0026-*) all come from the service, under paths below /docs, and the
answers carry a Content-Security-Policy that lets the browser load nothing from anywhere
else. Swagger UI's validator badge (which would send the document to validator.swagger.io)
is off, and its base layout has no field to load another document by URL.

Only the files the page needs are served, by fixed names; nothing here reads a path a
client chose. The package is found, not imported: its own code (handlers for other web
frameworks, Jinja templates) is never run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import MappingProxyType

DOCS_PATH = "/docs"
INITIALIZER_PATH = f"{DOCS_PATH}/swagger-initializer.js"
HTML = "text/html; charset=utf-8"
JAVASCRIPT = "text/javascript; charset=utf-8"

#: Swagger UI's files the page loads, by the path they are served at, with their media type.
_ASSETS = MappingProxyType(
    {
        f"{DOCS_PATH}/swagger-ui.css": "text/css; charset=utf-8",
        f"{DOCS_PATH}/swagger-ui-bundle.js": JAVASCRIPT,
        f"{DOCS_PATH}/favicon-32x32.png": "image/png",
        f"{DOCS_PATH}/favicon-16x16.png": "image/png",
    }
)
ASSET_PATHS = tuple(_ASSETS)
#: Every path below /docs the service answers.
PATHS = (DOCS_PATH, INITIALIZER_PATH, *ASSET_PATHS)

#: Only this origin's files; inline style attributes, which Swagger UI sets, and data: images.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

PAGE = f"""<!DOCTYPE html>
<html lang="sv">
  <head>
    <meta charset="utf-8">
    <title>hembesok – API (OpenAPI)</title>
    <link rel="stylesheet" href="{DOCS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="{DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="{DOCS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <noscript>Sidan behöver JavaScript. / This page needs JavaScript.
      <a href="/openapi.json">/openapi.json</a></noscript>
    <div id="swagger-ui"></div>
    <script src="{DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="{INITIALIZER_PATH}"></script>
  </body>
</html>
""".encode()

INITIALIZER = b"""window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
"""


#: The package holding Swagger UI's files, and the folder they are in.
PACKAGE = "swagger_ui"
_FOLDER = "static"


def asset(path: str) -> tuple[Path, str] | None:
    """The file served at `path` and its media type; None if Swagger UI is not installed.

    KeyError for a path that is not one of `ASSET_PATHS`.
    """
    media = _ASSETS[path]
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(spec.submodule_search_locations[0], _FOLDER, path.rsplit("/", 1)[1])
    return (found, media) if found.is_file() else None
