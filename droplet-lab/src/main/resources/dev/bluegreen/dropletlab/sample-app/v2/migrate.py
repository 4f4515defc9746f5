"""v2's migration: adds the greetings table.

Expand only: v1 never reads the table, so v1 on the live colour and v2 on the idle one can share the database, and a
rollback to v1 needs no undo. Every run is recorded in migration_runs, so that a test can count them.
"""
import os
import sqlite3
import time

DATABASE = os.environ.get("SAMPLE_DATABASE", "/srv/data/sample.sqlite3")

with sqlite3.connect(DATABASE, timeout=10) as db:
    db.execute("create table if not exists migration_runs (id integer primary key, version text, ran_at real)")
    db.execute("create table if not exists greetings (id integer primary key, text text not null)")
    db.execute("insert or ignore into greetings (id, text) values (1, 'hello from the migrated table')")
    db.execute("insert into migration_runs (version, ran_at) values ('v2', ?)", (time.time(),))
print("migrated the database to v2")
