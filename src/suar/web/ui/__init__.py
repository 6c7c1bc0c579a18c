"""The server-rendered UI: one router per area (:mod:`suar.web.ui.router`), HTML pages, forms with CSRF tokens."""
