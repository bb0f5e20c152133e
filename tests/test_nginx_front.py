"""nginx in front of gunicorn, as README.md deploys it (deploy/nginx/keywork.conf): slow
and idle clients wait in nginx, so an ordinary page answers at once even when more of
them are open than gunicorn has workers; gunicorn alone is held by the same clients.

The deploy runs here on SQLite in a temporary folder with production settings, and
nginx as the current user with the repository's file, only its listen addresses and
paths changed."""

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx" / "keywork.conf"
HOST = "keywork.example.org"
CERTS = f"/etc/letsencrypt/live/{HOST}"
WORKERS = 2
SLOW = 8  # of each kind of slow client: more of them than workers


def _nginx() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        pytest.fail("nginx is not installed: apt-get install nginx-light (.ci/run does)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _substituted(text: str, replacements: list[tuple[str, str, int]]) -> str:
    for old, new, times in replacements:
        # If the file changes, the test says which line it no longer finds.
        assert text.count(old) == times, f"{CONF.name} should say {old!r} {times} times"
        text = text.replace(old, new)
    return text


def _wait_for(what: str, ready, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped as it started:\n{log.read_text()[-3000:]}")
        if ready():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not start within 30 s:\n{log.read_text()[-3000:]}")


def _connects(family: int, address) -> bool:
    with socket.socket(family) as probe:
        try:
            probe.connect(address)
        except OSError:
            return False
        return True


def _stop(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Front:
    def __init__(self, folder: Path, https_port: int, http_port: int, sock: Path, var: Path):
        self.folder = folder
        self.https_port = https_port
        self.http_port = http_port
        self.sock = sock
        self.var = var
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE

    def https(self, timeout: float = 10) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, timeout=timeout, context=self.tls
        )

    def get(self, path: str) -> tuple[http.client.HTTPResponse, bytes]:
        connection = self.https()
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response, body

    def tls_socket(self) -> ssl.SSLSocket:
        raw = socket.create_connection(("127.0.0.1", self.https_port), timeout=10)
        return self.tls.wrap_socket(raw, server_hostname=HOST)


@pytest.fixture
def front() -> Iterator[Front]:
    nginx = _nginx()
    # A short folder: a unix socket's path has at most 107 characters.
    folder = Path(tempfile.mkdtemp(prefix="kw-nginx-"))
    var, sock = folder / "var", folder / "gunicorn.sock"
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "KEYWORK_PRIVATE_DIR",
            "KEYWORK_TRUSTED_PROXIES",
            "CSRF_TRUSTED_ORIGINS",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    env.update(
        KEYWORK_ENV="production",
        SECRET_KEY="nginx-front-test-" + "x" * 50,
        ALLOWED_HOSTS=HOST,
        KEYWORK_BASE_URL=f"https://{HOST}",
        KEYWORK_VAR_DIR=str(var),
    )
    processes: list[tuple[subprocess.Popen, int]] = []
    try:
        for command in (["collectstatic", "--noinput"], ["migrate", "--noinput"]):
            subprocess.run(
                [sys.executable, "manage.py", *command, "--verbosity", "0"],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=180,
            )
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
            + ["-nodes", "-days", "2", "-subj", f"/CN={HOST}"]
            + ["-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
            check=True,
            capture_output=True,
            timeout=60,
        )

        gunicorn_log = folder / "gunicorn.log"
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "keywork.wsgi"]
            + ["--bind", f"unix:{sock}", "--workers", str(WORKERS), "--no-control-socket"],
            cwd=ROOT,
            env=env,
            stdout=gunicorn_log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        # SIGINT: a quick shutdown, without waiting for workers held by slow clients.
        processes.append((gunicorn, signal.SIGINT))
        _wait_for("gunicorn", lambda: _connects(socket.AF_UNIX, str(sock)), gunicorn, gunicorn_log)

        https_port, http_port = _free_port(), _free_port()
        site = _substituted(
            CONF.read_text(),
            [
                ("listen 80;", f"listen 127.0.0.1:{http_port};", 1),
                ("listen [::]:80;", "", 1),
                ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", 1),
                ("listen [::]:443 ssl http2;", "", 1),
                ("server unix:/run/keywork/gunicorn.sock", f"server unix:{sock}", 1),
                (f"{CERTS}/fullchain.pem", f"{folder}/cert.pem", 1),
                (f"{CERTS}/privkey.pem", f"{folder}/key.pem", 1),
                ("/srv/keywork/var/static/", f"{var}/static/", 1),
            ],
        )
        (folder / "keywork.conf").write_text(site)
        # What Debian's /etc/nginx/nginx.conf sets around a site, in the temporary folder.
        mime = Path("/etc/nginx/mime.types")
        temp_paths = "".join(
            f"    {kind}_temp_path {folder}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")  # else workers drop to nobody
            + f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
            f"error_log {folder}/nginx-error.log;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            + (f"    include {mime};\n" if mime.exists() else "")
            + "    default_type application/octet-stream;\n"
            f"    access_log {folder}/nginx-access.log;\n"
            + temp_paths
            + f"    include {folder}/keywork.conf;\n"
            "}\n"
        )
        nginx_log = folder / "nginx-error.log"
        nginx_log.touch()
        server = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(nginx_log)],
            stdout=nginx_log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        processes.append((server, signal.SIGQUIT))
        _wait_for(
            "nginx", lambda: _connects(socket.AF_INET, ("127.0.0.1", https_port)), server, nginx_log
        )
        yield Front(folder, https_port, http_port, sock, var)
    finally:
        for process, sig in reversed(processes):
            _stop(process, sig)
        shutil.rmtree(folder, ignore_errors=True)


def _slow_clients(front: Front, csrf_cookie: str) -> list[socket.socket]:
    """Every kind of client that would hold a sync worker: headers sent in part, an upload
    sent in part, a kept-alive connection left idle, a connection that says nothing."""
    held: list[socket.socket] = []
    for _ in range(SLOW):
        partial = front.tls_socket()
        partial.sendall(f"GET /sign-in/ HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: slow".encode())
        held.append(partial)

        # With the CSRF cookie and the right Origin, Django reads the form's body: passed
        # on as it came (proxy_request_buffering off), the upload would hold a worker.
        upload = front.tls_socket()
        upload.sendall(
            f"POST /sign-in/ HTTP/1.1\r\nHost: {HOST}\r\nOrigin: https://{HOST}\r\n"
            f"Cookie: {csrf_cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 1000000\r\n\r\nemail=".encode()
            + b"x" * 1000
        )
        held.append(upload)

        idle = front.https()
        idle.request("GET", "/sign-in/", headers={"Host": HOST})
        response = idle.getresponse()
        response.read()
        assert response.status == 200
        assert response.getheader("Connection", "keep-alive").lower() != "close"
        assert idle.sock is not None
        held.append(idle.sock)

        held.append(socket.create_connection(("127.0.0.1", front.https_port), timeout=10))
    return held


def test_it_answers_a_page_at_once_through_nginx_while_slow_clients_would_hold_gunicorn(front):
    # The deploy works: the page, through nginx, over TLS; its static files from nginx.
    response, page = front.get("/sign-in/")
    assert response.status == 200, page[:500]
    csrf_cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    assert csrf_cookie.startswith("__Host-keywork_csrf="), csrf_cookie
    assert b"Sign in to Keywork</h1>" in page
    assert response.getheader("Strict-Transport-Security")  # Django's headers come through
    assert "default-src 'self'" in (response.getheader("Content-Security-Policy") or "")
    stylesheet = re.search(rb'href="(/static/keywork/keywork\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the sign-in page links no hashed stylesheet"
    response, css = front.get(stylesheet.group(1).decode())
    assert response.status == 200 and css
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("X-Content-Type-Options") == "nosniff"

    # Plain HTTP is sent to HTTPS.
    plain = http.client.HTTPConnection("127.0.0.1", front.http_port, timeout=10)
    plain.request("GET", "/sign-in/", headers={"Host": HOST})
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == f"https://{HOST}/sign-in/"
    plain.close()

    # A body larger than KEYWORK_MAX_REQUEST_BYTES is refused from its length alone.
    big = front.https()
    big.putrequest("POST", "/sign-in/", skip_host=True)
    big.putheader("Host", HOST)
    big.putheader("Content-Length", str(26 * 1024 * 1024))
    big.endheaders()
    refused = big.getresponse()
    assert refused.status == 413
    assert b"The file is too big" in refused.read()
    big.close()

    held = _slow_clients(front, csrf_cookie)
    try:
        time.sleep(0.5)  # let nginx take them all in
        started = time.monotonic()
        try:
            response, page = front.get("/sign-in/")
        except TimeoutError:
            pytest.fail("through nginx, /sign-in/ had no answer in 10 s: slow clients hold it")
        through_nginx = time.monotonic() - started
        print(
            f"\nthrough nginx, with {len(held)} slow or idle connections open and "
            f"{WORKERS} gunicorn workers: /sign-in/ answered {response.status} "
            f"in {through_nginx * 1000:.0f} ms"
        )
        assert response.status == 200
        assert b"Sign in to Keywork</h1>" in page
        assert through_nginx < 5
    finally:
        for client in held:
            client.close()

    # gunicorn alone: the same kind of clients, straight to its socket, hold every
    # worker, and the page gets no answer (here for 3 s; in life, until gunicorn's 30 s
    # kills a worker, which then takes the next slow client).
    direct: list[socket.socket] = []
    try:
        for _ in range(SLOW):
            client = socket.socket(socket.AF_UNIX)
            client.connect(str(front.sock))
            client.sendall(f"GET /sign-in/ HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: slow".encode())
            direct.append(client)
        time.sleep(0.5)
        page_request = socket.socket(socket.AF_UNIX)
        direct.append(page_request)
        page_request.settimeout(3)
        page_request.connect(str(front.sock))
        started = time.monotonic()
        page_request.sendall(
            f"GET /sign-in/ HTTP/1.1\r\nHost: {HOST}\r\nX-Forwarded-Proto: https\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        with pytest.raises(TimeoutError):
            answer = page_request.recv(100)
            pytest.fail(f"gunicorn alone answered {answer!r} with every worker held")
        print(
            f"straight to gunicorn, with {SLOW} slow connections open: no answer "
            f"in {time.monotonic() - started:.1f} s"
        )
    finally:
        for client in direct:
            client.close()
