// Keeps parts of an ordinary page current without a reload.
//
// A page marks each region to keep current with an id and two attributes:
//   <div id="..." data-live-region data-live-socket="/ws/reviews/<id>/">   (or "/ws/updates/")
// When the socket says something changed, the page's own URL is fetched again and each
// region's HTML is swapped for the fresh copy; "Updated" is announced politely. Several
// events close together cause one fetch.

import { keepConnected } from "./socket.js";

const QUIET_FOR = 400; // ms to wait for more events before fetching

const regions = [...document.querySelectorAll("[data-live-region][data-live-socket][id]")];
let announcer = null;
let refreshTimer = null;

function announce(text) {
  announcer.textContent = "";
  // A short gap makes screen readers read the same words again.
  setTimeout(() => { announcer.textContent = text; }, 50);
}

async function refresh() {
  let response;
  try {
    response = await fetch(location.href, { credentials: "same-origin",
                                            headers: { Accept: "text/html" } });
  } catch {
    return; // offline: the next event or reconnection tries again
  }
  if (!response.ok || response.redirected) return; // signed out, or gone: leave the page be
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  let changed = false;
  for (const region of regions) {
    const replacement = fresh.getElementById(region.id);
    if (!replacement || replacement.innerHTML === region.innerHTML) continue;
    const focusedId = region.contains(document.activeElement) ? document.activeElement.id : "";
    region.innerHTML = replacement.innerHTML;
    if (focusedId) document.getElementById(focusedId)?.focus();
    changed = true;
  }
  if (changed) announce("Updated");
}

function soon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, QUIET_FOR);
}

function watch(path) {
  keepConnected(path, {
    opened({ reconnected }) {
      if (reconnected) soon(); // whatever happened while disconnected was missed
    },
    received({ type }) {
      if (type === "event" || type === "update") soon();
    },
  });
}

if (regions.length) {
  announcer = document.createElement("div");
  announcer.className = "govuk-visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  document.body.append(announcer);
  new Set(regions.map((region) => region.dataset.liveSocket)).forEach(watch);
}
