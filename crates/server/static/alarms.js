// The alarm console: alarms arrive over Server-Sent Events from /alarms/events (the browser
// resumes after the last event id on reconnect and the server replays what changed), are listed
// newest first, and sound when one is new and open or has climbed to another tier. Text goes
// in as text, never as HTML.
const box = document.getElementById("live-alarms");
const list = document.getElementById("live-alarm-list");
const seen = new Map();

function beep(critical) {
  try {
    const ctx = new AudioContext();
    for (let i = 0; i < (critical ? 3 : 1); i++) {
      const o = ctx.createOscillator();
      o.frequency.value = critical ? 1200 : 880;
      o.connect(ctx.destination);
      o.start(ctx.currentTime + i * 0.5);
      o.stop(ctx.currentTime + i * 0.5 + 0.35);
    }
  } catch { /* no sound available */ }
}

const source = new EventSource("/alarms/events?after=" + (box.dataset.after || 0));
source.addEventListener("alarm", (e) => {
  const a = JSON.parse(e.data);
  const before = seen.get(a.id);
  seen.set(a.id, a);
  const li = document.createElement("li");
  li.dataset.alarm = a.id;
  const who = a.acked_by ? "✓ " + a.acked_by : a.tier;
  const link = document.createElement("a");
  link.href = "/alarms/" + encodeURIComponent(a.id);
  link.textContent = `${a.first_at} · ${a.kind_label} · ${a.priority_label} · ${a.withheld ? "🔒" : a.devices.join(", ")} · ${a.triggers}× · ${a.state_label} · ${who}`;
  li.append(link);
  li.className = a.state === "open" ? "bad" : "ok";
  const old = list.querySelector(`[data-alarm="${a.id}"]`);
  if (old) old.replaceWith(li); else list.prepend(li);
  const fresh = !before && a.state === "open";
  const climbed = before && before.tier !== a.tier && a.state === "open";
  if (fresh || climbed) beep(a.priority === "critical");
});
