// consult's only first-party script. Everything works without it; it makes HTMX swaps
// accessible and safe: focus moves to the new content, a live region announces outcomes,
// failures are shown on screen, and an open form with text is never replaced by an empty one.
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

  function findWithin(element, selector) {
    if (element.matches && element.matches(selector)) return element;
    return element.querySelector(selector);
  }

  // After a swap: focus what the fragment marks with data-focus (the screen reader reads it),
  // and announce only what it marks with data-announce, so nothing is read twice.
  document.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    if (!element || element === document.body) return;
    var target = findWithin(element, "[data-focus]");
    // Someone who already clicked into a field of the new content keeps typing there.
    var active = document.activeElement;
    var busy = active && active !== document.body && element.contains(active) &&
      /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
    if (target && !busy) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
    var announcing = findWithin(element, "[data-announce]");
    if (announcing) announce(announcing.getAttribute("data-announce"));
  });

  // Clicking "Comment" again must not replace a form the person has already written in.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var trigger = event.detail.elt;
    var target = event.detail.target;
    if (!trigger || trigger.tagName !== "A" || !target) return;
    var textarea = target.querySelector("textarea");
    if (textarea && textarea.value.trim() !== "") {
      event.preventDefault();
      var title = target.querySelector("[data-focus], h2, h3, h4, h5");
      (title || textarea).focus();
    }
  });

  // A failed request (expired form, lost connection, server error) is shown next to what
  // triggered it and announced, instead of silently doing nothing.
  function reportFailure(event) {
    var region = liveRegion();
    var message = region ? region.getAttribute("data-error-message") : "";
    var origin = event.detail && event.detail.elt;
    var anchor = origin ? (origin.closest("form") || origin) : null;
    if (anchor && anchor.parentNode) {
      var notice = anchor.nextElementSibling;
      if (!notice || !notice.classList.contains("request-failed")) {
        notice = document.createElement("p");
        notice.className = "request-failed field-error";
        anchor.parentNode.insertBefore(notice, anchor.nextSibling);
      }
      notice.textContent = message;
    }
    announce(message);
  }

  document.addEventListener("htmx:responseError", reportFailure);
  document.addEventListener("htmx:sendError", reportFailure);

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
})();
