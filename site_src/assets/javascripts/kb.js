/* The site's own script: click-to-load players and the filters of the all-statements page.
   Both are progressive: without JavaScript the page keeps its link to the recording and its full list. */
(function () {
  "use strict";

  /* A player is an iframe only after a click, so no request reaches the video host before that. */
  function setUpEmbeds() {
    document.querySelectorAll(".kb-embed[data-embed-src]").forEach(function (box) {
      var button = box.querySelector(".kb-embed__button");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var frame = document.createElement("iframe");
        frame.src = box.getAttribute("data-embed-src");
        frame.title = "Player: " + (box.getAttribute("data-embed-title") || "recording");
        frame.className = "kb-embed__frame";
        frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
        frame.referrerPolicy = "strict-origin-when-cross-origin";
        frame.setAttribute("allowfullscreen", "");
        box.replaceChildren(frame);
        frame.focus();
      }, { once: true });
    });
  }

  /* Filters: a card shows when it matches every chosen value; topics are a space-separated list. A year
     whose cards are all hidden is hidden with its heading. */
  function setUpFilters() {
    var form = document.getElementById("kb-filters");
    if (!form) return;
    var cards = Array.prototype.slice.call(document.querySelectorAll(".kb-all .kb-card"));
    var years = Array.prototype.slice.call(document.querySelectorAll(".kb-all .kb-year"));
    var count = document.getElementById("kb-filter-count");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

    function matches(card, name, value) {
      if (name === "topic") return (card.getAttribute("data-topics") || "").split(" ").indexOf(value) >= 0;
      return card.getAttribute("data-" + name) === value;
    }

    function apply() {
      var shown = 0;
      var query = new URLSearchParams();
      cards.forEach(function (card) {
        var ok = selects.every(function (select) {
          return !select.value || matches(card, select.name, select.value);
        });
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      years.forEach(function (year) { year.hidden = !year.querySelector(".kb-card:not([hidden])"); });
      selects.forEach(function (select) { if (select.value) query.set(select.name, select.value); });
      count.textContent = "Showing " + shown + " of " + cards.length + " statements.";
      var search = query.toString();
      history.replaceState(null, "", search ? "?" + search : location.pathname);
    }

    var initial = new URLSearchParams(location.search);
    selects.forEach(function (select) {
      var wanted = initial.get(select.name);
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
      select.addEventListener("change", apply);
    });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    count.hidden = false;
    apply();
  }

  /* Material's search is a dialog without a name; screen readers announce it as "Search". */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
  }

  setUpEmbeds();
  setUpFilters();
  nameSearchDialog();
})();
