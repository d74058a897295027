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
    // After a decision the moderator goes on with the next comment still waiting.
    if (target && target.hasAttribute("data-focus-next")) {
      target = nextQueueItem(target, 1) || document.getElementById("queue-more") || target;
    }
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

  // The moderation queue by keyboard: j/k move, a approves, r then 1-6 rejects for a reason,
  // e opens the redaction, x selects for a bulk action, ? toggles the help. Every key does
  // what a visible button does, so the keys are a shortcut, never the only way.
  function queueItems() {
    return Array.prototype.slice.call(
      document.querySelectorAll("[data-queue-item]")
    );
  }

  function nextQueueItem(from, step) {
    var items = queueItems();
    var index = items.indexOf(from);
    if (index === -1) {
      // From a decided item: the items after it in the list, in document order.
      var all = Array.prototype.slice.call(
        document.querySelectorAll("[data-queue-item], .queue-item--decided")
      );
      var position = all.indexOf(from);
      for (var i = position + step; i >= 0 && i < all.length; i += step) {
        if (all[i].hasAttribute("data-queue-item")) return all[i];
      }
      return null;
    }
    return items[index + step] || null;
  }

  function focusItem(item) {
    if (!item) return;
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }

  function currentItem() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("[data-queue-item]") : null;
  }

  var rejecting = null;

  function startRejecting(item) {
    rejecting = item;
    item.classList.add("queue-item--rejecting");
    announce(item.getAttribute("data-reject-prompt") || "");
  }

  function stopRejecting() {
    if (rejecting) rejecting.classList.remove("queue-item--rejecting");
    rejecting = null;
  }

  function rejectFor(item, number) {
    var select = item.querySelector("select[name$='-reason']");
    if (!select || number < 1 || number >= select.options.length) return;
    select.selectedIndex = number;
    stopRejecting();
    var duplicate = item.querySelector("input[name$='-duplicate_of']");
    // A duplicate needs the number of the original: the moderator types it, then presses Reject.
    if (select.value === "duplicate" && duplicate && !duplicate.value) {
      duplicate.focus();
      return;
    }
    var button = item.querySelector("[data-reject]");
    if (button) button.click();
  }

  function typing(element) {
    return element && (/^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName) || element.isContentEditable);
  }

  // The shortcuts can be switched off (WCAG 2.1.4); the choice lasts as long as the tab.
  var SHORTCUTS_OFF = "consult-shortcuts-off";
  var shortcutSwitch = document.getElementById("keyboard-shortcuts");
  if (shortcutSwitch) {
    try {
      shortcutSwitch.checked = window.sessionStorage.getItem(SHORTCUTS_OFF) !== "1";
    } catch (error) {
      // Storage disabled: the shortcuts start switched on.
    }
    shortcutSwitch.addEventListener("change", function () {
      stopRejecting();
      try {
        if (shortcutSwitch.checked) window.sessionStorage.removeItem(SHORTCUTS_OFF);
        else window.sessionStorage.setItem(SHORTCUTS_OFF, "1");
      } catch (error) {
        // Storage disabled: the choice holds until the page is left.
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (!document.querySelector("[data-queue]") && !document.getElementById("queue-more")) return;
    if (shortcutSwitch && !shortcutSwitch.checked) return;
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var item = currentItem();
    if (rejecting) {
      if (event.key === "Escape") {
        stopRejecting();
        event.preventDefault();
        return;
      }
      if (/^[1-9]$/.test(event.key) && rejecting.isConnected) {
        rejectFor(rejecting, parseInt(event.key, 10));
        event.preventDefault();
        return;
      }
      stopRejecting();
    }
    switch (event.key) {
      case "j":
        focusItem(item ? nextQueueItem(item, 1) : queueItems()[0]);
        break;
      case "k":
        focusItem(item ? nextQueueItem(item, -1) : queueItems()[0]);
        break;
      case "a":
        if (item) item.querySelector("[data-approve]").click();
        break;
      case "r":
        if (item) startRejecting(item);
        break;
      case "e":
        if (item) {
          var box = item.querySelector("[data-redaction]");
          box.open = true;
          box.querySelector("textarea").focus();
        }
        break;
      case "x":
        if (item) {
          var checkbox = item.querySelector("[data-select]");
          checkbox.checked = !checkbox.checked;
        }
        break;
      case "?":
        var help = document.getElementById("keyboard-help");
        if (help) help.open = !help.open;
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // Redaction: wrap the words selected in the text box in [[ ]], as a moderator would by hand.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-mark-selection]");
    if (!button) return;
    var textarea = button.closest("[data-redaction]").querySelector("textarea");
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    if (start === end) {
      textarea.focus();
      return;
    }
    var value = textarea.value;
    textarea.value = value.slice(0, start) + "[[" + value.slice(start, end) + "]]" + value.slice(end);
    textarea.focus();
    textarea.setSelectionRange(end + 4, end + 4);
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-select-all]")) return;
    var boxes = document.querySelectorAll("[data-select]");
    var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
    Array.prototype.forEach.call(boxes, function (box) { box.checked = !all; });
  });

  // Controls that only make sense with this script are hidden in the markup and shown here.
  function revealScriptControls(root) {
    Array.prototype.forEach.call(
      root.querySelectorAll("[data-mark-selection], [data-select-all], [data-shortcut-switch]"),
      function (control) { control.hidden = false; }
    );
  }
  revealScriptControls(document);
  document.addEventListener("htmx:load", function (event) {
    if (event.detail.elt && event.detail.elt.querySelectorAll) revealScriptControls(event.detail.elt);
  });

  // Coming back to the queue (after "Load the next comments" or a decision without HTMX), the
  // first waiting comment is ready for the keyboard.
  if (window.location.hash === "#queue-start") {
    var focusFirstItem = function () { focusItem(queueItems()[0]); };
    focusFirstItem();
    // Chromium itself focuses the fragment's target, the list, once the page is laid out,
    // which is after this script ran: pass that focus on. A click ends the wait, so that
    // clicking the list later never jumps to the top.
    var start = document.getElementById("queue-start");
    if (start) {
      start.addEventListener("focus", focusFirstItem, { once: true });
      document.addEventListener("pointerdown", function () {
        start.removeEventListener("focus", focusFirstItem);
      }, { once: true });
    }
  }

  // Export downloads are plain links; a large file takes a while to build, so the link says
  // it is preparing the file (and a second click does not start a second export) until the
  // browser has had time to start the download.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-export]");
    if (!link) return;
    if (link.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    var label = link.textContent;
    var busyText = link.getAttribute("data-busy-text");
    link.setAttribute("aria-busy", "true");
    if (busyText) {
      link.textContent = busyText;
      announce(busyText);
    }
    var seconds = parseInt(link.getAttribute("data-busy-seconds"), 10) || 10;
    window.setTimeout(function () {
      link.removeAttribute("aria-busy");
      link.textContent = label;
    }, Math.min(seconds, 10) * 1000);
  });

  // Glossary terms in the draft: without this script each is a link to its entry on the
  // glossary page. Here it becomes a disclosure button: Enter, Space or a click shows a copy of
  // the term's explanation (written once per page, hidden, at the end of the main content) right
  // after the term, so reading on reaches it; Escape hides it and leaves focus on the term.
  // Never on hover, so nothing covers the text being read. A copy per open term keeps ids
  // unique when a term is open in two paragraphs at once.
  var termCount = 0;

  function enhanceTerms(root) {
    Array.prototype.forEach.call(root.querySelectorAll("a.term[data-term-note]"), function (link) {
      var source = link.getAttribute("data-term-note");
      if (!document.getElementById(source)) return;
      termCount += 1;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "term";
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("data-term-note", source);
      button.setAttribute("aria-controls", source + "-" + termCount);
      while (link.firstChild) button.appendChild(link.firstChild);
      link.parentNode.replaceChild(button, link);
    });
  }

  function setTermOpen(button, open) {
    var id = button.getAttribute("aria-controls");
    var shown = document.getElementById(id);
    if (open && !shown) {
      var source = document.getElementById(button.getAttribute("data-term-note"));
      if (!source) return;
      shown = source.cloneNode(true);
      shown.id = id;
      shown.hidden = false;
      button.parentNode.insertBefore(shown, button.nextSibling);
    } else if (!open && shown) {
      shown.parentNode.removeChild(shown);
    }
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  enhanceTerms(document);
  document.addEventListener("htmx:load", function (event) {
    if (event.detail.elt && event.detail.elt.querySelectorAll) enhanceTerms(event.detail.elt);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.term[aria-controls]");
    if (!button) return;
    setTermOpen(button, button.getAttribute("aria-expanded") !== "true");
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var button = event.target.closest("button.term[aria-expanded='true']");
    var note = event.target.closest(".term-note");
    if (!button && note) {
      button = document.querySelector("button.term[aria-controls='" + note.id + "']");
    }
    if (!button || button.getAttribute("aria-expanded") !== "true") return;
    setTermOpen(button, false);
    button.focus();
    event.preventDefault();
  });
})();
