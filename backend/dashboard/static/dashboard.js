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
