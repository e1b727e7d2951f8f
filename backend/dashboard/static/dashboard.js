// Copy buttons: <button data-copy="input-id"> copies that input's value.
document.querySelectorAll("[data-copy]").forEach(function (b) {
  b.addEventListener("click", function () {
    var input = document.getElementById(b.getAttribute("data-copy"));
    input.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(input.value); }
    var status = document.getElementById(b.getAttribute("data-copy") + "-status");
    if (status) { status.textContent = "Copied."; }
  });
});

// A time zone field left empty starts as the browser's own zone.
document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
  if (input.value || !window.Intl) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) { input.value = zone; }
});
