// Progressive enhancement only: every page works without this script.
// On a job page, poll the job's status and update the progress bar and the download links.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var box = document.getElementById("job");
  if (!box || box.dataset.status !== "running") { return; }
  var bar = document.getElementById("progress");
  var stage = document.getElementById("stage");
  var files = document.getElementById("files");
  var base = box.dataset.statusUrl.replace(/\/status$/, "");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
        if (s.status === "running") {
          stage.textContent = s.stage + "…";
          window.setTimeout(poll, 1000);
          return;
        }
        box.dataset.status = s.status;
        if (s.status === "failed") {
          stage.textContent = "Failed: " + s.message;
          return;
        }
        stage.textContent = "Finished.";
        s.files.forEach(function (name) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = base + "/files/" + encodeURIComponent(name);
          a.setAttribute("download", "");
          a.textContent = "Download " + name;
          li.appendChild(a);
          files.appendChild(li);
        });
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
