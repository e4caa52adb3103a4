// The verification page: consent and start (consumes the QR code), photo, confirmation.
// It talks to the same JSON endpoints as the provider's app.
"use strict";

(function () {
  var body = document.body;
  var token = body.dataset.token;
  var state = body.dataset.state;
  var sessionKey = "beian-verify:" + token;
  var maxSide = 1280;   // long side after downscaling; the checker wants a short side of at least 480
  var minShort = 480;

  function $(id) { return document.getElementById(id); }
  function show(id, on) { var el = $(id); if (el) { el.hidden = !on; } }

  function fail(title, text) {
    ["notice", "start", "capture", "done"].forEach(function (id) { show(id, false); });
    $("failure-title").textContent = title;
    $("failure-text").textContent = text;
    show("failure", true);
  }

  function errorMessage(res, data) {
    if (data && data.error && data.error.message) { return data.error.message; }
    return "请求失败（" + res.status + "），请稍后重试。";
  }

  function call(path, init) {
    return fetch(path, init).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) {
        return { ok: res.ok, res: res, data: data };
      });
    });
  }

  function authed(session) { return { "Authorization": "Bearer " + session }; }

  function toCapture() {
    show("notice", false);
    show("start", false);
    show("capture", true);
  }

  function begin() {
    $("begin").disabled = true;
    call("/api/v1/verification-scans", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: token })
    }).then(function (r) {
      if (!r.ok) { fail("无法开始核验", errorMessage(r.res, r.data)); return; }
      sessionStorage.setItem(sessionKey, r.data.session_token);
      toCapture();
    }).catch(function () {
      $("begin").disabled = false;
      fail("网络异常", "请检查网络后刷新页面重试。");
    });
  }

  // downscale draws the photo on a canvas no larger than maxSide and returns it as a JPEG blob.
  function downscale(file) {
    return new Promise(function (resolve, reject) {
      var img = new Image();
      var url = URL.createObjectURL(file);
      img.onload = function () {
        URL.revokeObjectURL(url);
        var w = img.naturalWidth, h = img.naturalHeight;
        var scale = Math.min(1, maxSide / Math.max(w, h));
        if (Math.min(w, h) * scale < minShort) { scale = Math.min(1, minShort / Math.min(w, h)); }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("encode")); }, "image/jpeg", 0.9);
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      img.src = url;
    });
  }

  function showOutcome(out) {
    var list = $("reasons");
    list.textContent = "";
    (out.reasons || []).forEach(function (r) {
      var li = document.createElement("li");
      li.textContent = r.message;
      li.dataset.code = r.code;
      list.appendChild(li);
    });
    list.hidden = out.passed || !out.reasons || out.reasons.length === 0;
    var status = $("status");
    status.className = out.passed ? "ok" : "";
    status.textContent = out.passed ? "照片检测通过，请确认使用这张照片。" : "照片未通过检测：";
    var attempts = $("attempts");
    attempts.hidden = false;
    attempts.textContent = "本次扫码还可以上传 " + out.attempts_left + " 次照片（共 " + body.dataset.maxAttempts + " 次）。";
    show("use", out.passed);
  }

  function upload(file) {
    var session = sessionStorage.getItem(sessionKey);
    if (!session) { fail("核验已中断", "请联系备案申请人重新获取二维码。"); return; }
    $("status").className = "";
    $("status").textContent = "正在处理照片…";
    show("use", false);
    downscale(file).then(function (blob) {
      var preview = $("preview");
      preview.src = URL.createObjectURL(blob);
      preview.hidden = false;
      var form = new FormData();
      form.append("consent", "true");
      form.append("photo", blob, "face.jpg");
      return call("/api/v1/verification-sessions/face", { method: "POST", headers: authed(session), body: form });
    }).then(function (r) {
      if (!r.ok) { fail("无法继续核验", errorMessage(r.res, r.data)); return; }
      showOutcome(r.data);
    }).catch(function () {
      $("status").textContent = "无法读取这张照片，请重新拍摄。";
    });
  }

  function confirmPhoto() {
    var session = sessionStorage.getItem(sessionKey);
    $("use").disabled = true;
    call("/api/v1/verification-sessions/confirm", { method: "POST", headers: authed(session) }).then(function (r) {
      if (!r.ok) { $("use").disabled = false; fail("确认失败", errorMessage(r.res, r.data)); return; }
      sessionStorage.removeItem(sessionKey);
      show("capture", false);
      show("done", true);
    });
  }

  if (!$("start")) { return; }
  $("consent").addEventListener("change", function (e) { $("begin").disabled = !e.target.checked; });
  $("begin").addEventListener("click", begin);
  $("photo").addEventListener("change", function (e) { if (e.target.files[0]) { upload(e.target.files[0]); } });
  $("use").addEventListener("click", confirmPhoto);
  if (state === "used" && sessionStorage.getItem(sessionKey)) { toCapture(); }
})();
