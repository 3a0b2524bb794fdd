// Small progressive enhancements; everything works without this file.
document.addEventListener("htmx:responseError", (event) => {
  // Show server error fragments (4xx/5xx) where the request was aimed instead of dropping them.
  const xhr = event.detail.xhr;
  if (xhr && xhr.responseText && event.detail.target) {
    event.detail.target.innerHTML = xhr.responseText;
  }
});
