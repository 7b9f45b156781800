/* The /search/ page: Pagefind's default UI over the index built next to the site.
 * Paths come from the page (data-bundle, data-root), so the site works under any sub-path;
 * everything is loaded from the site itself, never from another host. */
(function () {
  "use strict";

  var box = document.getElementById("search");
  if (!box) {
    return;
  }
  // Absolute paths on this host: Pagefind joins result URLs onto baseUrl.
  var bundle = new URL(box.getAttribute("data-bundle") || "../pagefind/", document.baseURI).pathname;
  var root = new URL(box.getAttribute("data-root") || "../", document.baseURI).pathname;
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();

  function unavailable() {
    box.textContent = box.getAttribute("data-unavailable") || "Search is not available.";
    box.setAttribute("role", "status");
  }

  // Keep ?q= in the address bar in step with the search box, so a search can be shared.
  function remember(term) {
    var address = new URL(window.location.href);
    if (term) {
      address.searchParams.set("q", term);
    } else {
      address.searchParams.delete("q");
    }
    window.history.replaceState(window.history.state, "", address.toString());
    return term;
  }

  // The index holds straight apostrophes in elisions (l'acier) so that "acier" finds them;
  // show the typographic one the pages use (l’acier), also next to a <mark>.
  var straight = /(\p{L}(?:<\/mark>)?)'(?=(?:<mark>)?\p{L})/gu;
  function typographic(text) {
    return typeof text === "string" ? text.replace(straight, "$1\u2019") : text;
  }
  function present(result) {
    if (result.meta) {
      result.meta.title = typographic(result.meta.title);
    }
    result.excerpt = typographic(result.excerpt);
    (result.sub_results || []).forEach(function (sub) {
      sub.title = typographic(sub.title);
      sub.excerpt = typographic(sub.excerpt);
    });
    return result;
  }

  function start() {
    if (typeof window.PagefindUI !== "function") {
      unavailable();
      return;
    }
    var ui = new window.PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: root,
      showSubResults: true,
      showImages: false,
      autofocus: !query,
      processTerm: remember,
      processResult: present
    });
    // Pagefind names its box only by a title attribute; the page's heading names it properly.
    var input = document.querySelector("#search .pagefind-ui__search-input");
    if (input) {
      input.setAttribute("aria-labelledby", "search-title");
    }
    if (query) {
      ui.triggerSearch(query);
    }
    var header = document.querySelector('form[role="search"] input[name="q"]');
    if (header && query && !header.value) {
      header.value = query;
    }
  }

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = bundle + "pagefind-ui.css";
  document.head.appendChild(style);

  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = start;
  script.onerror = unavailable;
  document.head.appendChild(script);
})();
