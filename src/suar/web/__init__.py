"""The node's faces: the JSON API under /api/v1 and the server-rendered UI.

Build the app with :func:`create_app` (``suar serve`` does); nothing is
built when this package is imported.
"""

from suar.web.app import create_app

__all__ = ["create_app"]
