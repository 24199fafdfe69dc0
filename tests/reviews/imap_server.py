"""A small IMAP4rev1 server on a local socket, holding messages in memory: enough of the
protocol (LOGIN, SELECT, UID SEARCH, UID FETCH, UID STORE, LOGOUT) for the portal's real
IMAP client (the standard library's imaplib) to read a mailbox as it reads a real one."""

import re
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Mailbox:
    user: str
    password: str
    messages: dict[int, bytes] = field(default_factory=dict)
    flags: dict[int, set[str]] = field(default_factory=dict)
    logins: list[str] = field(default_factory=list)

    def deliver(self, raw: bytes) -> int:
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = raw
        self.flags[uid] = set()
        return uid


class _Handler(socketserver.StreamRequestHandler):
    def send(self, line: str | bytes) -> None:
        self.wfile.write(line if isinstance(line, bytes) else line.encode() + b"\r\n")

    def handle(self):
        box: Mailbox = self.server.mailbox
        self.send("* OK IMAP4rev1 test server ready")
        while line := self.rfile.readline():
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            if command == "UID":
                command, _, args = args.partition(" ")
                command = "UID " + command.upper()
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1")
            elif command == "LOGIN":
                user, password = (part.strip('"') for part in args.split(" ", 1))
                if (user, password) != (box.user, box.password):
                    self.send(f"{tag} NO wrong password")
                    continue
                box.logins.append(user)
            elif command == "SELECT":
                self.send(f"* {len(box.messages)} EXISTS")
                self.send("* FLAGS (\\Seen \\Flagged)")
                self.send(f"{tag} OK [READ-WRITE] SELECT completed")
                continue
            elif command == "UID SEARCH":
                unseen = [str(uid) for uid in box.messages if "\\Seen" not in box.flags[uid]]
                self.send("* SEARCH " + " ".join(unseen) if unseen else "* SEARCH")
            elif command == "UID FETCH":
                uid = int(args.split(" ", 1)[0])
                raw = box.messages[uid]
                self.send(f"* {uid} FETCH (UID {uid} BODY[] {{{len(raw)}}}".encode() + b"\r\n"
                          + raw + b")\r\n")
            elif command == "UID STORE":
                uid = int(args.split(" ", 1)[0])
                box.flags[uid] |= set(re.findall(r"\\\w+", args))
                self.send(f"* {uid} FETCH (UID {uid} FLAGS ({' '.join(sorted(box.flags[uid]))}))")
            elif command == "LOGOUT":
                self.send("* BYE logging out")
                self.send(f"{tag} OK LOGOUT completed")
                return
            else:
                self.send(f"{tag} BAD unknown command")
                continue
            self.send(f"{tag} OK {command} completed")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def serve(mailbox: Mailbox):
    """Start a server for `mailbox` on a free local port; return (server, port)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.mailbox = mailbox
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]
