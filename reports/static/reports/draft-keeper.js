// The draft editor (reports/templates/reports/edit.html) keeps what is typed in this tab's
// sessionStorage until it is saved. A long edit can outlast the session: the save then goes
// to sign-in and comes back to an empty editor, and this puts back what was typed. The copy
// is tied to the draft it started from, so once a save makes a new draft it is dropped; and
// sessionStorage ends with the tab, so nothing stays on a shared computer.

const form = document.querySelector("form[data-keep-draft]");

function fields() {
  return Array.from(form.elements).filter(
    (field) => field.name && !["csrfmiddlewaretoken", "base_revision"].includes(field.name),
  );
}

function keep(key, base) {
  const values = {};
  for (const field of fields()) {
    if (field.type === "radio") {
      if (field.checked) values[field.name] = field.value;
    } else {
      values[field.name] = field.value;
    }
  }
  sessionStorage.setItem(key, JSON.stringify({ base, values }));
}

function putBack(values) {
  for (const field of fields()) {
    if (!(field.name in values)) continue;
    if (field.type === "radio") field.checked = field.value === values[field.name];
    else field.value = values[field.name];
  }
}

if (form) {
  const key = `report-draft:${form.dataset.keepDraft}`;
  const base = form.elements.base_revision.value;
  const kept = JSON.parse(sessionStorage.getItem(key) || "null");
  if (kept && kept.base === base && !("bound" in form.dataset)) {
    putBack(kept.values);
    document.querySelector("[data-kept-notice]").hidden = false;
  } else if (kept && kept.base !== base) {
    sessionStorage.removeItem(key);
  }
  form.addEventListener("input", () => keep(key, base));
  form.addEventListener("change", () => keep(key, base));
}
