// The idle time-out's warning (agencies/session_timeout.py, includes/session_timeout.html).
//
// The session ends `data-idle-seconds` after the last request; `data-warn-seconds` before
// then the dialog opens, modal, counting down in words. "Stay signed in" (or Escape) posts
// to the keep-alive address, which moves the session's expiry on, and closes it; focus goes
// back where it was. When the time runs out the page goes to the timed-out address, which
// sends the person to sign in and back here afterwards.
//
// A form that saves as it is typed (autosave.js) makes requests too: each one it saves
// moves the session on, and it says so with a "portal:session-extended" event. Typing or
// clicking anywhere on the page moves it on too, now and then (see `active`).

const TICK = 1000; // ms: a clock read every second, so that a computer waking from sleep
// catches up at once rather than running a timer's remaining time again.
const ANNOUNCE_EVERY = 20; // seconds between the live region's words, in the last minute
const ACTIVITY_PINGS = 4; // activity moves the session on at most 4 times in its idle time

const dialog = document.querySelector("[data-session-timeout]");

function words(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

function unsavedTyping() {
  // autosave.js marks a form with unsaved changes; a page with no such form typed nothing
  // that it keeps.
  return document.querySelector("form[data-autosave][data-autosave-dirty]") !== null;
}

function start() {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warn = Number(dialog.dataset.warnSeconds) * 1000;
  const countdown = dialog.querySelector("[data-countdown]");
  const announce = dialog.querySelector("[data-countdown-announce]");
  const error = dialog.querySelector("[data-keep-alive-error]");
  const token = dialog.querySelector("[name=csrfmiddlewaretoken]").value;
  let deadline = Date.now() + idle;
  let returnFocus = null;
  let lastWords = "";
  let clock = null;
  let lastExtended = Date.now();

  function show(secondsLeft) {
    const text = words(secondsLeft);
    if (text === lastWords) return;
    countdown.textContent = text;
    // Read out when the minutes change, and every few seconds in the last minute: not every
    // second, which would drown everything else a screen reader says.
    if (secondsLeft >= 60 || secondsLeft % ANNOUNCE_EVERY === 0) {
      announce.textContent = `We will sign you out in ${text}.`;
    }
    lastWords = text;
  }

  function open(secondsLeft) {
    returnFocus = document.activeElement;
    error.hidden = true;
    // Read out with the dialog as it opens (its description), so not by the live region too.
    countdown.textContent = lastWords = words(secondsLeft);
    announce.textContent = "";
    dialog.showModal(); // moves focus into the dialog, which is announced with its words
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  function timedOut() {
    clearInterval(clock); // once: the page is on its way
    const query = new URLSearchParams({ next: location.pathname + location.search });
    if (document.querySelector("form[data-autosave]") && !unsavedTyping()) query.set("saved", "1");
    location.assign(`${dialog.dataset.timedOutUrl}?${query}`);
  }

  function tick() {
    const left = deadline - Date.now();
    if (left <= 0) {
      timedOut();
      return;
    }
    const secondsLeft = Math.ceil(left / 1000);
    if (dialog.open) show(secondsLeft);
    else if (left <= warn) open(secondsLeft);
  }

  function extended() {
    lastExtended = Date.now();
    deadline = lastExtended + idle;
    close();
  }

  // The keep-alive's answer: "extended", "ended" (signed out already) or "offline".
  async function keepAlive() {
    try {
      const response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "X-CSRFToken": token } });
      return response.status === 204 ? "extended" : "ended";
    } catch {
      return "offline";
    }
  }

  async function staySignedIn() {
    const answer = await keepAlive();
    if (answer === "extended") extended();
    else if (answer === "ended") timedOut();
    else error.hidden = false; // offline for a moment: they can try again in time
  }

  // Typing or clicking is someone at the page, though it asks the server nothing of itself
  // (a form that does not save as it goes, the meeting room's socket): now and then it
  // moves the session on, so that only a page left alone is warned.
  async function active() {
    if (dialog.open || Date.now() - lastExtended < idle / ACTIVITY_PINGS) return;
    lastExtended = Date.now(); // one keep-alive on its way at a time
    if ((await keepAlive()) === "extended") extended();
  }

  dialog.querySelector("[data-stay-signed-in]").addEventListener("click", staySignedIn);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault(); // Escape means "stay signed in", as in HMRC's pattern
    staySignedIn();
  });
  dialog.addEventListener("close", () => returnFocus?.focus());
  document.addEventListener("portal:session-extended", extended);
  document.addEventListener("keydown", active, true);
  document.addEventListener("pointerdown", active, true);
  clock = setInterval(tick, TICK);
}

if (dialog && typeof dialog.showModal === "function") start();
