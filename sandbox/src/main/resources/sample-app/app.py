"""sample-app: the small web app bluegreen deploys in the sandbox. Python 3 standard library only."""

import argparse
import os
import signal
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "v1"
PID_FILE = "app.pid"
# Where the app's database listens, or None when it needs none. The version tagged "broken" ships a wrong setting:
# nothing can listen on port 0, so every check fails.
DATABASE = None


def home_page():
    return f"hello from sample-app {VERSION}"


def check_health():
    """Exercises what the home page needs, so /healthz fails when the app does."""
    page = home_page()
    if not page.endswith(VERSION):
        raise RuntimeError("the home page does not render")
    check_database()


def check_database():
    if DATABASE is None:
        return
    try:
        socket.create_connection(DATABASE, timeout=1).close()
    except OSError:
        raise RuntimeError("database unreachable") from None


class Handler(BaseHTTPRequestHandler):
    server_version = "sample-app/" + VERSION
    timeout = 5  # a client that connects and says nothing must not hold up a graceful stop

    def do_GET(self):
        if self.path == "/":
            self.answer(200, home_page())
        elif self.path == "/version":
            self.answer(200, VERSION)
        elif self.path == "/healthz":
            try:
                check_health()
            except Exception as problem:
                self.answer(503, str(problem))
            else:
                self.answer(200, "ok")
        else:
            self.answer(404, "not found")

    def answer(self, status, text):
        body = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # the balancer and the health checks poll all the time: keep app.log for what matters


class Server(ThreadingHTTPServer):
    allow_reuse_address = True
    request_queue_size = 128  # a burst of connections waits to be accepted instead of being dropped (default 5)
    daemon_threads = False  # on SIGTERM, answer the requests in flight before exiting


def write_pid_file():
    # Written only once the port is bound, so a deploy step can wait for it; replaced atomically.
    temporary = PID_FILE + ".tmp"
    with open(temporary, "w") as file:
        file.write(f"{os.getpid()}\n")
    os.replace(temporary, PID_FILE)


def remove_pid_file():
    try:
        with open(PID_FILE) as file:
            if file.read().strip() == str(os.getpid()):
                os.remove(PID_FILE)
    except OSError:
        pass


def main():
    parser = argparse.ArgumentParser(description="sample-app " + VERSION)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    options = parser.parse_args()

    server = Server((options.host, options.port), Handler)

    def stop(signum, frame):
        # shutdown() waits for serve_forever() to return, so it must not run on the serving thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    write_pid_file()
    print(f"sample-app {VERSION} listening on {options.host}:{options.port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        remove_pid_file()
        print(f"sample-app {VERSION} stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
