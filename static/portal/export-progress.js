// Keeps an export's progress bar current while its file is prepared in the background.
//
// The job's page marks the box to keep current:
//   <div data-export-status="/accountability/exports/<id>/status/"> with a <progress>, a
//   [data-export-percent] text and a [data-export-refresh] link for browsers without script.
// The status address answers {"status", "progress", "finished"}; once the job has finished
// the page is loaded again, to offer the file (or say why there is none).

const EVERY = 1000; // ms between asks while the file is prepared
const OFFLINE_EVERY = 5000;

const box = document.querySelector("[data-export-status]");

async function poll() {
  let response;
  try {
    response = await fetch(box.dataset.exportStatus, {
      credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch {
    setTimeout(poll, OFFLINE_EVERY); // offline for a moment: keep asking, more slowly
    return;
  }
  if (!response.ok) return; // signed out, or no longer theirs: leave the page be
  const job = await response.json();
  box.querySelector("progress").value = job.progress;
  box.querySelector("[data-export-percent]").textContent = `${job.progress}%`;
  if (job.finished) {
    location.reload();
    return;
  }
  setTimeout(poll, EVERY);
}

if (box) {
  box.querySelector("[data-export-refresh]")?.setAttribute("hidden", "");
  setTimeout(poll, EVERY);
}
