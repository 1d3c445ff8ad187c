// The review page's image viewer: a material opens in a dialog where it can be zoomed (the image's own size grows,
// so the stage scrolls to every part of it) and rotated. Without JavaScript the link opens the full image in a new
// tab, where the browser zooms it.
document.addEventListener("DOMContentLoaded", function () {
  var viewer = document.getElementById("material-viewer");
  if (!viewer || typeof viewer.showModal !== "function") { return; }
  var stage = viewer.querySelector(".viewer-stage");
  var image = stage.querySelector("img");
  var caption = viewer.querySelector(".viewer-caption");
  var open = viewer.querySelector(".viewer-open");
  var scale = 1, turn = 0, fitted = 0;

  function fit() {
    if (!image.naturalWidth) { return; }
    var ratio = Math.min(stage.clientWidth / image.naturalWidth, stage.clientHeight / image.naturalHeight, 1);
    fitted = image.naturalWidth * ratio;
  }

  function apply() {
    if (!fitted) { fit(); }
    image.style.width = Math.round(fitted * scale) + "px";
    image.style.transform = turn ? "rotate(" + turn + "deg)" : "";
    image.classList.toggle("zoomed", scale > 1);
  }

  image.addEventListener("load", function () { fitted = 0; apply(); });

  document.querySelectorAll("a.zoomable").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      scale = 1; turn = 0; fitted = 0;
      viewer.showModal();
      if (image.src === link.href) { apply(); } else { image.src = link.href; }
      image.alt = link.getAttribute("data-caption") || "";
      caption.textContent = link.getAttribute("data-caption") || "";
      open.href = link.href;
    });
  });

  viewer.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-zoom");
      if (action === "in") { scale = Math.min(scale * 1.5, 8); }
      else if (action === "out") { scale = Math.max(scale / 1.5, 0.25); }
      else if (action === "fit") { scale = 1; turn = 0; }
      else if (action === "rotate") { turn = (turn + 90) % 360; }
      else if (action === "close") { viewer.close(); return; }
      apply();
    });
  });

  // Clicking the image toggles between fitting the window and twice that size.
  image.addEventListener("click", function () { scale = scale > 1 ? 1 : 2; apply(); });
});
