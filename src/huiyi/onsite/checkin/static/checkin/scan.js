// The check-in scanner (REQ-ONS-02): camera (jsQR), hardware keyboard-wedge scanners and manual search; a
// big coloured answer with a beep; and an offline queue in IndexedDB that syncs when the server is back.
// Loaded with `defer`; translated strings and URLs come from #checkin-config (json_script): no inline script.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("checkin-config").textContent);
  const T = config.text;
  const $ = (id) => document.getElementById(id);
  const csrf = (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));

  // -- device identity --------------------------------------------------------------------------------------
  function randomKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  let deviceId = localStorage.getItem("huiyi.checkin.device");
  if (!deviceId) {
    deviceId = "dev-" + randomKey().replace(/-/g, "").slice(0, 12);
    localStorage.setItem("huiyi.checkin.device", deviceId);
  }
  let deviceName = localStorage.getItem("huiyi.checkin.deviceName") || `${T.defaultDevice} ${deviceId.slice(-4).toUpperCase()}`;
  $("device-name").value = deviceName;
  $("device-id").textContent = deviceId;
  $("device-name").addEventListener("change", () => {
    deviceName = $("device-name").value.trim().slice(0, 80) || deviceName;
    $("device-name").value = deviceName;
    localStorage.setItem("huiyi.checkin.deviceName", deviceName);
  });

  // -- sound (WebAudio: no files) ---------------------------------------------------------------------------
  let audio = null;
  function unlockAudio() {
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    }
    if (audio && audio.state === "suspended") audio.resume();
  }
  document.addEventListener("keydown", unlockAudio, { once: true });
  document.addEventListener("pointerdown", unlockAudio, { once: true });
  function beep(tone) {
    if (!audio) return;
    const notes = { ok: [[880, 0.12]], warn: [[660, 0.1], [660, 0.1]], bad: [[220, 0.35]], offline: [[520, 0.15]] }[tone];
    let at = audio.currentTime;
    for (const [frequency, length] of notes) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = tone === "bad" ? "square" : "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + length);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + length);
      at += length + 0.06;
    }
  }

  // -- showing an answer ------------------------------------------------------------------------------------
  const TONES = {
    ok: "ok", checked_out: "ok", already_checked_in: "warn", already_checked_out: "warn", not_checked_in: "warn",
    unknown: "bad", wrong_meeting: "bad", blocked: "bad", offline: "offline", error: "bad",
  };
  const CLASSES = { ok: "checkin-result-ok", warn: "checkin-result-warn", bad: "checkin-result-bad", offline: "checkin-result-offline" };
  function timeOf(iso) {
    if (!iso) return "";
    const date = new Date(iso);
    return date.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }
  function show(result, data, title) {
    const tone = TONES[result] || "bad";
    const box = $("result");
    box.className = "checkin-result mb-2 " + CLASSES[tone];
    box.dataset.result = result;
    const attendee = (data && data.attendee) || null;
    let heading = title;
    if (!heading) {
      heading = result === "ok" && data.reentry ? T.reentry : T[result] || result;
      heading = fmt(heading, { time: timeOf(data && data.checked_in_at) });
    }
    $("result-title").textContent = heading;
    $("result-name").textContent = attendee ? attendee.name : "";
    const parts = [];
    if (attendee) {
      if (attendee.organisation) parts.push(attendee.organisation);
      parts.push(config.categories[attendee.category] || attendee.category);
      if (attendee.seat) parts.push(`${T.seat} ${attendee.seat}`);
    }
    $("result-detail").textContent = parts.join(" · ");
    beep(tone);
    addRecent(heading, attendee, tone);
  }
  function addRecent(heading, attendee, tone) {
    const item = document.createElement("li");
    item.className = "list-group-item d-flex gap-2 align-items-center";
    const dot = document.createElement("span");
    dot.className = "badge " + { ok: "text-bg-success", warn: "text-bg-warning", bad: "text-bg-danger", offline: "text-bg-warning" }[tone];
    dot.textContent = new Date().toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
    const text = document.createElement("span");
    text.className = "text-truncate";
    text.textContent = attendee ? `${attendee.name} · ${heading}` : heading;
    item.append(dot, text);
    const list = $("recent-scans");
    list.prepend(item);
    while (list.children.length > 8) list.lastElementChild.remove();
  }

  // -- the offline queue (IndexedDB) ------------------------------------------------------------------------
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open("huiyi-checkin", 1);
        request.onupgradeneeded = () => request.result.createObjectStore("queue", { keyPath: "key" });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }
  async function store(mode, work) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction("queue", mode);
      const result = work(transaction.objectStore("queue"));
      transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const queueAdd = (item) => store("readwrite", (s) => s.put(item));
  const queueAll = () => store("readonly", (s) => s.getAll());
  const queueDelete = (keys) => store("readwrite", (s) => keys.forEach((key) => s.delete(key)));

  async function refreshQueueCount() {
    const items = await queueAll();
    const badge = $("queue-count");
    badge.textContent = fmt(T.queue, { n: items.length });
    badge.classList.toggle("d-none", items.length === 0);
    badge.dataset.count = String(items.length);
    return items;
  }
  let online = true;
  function setOnline(value) {
    online = value;
    const badge = $("net-status");
    badge.textContent = value ? T.online : T.offlineBadge;
    badge.className = "badge " + (value ? "text-bg-success" : "text-bg-warning");
    badge.dataset.state = value ? "online" : "offline";
  }

  async function keepOffline(item, seenAt) {
    const items = await queueAll();
    const again = items.some((other) => other.code === item.code && other.direction === item.direction);
    show("offline", null, again ? T.offline_again : T.offline);
    $("result-detail").textContent = fmt(T.code, { code: item.code.length > 12 ? item.code.slice(0, 12) + "…" : item.code });
    item.shown_ms = Math.max(0, Math.round(performance.now() - seenAt));
    await queueAdd(item);
    setOnline(false);
    await refreshQueueCount();
    scheduleSync(1000);
  }

  // -- scanning ---------------------------------------------------------------------------------------------
  let mode = "in";
  document.querySelectorAll("input[name=direction]").forEach((radio) =>
    radio.addEventListener("change", () => { mode = radio.value; focusInput(); }));

  const timings = [];
  async function submit(rawCode, source, seenAt) {
    const code = String(rawCode || "").trim();
    if (!code) return;
    const key = randomKey();
    const item = {
      code, key, source, direction: mode, device: deviceId, device_name: deviceName,
      project: config.project, scanned_at: new Date().toISOString(),
    };
    if (!navigator.onLine) return keepOffline(item, seenAt);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), config.offlineAfterMs);
    let response;
    try {
      response = await fetch(mode === "out" ? config.urls.checkout : config.urls.redeem, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Idempotency-Key": key },
        body: JSON.stringify({ code, device: deviceId, device_name: deviceName, project: config.project, source }),
        signal: controller.signal,
      });
    } catch (error) {
      clearTimeout(timer);
      return keepOffline(item, seenAt); // no answer within the limit, or no network: the queue keeps it
    }
    clearTimeout(timer);
    if (response.status >= 500) return keepOffline(item, seenAt); // the server is in trouble: keep the scan
    let data = {};
    try { data = await response.json(); } catch (error) { data = {}; }
    if (response.ok) {
      setOnline(true);
      show(data.result, data);
      timings.push({ key, shown_ms: Math.max(0, Math.round(performance.now() - seenAt)) });
      scheduleSync(0);
    } else if (response.status === 401) {
      show("error", null, T.signedOut);
    } else if (response.status === 403) {
      show("error", null, T.forbidden);
    } else {
      show("error", null, fmt(T.error, { message: (data.error && data.error.message) || response.status }));
    }
  }

  // Keyboard-wedge scanners type the code and press Enter into the focused input; keep it focused.
  const input = $("code-input");
  let typingStarted = null;
  function focusInput() { if (document.activeElement !== input) input.focus({ preventScroll: true }); }
  input.addEventListener("input", () => { if (typingStarted === null) typingStarted = performance.now(); });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const seenAt = typingStarted ?? performance.now();
    typingStarted = null;
    const value = input.value;
    input.value = "";
    submit(value, "keyboard", seenAt);
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("input, textarea, select, button, a, summary, label, details")) focusInput();
  });

  // -- camera (jsQR) ----------------------------------------------------------------------------------------
  const cameraButton = $("camera-toggle");
  const video = $("camera-video");
  const canvas = $("camera-canvas");
  let stream = null;
  let lastCode = "";
  let lastAt = 0;
  function cameraMessage(text) {
    const box = $("camera-message");
    box.textContent = text;
    box.classList.toggle("d-none", !text);
  }
  if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) || typeof jsQR === "undefined") {
    cameraButton.disabled = true;
    cameraMessage(T.noCamera);
  }
  async function startCamera() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      cameraMessage(error && error.name === "NotFoundError" ? T.noCamera : fmt(T.cameraDenied, { error: error.message || error.name }));
      return;
    }
    cameraMessage("");
    video.srcObject = stream;
    await video.play().catch(() => {});
    $("camera-box").classList.remove("d-none");
    cameraButton.querySelector("span").textContent = T.cameraOn;
    requestAnimationFrame(scanFrame);
  }
  function stopCamera() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    $("camera-box").classList.add("d-none");
    cameraButton.querySelector("span").textContent = T.cameraOff;
  }
  let lastDecode = 0;
  function scanFrame(now) {
    if (!stream) return;
    if (video.readyState >= 2 && now - lastDecode > 120) {
      lastDecode = now;
      const width = Math.min(640, video.videoWidth);
      const height = Math.round(video.videoHeight * (width / video.videoWidth)) || 0;
      if (width && height) {
        canvas.width = width;
        canvas.height = height;
        const context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0, width, height);
        const found = jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: "dontInvert" });
        const seenAt = performance.now();
        // The same code held in front of the camera is one scan, not one per frame.
        if (found && found.data && (found.data !== lastCode || seenAt - lastAt > 4000)) {
          lastCode = found.data;
          lastAt = seenAt;
          submit(found.data, "camera", seenAt);
        }
      }
    }
    requestAnimationFrame(scanFrame);
  }
  cameraButton.addEventListener("click", () => (stream ? stopCamera() : startCamera()));

  // -- manual search ----------------------------------------------------------------------------------------
  const search = $("search-input");
  let searchTimer = null;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 250);
  });
  async function runSearch() {
    const text = search.value.trim();
    const list = $("search-results");
    list.replaceChildren();
    if (!text) return;
    let data;
    try {
      const response = await fetch(`${config.urls.search}?q=${encodeURIComponent(text)}`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch (error) {
      return;
    }
    if (!data.results.length) {
      const empty = document.createElement("li");
      empty.className = "list-group-item text-body-secondary";
      empty.textContent = T.searchEmpty;
      list.append(empty);
    }
    for (const row of data.results) {
      const item = document.createElement("li");
      item.className = "list-group-item d-flex align-items-center gap-2";
      item.dataset.attendee = String(row.id);
      const text = document.createElement("div");
      text.className = "flex-grow-1 min-w-0";
      const name = document.createElement("div");
      name.className = "fw-semibold";
      name.textContent = row.name;
      const detail = document.createElement("div");
      detail.className = "small text-body-secondary";
      const bits = [row.organisation, config.categories[row.category] || row.category, row.seat && `${T.seat} ${row.seat}`, row.phone];
      if (row.checked_in_at) bits.push(fmt(T.checkedInAt, { time: timeOf(row.checked_in_at) }));
      if (row.status === "cancelled") bits.push(T.cancelled);
      detail.textContent = bits.filter(Boolean).join(" · ");
      text.append(name, detail);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm " + (mode === "out" ? "btn-outline-secondary" : "btn-success");
      button.textContent = mode === "out" ? T.checkOut : T.checkIn;
      button.disabled = !row.code;
      button.addEventListener("click", () => submit(row.code, "manual", performance.now()).then(runSearch));
      item.append(text, button);
      list.append(item);
    }
  }

  // -- sync of the offline queue ----------------------------------------------------------------------------
  let syncing = false;
  let backoff = 2000;
  let syncTimer = null;
  function scheduleSync(delay) {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(syncNow, delay);
  }
  async function sendTimings() {
    if (!timings.length || !navigator.onLine) return;
    const batch = timings.splice(0, 100);
    try {
      const response = await fetch(config.urls.timings, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ timings: batch }),
      });
      if (!response.ok && response.status >= 500) timings.unshift(...batch);
    } catch (error) {
      timings.unshift(...batch);
    }
  }
  async function syncNow() {
    if (syncing) return;
    const items = await refreshQueueCount();
    if (!items.length) { await sendTimings(); return; }
    if (!navigator.onLine) return;
    syncing = true;
    try {
      items.sort((a, b) => (a.scanned_at < b.scanned_at ? -1 : 1));
      let synced = 0;
      for (let start = 0; start < items.length; start += 100) {
        const batch = items.slice(start, start + 100);
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 15000);
        const response = await fetch(config.urls.sync, {
          method: "POST", credentials: "same-origin", signal: controller.signal,
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify({ scans: batch }),
        });
        clearTimeout(timer);
        if (!response.ok) throw new Error(String(response.status));
        const data = await response.json();
        const done = [];
        for (const answer of data.results) {
          const item = batch[answer.index];
          if (!item) continue;
          done.push(item.key); // answered (even refused): retrying would not change the answer
          if (answer.result === "invalid") {
            addRecent(fmt(T.invalidItem, { message: answer.error ? answer.error.message : "" }), null, "bad");
          } else if (answer.result === "already_checked_in" && item.direction === "in" && answer.attendee) {
            addRecent(fmt(T.conflict, { name: answer.attendee.name }), answer.attendee, "warn");
          }
        }
        await queueDelete(done);
        synced += done.length;
      }
      setOnline(true);
      backoff = 2000;
      if (synced) addRecent(fmt(T.synced, { n: synced }), null, "ok");
      await refreshQueueCount();
      await sendTimings();
    } catch (error) {
      setOnline(false);
      backoff = Math.min(backoff * 2, 60000);
      addRecent(fmt(T.syncFailed, { s: Math.round(backoff / 1000) }), null, "offline");
      scheduleSync(backoff);
    } finally {
      syncing = false;
    }
  }
  window.addEventListener("online", () => { setOnline(true); scheduleSync(0); });
  window.addEventListener("offline", () => setOnline(false));
  setInterval(() => scheduleSync(0), 15000);
  setOnline(navigator.onLine);
  refreshQueueCount().then(() => scheduleSync(500));
  focusInput();
})();
