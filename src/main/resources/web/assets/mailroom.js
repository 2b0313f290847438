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

    // A page restored from the back-forward cache would show data after logout: ask the server
    // again, which sends a logged-out browser to the login form.
    window.addEventListener("pageshow", function (event) {
        if (event.persisted) {
            window.location.reload();
        }
    });
})();
