// consult's only first-party script. Everything works without it; it makes HTMX swaps
// accessible: focus moves to the new content and a live region announces the outcome.
(function () {
  "use strict";

  function liveRegion() {
    return document.getElementById("live-region");
  }

  function announce(message) {
    var region = liveRegion();
    if (!region || !message) return;
    // Clearing first makes screen readers repeat an identical message.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function focusTarget(element) {
    if (element.hasAttribute("data-focus")) return element;
    return element.querySelector("[data-focus]");
  }

  document.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    if (!element || element === document.body) return;
    var target = focusTarget(element);
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
    var announcing = element.hasAttribute("data-announce")
      ? element
      : element.querySelector("[data-announce]");
    if (announcing) announce(announcing.getAttribute("data-announce"));
    else if (target) announce(target.textContent.trim());
  });

  function reportFailure() {
    var region = liveRegion();
    if (region) announce(region.getAttribute("data-error-message"));
  }

  // htmx 2 records the current path in sessionStorage when it loads, whatever its history
  // settings. We never push URLs, so nothing reads it back; a reader's browser keeps nothing.
  function forgetHistoryPath() {
    try {
      window.sessionStorage.removeItem("htmx-current-path-for-history");
    } catch (error) {
      // Storage disabled: then there is nothing to remove either.
    }
  }
  forgetHistoryPath();
  document.addEventListener("htmx:afterSettle", forgetHistoryPath);

  document.addEventListener("htmx:responseError", reportFailure);
  document.addEventListener("htmx:sendError", reportFailure);
})();
