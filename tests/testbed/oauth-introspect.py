#!/usr/bin/python3
"""A tiny OAuth 2.0 token introspection endpoint (RFC 7662) for the test bed.

    oauth-introspect.py PORT_FILE USER=TOKEN [USER=TOKEN ...]

Listens on 127.0.0.1 (a free port, written to PORT_FILE once it listens),
and answers Dovecot's oauth2 passdb with introspection_mode = post: the
form field "token" of a POST is looked up, and the answer is
{"active": true, "username": USER} for a known token, {"active": false}
for any other. Every request is counted in PORT_FILE.count, so a test can
tell how often the server asked. Stopped by its PID (the test bed's trap).
"""

import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer


def main():
    port_file = sys.argv[1]
    tokens = {}
    for arg in sys.argv[2:]:
        user, token = arg.split("=", 1)
        tokens[token] = user
    count_file = port_file + ".count"

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            token = form.get("token", [""])[0]
            user = tokens.get(token)
            answer = {"active": True, "username": user} if user else {"active": False}
            body = json.dumps(answer).encode()
            with open(count_file, "a") as f:
                f.write("%s\n" % ("good" if user else "bad"))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            pass  # the token is in the requests: never print them

    server = HTTPServer(("127.0.0.1", 0), Handler)
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
