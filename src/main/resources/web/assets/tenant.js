// Mailroom dashboard: the tenant pages' charts and copy buttons. No inline scripts (CSP): charts
// find their data's URL in data-chart-src, copy buttons their text in data-copy.
(function () {
    "use strict";

    var SERIES = [
        {key: "sent", label: "Sent", stroke: "#0b5cad"},
        {key: "delivered", label: "Delivered", stroke: "#1a6b34"},
        {key: "bounced", label: "Bounced (hard + soft)", stroke: "#b3261e"},
        {key: "complained", label: "Complained", stroke: "#8a5300"},
        {key: "opened", label: "Opened", stroke: "#6a3d9a", dash: [6, 3]},
        {key: "clicked", label: "Clicked", stroke: "#00838f", dash: [2, 3]}
    ];

    // uPlot wants columns: the bucket starts (seconds), then one array per series.
    function columns(points) {
        var data = [points.map(function (p) { return Date.parse(p.start) / 1000; })];
        SERIES.forEach(function (s) {
            data.push(points.map(function (p) { return p[s.key]; }));
        });
        return data;
    }

    function draw(element, series) {
        var width = function () { return Math.max(280, element.clientWidth); };
        var options = {
            width: width(),
            height: 260,
            scales: {x: {time: true}},
            axes: [{}, {label: "messages"}],
            series: [{label: series.interval === "hour" ? "Hour" : "Day"}].concat(SERIES.map(function (s) {
                return {label: s.label, stroke: s.stroke, width: 2, dash: s.dash};
            }))
        };
        var chart = new window.uPlot(options, columns(series.points), element);
        element.setAttribute("data-chart-drawn", "true");
        window.addEventListener("resize", function () {
            chart.setSize({width: width(), height: 260});
        });
    }

    function charts() {
        if (!window.uPlot) {
            return;
        }
        document.querySelectorAll(".chart[data-chart-src]").forEach(function (element) {
            fetch(element.getAttribute("data-chart-src"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error("HTTP " + response.status);
                    }
                    return response.json();
                })
                .then(function (series) { draw(element, series); })
                .catch(function (error) {
                    element.textContent = "The chart could not be loaded (" + error.message + "); the numbers are in the table below.";
                });
        });
    }

    // Copy buttons (<button class="copy" data-copy="text">, on every page that has them, htmx swaps
    // included): the clipboard, or where it is refused, the text selected to copy by hand.
    function copy(event) {
        var button = event.target.closest("button.copy");
        if (!button) {
            return;
        }
        var text = button.getAttribute("data-copy");
        var done = function () { button.textContent = "Copied"; };
        var select = function () {
            var code = button.parentElement.querySelector("code");
            if (code) {
                window.getSelection().selectAllChildren(code);
            }
            button.textContent = "Selected: press Ctrl+C";
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(text).then(done, select);
        } else {
            select();
        }
    }

    document.addEventListener("DOMContentLoaded", charts);
    document.addEventListener("click", copy);
})();
