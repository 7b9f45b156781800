// Keyboard navigation: ← and → follow the page's rel="prev" / rel="next" links,
// "/" focuses the search box. Never while typing in a field or with a modifier key.
(function () {
  "use strict";
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (typing(event.target)) return;
    if (event.key === "/") {
      var box = document.querySelector(".site-search input");
      if (box) { event.preventDefault(); box.focus(); }
      return;
    }
    var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
    if (!rel) return;
    var link = document.querySelector('a[rel~="' + rel + '"]');
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });
})();
