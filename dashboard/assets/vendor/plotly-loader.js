/*
 * Loads the dashboard's plotly.js (dashboard/assets/vendor/plotly-observatory.min.js: only the
 * trace types the dashboard draws, built by tools/plotly-bundle) instead of Dash's full bundle.
 *
 * Why here and this way: dcc.Graph asks for plotly only when the first chart mounts, after the
 * page's callbacks have answered, and then waits for it to download and run (0.3 s here, the
 * full bundle 0.9 s). This script starts it once the page's own scripts have run
 * (DOMContentLoaded), while the browser waits for the server's layout and callbacks, so the
 * bundle is usually ready when the charts arrive. Until it has run, window.Plotly is a thenable:
 * dcc.Graph waits on Promise.resolve(window.Plotly || <Dash's plotly.min.js>), so it waits for
 * this bundle and never fetches Dash's. The bundle's `var Plotly = …` then replaces it.
 * The URL comes from this tag's data-plotly attribute (fingerprinted: cached for a year).
 */
(function () {
  "use strict";
  var tag = document.currentScript;
  var src = tag && tag.getAttribute("data-plotly");
  if (!src || window.Plotly) {
    return;
  }
  var ready = new Promise(function (resolve, reject) {
    function load() {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("plotly.js did not load: " + src)); };
      document.head.appendChild(script);
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", load);
    } else {
      load();
    }
  });
  window.Plotly = {
    then: function (onReady, onError) {
      return ready.then(function () { return onReady && onReady(); }, onError);
    }
  };
})();
