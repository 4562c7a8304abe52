// pyquiz serve: the little the pages do with JavaScript on. Everything works
// without it except the live updates; no text from the server is ever
// inserted as HTML (textContent only).
(function () {
  "use strict";

  // The clock of a timed question: counts down, reloads at zero so the
  // server (which keeps the time) moves on.
  var clock = document.querySelector("[data-deadline]");
  if (clock) {
    var end = Number(clock.getAttribute("data-deadline"));
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + " left";
      clock.classList.toggle("low", left <= 10);
      if (left <= 0) {
        clearInterval(timer);
        setTimeout(function () { location.reload(); }, 600);
      }
    };
    var timer = setInterval(tick, 1000);
    tick();
  }

  // A closing form asks first.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  // A participant waiting for the host to close an exam: look every few
  // seconds, reload when it is closed.
  var wait = document.querySelector("[data-wait-close]");
  if (wait) {
    var id = wait.getAttribute("data-wait-close");
    setInterval(function () {
      fetch("/api/v1/sessions/" + encodeURIComponent(id) + "/questions", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) { if (j && j.closed) location.reload(); })
        .catch(function () {});
    }, 4000);
  }

  // The host's grid, live over Server-Sent Events.
  var grid = document.getElementById("grid");
  if (grid && grid.getAttribute("data-closed") !== "true" && window.EventSource) {
    var sid = grid.getAttribute("data-session");
    var es = new EventSource("/api/v1/sessions/" + encodeURIComponent(sid) + "/events");
    var symbols = { right: "✓", wrong: "✗", partial: "½", skipped: "–", timeout: "○" };
    var fmt = function (x) { return String(Math.round(x * 100) / 100); };
    es.addEventListener("update", function (ev) {
      var st = JSON.parse(ev.data);
      if (st.closed) { es.close(); location.reload(); return; }
      var h1 = document.querySelector(".hosthead h1");
      if (h1) h1.textContent = "Live: " + st.participants.length + " joined, " + st.answers + " answer" + (st.answers === 1 ? "" : "s");
      var body = grid.tBodies[0];
      var rows = document.createDocumentFragment();
      st.participants.forEach(function (p) {
        var tr = document.createElement("tr");
        var name = document.createElement("td");
        name.className = "name";
        name.textContent = p.name;
        tr.appendChild(name);
        var score = document.createElement("td");
        score.className = "num";
        score.textContent = fmt(p.points) + "/" + fmt(p.max);
        tr.appendChild(score);
        p.marks.forEach(function (m) {
          var td = document.createElement("td");
          td.className = "m " + (m || "");
          td.textContent = symbols[m] || "";
          tr.appendChild(td);
        });
        rows.appendChild(tr);
      });
      if (st.participants.length === 0) {
        var tr = document.createElement("tr");
        tr.className = "empty";
        var td = document.createElement("td");
        td.colSpan = 2;
        td.textContent = "Nobody has joined yet.";
        tr.appendChild(td);
        rows.appendChild(tr);
      }
      body.replaceChildren(rows);
      grid.setAttribute("data-live", "true");
    });
  }
})();
