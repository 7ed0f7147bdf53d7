// Forgotten-password form: "New image" fetches another CAPTCHA without losing what was typed.
// Without JavaScript the button stays hidden; reloading the page gives a new image too.
(function () {
  "use strict";

  function refresh(button) {
    var box = button.closest(".field");
    var image = box.querySelector(".captcha-image");
    var key = box.querySelector("input[type=hidden]");
    var answer = box.querySelector("input[type=text]");
    fetch(button.dataset.refreshUrl, {
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        image.src = data.image_url;
        key.value = data.key;
        answer.value = "";
        answer.focus();
      })
      .catch(function () {
        window.location.reload();
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".captcha-refresh").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        refresh(button);
      });
    });
  });
})();
