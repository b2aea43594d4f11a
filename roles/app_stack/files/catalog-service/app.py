"""catalog-service: the backend of the course's multi-container stack.

GET /catalogs        the rows of the ``catalog`` table, as a JSON list
GET /catalogs/<id>   one row, 404 when it does not exist
GET /health          200 {"status": "UP"} when the database answers, else 503

The database is found like the course's Spring Boot service finds it:
SPRING_DATASOURCE_URL=jdbc:mariadb://my-mariadb:3306/mydb (or DATABASE_URL,
also mariadb://user:password@host:port/db), SPRING_DATASOURCE_USERNAME and
SPRING_DATASOURCE_PASSWORD (or DB_USER / DB_PASSWORD; the password may also be
read from the file named by SPRING_DATASOURCE_PASSWORD_FILE or DB_PASSWORD_FILE,
a Docker secret such as /run/secrets/db-password). On start it waits for
the database (DB_CONNECT_TIMEOUT seconds, default 120), creates the table and
seeds it when it is empty. The port is SERVER_PORT (default 8088).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pymysql

SEED = [
    ("Books", "Paper and e-books, from novels to manuals"),
    ("Music", "Records, CDs and downloads"),
    ("Movies", "Films and series on disc and on demand"),
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT ''
) CHARACTER SET utf8mb4
"""


def log(msg: str) -> None:
    print(time.strftime("%Y-%m-%d %H:%M:%S"), "catalog-service:", msg, flush=True)


def db_settings() -> dict:
    url = os.environ.get("SPRING_DATASOURCE_URL") or os.environ.get("DATABASE_URL") or "jdbc:mariadb://my-mariadb:3306/mydb"
    url = re.sub(r"^jdbc:", "", url)
    parts = urlsplit(url)
    if parts.scheme not in ("mariadb", "mysql") or not parts.hostname:
        raise SystemExit(f"catalog-service: cannot read the database URL {url!r}; expected jdbc:mariadb://HOST:PORT/DB")
    user = os.environ.get("SPRING_DATASOURCE_USERNAME") or os.environ.get("DB_USER") or unquote(parts.username or "") or "root"
    password = os.environ.get("SPRING_DATASOURCE_PASSWORD")
    password_file = os.environ.get("SPRING_DATASOURCE_PASSWORD_FILE") or os.environ.get("DB_PASSWORD_FILE")
    if password is None and password_file:
        with open(password_file, encoding="utf-8") as handle:
            password = handle.read().rstrip("\n")
    if password is None:
        password = os.environ.get("DB_PASSWORD", unquote(parts.password or ""))
    return {
        "host": parts.hostname,
        "port": parts.port or 3306,
        "database": parts.path.lstrip("/") or "mydb",
        "user": user,
        "password": password,
    }


SETTINGS: dict = {}


def connect() -> pymysql.connections.Connection:
    return pymysql.connect(
        host=SETTINGS["host"], port=SETTINGS["port"], user=SETTINGS["user"], password=SETTINGS["password"],
        database=SETTINGS["database"], connect_timeout=5, read_timeout=10, write_timeout=10,
        charset="utf8mb4", cursorclass=pymysql.cursors.DictCursor, autocommit=True,
    )


def wait_and_seed(timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = connect()
            break
        except pymysql.MySQLError as exc:
            if time.monotonic() > deadline:
                raise SystemExit(f"catalog-service: the database at {SETTINGS['host']}:{SETTINGS['port']} "
                                 f"did not answer within {timeout:.0f} s: {exc}")
            log(f"waiting for the database at {SETTINGS['host']}:{SETTINGS['port']}: {exc}")
            time.sleep(2)
    with conn, conn.cursor() as cur:
        cur.execute(SCHEMA)
        cur.execute("SELECT COUNT(*) AS n FROM catalog")
        if cur.fetchone()["n"] == 0:
            cur.executemany("INSERT INTO catalog (name, description) VALUES (%s, %s)", SEED)
            log(f"seeded the catalog table with {len(SEED)} rows")
    log(f"connected to {SETTINGS['host']}:{SETTINGS['port']}/{SETTINGS['database']} as {SETTINGS['user']}")


class Handler(BaseHTTPRequestHandler):
    server_version = "catalog-service/1.0"

    def send_json(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path.rstrip("/") or "/"
        try:
            if path in ("/health", "/actuator/health"):
                with connect() as conn, conn.cursor() as cur:
                    cur.execute("SELECT 1")
                self.send_json(200, {"status": "UP"})
            elif path == "/catalogs":
                with connect() as conn, conn.cursor() as cur:
                    cur.execute("SELECT id, name, description FROM catalog ORDER BY id")
                    self.send_json(200, cur.fetchall())
            elif re.fullmatch(r"/catalogs/\d+", path):
                with connect() as conn, conn.cursor() as cur:
                    cur.execute("SELECT id, name, description FROM catalog WHERE id = %s", (int(path.rsplit("/", 1)[1]),))
                    row = cur.fetchone()
                self.send_json(200, row) if row else self.send_json(404, {"error": "no such catalog"})
            elif path == "/":
                self.send_json(200, {"service": "catalog-service", "endpoints": ["/catalogs", "/catalogs/<id>", "/health"]})
            else:
                self.send_json(404, {"error": "not found"})
        except pymysql.MySQLError as exc:
            self.send_json(503, {"status": "DOWN", "error": str(exc)})

    def log_message(self, fmt: str, *args: object) -> None:
        log(f"{self.address_string()} {fmt % args}")


def main() -> None:
    # PID 1 in a container gets no default SIGTERM handler: stop promptly on `docker stop`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    SETTINGS.update(db_settings())
    wait_and_seed(float(os.environ.get("DB_CONNECT_TIMEOUT", "120")))
    port = int(os.environ.get("SERVER_PORT", "8088"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    log(f"listening on :{port}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return None


if __name__ == "__main__":
    sys.exit(main())
