// Mailroom dashboard script. Loaded by every page; the Content-Security-Policy forbids inline
// scripts, so page behaviour lives here and reads what it needs from data- attributes.
(function () {
    "use strict";
    document.documentElement.classList.add("js");

    // On narrow screens the navigation folds behind the Menu button.
    function navigation() {
        var toggle = document.querySelector(".menu-toggle");
        var nav = document.getElementById("site-nav");
        if (!toggle || !nav) {
            return;
        }
        nav.setAttribute("data-collapsed", "true");
        toggle.addEventListener("click", function () {
            var open = toggle.getAttribute("aria-expanded") === "true";
            toggle.setAttribute("aria-expanded", String(!open));
            nav.setAttribute("data-collapsed", String(open));
        });
    }

    document.addEventListener("DOMContentLoaded", navigation);

    // Copy buttons: <button data-copy="text">. Listening on the document also serves buttons
    // that htmx swaps in later.
    document.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
        if (!button || !navigator.clipboard) {
            return;
        }
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
            var label = button.textContent;
            button.textContent = "Copied";
            window.setTimeout(function () { button.textContent = label; }, 1500);
        });
    });

    // A page restored from the back-forward cache would show data after logout: ask the server
    // again, which sends a logged-out browser to the login form.
    window.addEventListener("pageshow", function (event) {
        if (event.persisted) {
            window.location.reload();
        }
    });
})();
