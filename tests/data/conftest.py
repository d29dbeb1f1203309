"""Fixtures for the data specs: no real network, no real cache, and a local HTTP mirror."""

from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest

_LOCAL = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def no_real_network(monkeypatch):
    """Any connection or name lookup beyond 127.0.0.1 fails the spec: specs never reach the network."""
    connect, getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in _LOCAL:
            raise AssertionError(f"a spec tried to reach the network: {address}")
        return connect(self, address)

    def guarded_getaddrinfo(host, *args, **kw):
        if host not in _LOCAL:
            raise AssertionError(f"a spec tried to resolve {host!r}")
        return getaddrinfo(host, *args, **kw)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path):
    """The user's cache, data folder and mirror setting are never read or written by a spec."""
    monkeypatch.setenv("NNSPEC_CACHE", str(tmp_path / "user-cache"))
    for name in ("NNSPEC_DATA", "NNSPEC_MNIST_MIRROR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)


class Mirror:
    """A tiny MNIST mirror on 127.0.0.1. ``routes`` maps a URL path to a behaviour:

    ("ok", body)        200 with the body
    ("cut", body)       announces len(body) bytes, sends half, closes the connection
    ("stall", body)     announces len(body) bytes, sends half, waits STALL seconds, sends the rest
    ("flood", body)     announces no length and sends ``body`` FLOOD times, stopping when the client hangs up
    absent              404

    ``sent`` maps a URL path to the number of body bytes the server managed to send.
    """

    STALL = 1.0
    FLOOD = 400

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.requests: list[str] = []
        self.sent: dict[str, int] = {}
        self.done = threading.Event()
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                mirror.requests.append(self.path)
                kind, body = mirror.routes.get(self.path, ("404", b""))
                if kind == "404":
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                if kind == "flood":
                    self.end_headers()
                    sent = 0
                    try:
                        for _ in range(mirror.FLOOD):
                            self.wfile.write(body)
                            sent += len(body)
                    except OSError:
                        pass
                    mirror.sent[self.path] = sent
                    mirror.done.set()
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if kind == "stall":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    time.sleep(mirror.STALL)
                    try:
                        self.wfile.write(body[len(body) // 2 :])
                    except OSError:
                        pass
                    self.close_connection = True
                elif kind == "cut":
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                else:
                    self.wfile.write(body)

            def log_message(self, *args):  # keep the spec output quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def serve(self, prefix: str, files: dict[str, bytes], kind: str = "ok") -> str:
        """Serve ``files`` (name -> bytes) under ``/prefix/``; return that folder's URL."""
        for name, body in files.items():
            self.routes[f"/{prefix}/{name}"] = (kind, body)
        return f"{self.url}/{prefix}/"


@pytest.fixture(scope="module")
def mirror_server():
    m = Mirror()
    m.thread.start()
    yield m
    m.server.shutdown()
    m.server.server_close()
    m.thread.join()


@pytest.fixture
def mirror(mirror_server):
    """The module's local mirror, with no routes and no recorded requests."""
    mirror_server.routes.clear()
    mirror_server.requests.clear()
    mirror_server.sent.clear()
    mirror_server.done.clear()
    return mirror_server
