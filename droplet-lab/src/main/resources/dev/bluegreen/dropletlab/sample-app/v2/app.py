"""The droplet lab's sample app: Flask under gunicorn behind nginx, with its data in one sqlite file."""
import os
import sqlite3

from flask import Flask, request

VERSION = "v2"
# Both colours share one database, as they would share a managed one.
DATABASE = os.environ.get("SAMPLE_DATABASE", "/srv/data/sample.sqlite3")

app = Flask(__name__)


@app.get("/")
def home():
    return f"hello from sample {VERSION}\n"


@app.get("/healthz")
def healthz():
    # Touches what the pages need: a database the app cannot reach fails the check.
    try:
        with sqlite3.connect(DATABASE, timeout=2) as db:
            db.execute("select 1")
    except sqlite3.Error as error:
        return f"database unreachable: {error}\n", 503
    return f"database: ok; version {VERSION}\n"


@app.get("/request")
def request_as_received():
    """The headers nginx set, so that a test can check the site file."""
    names = ["Host", "X-Real-IP", "X-Forwarded-For", "X-Forwarded-Proto"]
    return "".join(f"{name}: {request.headers.get(name, '')}\n" for name in names)


@app.get("/greeting")
def greeting():
    """Reads the table v2's migration added."""
    with sqlite3.connect(DATABASE, timeout=2) as db:
        row = db.execute("select text from greetings where id = 1").fetchone()
    return f"{row[0]}\n"
