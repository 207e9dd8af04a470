// Incidents in the browser. On the report form: photos from the camera are downsized here,
// the report goes into a queue kept on the phone (with its own id, so a resend is the same
// report on the server) and is sent at once, or when the network comes back; the sync line
// always says where it stands. On the incident list: changes arrive over Server-Sent Events
// from /incidents/events (resumed after the last event id), newest first, with a sound for a
// new report. Text goes in as text, never as HTML.
const KEY = "baove-incident-queue";
const vi = (document.documentElement.lang || "vi") === "vi";
const T = vi
  ? { idle: "Không có báo cáo chờ gửi.", waiting: (n) => `${n} báo cáo đang lưu trên máy, sẽ gửi khi có mạng.`, sending: "Đang gửi…", refused: "Báo cáo bị từ chối: ", sent: "Đã gửi tới Công an phường." }
  : { idle: "No report waiting.", waiting: (n) => `${n} report(s) saved on this phone, sent when the network is back.`, sending: "Sending…", refused: "Report refused: ", sent: "Sent to the ward police." };

const load = () => { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch { return []; } };
const save = (q) => localStorage.setItem(KEY, JSON.stringify(q));

function show(text, bad) {
  const el = document.getElementById("incident-sync");
  if (!el) return;
  const n = load().length;
  el.textContent = text || (n ? T.waiting(n) : T.idle);
  el.className = "sync " + (bad || n ? "warn" : "ok");
}

// A photo as a JPEG data URL no larger than 1600 px on its longest side.
async function downsize(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL("image/jpeg", 0.8);
}

let sending = false;
async function sync(csrf) {
  const q = load();
  if (!q.length || sending) { show(); return; }
  sending = true;
  show(T.sending);
  let last = null;
  for (const report of q) {
    try {
      const resp = await fetch("/incidents", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify(report),
      });
      if (resp.ok) {
        last = (await resp.json()).url;
        save(load().filter((r) => r.id !== report.id));
      } else if (resp.status >= 400 && resp.status < 500 && resp.status !== 408 && resp.status !== 429) {
        // Refused for good (a field the server will never accept): say why, drop it.
        let why = String(resp.status);
        try {
          const e = (await resp.json()).error;
          why = e.message + (e.fields || []).map((f) => ` · ${f.field}: ${f.message}`).join("");
        } catch { /* not JSON */ }
        save(load().filter((r) => r.id !== report.id));
        sending = false;
        show(T.refused + why, true);
        return;
      } else {
        break;
      }
    } catch { break; /* offline: keep the queue */ }
  }
  sending = false;
  show(last && !load().length ? T.sent : undefined);
  if (last && !load().length) location.assign(last);
}

const form = document.querySelector('form[action="/incidents"]');
if (form) {
  const csrf = form.querySelector('input[name="_csrf"]').value;
  const photos = form.querySelector('input[name="photos"]');
  if (photos) {
    photos.multiple = true;
    photos.accept = "image/*";
    photos.setAttribute("capture", "environment");
  }
  // Each report its own id, even when this page came from the offline cache.
  form.querySelector('input[name="id"]').value = crypto.randomUUID();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const report = { photos: [], modus: data.getAll("modus") };
    for (const k of ["id", "kind", "site_id", "occurred_at", "summary", "losses", "suspect_person", "suspect_vehicle", "plate"]) {
      report[k] = String(data.get(k) || "");
    }
    for (const file of (photos && photos.files) || []) {
      try { report.photos.push(await downsize(file)); } catch { /* not an image: the server would refuse it */ }
    }
    const q = load().filter((r) => r.id !== report.id);
    q.push(report);
    save(q);
    form.querySelector('input[name="id"]').value = crypto.randomUUID();
    await sync(csrf);
  });
  window.addEventListener("online", () => sync(csrf));
  setInterval(() => sync(csrf), 30000);
  sync(csrf);
}

function beep() {
  try {
    const ctx = new AudioContext();
    const o = ctx.createOscillator();
    o.frequency.value = 980;
    o.connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.4);
  } catch { /* no sound available */ }
}

const box = document.getElementById("live-incidents");
if (box) {
  const list = document.getElementById("live-incident-list");
  const source = new EventSource("/incidents/events?after=" + (box.dataset.after || 0));
  source.addEventListener("incident", (e) => {
    const i = JSON.parse(e.data);
    const li = document.createElement("li");
    li.dataset.incident = i.id;
    const link = document.createElement("a");
    link.href = i.url;
    link.textContent = `${i.occurred_at} · ${i.unit} · ${i.kind_label} · ${i.status_label} · ${i.summary}`;
    li.append(link);
    li.className = i.status === "reported" ? "bad" : "ok";
    const old = list.querySelector(`[data-incident="${i.id}"]`);
    if (old) old.replaceWith(li); else list.prepend(li);
    if (!old && i.status === "reported") beep();
  });
}
