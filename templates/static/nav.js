// Keyboard navigation: ← and → follow the page's rel="prev" / rel="next" links,
// "/" focuses the search box (or opens the search page where the box is hidden, on narrow
// screens). Never while typing in a field or with a modifier key; Shift is allowed for "/",
// which needs it on some keyboards (French AZERTY), never for the arrows (it selects text).
(function () {
  "use strict";
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    if (event.key === "/") {
      var box = document.querySelector(".site-search input");
      if (!box) return;
      event.preventDefault();
      if (box.getClientRects().length) box.focus();
      else box.form.submit();
      return;
    }
    if (event.shiftKey) return;
    var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
    if (!rel) return;
    var link = document.querySelector('a[rel~="' + rel + '"]');
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });
})();
