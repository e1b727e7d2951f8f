// The copy and share buttons of a hosted page; the page works without them.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    function fallback() {
      input.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) {}
      status.textContent = ok ? "Link copied." : "Select the link and copy it.";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { status.textContent = "Link copied."; }, fallback);
    } else {
      fallback();
    }
  });
});
document.querySelectorAll("[data-share]").forEach(function (button) {
  if (!navigator.share) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.share({ text: button.getAttribute("data-share") }).catch(function () {});
  });
});
