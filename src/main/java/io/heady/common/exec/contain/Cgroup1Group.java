package io.heady.common.exec.contain;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Usage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One attempt's groups in the cgroup v1 hierarchies (one directory per mounted hierarchy: {@code memory},
 * {@code pids}, {@code cpu}, {@code cpuacct}, {@code freezer}, {@code blkio}, some of them mounted together):
 * {@code memory.limit_in_bytes} (and {@code memory.memsw.limit_in_bytes}, so swap does not stretch it),
 * {@code pids.max}, {@code cpu.cfs_quota_us}; frozen with {@code freezer.state} to be killed by pid; usage
 * from {@code cpuacct}, {@code memory.max_usage_in_bytes} and {@code blkio}.
 */
final class Cgroup1Group implements Confined {
  private static final long FREEZE_WAIT_MS = 1000;
  private static final int REMOVE_TRIES = 20;

  private final CgroupFs fs;
  private final Map<String, Path> dirs; // controller -> this attempt's group in its hierarchy
  private final Limits applied;
  private final long ticksPerSecond;

  private Cgroup1Group(CgroupFs fs, Map<String, Path> dirs, Limits applied, long ticksPerSecond) {
    this.fs = fs;
    this.dirs = dirs;
    this.applied = applied;
    this.ticksPerSecond = ticksPerSecond;
  }

  /**
   * Makes {@code parent/name} in each hierarchy of {@code parents} (controller to the node's parent group) and
   * writes the limits; on any failure what was made is removed and the error is thrown.
   */
  static Cgroup1Group create(CgroupFs fs, Map<String, Path> parents, String name, Limits limits,
      long ticksPerSecond) throws IOException {
    Map<String, Path> dirs = new LinkedHashMap<>();
    parents.forEach((c, p) -> dirs.put(c, p.resolve(name)));
    List<Path> made = new ArrayList<>();
    try {
      for (Path d : new LinkedHashSet<>(dirs.values())) {
        fs.mkdir(d);
        made.add(d);
      }
      long mem = 0;
      long pids = 0;
      double cpus = 0;
      Path m = dirs.get("memory");
      if (limits.memoryMb() > 0 && m != null) {
        String bytes = Long.toString(limits.memoryMb() << 20);
        fs.write(m.resolve("memory.limit_in_bytes"), bytes);
        if (fs.exists(m.resolve("memory.memsw.limit_in_bytes"))) {
          // why: memsw must be written after the plain limit (it may never be below it)
          fs.write(m.resolve("memory.memsw.limit_in_bytes"), bytes);
        }
        mem = limits.memoryMb();
      }
      Path p = dirs.get("pids");
      if (limits.pids() > 0 && p != null) {
        fs.write(p.resolve("pids.max"), Long.toString(limits.pids()));
        pids = limits.pids();
      }
      Path c = dirs.get("cpu");
      if (limits.cpus() > 0 && c != null) {
        fs.write(c.resolve("cpu.cfs_period_us"), Long.toString(Cgroup2Group.CPU_PERIOD_US));
        long quota = Math.max(1000, Math.round(limits.cpus() * Cgroup2Group.CPU_PERIOD_US));
        fs.write(c.resolve("cpu.cfs_quota_us"), Long.toString(quota));
        cpus = limits.cpus();
      }
      return new Cgroup1Group(fs, dirs, new Limits(mem, cpus, pids, limits.outputMb()), ticksPerSecond);
    } catch (IOException | RuntimeException e) {
      for (int i = made.size() - 1; i >= 0; i--) {
        fs.rmdir(made.get(i));
      }
      throw e;
    }
  }

  Map<String, Path> dirs() {
    return dirs;
  }

  @Override
  public List<String> prefix() {
    List<String> files = new ArrayList<>();
    for (Path d : new LinkedHashSet<>(dirs.values())) {
      files.add(d.resolve("cgroup.procs").toString());
    }
    return Placement.prefix(files);
  }

  // why: every process of the attempt is in each of its groups (placed in all, forked children inherit all)
  @Override
  public List<Path> threadPlacement() {
    return new ArrayList<>(new LinkedHashSet<>(dirs.values()));
  }

  /** One read: the pids group's list (or the first group's), where every process of the attempt is. */
  @Override
  public boolean empty() {
    Path d = dirs.containsKey("pids") ? dirs.get("pids") : dirs.values().iterator().next();
    return fs.pids(d.resolve("cgroup.procs")).isEmpty();
  }

  @Override
  public Limits applied() {
    return applied;
  }

  @Override
  public boolean whole() {
    return true;
  }

  /** Every process of any of the attempt's groups (they are the same processes; the union is safe). */
  @Override
  public Set<Long> members() {
    Set<Long> out = new LinkedHashSet<>();
    for (Path d : new LinkedHashSet<>(dirs.values())) {
      out.addAll(fs.pids(d.resolve("cgroup.procs")));
    }
    return out;
  }

  @Override
  public boolean killAll() {
    return false;
  }

  @Override
  public boolean freeze(boolean frozen) {
    Path f = dirs.get("freezer");
    if (f == null) {
      return false;
    }
    Path state = f.resolve("freezer.state");
    try {
      fs.write(state, frozen ? "FROZEN" : "THAWED");
    } catch (IOException e) {
      return false;
    }
    // why: the state reads FREEZING until every task stopped; pids read before that could still fork
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FREEZE_WAIT_MS);
    while (frozen && !"FROZEN".equals(fs.read(state)) && System.nanoTime() < deadline) {
      Cgroup2Group.sleepBriefly();
    }
    return true;
  }

  @Override
  public Usage usage() {
    double user = -1;
    double sys = -1;
    Path acct = dirs.get("cpuacct");
    if (acct != null) {
      long u = CgroupStats.number(fs.read(acct.resolve("cpuacct.usage_user")));
      long s = CgroupStats.number(fs.read(acct.resolve("cpuacct.usage_sys")));
      if (u >= 0 && s >= 0) {
        user = u / 1e9;
        sys = s / 1e9;
      } else {
        String stat = fs.read(acct.resolve("cpuacct.stat"));
        long ut = CgroupStats.keyed(stat, "user");
        long st = CgroupStats.keyed(stat, "system");
        user = ut < 0 ? -1 : (double) ut / ticksPerSecond;
        sys = st < 0 ? -1 : (double) st / ticksPerSecond;
      }
    }
    long peak = -1;
    Path m = dirs.get("memory");
    if (m != null) {
      peak = CgroupStats.number(fs.read(m.resolve("memory.max_usage_in_bytes")));
    }
    long[] io = {-1, -1};
    Path b = dirs.get("blkio");
    if (b != null) {
      for (String f : List.of("blkio.io_service_bytes_recursive", "blkio.throttle.io_service_bytes_recursive",
          "blkio.throttle.io_service_bytes")) {
        String t = fs.read(b.resolve(f));
        if (t != null) {
          io = CgroupStats.blkio(t);
          break;
        }
      }
    }
    return new Usage(user, sys, peak, io[0], io[1]);
  }

  /**
   * The kernel's own count of OOM kills in the group ({@code oom_kill} of {@code memory.oom_control}); on a
   * kernel without it (before 4.13), whether the limit was ever hit ({@code memory.failcnt}), which the caller
   * only believes for an attempt that died.
   */
  @Override
  public boolean outOfMemory() {
    Path m = dirs.get("memory");
    if (m == null) {
      return false;
    }
    long kills = CgroupStats.keyed(fs.read(m.resolve("memory.oom_control")), "oom_kill");
    if (kills >= 0) {
      return kills > 0;
    }
    return CgroupStats.number(fs.read(m.resolve("memory.failcnt"))) > 0;
  }

  @Override
  public boolean remove() {
    return removeWhenEmpty(fs, new ArrayList<>(new LinkedHashSet<>(dirs.values())), this::empty);
  }

  /**
   * Removes the groups once they hold no process; a moment after the last one died the kernel may still
   * refuse (busy), so it tries a few times. False when something still runs there.
   */
  static boolean removeWhenEmpty(CgroupFs fs, List<Path> groups, java.util.function.BooleanSupplier empty) {
    if (!empty.getAsBoolean()) {
      return false;
    }
    boolean all = true;
    for (Path d : groups) {
      boolean gone = false;
      for (int i = 0; i < REMOVE_TRIES && !gone; i++) {
        gone = fs.rmdir(d);
        if (!gone) {
          Cgroup2Group.sleepBriefly();
        }
      }
      all &= gone;
    }
    return all;
  }
}
