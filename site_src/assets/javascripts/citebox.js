/* The citation box's copy buttons (kb/export/citebox.py). Loaded from the site itself: no inline code,
   no third-party request, so a Content-Security-Policy allowing only 'self' scripts is enough.
   Without JavaScript the buttons stay hidden and the citation, BibTeX and CSL-JSON can be selected. */
(function () {
  "use strict";

  document.documentElement.classList.add("kb-cite-js");

  function textToCopy(box, kind) {
    if (kind === "citation") {
      var choice = box.querySelector(".kb-cite__choice:checked");
      var style = choice ? choice.value : "apa";
      var text = box.querySelector('.kb-cite__text[data-kb-style="' + style + '"]');
      return text ? text.textContent.trim() : "";
    }
    var source = box.querySelector('[data-kb-source="' + kind + '"]');
    return source ? source.textContent : "";
  }

  function say(box, message) {
    var status = box.querySelector(".kb-cite__status");
    if (status) status.textContent = message;
  }

  /* One listener for the whole document, so pages swapped in by instant navigation work too. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-kb-copy]") : null;
    if (!button) return;
    var box = button.closest(".kb-cite");
    if (!box) return;
    var text = textToCopy(box, button.getAttribute("data-kb-copy"));
    var label = button.textContent.replace(/^Copy /, "");
    if (!navigator.clipboard || !window.isSecureContext) {
      say(box, "Copying needs a secure (https) page: select the text and copy it by hand.");
      return;
    }
    navigator.clipboard.writeText(text).then(function () {
      say(box, label.charAt(0).toUpperCase() + label.slice(1) + " copied.");
    }, function () {
      say(box, "The browser refused to copy: select the text and copy it by hand.");
    });
  });
})();
