// Saves a form marked data-autosave as it is typed into (common/autosave.py): a while after
// the last keystroke, on leaving a field, when the page is hidden, and again every so often
// while a save has failed (offline for a moment). Files are not sent: they go with the form's
// own buttons. The form's [data-autosave-status] says when a save fails, and when it works
// again; data-autosave-dirty marks a form with changes not yet saved.

const SAVE_AFTER = 2000; // ms after the last keystroke
// ms after leaving a field: a click on one of the form's buttons leaves the field first,
// and its submit, which saves the same words, then cancels this one.
const SAVE_ON_LEAVING = 250;
const RETRY_EVERY = 30000; // ms between tries while changes are not saved

const SAVED = "Your answers are saved as a draft as you type.";
const OFFLINE = "Your latest changes are not saved yet. Check your internet connection.";
const NOT_SAVED = "Your latest changes are not saved yet.";
const SIGNED_OUT = "Your latest changes are not saved because you have been signed out.";

function draftOf(form) {
  const data = new FormData(form);
  for (const input of form.querySelectorAll("input[type=file]")) data.delete(input.name);
  data.set("action", "autosave");
  return data;
}

async function failure(response) {
  if (response.type === "opaqueredirect") return SIGNED_OUT; // sent to sign in
  try {
    return `Your latest changes are not saved: ${(await response.json()).error}`;
  } catch {
    return NOT_SAVED; // a fault of ours: the form's own buttons still save
  }
}

function watch(form) {
  const status = form.querySelector("[data-autosave-status]");
  let timer = null;
  let saving = false;
  let submitted = false;

  const say = (text) => {
    if (status.textContent !== text) status.textContent = text;
  };

  async function save() {
    clearTimeout(timer);
    if (saving || submitted || !("autosaveDirty" in form.dataset)) return;
    saving = true;
    // Typing while the save is on its way marks the form again.
    delete form.dataset.autosaveDirty;
    let problem = null;
    try {
      // Not form.action: the form's buttons are named "action", which that property
      // would give instead. No action attribute is this page's own address.
      const response = await fetch(form.getAttribute("action") || location.href, {
        method: "POST", body: draftOf(form), credentials: "same-origin", redirect: "manual",
        headers: { Accept: "application/json" } });
      if (response.status !== 204) problem = await failure(response);
    } catch {
      problem = OFFLINE;
    }
    saving = false;
    if (problem) {
      form.dataset.autosaveDirty = "";
      say(problem);
      return;
    }
    say(SAVED);
    document.dispatchEvent(new CustomEvent("portal:session-extended"));
  }

  form.addEventListener("input", (event) => {
    if (event.target.type === "file") return;
    form.dataset.autosaveDirty = "";
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_AFTER);
  });
  form.addEventListener("focusout", () => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_ON_LEAVING);
  });
  form.addEventListener("submit", () => {
    submitted = true; // the form's own save goes now
    clearTimeout(timer);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save();
  });
  setInterval(save, RETRY_EVERY);
}

document.querySelectorAll("form[data-autosave]").forEach(watch);
