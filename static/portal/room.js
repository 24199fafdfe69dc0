// The live meeting room (meeting/templates/meeting/room.html).
//
// The page arrives as a snapshot with the review's last event number (data-seq). This script
// joins the room's WebSocket, asks for every event after that number, and applies each
// event to the page once (an event at or below the last number seen is ignored). Changes go
// out with a fresh key and wait in localStorage until the server acknowledges them, so
// nothing typed is lost when the connection drops: they are sent again, with the same key,
// after reconnecting, and the server applies each key once.
// Protocol: meeting/consumers.py (and reviews/consumers.py, which it extends).

import { keepConnected } from "./socket.js";

const room = document.getElementById("room");
const PING_EVERY = 25_000; // the server forgets a presence without a ping for 2 minutes
const STOPPED = {
  4401: "You have been signed out. Sign in again to join the meeting.",
  4403: "You are no longer part of this review, so you have left the meeting room.",
  4404: "You cannot join this meeting room.",
};

const words = JSON.parse(document.getElementById("room-words").textContent);
const reviewId = room.dataset.review;
const announcer = room.querySelector("[data-room-announce]");
const statusLine = room.querySelector("[data-room-status]");
const roomError = room.querySelector("[data-room-error]");
const me = Number(room.dataset.user);

let lastSeq = Number(room.dataset.seq);
const early = new Map(); // seq -> an event that came before one still on its way
const GAP_WAIT = 1000; // ms to wait for a missing event before asking for a replay
const RETRY_WAIT = 3000; // ms before changes the server could not save yet go again
let retryTimer = null;
let holding = false; // the server said it cannot save changes for a moment
let gapTimer = null;
let connection = null;
let resuming = false;
let stopped = false;
let pinger = null;

// ---------------------------------------------------------------------------
// The outbox: changes not yet acknowledged, kept per review in localStorage.
// ---------------------------------------------------------------------------

// Per person too: on a shared computer, nobody else's queued changes go out in their name.
const outboxKey = `portal-room-outbox:${room.dataset.user}:${reviewId}`;
let memoryOutbox = [];

function readOutbox() {
  try {
    return JSON.parse(localStorage.getItem(outboxKey) || "[]");
  } catch {
    return memoryOutbox; // storage refused (a private window): keep them for this page
  }
}

function writeOutbox(entries) {
  memoryOutbox = entries;
  try {
    if (entries.length) localStorage.setItem(outboxKey, JSON.stringify(entries));
    else localStorage.removeItem(outboxKey);
  } catch {
    // memoryOutbox still has them
  }
}

function takeFromOutbox(key) {
  const entries = readOutbox();
  const entry = entries.find((e) => e.key === key);
  writeOutbox(entries.filter((e) => e.key !== key));
  return entry;
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs HTTPS (or localhost); getRandomValues does not.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)),
                    (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function sendChange(change, payload, formId = null, fields = null) {
  const entry = { key: newKey(), change, payload, formId, fields };
  writeOutbox([...readOutbox(), entry]);
  if (isOpen() && !resuming) transmit(entry);
  return entry;
}

function transmit(entry) {
  send({ type: "change", change: entry.change, key: entry.key, payload: entry.payload });
}

// ---------------------------------------------------------------------------
// The connection: resume from the last event seen, reconnect with backoff.
// ---------------------------------------------------------------------------

function isOpen() {
  return connection !== null && connection.isOpen();
}

function send(message) {
  connection.send({ v: 1, ...message });
}

function resume() {
  resuming = true;
  send({ type: "resume", after: lastSeq });
}

function connect() {
  connection = keepConnected(`/ws/reviews/${reviewId}/room/`, {
    opened({ reconnected }) {
      resume();
      clearInterval(pinger);
      pinger = setInterval(() => send({ type: "ping" }), PING_EVERY);
      if (reconnected) announce("Connected again.");
    },
    received: receive,
    lost({ first }) {
      clearInterval(pinger);
      resuming = false;
      showStatus("The connection was lost. Trying again… Anything you add is kept and sent " +
                 "when the connection is back.", "lost");
      if (first) announce("The connection was lost. Trying again.");
    },
    stopped(code) {
      clearInterval(pinger);
      stopped = true;
      hideControls();
      showStatus(STOPPED[code], "lost");
      announce(STOPPED[code]);
    },
  });
}

function receive(message) {
  switch (message.type) {
    case "event":
      onEvent(message.event);
      break;
    case "resumed":
      onResumed(message);
      break;
    case "ack":
      onAck(message);
      break;
    case "conflict":
      onConflict(message);
      break;
    case "error":
      onError(message);
      break;
    case "presence":
      showPresence(message.people);
      break;
    case "pong":
      // The room has got further than this page, and nothing is on its way to say so (a
      // broadcast lost while the server's Redis restarted): ask for what was missed.
      if (message.seq > lastSeq && !resuming && gapTimer === null) resume();
      break;
    default:
      break; // something newer than this script
  }
}

function onResumed(message) {
  resuming = false;
  if (!message.complete) {
    resume(); // more than one batch was missed: ask for the next
    return;
  }
  for (const seq of early.keys()) if (seq <= lastSeq) early.delete(seq);
  if (early.size > 0 && gapTimer === null) gapTimer = setTimeout(fillGap, GAP_WAIT);
  showStatus("Connected. Changes appear here as they happen.", "open");
  readOutbox().forEach(transmit);
}

function onEvent(event) {
  if (event.seq <= lastSeq) return; // seen already
  if (event.seq > lastSeq + 1) {
    // Events sent by different servers can overtake each other: hold this one a moment for
    // the ones before it. If they do not come (the channel layer may drop messages), replay
    // from the last one seen, which brings them all again in order.
    early.set(event.seq, event);
    if (gapTimer === null && !resuming) gapTimer = setTimeout(fillGap, GAP_WAIT);
    return;
  }
  applyEvent(event);
  while (early.has(lastSeq + 1)) {
    const next = early.get(lastSeq + 1);
    early.delete(next.seq);
    applyEvent(next);
  }
  if (early.size === 0) {
    clearTimeout(gapTimer);
    gapTimer = null;
  }
}

function fillGap() {
  gapTimer = null;
  if (early.size > 0 && !resuming) resume();
}

function applyEvent(event) {
  lastSeq = event.seq;
  const apply = APPLY[event.kind];
  if (!apply) return; // not a room change (advice arriving, say): nothing to redraw here
  apply(event.data, event);
  // Their own changes are not read back to anyone: the form they used says it is done.
  if (event.actor_id === me) return;
  if (event.kind === "agenda.moved") announceMove(event.summary);
  else announceNews(describe(event));
}

function onAck(message) {
  if (holding) {
    holding = false;
    showStatus("Connected. Changes appear here as they happen.", "open");
  }
  const entry = takeFromOutbox(message.key);
  const form = entry && entry.formId ? document.getElementById(entry.formId) : null;
  if (!form) return;
  setFormStatus(form, form.dataset.done || "Saved");
  if (form.dataset.confirmed) announce(form.dataset.confirmed);
}

function onError(message) {
  if (message.retry_after && message.key) {
    holdBack(message.key, message.retry_after);
    return;
  }
  if (message.retry) {
    holdForRetry(message);
    return;
  }
  const entry = message.key ? takeFromOutbox(message.key) : null;
  const form = entry && entry.formId ? document.getElementById(entry.formId) : null;
  if (form) {
    delete form.dataset.pending;
    // A form that was cleared when it was sent gets back what they typed.
    if ("reset" in form.dataset && entry.fields) {
      fillForm(form, entry.fields);
      recount(form);
    }
    showFormError(form, message.error);
  } else {
    roomError.textContent = message.error;
    roomError.hidden = false;
  }
  announce(`Error: ${message.error}`);
}

function holdBack(key, seconds) {
  // Refused only because this person is making changes faster than the room takes them: it
  // stays in the outbox, and goes again, with the same key, when the server said.
  const entry = readOutbox().find((e) => e.key === key);
  if (!entry) return;
  const form = entry.formId ? document.getElementById(entry.formId) : null;
  const wait = "Not sent yet: you have made a lot of changes in the last minute. It will be " +
    `sent in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  if (form) setFormStatus(form, wait);
  announce(wait);
  setTimeout(() => {
    const waiting = readOutbox().find((e) => e.key === key);
    // Not connected then: reconnecting sends everything in the outbox anyway.
    if (waiting && isOpen() && !resuming) transmit(waiting);
  }, seconds * 1000);
}

function holdForRetry(message) {
  // Not saved yet (the service's database is down for a moment), and nothing is lost: the
  // change stays in the outbox and goes again shortly with the same key, so it lands once.
  const entry = readOutbox().find((e) => e.key === message.key);
  const form = entry && entry.formId ? document.getElementById(entry.formId) : null;
  setFormStatus(form, "Not saved yet: it will be sent again in a moment.");
  if (!holding) announce(message.error);
  holding = true;
  showStatus(message.error, "lost");
  if (retryTimer === null) retryTimer = setTimeout(resendOutbox, RETRY_WAIT);
}

function resendOutbox() {
  retryTimer = null;
  if (isOpen() && !resuming) readOutbox().forEach(transmit);
}

// ---------------------------------------------------------------------------
// Applying events to the page. Each one is safe to apply twice.
// ---------------------------------------------------------------------------

const APPLY = {
  "notes.saved": applyNotes,
  "comment.added": applyComment,
  "action.added": applyAction,
  "recommendation.set": applyRecommendation,
  "agenda.moved": (data) => setCurrentItem(data.item),
  "attendance.marked": (data) => setAttendance(data.invitation, data.present),
  "attendance.joined": (data) => setAttendance(data.invitation, true),
  "minute_taker.named": applyMinuteTaker,
  "meeting.closed": closeRoom,
};

function fill(template, values) {
  const node = room.querySelector(`template[data-template="${template}"]`)
    .content.firstElementChild.cloneNode(true);
  for (const [slot, value] of Object.entries(values)) {
    const target = node.querySelector(`[data-slot="${slot}"]`);
    if (target) target.textContent = value;
  }
  return node;
}

function appendToList(list, node) {
  list.querySelectorAll("[data-empty]").forEach((empty) => empty.remove());
  list.append(node);
}

function applyNotes(data, event) {
  const section = document.getElementById(`item-${data.item}`);
  if (!section) return;
  const view = section.querySelector("[data-notes-view]");
  if (Number(view.dataset.version) >= data.version) return;
  view.dataset.version = data.version;
  view.textContent = data.text || "No notes yet.";
  view.classList.toggle("room-notes--empty", !data.text);
  const form = section.querySelector('[data-change="notes.save"]');
  if (!form) return;
  const box = form.elements.text;
  // The server trims what it saves.
  const ours = form.dataset.pending !== undefined && form.dataset.pending.trim() === data.text;
  const unchanged = box.value.trim() === (form.dataset.saved ?? box.defaultValue).trim();
  if (ours || unchanged) {
    // Our own save, or nothing unsaved in the box: build on these notes from now on (and
    // keep anything typed since our save).
    if (!ours) {
      box.value = data.text;
      recount(form);
    }
    form.dataset.saved = data.text;
    form.dataset.version = data.version;
    delete form.dataset.pending;
  } else {
    // Their unsaved text stays, and so does the version it was written against: saving it
    // will show them the conflict rather than overwrite these notes silently.
    setFormStatus(form, `${event.actor || "Someone"} has just saved new notes on this item.`);
  }
}

function applyComment(data, event) {
  const list = room.querySelector(`[data-comments="${data.item}"]`);
  if (!list || list.querySelector(`[data-comment="${data.comment}"]`)) return;
  const [label, colour] = words.kinds[data.kind] || [data.kind, "grey"];
  const node = fill("comment", { kind: label, author: data.author, time: timeText(event.at),
                                 text: data.text });
  node.dataset.comment = data.comment;
  node.querySelector('[data-slot="kind"]').className = `govuk-tag govuk-tag--${colour}`;
  appendToList(list, node);
}

function applyAction(data) {
  const list = room.querySelector("[data-actions]");
  if (list.querySelector(`[data-action="${data.action}"]`)) return;
  const node = fill("action", { what: data.what, who: data.who, due: dateText(data.due_on) });
  node.dataset.action = data.action;
  node.querySelector('[data-slot="due-wrap"]').hidden = !data.due_on;
  appendToList(list, node);
}

function applyRecommendation(data) {
  if (!data.section) {
    const overall = room.querySelector("[data-overall]");
    overall.replaceChildren("Overall: ");
    const choice = document.createElement("strong");
    choice.textContent = words.overall[data.overall] || data.overall;
    overall.append(choice, data.agreed_by ? `. Agreed by ${data.agreed_by}` : "");
    return;
  }
  const list = room.querySelector("[data-recommendations]");
  const node = fill("recommendation", { section: words.sections[data.section],
                                        text: data.text, agreed: data.agreed_by });
  node.dataset.recommendation = data.section;
  node.querySelector('[data-slot="agreed-wrap"]').hidden = !data.agreed_by;
  const existing = list.querySelector(`[data-recommendation="${data.section}"]`);
  if (existing) {
    existing.replaceWith(node);
    return;
  }
  // Keep the plan's order, A to K.
  const after = [...list.children].find((li) => li.dataset.recommendation > data.section);
  list.insertBefore(node, after || null);
}

function setCurrentItem(itemId) {
  room.dataset.currentItem = itemId;
  room.querySelectorAll("[data-agenda-item]").forEach((li) => {
    const current = li.dataset.agendaItem === String(itemId);
    const link = li.querySelector("a");
    li.classList.toggle("room-agenda__item--current", current);
    if (current) link.setAttribute("aria-current", "step");
    else link.removeAttribute("aria-current");
    li.querySelector("[data-now-tag]").hidden = !current;
    const move = li.querySelector("[data-move]");
    if (!move) return;
    // The coordinator's "Discuss now" goes once it has worked: their focus goes to the
    // item's link, which says it is the current step, rather than to the top of the page.
    const focused = move === document.activeElement;
    move.hidden = current || !isLive();
    if (focused && move.hidden) link.focus();
  });
  room.querySelectorAll(".room-item").forEach((part) => {
    const current = part.dataset.item === String(itemId);
    part.classList.toggle("room-item--current", current);
    part.querySelector("[data-now-tag]").hidden = !current;
  });
}

function setAttendance(invitationId, present) {
  const person = room.querySelector(`[data-invitation="${invitationId}"]`);
  if (!person) return;
  person.dataset.attended = present ? "true" : "false";
  const tag = person.querySelector("[data-attended-tag]");
  tag.textContent = present ? "Present" : "Absent";
  tag.className = `govuk-tag govuk-tag--${present ? "green" : "grey"}`;
  showMarkButtons(person);
}

function showMarkButtons(person) {
  // Offer whichever is not already recorded: both while nothing is. The button just used
  // goes, and the coordinator's focus goes to the other one, which now applies.
  const buttons = [...person.querySelectorAll("[data-mark]")];
  const focused = buttons.find((button) => button === document.activeElement);
  buttons.forEach((button) => {
    button.hidden = !isLive() || button.dataset.present === person.dataset.attended;
  });
  if (focused?.hidden) buttons.find((button) => !button.hidden)?.focus();
}

const WRITERS_FORMS = '[data-change="notes.save"], #action-form, #overall-form, #section-form';

function applyMinuteTaker(data) {
  room.querySelector("[data-minute-taker]").textContent = data.user
    ? `${data.name} is taking the minutes.` : "The coordinator is taking the minutes.";
  const choice = document.getElementById("minute-taker");
  if (choice) choice.value = data.user ? String(data.user) : "";
  if (room.dataset.canManage === "true") return; // the coordinator writes either way
  const writes = data.user === Number(room.dataset.user);
  if (writes === (room.dataset.canWrite === "true")) return;
  room.dataset.canWrite = String(writes);
  const forms = room.querySelectorAll(WRITERS_FORMS);
  // The writing controls come with the page: a new minute-taker reloads it to get them.
  room.querySelector("[data-minutes-reload]").hidden = !writes || forms.length > 0;
  forms.forEach((form) => { form.hidden = !writes; });
  room.querySelectorAll('[data-change="notes.save"]').forEach((form) => {
    form.closest(".room-item").querySelector("[data-notes-view]").hidden = writes;
  });
}

function showPresence(people) {
  const list = room.querySelector("[data-presence]");
  list.replaceChildren(...people.map((person) => fill("person", {
    name: person.name,
    role: [person.role, person.agency].filter(Boolean).join(", "),
  })));
}

function closeRoom() {
  room.dataset.closed = "true";
  room.querySelector("[data-closed-banner]").hidden = false;
  hideControls();
  // Who is here still shows: the room stays readable.
  room.querySelector("[data-here]").hidden = false;
  setCurrentItem(room.dataset.currentItem);
}

function hideControls() {
  room.querySelectorAll("[data-js-only], form").forEach((control) => { control.hidden = true; });
  room.querySelectorAll("button, input, textarea, select").forEach((control) => {
    control.disabled = true;
  });
  room.querySelectorAll("[data-notes-view]").forEach((view) => { view.hidden = false; });
}

function isLive() {
  return room.dataset.closed !== "true" && !stopped;
}

// ---------------------------------------------------------------------------
// Forms: every form with data-change sends that change; errors show beside it.
// ---------------------------------------------------------------------------

function formFields(form) {
  const fields = {};
  for (const [name, value] of new FormData(form)) fields[name] = value;
  return fields;
}

function fillForm(form, fields) {
  for (const control of form.elements) {
    if (!control.name || !(control.name in fields)) continue;
    if (control.type === "radio") control.checked = control.value === fields[control.name];
    else control.value = fields[control.name];
  }
}

function recount(form) {
  // GOV.UK's character count counts again on input: a script's change to a box is not one.
  form.querySelectorAll(".govuk-js-character-count").forEach((box) => {
    box.dispatchEvent(new Event("input"));
  });
}

function isoDate(day, month, year) {
  if (!day && !month && !year) return "";
  const pad = (n, width) => String(n).trim().padStart(width, "0");
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`; // the server checks it is real
}

function payloadFor(form, fields) {
  const { change } = form.dataset;
  if (change === "notes.save") {
    return { item: Number(form.dataset.item), text: fields.text,
             base_version: Number(form.dataset.version) };
  }
  if (change === "comment.add") return { item: Number(form.dataset.item), ...fields };
  if (change === "action.add") {
    return { what: fields.what, who: fields.who,
             due_on: isoDate(fields.due_day, fields.due_month, fields.due_year) };
  }
  if (change === "meeting.close") return { before_start: fields.before_start === "true" };
  return fields;
}

function missing(form) {
  for (const field of form.querySelectorAll("[data-required]")) {
    const empty = field.tagName === "FIELDSET"
      ? !field.querySelector("input:checked")
      : !field.value.trim();
    if (empty) return { field, message: field.dataset.required };
  }
  return null;
}

function submit(form) {
  clearFormError(form);
  const problem = missing(form);
  if (problem) {
    showFormError(form, problem.message);
    (problem.field.querySelector("input") || problem.field).focus();
    return;
  }
  const fields = formFields(form);
  if (form.dataset.change === "notes.save") form.dataset.pending = fields.text;
  sendChange(form.dataset.change, payloadFor(form, fields), form.id, fields);
  setFormStatus(form, isOpen() ? "Sending…"
    : "Not sent yet: it will be sent when the connection is back.");
  if ("reset" in form.dataset) {
    form.reset();
    recount(form);
  }
}

function showFormError(form, text) {
  const error = form.querySelector("[data-error]");
  error.replaceChildren();
  const prefix = document.createElement("span");
  prefix.className = "govuk-visually-hidden";
  prefix.textContent = "Error: ";
  error.append(prefix, text);
  error.hidden = false;
  const group = form.querySelector("[data-group]");
  if (group) group.classList.add("govuk-form-group--error");
  setFormStatus(form, "");
}

function clearFormError(form) {
  const error = form.querySelector("[data-error]");
  if (error) error.hidden = true;
  const group = form.querySelector("[data-group]");
  if (group) group.classList.remove("govuk-form-group--error");
  roomError.hidden = true;
}

function setFormStatus(form, text) {
  const status = form && form.querySelector("[data-form-status]");
  if (status) status.textContent = text;
}

function onConflict(message) {
  takeFromOutbox(message.key);
  const form = document.getElementById(`notes-form-${message.item}`);
  if (!form) return;
  delete form.dataset.pending;
  const panel = form.querySelector("[data-conflict]");
  panel.querySelector('[data-slot="by"]').textContent = message.by;
  panel.querySelector('[data-slot="text"]').textContent = message.text;
  panel.dataset.version = message.version;
  panel.dataset.text = message.text;
  panel.hidden = false;
  setFormStatus(form, "Not saved");
  panel.focus();
  announce(`${message.by} saved these notes while you were writing. Your notes are kept.`);
}

function resolveConflict(form, keepMine) {
  const panel = form.querySelector("[data-conflict]");
  panel.hidden = true;
  // Either way, the next save builds on the version they have now seen.
  form.dataset.version = panel.dataset.version;
  if (keepMine) {
    submit(form);
  } else {
    form.elements.text.value = panel.dataset.text;
    form.dataset.saved = panel.dataset.text;
    recount(form);
    setFormStatus(form, "");
  }
  form.elements.text.focus();
}

// ---------------------------------------------------------------------------
// Small things: times and dates as the server writes them, the status line.
// ---------------------------------------------------------------------------

const london = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London", hour: "numeric", minute: "2-digit", hour12: true,
});

function timeText(iso) {
  const parts = Object.fromEntries(london.formatToParts(new Date(iso))
    .map((part) => [part.type, part.value]));
  const noon = parts.hour === "12" && parts.minute === "00";
  if (noon) return parts.dayPeriod.toLowerCase().startsWith("p") ? "midday" : "midnight";
  const minutes = parts.minute === "00" ? "" : `:${parts.minute}`;
  return `${parts.hour}${minutes}${parts.dayPeriod.toLowerCase().replace(/[^a-z]/g, "")}`;
}

function dateText(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric",
                                            timeZone: "UTC" }).format(new Date(iso));
}

function showStatus(text, state) {
  statusLine.textContent = text;
  statusLine.className = `govuk-body room-status room-status--${state}`;
  statusLine.hidden = false;
}

// ---------------------------------------------------------------------------
// Announcements: one live region. What arrives together is read together, briefly: how
// this page is doing (the connection, its own changes), the agenda moving on once, with
// the new item's title, then who said what.
// ---------------------------------------------------------------------------

const GATHER_FOR = 500; // ms: what arrives in this time is read out as one announcement
const MOST_READ = 3; // more news at once than this: only how much, and the latest
const QUOTE_CHARS = 100; // what someone said, shortened to this
const TITLE_CHARS = 60; // an agenda item's title, shortened to this

const heard = { status: [], moved: "", news: [] };
let gatherTimer = null;

function announce(text) {
  heard.status.push(sentence(text));
  gather();
}

function announceMove(text) {
  heard.moved = sentence(text); // moved on twice at once: only where it is now matters
  gather();
}

function announceNews(text) {
  heard.news.push(sentence(text));
  gather();
}

function gather() {
  if (gatherTimer === null) gatherTimer = setTimeout(speak, GATHER_FOR);
}

function speak() {
  gatherTimer = null;
  const { status, moved, news } = heard;
  const parts = [...status, ...(moved ? [moved] : [])];
  if (news.length > MOST_READ) {
    parts.push(`${news.length} new updates in the meeting. The latest: ${news.at(-1)}`);
  } else {
    parts.push(...news);
  }
  Object.assign(heard, { status: [], moved: "", news: [] });
  // Emptied first, so that the same words twice are read twice.
  announcer.textContent = "";
  setTimeout(() => { announcer.textContent = parts.join(" "); }, 50);
}

const SAYS = {
  comment: (who, title) => `${who} commented on ${title}`,
  question: (who, title) => `${who} asked about ${title}`,
  disagree: (who, title) => `${who} disagrees with ${title}`,
};

function describe(event) {
  if (event.kind !== "comment.added") {
    const named = !event.actor || event.summary.includes(event.actor);
    return named ? event.summary : `${event.summary} (${event.actor})`;
  }
  const { data } = event;
  const link = room.querySelector(`[data-agenda-item="${data.item}"] a`);
  const title = shorten(link ? link.textContent.trim() : "an agenda item", TITLE_CHARS);
  const said = (SAYS[data.kind] || SAYS.comment)(data.author || "Someone", title);
  return data.text ? `${said}: ${shorten(data.text, QUOTE_CHARS)}` : said;
}

function shorten(text, most) {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= most) return flat;
  const cut = flat.slice(0, most);
  const space = cut.lastIndexOf(" ");
  return `${(space > most / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…`;
}

function sentence(text) {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

// ---------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------

function start() {
  room.querySelector("[data-no-js]").hidden = true;
  if (room.dataset.closed === "true") {
    closeRoom();
  } else {
    room.querySelectorAll("[data-js-only]").forEach((control) => { control.hidden = false; });
    // Writers edit the notes in the box; the read-only copy would say the same twice.
    room.querySelectorAll('[data-change="notes.save"]').forEach((form) => {
      form.closest(".room-item").querySelector("[data-notes-view]").hidden = true;
    });
  }
  room.querySelectorAll("[data-invitation]").forEach(showMarkButtons);
  setCurrentItem(room.dataset.currentItem);

  room.addEventListener("submit", (submitted) => {
    const form = submitted.target.closest("form[data-change]");
    if (!form) return;
    submitted.preventDefault();
    if (isLive()) submit(form);
  });
  room.addEventListener("click", (clicked) => {
    const button = clicked.target.closest("button");
    if (!button || !isLive()) return;
    if (button.dataset.move) {
      sendChange("agenda.move", { item: Number(button.dataset.move) });
    } else if (button.dataset.mark) {
      sendChange("attendance.mark", { invitation: button.dataset.mark,
                                      present: button.dataset.present === "true" });
    } else if ("conflictMine" in button.dataset || "conflictTheirs" in button.dataset) {
      resolveConflict(button.closest("form"), "conflictMine" in button.dataset);
    } else if ("closeStart" in button.dataset) {
      document.getElementById("close-form").hidden = false;
      button.hidden = true;
      room.querySelector("[data-close-warning]").focus();
    } else if ("closeCancel" in button.dataset) {
      document.getElementById("close-form").hidden = true;
      const startButton = room.querySelector("[data-close-start]");
      startButton.hidden = false;
      startButton.focus();
    }
  });
  connect();
}

start();
