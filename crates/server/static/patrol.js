// The guard's phone: scans go into a queue kept on the phone (each with the id the phone
// mints), the queue is sent whenever the network allows, and what the server answered is
// shown. A batch sent twice records nothing twice. Works without the camera API too: the
// phone's own camera app opens the QR label's URL, and NFC tags open theirs.
const QUEUE = "baove.queue";
const DEVICE = "baove.device";

function deviceId() {
  let id = localStorage.getItem(DEVICE);
  if (!id) { id = crypto.randomUUID(); localStorage.setItem(DEVICE, id); }
  return id;
}
function load() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch { return []; } }
function save(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); }

const ROUND = "baove.round";

export function enqueue(scan) {
  const q = load();
  scan = { round_id: localStorage.getItem(ROUND) || "", ...scan };
  q.push({ id: crypto.randomUUID(), scanned_at: new Date().toISOString(), url: "", code: "", photo: "", checkpoint_id: "", reason: "", round_id: "", ...scan });
  save(q);
  show();
}

const vi = document.documentElement.lang !== "en";
const T = vi
  ? { idle: "Không có dữ liệu chờ gửi.", waiting: (n) => `${n} lượt quét chờ gửi — sẽ gửi khi có mạng.`, sending: "Đang gửi…", recorded: "Đã ghi nhận", duplicate: "Đã ghi nhận trước đó", rejected: "Không ghi nhận" }
  : { idle: "Nothing waiting to be sent.", waiting: (n) => `${n} scans waiting — they will be sent when online.`, sending: "Sending…", recorded: "Recorded", duplicate: "Already recorded", rejected: "Not recorded" };

function show(text) {
  const el = document.getElementById("sync-state");
  if (!el) return;
  const n = load().length;
  el.textContent = text || (n ? T.waiting(n) : T.idle);
  el.className = "sync " + (n ? "warn" : "ok");
}

let sending = false;
export async function sync() {
  const root = document.getElementById("scanner");
  // A few at a time: photos of QR labels make batches heavy.
  const q = load().slice(0, 10);
  if (!root || !q.length || sending) { show(); return; }
  sending = true;
  let more = false;
  show(T.sending);
  try {
    const resp = await fetch("/patrol/scans", {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": root.dataset.csrf },
      body: JSON.stringify({ device_id: deviceId(), device_now: new Date().toISOString(), scans: q }),
    });
    if (resp.ok) {
      const results = await resp.json();
      const done = new Set(results.map((r) => r.id));
      save(load().filter((s) => !done.has(s.id)));
      more = true;
      const list = document.getElementById("scan-results");
      for (const r of results) {
        const li = document.createElement("li");
        li.textContent = `${T[r.status] || r.status}${r.checkpoint ? " · " + r.checkpoint : ""}${r.code ? " · " + r.code : ""}`;
        li.className = r.status === "rejected" ? "bad" : "ok";
        list.prepend(li);
      }
    }
  } catch { /* offline: keep the queue */ }
  sending = false;
  show();
  if (more && load().length) setTimeout(sync, 0);
}

async function scanQr() {
  const video = document.getElementById("camera");
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  const stop = () => { stream.getTracks().forEach((t) => t.stop()); video.hidden = true; };
  for (let i = 0; i < 600; i++) {
    const codes = await detector.detect(video).catch(() => []);
    if (codes.length) {
      stop();
      enqueue({ evidence: "qr_live", code: codes[0].rawValue });
      sync();
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
}

// Starting a round: the phone ties the scans that follow to it.
function showRound() {
  const el = document.getElementById("current-round");
  const id = localStorage.getItem(ROUND);
  const link = id && document.querySelector(`a[href="#start-${id}"]`);
  if (!el) return;
  el.hidden = !link;
  if (link) el.textContent = `${vi ? "Đang tuần tra" : "Walking"}: ${link.closest("tr").cells[0].textContent}`;
}
for (const a of document.querySelectorAll('a[href^="#start-"]')) {
  a.addEventListener("click", (ev) => {
    ev.preventDefault();
    localStorage.setItem(ROUND, a.getAttribute("href").slice("#start-".length));
    showRound();
  });
}
showRound();

// A photo of the label, for phones that cannot scan live: downsized here (the server reads the
// code from it), queued like any scan so it survives a dead network.
async function photoQr(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1280 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  enqueue({ evidence: "qr_photo", photo: canvas.toDataURL("image/jpeg", 0.85) });
  sync();
}
const photoInput = document.getElementById("qr-photo");
if (photoInput) {
  photoInput.addEventListener("change", () => {
    const file = photoInput.files && photoInput.files[0];
    if (file) photoQr(file).catch(() => show()).finally(() => { photoInput.value = ""; });
  });
}

// A tag or label opened while offline: the service worker served this page at that URL.
const here = new URL(location.href);
if (here.pathname === "/n" && here.search) {
  enqueue({ evidence: "nfc_sun", url: here.href });
} else if (here.pathname.startsWith("/q/")) {
  enqueue({ evidence: "qr_live", code: here.pathname.split("/").pop() });
}

if ("BarcodeDetector" in window) {
  const btn = document.getElementById("scan-qr");
  if (btn) {
    btn.hidden = false;
    document.getElementById("scan-fallback").hidden = true;
    btn.addEventListener("click", () => scanQr().catch(() => show()));
  }
}
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
window.addEventListener("online", sync);
setInterval(sync, 10000);
show();
sync();
