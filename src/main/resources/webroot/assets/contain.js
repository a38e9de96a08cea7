// Containment and accounting as words: a task's limits, how its node contained it, what an attempt used, and
// how a node contains its tasks. Values the node could not measure (-1) or did not report show as '–'.

/** 512 MiB memory · 1.5 CPUs · 64 processes · 10 MiB output, or 'none'. */
export function limitsText(l) {
  if (!l || !Object.keys(l).length) return 'none';
  const parts = [];
  if (l.memory_mb != null) parts.push(`${l.memory_mb} MiB memory`);
  if (l.cpus != null) parts.push(`${l.cpus} ${l.cpus === 1 ? 'CPU' : 'CPUs'}`);
  if (l.pids != null) parts.push(`${l.pids} processes`);
  if (l.output_mb != null) parts.push(`${l.output_mb} MiB output`);
  return parts.join(' · ');
}

/** cgroup2 as heady-task (64 MiB memory): note, or 'unknown' when the node did not say. */
export function enforcementText(e) {
  if (!e || !e.method) return 'unknown';
  let s = e.method;
  if (e.user) s += ` as ${e.user}`;
  if (e.limits && Object.keys(e.limits).length) s += ` (${limitsText(e.limits)})`;
  if (e.note) s += `: ${e.note}`;
  return s;
}

/** 0 B, 512 KiB, 80.5 MiB, 1.5 GiB; '–' when unknown. */
export function bytes(n) {
  if (n == null || n < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}

export function seconds(s) {
  return s == null || s < 0 ? '–' : `${s.toFixed(2)} s`;
}

/** 1.50 s user · 0.25 s system, or null when nothing was measured. */
export function cpuText(u) {
  if (!u) return null;
  return `${seconds(u.cpu_user_sec)} user · ${seconds(u.cpu_system_sec)} system`;
}

/** read 3.0 MiB · wrote 4.0 KiB, or null. */
export function ioText(u) {
  if (!u) return null;
  return `read ${bytes(u.read_bytes)} · wrote ${bytes(u.write_bytes)}`;
}
