/* Offline search of the Notfallhandbuch: plain JavaScript, no dependencies, works from file://.
 *
 * search-index.js assigns window.HANDBOOK_SEARCH_INDEX = [{t: title, s: summary, b: body text,
 * u: file name}, ...] (a script, because fetch() of a local JSON file is refused under file://).
 * Every word of the query must be the beginning of a word of the page; a match in the title
 * counts most, then the summary, then the text. Words are compared lower-cased and folded
 * (ä/ae → a, ö/oe → o, ü/ue → u, ß → ss, other accents dropped), so "Ubung", "Uebung" and "Übung"
 * find the same pages.
 */
(function () {
    "use strict";

    var MAX_RESULTS = 50;

    function fold(text) {
        return String(text || "")
            .toLowerCase()
            .replace(/ß/g, "ss")
            .normalize("NFD")
            .replace(/[\u0300-\u036f]/g, "")
            .replace(/ae/g, "a")
            .replace(/oe/g, "o")
            .replace(/ue/g, "u");
    }

    function words(text) {
        var seen = Object.create(null);
        var result = [];
        fold(text).split(/[^a-z0-9]+/).forEach(function (word) {
            if (word && !seen[word]) {
                seen[word] = true;
                result.push(word);
            }
        });
        return result;
    }

    function hasPrefix(list, prefix) {
        for (var i = 0; i < list.length; i++) {
            if (list[i].lastIndexOf(prefix, 0) === 0) {
                return true;
            }
        }
        return false;
    }

    var pages = (window.HANDBOOK_SEARCH_INDEX || []).map(function (entry) {
        return {
            entry: entry,
            title: words(entry.t),
            summary: words(entry.s),
            body: words(entry.b)
        };
    });

    function search(query) {
        var terms = words(query);
        if (!terms.length) {
            return null;
        }
        var hits = [];
        pages.forEach(function (page) {
            var score = 0;
            for (var i = 0; i < terms.length; i++) {
                if (hasPrefix(page.title, terms[i])) {
                    score += 3;
                } else if (hasPrefix(page.summary, terms[i])) {
                    score += 2;
                } else if (hasPrefix(page.body, terms[i])) {
                    score += 1;
                } else {
                    return; // every word must occur
                }
            }
            hits.push({ score: score, entry: page.entry });
        });
        hits.sort(function (a, b) {
            return b.score - a.score || a.entry.t.localeCompare(b.entry.t, "de");
        });
        return hits;
    }

    function show(form, query) {
        var status = document.getElementById("handbook-search-status");
        var list = document.getElementById("handbook-results");
        var hits = search(query);
        list.textContent = "";
        if (hits === null) {
            status.textContent = "";
            return;
        }
        status.textContent = hits.length === 0
            ? "Keine Seite im Handbuch passt zu „" + query.trim() + "“."
            : (hits.length === 1 ? "1 Treffer" : hits.length + " Treffer") + " für „" + query.trim() + "“";
        hits.slice(0, MAX_RESULTS).forEach(function (hit) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = hit.entry.u;
            link.textContent = hit.entry.t;
            item.appendChild(link);
            if (hit.entry.s) {
                var summary = document.createElement("p");
                summary.className = "hint";
                summary.textContent = hit.entry.s.length > 200 ? hit.entry.s.slice(0, 200) + " …" : hit.entry.s;
                item.appendChild(summary);
            }
            list.appendChild(item);
        });
    }

    var form = document.querySelector("form[data-handbook-search]");
    if (!form) {
        return;
    }
    var input = form.querySelector("input[type=search]");
    form.addEventListener("submit", function (event) {
        event.preventDefault(); // there is no server to send it to
        show(form, input.value);
    });
    input.addEventListener("input", function () {
        show(form, input.value);
    });
    if (input.value) {
        show(form, input.value);
    }
}());
