#!/usr/bin/python3
"""A TLS proxy with a gate, in front of a real server, for tests that must
see a client between two of its commands (the TUI's index before the
envelopes arrive, an expunge while they are on their way).

    gate-proxy.py --port-file PATH --upstream PORT --ca CA
                  --cert CERT --key KEY --hold REGEX --gate FILE

It listens on 127.0.0.1 (a free port, written to PATH atomically) with
TLS (CERT, KEY) and relays each connection to 127.0.0.1:PORT over TLS
(checked against CA). The client's lines go on as they come until one
matches REGEX (re.search on the line without CRLF): that line and all
after it wait until FILE exists, then go on in order. The server's bytes
are never held. Each connection is relayed on its own thread; the proxy
ends when it is killed (the test bed stops it by PID).
"""
import argparse
import os
import re
import socket
import ssl
import threading
import time


def pump_server(up, down):
    try:
        while True:
            data = up.recv(65536)
            if not data:
                break
            down.sendall(data)
    except OSError:
        pass
    for s in (down, up):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def pump_client(down, up, hold, gate):
    buf, held = b"", False
    try:
        while True:
            data = down.recv(65536)
            if not data:
                break
            buf += data
            while True:
                nl = buf.find(b"\n")
                if nl < 0:
                    break
                line, buf = buf[:nl + 1], buf[nl + 1:]
                if not held and hold.search(line.rstrip(b"\r\n")):
                    held = True
                while held and not os.path.exists(gate):
                    time.sleep(0.02)
                up.sendall(line)
            # a literal's bytes without their newline yet: keep them
    except OSError:
        pass
    try:
        up.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def serve(conn, a, hold, server_ctx, client_ctx):
    try:
        down = server_ctx.wrap_socket(conn, server_side=True)
        raw = socket.create_connection(("127.0.0.1", a.upstream))
        up = client_ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    except (OSError, ssl.SSLError):
        conn.close()
        return
    threading.Thread(target=pump_server, args=(up, down),
                     daemon=True).start()
    pump_client(down, up, hold, a.gate)


def main():
    ap = argparse.ArgumentParser()
    for opt in ("--port-file", "--ca", "--cert", "--key", "--hold", "--gate"):
        ap.add_argument(opt, required=True)
    ap.add_argument("--upstream", type=int, required=True)
    a = ap.parse_args()
    hold = re.compile(a.hold.encode())
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(a.cert, a.key)
    client_ctx = ssl.create_default_context(cafile=a.ca)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(8)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.rename(tmp, a.port_file)
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve, args=(conn, a, hold, server_ctx,
                                             client_ctx), daemon=True).start()


if __name__ == "__main__":
    main()
