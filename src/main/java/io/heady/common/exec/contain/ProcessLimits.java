package io.heady.common.exec.contain;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An attempt confined only by process resource limits, for nodes without usable control groups: memory as
 * the address space of each process ({@code RLIMIT_AS}), processes as {@code RLIMIT_NPROC} (only when the task
 * runs as a user of its own: the limit counts every process of that user), and {@code cpus} as CPU time of
 * each process ({@code RLIMIT_CPU}: {@code cpus} × the timeout, only with a timeout). Set with {@code prlimit},
 * else with the shell's {@code ulimit} (address space and CPU time only). There is no group: no whole-group
 * kill, no usage beyond what {@code /proc} samples show, no OOM report.
 */
final class ProcessLimits implements Confined {
  private final List<String> prefix;
  private final Limits applied;

  ProcessLimits(List<String> prefix, Limits applied) {
    this.prefix = List.copyOf(prefix);
    this.applied = applied;
  }

  /**
   * The limits for one attempt.
   *
   * @param prlimit the {@code prlimit} program, or {@code null} to use {@code /bin/sh}'s {@code ulimit}
   */
  static ProcessLimits of(String prlimit, Limits limits, long timeoutMs, boolean sharedUser) {
    long asBytes = limits.memoryMb() > 0 ? limits.memoryMb() << 20 : 0;
    long cpuSec = limits.cpus() > 0 && timeoutMs > 0 ? (long) Math.ceil(limits.cpus() * timeoutMs / 1000.0) : 0;
    long nproc = limits.pids() > 0 && !sharedUser && prlimit != null ? limits.pids() : 0;
    List<String> p = new ArrayList<>();
    if (asBytes > 0 || cpuSec > 0 || nproc > 0) {
      if (prlimit != null) {
        p.add(prlimit);
        if (asBytes > 0) {
          p.add("--as=" + asBytes + ":" + asBytes);
        }
        if (nproc > 0) {
          p.add("--nproc=" + nproc + ":" + nproc);
        }
        if (cpuSec > 0) {
          p.add("--cpu=" + cpuSec + ":" + cpuSec);
        }
        p.add("--");
      } else {
        StringBuilder script = new StringBuilder();
        if (asBytes > 0) {
          script.append("ulimit -v ").append(asBytes / 1024).append(" || exit 125; ");
        }
        if (cpuSec > 0) {
          script.append("ulimit -t ").append(cpuSec).append(" || exit 125; ");
        }
        script.append("exec \"$@\"");
        p.addAll(List.of(Placement.SHELL, "-c", script.toString(), "heady-limits"));
      }
    }
    return new ProcessLimits(p, new Limits(asBytes > 0 ? limits.memoryMb() : 0, cpuSec > 0 ? limits.cpus() : 0,
        nproc, limits.outputMb()));
  }

  @Override
  public List<String> prefix() {
    return prefix;
  }

  @Override
  public Limits applied() {
    return applied;
  }

  @Override
  public boolean whole() {
    return false;
  }

  @Override
  public Set<Long> members() {
    return Set.of();
  }

  @Override
  public boolean killAll() {
    return false;
  }

  @Override
  public boolean freeze(boolean frozen) {
    return false;
  }

  @Override
  public Usage usage() {
    return Usage.UNKNOWN;
  }

  @Override
  public boolean outOfMemory() {
    return false;
  }

  @Override
  public boolean remove() {
    return true;
  }
}
