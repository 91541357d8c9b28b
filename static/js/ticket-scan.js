// Ticket scanner: lets gate staff read a job-fair ticket's QR code with the phone camera
// instead of typing the number. Without a camera or a way to decode QR codes the form is
// left untouched and the number is typed by hand.
(function () {
  'use strict';

  var TICKET = /^BK\d+-[2-9A-HJKMNP-Z]{6}$/;
  var INTERVAL_MS = 200; // about 5 reads a second: feels instant without draining the battery
  var MAX_WIDTH = 640; // jsQR's cost grows with pixels; 640 px still reads a ticket held up close

  var media = navigator.mediaDevices;
  if (!media || !media.getUserMedia) return;

  // The native detector is fast and needs no canvas; jsQR covers Safari and the rest.
  var detector = null;
  if ('BarcodeDetector' in window) {
    try {
      detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    } catch (e) {
      // Exposed, but QR codes not offered on this platform.
    }
  }
  if (!detector && typeof window.jsQR !== 'function') return;

  // Chrome says up front when a Permissions-Policy header forbids the camera here; a button
  // that can only ever fail is worse than none.
  var policy = document.permissionsPolicy || document.featurePolicy;
  if (policy && policy.allowsFeature && !policy.allowsFeature('camera')) return;

  var canvas = null;
  var context = null;

  function decodeWithJsQR(video) {
    if (!canvas) {
      canvas = document.createElement('canvas');
      context = canvas.getContext('2d', { willReadFrequently: true });
    }
    var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    var width = canvas.width = Math.round(video.videoWidth * scale);
    var height = canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, width, height);
    // Tickets are dark on light; skipping the inverted pass halves the work per frame.
    var code = window.jsQR(context.getImageData(0, 0, width, height).data, width, height,
      { inversionAttempts: 'dontInvert' });
    return code ? code.data : null;
  }

  function decode(video) {
    if (!detector) return decodeWithJsQR(video);
    return detector.detect(video).then(function (codes) {
      return codes.length ? codes[0].rawValue : null;
    }, function (err) {
      // Some devices construct the detector yet cannot run it: use jsQR from now on.
      if (typeof window.jsQR !== 'function') throw err;
      detector = null;
      return null;
    });
  }

  function stopTracks(stream) {
    stream.getTracks().forEach(function (track) { track.stop(); });
  }

  function enhance(form) {
    var input = form.querySelector('input[name="number"]');
    if (!input) return;
    var submit = form.querySelector('button[type="submit"], input[type="submit"], button:not([type])');
    var startText = form.getAttribute('data-scan-start') || '';
    var stopText = form.getAttribute('data-scan-stop') || '';
    var deniedText = form.getAttribute('data-scan-denied') || '';
    var wrongText = form.getAttribute('data-scan-wrong') || '';

    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = startText;
    if (submit) submit.insertAdjacentElement('afterend', button);
    else form.appendChild(button);

    var video = document.createElement('video');
    // Set as attributes and properties: iOS Safari otherwise opens the preview full screen
    // or refuses to autoplay it.
    video.setAttribute('playsinline', '');
    video.setAttribute('muted', '');
    video.playsInline = true;
    video.muted = true;
    video.hidden = true;
    form.appendChild(video);

    var status = document.createElement('p');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    form.appendChild(status);

    var stream = null;
    // A fresh object per opening, so an answer arriving after Stop or pagehide is dropped
    // and an old scan loop cannot keep running beside a new one.
    var session = null;
    var timer = 0;

    function stop() {
      session = null;
      clearTimeout(timer);
      if (stream) stopTracks(stream);
      stream = null;
      video.srcObject = null;
      video.hidden = true;
      status.textContent = '';
      button.textContent = startText;
    }

    function found(value) {
      if (value == null) return;
      var code = String(value).trim().toUpperCase();
      if (TICKET.test(code)) {
        input.value = code;
        stop();
        // requestSubmit runs validation and submit handlers like a real click would.
        if (form.requestSubmit) form.requestSubmit(submit || null);
        else form.submit();
      } else if (status.textContent !== wrongText) {
        status.textContent = wrongText;
      }
    }

    function scan(current) {
      if (session !== current) return;
      // Until the first frame arrives there is nothing to decode.
      var ready = video.readyState >= 2 && video.videoWidth > 0;
      Promise.resolve()
        .then(function () { return ready ? decode(video) : null; })
        .then(function (value) { if (session === current) found(value); })
        .catch(function () { /* a bad frame; try the next one */ })
        .then(function () {
          if (session === current) timer = setTimeout(scan, INTERVAL_MS, current);
        });
    }

    function start() {
      var current = session = {};
      status.textContent = '';
      button.textContent = stopText;
      media.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
        .then(function (granted) {
          if (session !== current) { stopTracks(granted); return; }
          stream = granted;
          video.srcObject = granted;
          // CSP forbids style attributes, so the width attribute keeps the preview on screen.
          video.width = Math.min(form.clientWidth || MAX_WIDTH, MAX_WIDTH);
          video.hidden = false;
          return video.play().then(function () { scan(current); });
        })
        .catch(function () {
          if (session !== current) return;
          stop();
          status.textContent = deniedText;
        });
    }

    button.addEventListener('click', function () {
      if (session) stop();
      else start();
    });
    // Keep the camera light from staying on after navigation or in the back-forward cache.
    window.addEventListener('pagehide', stop);
  }

  document.querySelectorAll('form[data-ticket-scan]').forEach(enhance);
})();
