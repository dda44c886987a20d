// fabula report: a tooltip for quotes (speaker, addressee, confidence, evidence).
// Reads data-* attributes and writes with textContent only: story text is never parsed as HTML.
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var pinned = null;
  var current = null;
  function row(label, value) {
    var line = document.createElement("div");
    var b = document.createElement("b");
    b.textContent = label + ": ";
    line.appendChild(b);
    line.appendChild(document.createTextNode(value));
    return line;
  }
  function show(el) {
    current = el;
    var d = el.dataset;
    tip.replaceChildren(
      row(d.kind === "thought" ? "Thinker" : "Speaker", d.speaker || "unknown"),
      row("To", d.to || "—"),
      row("Confidence", d.conf || "—"),
      row("Evidence", d.method || "—")
    );
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var top = r.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight) { top = Math.max(4, r.top - tip.offsetHeight - 6); }
    tip.style.top = top + "px";
    tip.style.left = Math.max(4, Math.min(r.left, window.innerWidth - tip.offsetWidth - 4)) + "px";
  }
  function hide() { if (!pinned) { tip.hidden = true; current = null; } }
  document.querySelectorAll(".q").forEach(function (el) {
    el.addEventListener("mouseenter", function () { show(el); });
    el.addEventListener("mouseleave", hide);
    el.addEventListener("focus", function () { show(el); });
    el.addEventListener("blur", function () { pinned = null; hide(); });
    el.addEventListener("click", function (ev) {
      ev.stopPropagation();
      pinned = pinned === el ? null : el;
      if (pinned) { show(el); } else { tip.hidden = true; }
    });
  });
  document.addEventListener("click", function () { pinned = null; tip.hidden = true; });
  // keep the tip beside its quote while the page scrolls
  window.addEventListener("scroll", function () { if (current && !tip.hidden) { show(current); } }, { passive: true });
})();
