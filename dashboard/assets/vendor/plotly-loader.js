/*
 * Loads the dashboard's plotly.js (dashboard/assets/vendor/plotly-observatory.min.js: only the
 * trace types the dashboard draws, built by tools/plotly-bundle) instead of Dash's full bundle.
 *
 * Why here and this way: dcc.Graph asks for plotly only when the first chart mounts, after the
 * page's callbacks have answered, and then waits for it to download and run. This script
 * starts it once the page's own scripts have run (DOMContentLoaded), while the browser waits
 * for the server's layout and callbacks, so the bundle is usually ready when the charts
 * arrive. Until it has run, window.Plotly is a thenable: dcc.Graph waits on
 * Promise.resolve(window.Plotly || <Dash's plotly.min.js>), so it waits for this bundle and
 * never fetches Dash's; the bundle's `var Plotly = ...` then replaces the thenable.
 * Attributes of this tag: data-plotly, the bundle's URL (fingerprinted: cached for a year);
 * data-skip, the paths without a chart (comma-separated prefixes), where the bundle is only
 * fetched if a chart appears after all (a link followed inside the app).
 */
(function () {
  "use strict";
  var tag = document.currentScript;
  var src = tag && tag.getAttribute("data-plotly");
  if (!src || window.Plotly) {
    return;
  }
  var skip = (tag.getAttribute("data-skip") || "").split(",").filter(Boolean);
  var ready = null;
  function start() {
    if (!ready) {
      ready = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(); };
        script.onerror = function () { reject(new Error("plotly.js did not load: " + src)); };
        document.head.appendChild(script);
      });
    }
    return ready;
  }
  window.Plotly = {
    then: function (onReady, onError) {
      return start().then(function () { return onReady && onReady(); }, onError);
    }
  };
  var path = window.location.pathname;
  if (skip.some(function (prefix) { return path.indexOf(prefix) === 0; })) {
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
