"""A version that fails to import: gunicorn cannot boot its workers, so a HUP leaves nothing to serve it."""
from flask import Flask

from sample_settings import DATABASE  # no such module in this version

VERSION = "broken"

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return f"database: ok; version {VERSION}\n"
