package io.heady.common.exec.contain;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Usage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One attempt's group in a delegated cgroup v2 tree: {@code memory.max} (with {@code memory.swap.max=0} and
 * {@code memory.oom.group=1} where the kernel has them, so an over-limit task is killed as a whole instead of
 * swapping the node to a crawl), {@code pids.max}, {@code cpu.max}; killed at once through {@code cgroup.kill}
 * (Linux 5.14+) or frozen and killed by pid; usage from {@code cpu.stat}, {@code memory.peak} (or the largest
 * {@code memory.current} sampled) and {@code io.stat}.
 */
final class Cgroup2Group implements Confined {
  static final long CPU_PERIOD_US = 100_000;
  private static final long FREEZE_WAIT_MS = 1000;

  private final CgroupFs fs;
  private final Path dir;
  private final Limits applied;
  private long peakSampled = -1;

  private Cgroup2Group(CgroupFs fs, Path dir, Limits applied) {
    this.fs = fs;
    this.dir = dir;
    this.applied = applied;
  }

  /**
   * Makes {@code parent/name} and writes the limits the enabled {@code controllers} allow; on any failure the
   * group is removed again and the error is thrown.
   */
  static Cgroup2Group create(CgroupFs fs, Path parent, String name, Limits limits, Set<String> controllers)
      throws IOException {
    Path dir = parent.resolve(name);
    fs.mkdir(dir);
    try {
      long mem = 0;
      long pids = 0;
      double cpus = 0;
      if (limits.memoryMb() > 0 && controllers.contains("memory")) {
        fs.write(dir.resolve("memory.max"), Long.toString(limits.memoryMb() << 20));
        if (fs.exists(dir.resolve("memory.swap.max"))) {
          fs.write(dir.resolve("memory.swap.max"), "0");
        }
        mem = limits.memoryMb();
      }
      if (fs.exists(dir.resolve("memory.oom.group"))) {
        // why: one process killed out of a pipeline leaves the rest half-done; end the whole attempt
        fs.write(dir.resolve("memory.oom.group"), "1");
      }
      if (limits.pids() > 0 && controllers.contains("pids")) {
        fs.write(dir.resolve("pids.max"), Long.toString(limits.pids()));
        pids = limits.pids();
      }
      if (limits.cpus() > 0 && controllers.contains("cpu")) {
        long quota = Math.max(1000, Math.round(limits.cpus() * CPU_PERIOD_US));
        fs.write(dir.resolve("cpu.max"), quota + " " + CPU_PERIOD_US);
        cpus = limits.cpus();
      }
      return new Cgroup2Group(fs, dir, new Limits(mem, cpus, pids, limits.outputMb()));
    } catch (IOException | RuntimeException e) {
      fs.rmdir(dir);
      throw e;
    }
  }

  Path dir() {
    return dir;
  }

  @Override
  public List<String> prefix() {
    return Placement.prefix(List.of(dir.resolve("cgroup.procs").toString()));
  }

  @Override
  public Limits applied() {
    return applied;
  }

  @Override
  public boolean whole() {
    return true;
  }

  /** One read of {@code cgroup.events} ({@code populated 0}); the list of pids where the kernel lacks it. */
  @Override
  public boolean empty() {
    long populated = CgroupStats.keyed(fs.read(dir.resolve("cgroup.events")), "populated");
    return populated >= 0 ? populated == 0 : members().isEmpty();
  }

  @Override
  public Set<Long> members() {
    return new LinkedHashSet<>(fs.pids(dir.resolve("cgroup.procs")));
  }

  @Override
  public boolean killAll() {
    Path kill = dir.resolve("cgroup.kill");
    if (!fs.exists(kill)) {
      return false;
    }
    try {
      fs.write(kill, "1");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean freeze(boolean frozen) {
    Path f = dir.resolve("cgroup.freeze");
    if (!fs.exists(f)) {
      return false;
    }
    try {
      fs.write(f, frozen ? "1" : "0");
    } catch (IOException e) {
      return false;
    }
    // why: the write only starts freezing; pids read before every task stopped could still fork
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FREEZE_WAIT_MS);
    while (frozen && CgroupStats.keyed(fs.read(dir.resolve("cgroup.events")), "frozen") == 0
        && System.nanoTime() < deadline) {
      sleepBriefly();
    }
    return true;
  }

  @Override
  public synchronized Usage usage() {
    long current = CgroupStats.number(fs.read(dir.resolve("memory.current")));
    peakSampled = Math.max(peakSampled, current);
    long peak = CgroupStats.number(fs.read(dir.resolve("memory.peak")));
    String cpu = fs.read(dir.resolve("cpu.stat"));
    long user = CgroupStats.keyed(cpu, "user_usec");
    long sys = CgroupStats.keyed(cpu, "system_usec");
    long[] io = CgroupStats.ioStat(fs.read(dir.resolve("io.stat")));
    return new Usage(user < 0 ? -1 : user / 1e6, sys < 0 ? -1 : sys / 1e6, peak >= 0 ? peak : peakSampled,
        io[0], io[1]);
  }

  @Override
  public boolean outOfMemory() {
    String events = fs.read(dir.resolve("memory.events"));
    return CgroupStats.keyed(events, "oom_kill") > 0 || CgroupStats.keyed(events, "oom_group_kill") > 0;
  }

  @Override
  public boolean remove() {
    return Cgroup1Group.removeWhenEmpty(fs, List.of(dir), this::empty);
  }

  static void sleepBriefly() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
