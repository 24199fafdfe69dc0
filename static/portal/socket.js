// A WebSocket to this site that reconnects with backoff, and stops for good when the server
// refuses the person (signed out, no longer part of the review, never was). Used by
// room.js (the meeting room) and live.js (pages that update themselves).

const MAX_WAIT = 30_000;
export const REFUSED = [4401, 4403, 4404];
// The server closes with this when the person's session may have ended (their password or
// two-step method changed, here or elsewhere: agencies/session_end.py). Connecting again, the
// handshake lets in only a session still signed in; the short wait lets the tab whose
// session it was take the new session cookie the change gave it first.
const CHECK_SESSION = 4001;
const CHECK_AFTER = 1000;

async function refusal() {
  // A handshake the server refuses reaches the browser as a plain failure (code 1006), as a
  // network fault does: ask the page itself whether this person may still see it.
  try {
    const response = await fetch(location.href, { method: "HEAD", credentials: "same-origin" });
    if (response.redirected) return 4401;
    if (response.status === 404) return 4404;
  } catch {
    // offline: keep trying
  }
  return null;
}

// handlers: opened({ reconnected }), received(message), lost({ first }), stopped(code)
export function keepConnected(path, { opened, received, lost = () => {}, stopped = () => {} }) {
  let socket = null;
  let attempts = 0;
  let retry = null;
  let done = false;

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    let wasOpen = false;
    socket = new WebSocket(`${scheme}://${location.host}${path}`);
    socket.addEventListener("open", () => {
      wasOpen = true;
      opened({ reconnected: attempts > 0 });
      attempts = 0;
    });
    socket.addEventListener("message", (message) => received(JSON.parse(message.data)));
    socket.addEventListener("close", async (closed) => {
      socket = null;
      if (closed.code === CHECK_SESSION) {
        attempts += 1; // a reconnection: pages fetch what they may have missed meanwhile
        retry = setTimeout(now, CHECK_AFTER);
        return;
      }
      const code = REFUSED.includes(closed.code) ? closed.code : wasOpen ? null : await refusal();
      if (code) {
        done = true;
        stopped(code);
        return;
      }
      lost({ first: attempts === 0 });
      const wait = Math.min(MAX_WAIT, 1000 * 2 ** attempts) + Math.random() * 500;
      attempts += 1;
      retry = setTimeout(now, wait);
    });
  }

  function now() {
    clearTimeout(retry);
    if (!socket && !done) connect();
  }

  window.addEventListener("online", now); // no need to wait out the backoff
  connect();
  return {
    isOpen: () => socket !== null && socket.readyState === WebSocket.OPEN,
    send(message) {
      if (socket !== null && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify(message));
      }
    },
  };
}
