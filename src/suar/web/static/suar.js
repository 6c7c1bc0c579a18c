/* Suar UI: progressive enhancement only; every page works without this file. */
(function () {
  "use strict";

  /* Tell the node this browser's time zone, so that times are shown in it. */
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      var value = encodeURIComponent(zone);
      if (document.cookie.split("; ").indexOf("suar_tz_auto=" + value) === -1) {
        document.cookie = "suar_tz_auto=" + value + "; path=/; max-age=31536000; SameSite=Lax" +
          (window.location.protocol === "https:" ? "; Secure" : "");
      }
    }
  } catch (ignored) {
    /* Without Intl the node's default zone is used. */
  }

  /* Selects marked data-autosubmit submit their form on change (the button stays for no-JS). */
  document.addEventListener("DOMContentLoaded", function () {
    var selects = document.querySelectorAll("select[data-autosubmit]");
    Array.prototype.forEach.call(selects, function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
  });
})();
