/* Wissensnetz – Suchvorschläge beim Tippen (progressive Verbesserung).
 *
 * Für jedes Eingabefeld mit data-autocomplete-url: ab 2 Zeichen (150 ms nach dem letzten
 * Tastendruck) werden Vorschläge als JSON geholt ({"suggestions": [{type, label, url, detail?}]})
 * und als Liste unter dem Feld gezeigt – nach dem ARIA-Muster „Combobox mit Listbox“:
 * Pfeiltasten wählen, Enter öffnet den Vorschlag, Escape schließt, Klick funktioniert.
 * Ohne JavaScript oder bei Fehlern bleibt das Feld ein ganz normales Suchfeld.
 * Keine externen Bibliotheken, keine Inline-Stile (Gestaltung in wissensnetz.css).
 */
(function () {
    "use strict";

    var MIN_LENGTH = 2;
    var DELAY = 150;
    var GROUPS = [
        { type: "article", label: "Beiträge" },
        { type: "tag", label: "Schlagwörter" },
        { type: "contact", label: "Personen" }
    ];
    var counter = 0;

    function sameOriginUrl(url) {
        // Only follow links into this site (the API returns relative URLs).
        try {
            var target = new URL(url, window.location.href);
            return target.origin === window.location.origin ? target.href : null;
        } catch (error) {
            return null;
        }
    }

    function Autocomplete(input) {
        counter += 1;
        this.input = input;
        this.endpoint = input.getAttribute("data-autocomplete-url");
        this.baseId = (input.id || "autocomplete-" + counter) + "-vorschlaege";
        this.options = [];
        this.active = -1;
        this.timer = null;
        this.controller = null;
        this.sequence = 0;
        this.lastQuery = null;
        this.build();
        this.bind();
    }

    Autocomplete.prototype.build = function () {
        var input = this.input;

        // Wrapper so the list can be placed directly under the input.
        var wrapper = document.createElement("div");
        wrapper.className = "autocomplete";
        input.parentNode.insertBefore(wrapper, input);
        wrapper.appendChild(input);
        this.wrapper = wrapper;

        var listbox = document.createElement("div");
        listbox.className = "autocomplete__listbox";
        listbox.id = this.baseId;
        listbox.setAttribute("role", "listbox");
        listbox.setAttribute("aria-label", "Suchvorschläge");
        listbox.hidden = true;
        wrapper.appendChild(listbox);
        this.listbox = listbox;

        // Announces the number of suggestions to screen reader users.
        var status = document.createElement("div");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        wrapper.appendChild(status);
        this.status = status;

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listbox.id);
        input.setAttribute("autocomplete", "off");
    };

    Autocomplete.prototype.bind = function () {
        var self = this;
        this.input.addEventListener("input", function () {
            self.schedule();
        });
        this.input.addEventListener("keydown", function (event) {
            self.onKeydown(event);
        });
        this.input.addEventListener("blur", function () {
            // Let a click on an option land first.
            window.setTimeout(function () {
                if (document.activeElement !== self.input) {
                    self.close();
                }
            }, 150);
        });
        // Keep the focus in the input while clicking an option.
        this.listbox.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });
        this.listbox.addEventListener("click", function (event) {
            var option = event.target.closest("[role='option']");
            if (option) {
                self.go(Number(option.getAttribute("data-index")));
            }
        });
        document.addEventListener("click", function (event) {
            if (!self.wrapper.contains(event.target)) {
                self.close();
            }
        });
    };

    Autocomplete.prototype.schedule = function () {
        var self = this;
        window.clearTimeout(this.timer);
        var text = this.input.value.trim();
        if (text.length < MIN_LENGTH) {
            this.abort();
            this.lastQuery = null;
            this.close();
            return;
        }
        this.timer = window.setTimeout(function () {
            self.fetch(text);
        }, DELAY);
    };

    Autocomplete.prototype.abort = function () {
        if (this.controller) {
            this.controller.abort();
            this.controller = null;
        }
    };

    Autocomplete.prototype.fetch = function (text) {
        var self = this;
        if (text === this.lastQuery && this.options.length) {
            this.open();
            return;
        }
        this.abort();
        this.sequence += 1;
        var sequence = this.sequence;
        var url = new URL(this.endpoint, window.location.href);
        url.searchParams.set("q", text);
        var init = { headers: { Accept: "application/json" }, credentials: "same-origin" };
        if (window.AbortController) {
            this.controller = new AbortController();
            init.signal = this.controller.signal;
        }
        window.fetch(url.href, init)
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("HTTP " + response.status);
                }
                return response.json();
            })
            .then(function (data) {
                if (sequence !== self.sequence) {
                    return; // an answer to an older input
                }
                self.lastQuery = text;
                var suggestions = data && Array.isArray(data.suggestions) ? data.suggestions : [];
                self.render(suggestions, text);
            })
            .catch(function () {
                // Suggestions are optional: on any error the field keeps working as before.
                if (sequence === self.sequence) {
                    self.close();
                }
            });
    };

    Autocomplete.prototype.render = function (suggestions, text) {
        var self = this;
        var listbox = this.listbox;
        while (listbox.firstChild) {
            listbox.removeChild(listbox.firstChild);
        }
        this.options = [];
        this.active = -1;
        this.input.removeAttribute("aria-activedescendant");

        GROUPS.forEach(function (group) {
            var items = suggestions.filter(function (item) {
                return item && item.type === group.type && item.label && sameOriginUrl(item.url);
            });
            if (!items.length) {
                return;
            }
            var groupId = self.baseId + "-" + group.type;
            var groupElement = document.createElement("div");
            groupElement.setAttribute("role", "group");
            groupElement.setAttribute("aria-labelledby", groupId);
            groupElement.className = "autocomplete__group";

            var heading = document.createElement("div");
            heading.id = groupId;
            heading.className = "autocomplete__group-label";
            heading.setAttribute("role", "presentation");
            heading.textContent = group.label;
            groupElement.appendChild(heading);

            items.forEach(function (item) {
                var index = self.options.length;
                var option = document.createElement("div");
                option.id = self.baseId + "-" + index;
                option.className = "autocomplete__option autocomplete__option--" + group.type;
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.setAttribute("data-index", String(index));

                var label = document.createElement("span");
                label.className = "autocomplete__label";
                appendHighlighted(label, String(item.label), text);
                option.appendChild(label);

                if (item.detail) {
                    var detail = document.createElement("span");
                    detail.className = "autocomplete__detail";
                    detail.textContent = String(item.detail);
                    option.appendChild(detail);
                }
                groupElement.appendChild(option);
                self.options.push({ element: option, url: sameOriginUrl(item.url) });
            });
            listbox.appendChild(groupElement);
        });

        if (this.options.length) {
            this.open();
            this.status.textContent =
                this.options.length === 1
                    ? "1 Vorschlag. Mit den Pfeiltasten auswählen."
                    : this.options.length + " Vorschläge. Mit den Pfeiltasten auswählen.";
        } else {
            this.close();
            this.status.textContent = "";
        }
    };

    // Wraps the first occurrence of the typed text in <strong>, using text nodes only.
    function appendHighlighted(parent, label, text) {
        var position = label.toLocaleLowerCase("de").indexOf(text.toLocaleLowerCase("de"));
        if (position < 0 || label.length !== label.toLocaleLowerCase("de").length) {
            parent.textContent = label;
            return;
        }
        parent.appendChild(document.createTextNode(label.slice(0, position)));
        var strong = document.createElement("strong");
        strong.textContent = label.slice(position, position + text.length);
        parent.appendChild(strong);
        parent.appendChild(document.createTextNode(label.slice(position + text.length)));
    }

    Autocomplete.prototype.isOpen = function () {
        return !this.listbox.hidden;
    };

    Autocomplete.prototype.open = function () {
        if (!this.options.length) {
            return;
        }
        this.listbox.hidden = false;
        this.input.setAttribute("aria-expanded", "true");
    };

    Autocomplete.prototype.close = function () {
        window.clearTimeout(this.timer);
        this.listbox.hidden = true;
        this.input.setAttribute("aria-expanded", "false");
        this.input.removeAttribute("aria-activedescendant");
        this.setActive(-1);
    };

    Autocomplete.prototype.setActive = function (index) {
        if (this.active >= 0 && this.options[this.active]) {
            var previous = this.options[this.active].element;
            previous.setAttribute("aria-selected", "false");
            previous.classList.remove("autocomplete__option--active");
        }
        this.active = index;
        if (index < 0 || !this.options[index]) {
            this.active = -1;
            this.input.removeAttribute("aria-activedescendant");
            return;
        }
        var element = this.options[index].element;
        element.setAttribute("aria-selected", "true");
        element.classList.add("autocomplete__option--active");
        this.input.setAttribute("aria-activedescendant", element.id);
        if (element.scrollIntoView) {
            element.scrollIntoView({ block: "nearest" });
        }
    };

    Autocomplete.prototype.move = function (step) {
        var count = this.options.length;
        if (!count) {
            return;
        }
        if (!this.isOpen()) {
            this.open();
            this.setActive(step > 0 ? 0 : count - 1);
            return;
        }
        var next = this.active + step;
        if (next >= count) {
            next = -1; // back to the input, as in most comboboxes
        } else if (next < -1) {
            next = count - 1;
        }
        this.setActive(next);
    };

    Autocomplete.prototype.go = function (index) {
        var option = this.options[index];
        if (option && option.url) {
            this.close();
            window.location.assign(option.url);
        }
    };

    Autocomplete.prototype.onKeydown = function (event) {
        if (event.altKey && event.key === "ArrowDown") {
            event.preventDefault();
            this.open();
            return;
        }
        switch (event.key) {
            case "ArrowDown":
            case "Down":
                if (this.options.length) {
                    event.preventDefault();
                    this.move(1);
                }
                break;
            case "ArrowUp":
            case "Up":
                if (this.options.length && this.isOpen()) {
                    event.preventDefault();
                    this.move(-1);
                }
                break;
            case "Enter":
                if (this.isOpen() && this.active >= 0) {
                    event.preventDefault();
                    this.go(this.active);
                }
                // Otherwise the form is submitted as usual.
                break;
            case "Escape":
            case "Esc":
                if (this.isOpen()) {
                    // Close the list but keep the typed text (type="search" would clear it).
                    event.preventDefault();
                    this.close();
                }
                break;
            case "Tab":
                this.close();
                break;
            default:
                break;
        }
    };

    function init() {
        if (!window.fetch || !window.URL) {
            return;
        }
        var inputs = document.querySelectorAll("input[data-autocomplete-url]");
        Array.prototype.forEach.call(inputs, function (input) {
            if (!input.hasAttribute("data-autocomplete-ready")) {
                input.setAttribute("data-autocomplete-ready", "");
                new Autocomplete(input);
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
