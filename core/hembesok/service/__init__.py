"""The HTTP service: endpoints as data, the ASGI app, the OpenAPI document."""
