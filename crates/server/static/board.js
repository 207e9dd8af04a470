// The live board: alerts arrive over Server-Sent Events (the browser resumes after the last
// event id on reconnect, and the server replays what was missed), are listed newest first and
// sound once. Text goes in as text, never as HTML.
const list = document.getElementById("live-alerts");
const seen = new Set();

function beep() {
  try {
    const ctx = new AudioContext();
    const o = ctx.createOscillator();
    o.frequency.value = 880;
    o.connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.4);
  } catch { /* no sound available */ }
}

const source = new EventSource("/events?after=" + (document.getElementById("live").dataset.after || 0));
source.addEventListener("alert", (e) => {
  const a = JSON.parse(e.data);
  const key = a.id + ":" + a.tier + ":" + a.acked;
  if (seen.has(key)) return;
  seen.add(key);
  const li = document.createElement("li");
  li.dataset.alert = a.id;
  li.textContent = `${a.raised_at} · ${a.kind_label} · ${a.message} · ${a.acked ? "✓ " + a.acked_name : a.tier_label}`;
  li.className = a.acked ? "ok" : "bad";
  const old = list.querySelector(`[data-alert="${a.id}"]`);
  if (old) old.replaceWith(li); else { list.prepend(li); if (!a.acked) beep(); }
});
