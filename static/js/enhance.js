/* Progressive enhancements; every page works without them.
 * - A select marked data-autosubmit (the sort order) applies at once.
 * - A button marked data-print prints the page (shown only when this script runs).
 * - A disclosure marked data-closed-below="<px>" (the article's table of contents) starts
 *   closed on screens narrower than that, so the text comes first. */
(function () {
    "use strict";

    function ready(callback) {
        if (document.readyState === "loading") {
            document.addEventListener("DOMContentLoaded", callback);
        } else {
            callback();
        }
    }

    ready(function () {
        document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
            select.addEventListener("change", function () {
                var form = select.form;
                if (!form) {
                    return;
                }
                if (typeof form.requestSubmit === "function") {
                    form.requestSubmit();
                } else {
                    form.submit();
                }
            });
            // The submit button is still there for keyboard users who prefer it; mark the form.
            if (select.form) {
                select.form.classList.add("js-autosubmit");
            }
        });

        document.querySelectorAll("[data-print]").forEach(function (button) {
            button.addEventListener("click", function () {
                window.print();
            });
            var item = button.closest("[data-print-item]");
            if (item) {
                item.hidden = false;
            }
        });

        document.querySelectorAll("details[data-closed-below]").forEach(function (details) {
            var width = parseInt(details.getAttribute("data-closed-below"), 10);
            if (width && window.matchMedia("(max-width: " + width + "px)").matches) {
                details.open = false;
            }
        });
    });
})();
