package io.heady.common.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Measures the CPU time and the bytes read and written of whole process groups (one group per task: each
 * task runs under {@code setsid}, so its pid is its group's id) from {@code /proc}.
 *
 * <p>One {@link #sample} walks {@code /proc} once for all the groups asked about: it reads every
 * {@code PID/stat} (to learn each process's group), then {@code PID/io} only of the members of those groups.
 * A group's CPU time is the sum over its members of {@code utime + stime + cutime + cstime}: what each member
 * used and what its already-reaped children used. Its I/O is the sum of {@code rchar + wchar} of its members
 * (the kernel adds a reaped child's counts to its parent's, as it does for CPU time).
 *
 * <p>The sums are near totals, not exact ones: when a member is reaped by a process outside the group its
 * share leaves the sum, so callers that need a monotone figure keep the largest value seen. Where there is
 * no {@code /proc} (macOS) or nothing of a group can be read, the value is {@code -1}; nothing throws.
 *
 * <p>Blocking (file reads): call it off any event loop. Thread-safe: an instance holds no state.
 */
final class ProcessSampler {
  /**
   * CPU and I/O of one process group; each {@code -1} when the node cannot tell.
   *
   * @param cpuMs user and system time together
   * @param userMs the user-mode part of it
   */
  record Usage(long cpuMs, long ioBytes, long userMs) {
    static final Usage UNKNOWN = new Usage(-1, -1, -1);
  }

  private static final long DEFAULT_TICKS = 100;

  private final Path proc;
  private final long ticksPerSecond;

  /**
   * @param proc the proc file system's root ({@code /proc}; tests pass a directory they wrote)
   * @param ticksPerSecond the kernel's clock ticks per second ({@code getconf CLK_TCK}), which
   *     {@code stat}'s time fields count in
   */
  ProcessSampler(Path proc, long ticksPerSecond) {
    if (ticksPerSecond <= 0) {
      throw new IllegalArgumentException("ticksPerSecond must be > 0, got " + ticksPerSecond);
    }
    this.proc = proc;
    this.ticksPerSecond = ticksPerSecond;
  }

  private static final class Holder {
    static final ProcessSampler SYSTEM = new ProcessSampler(Path.of("/proc"), clockTicks());
  }

  /** The sampler of this machine's {@code /proc}; {@code getconf CLK_TCK} is asked once per JVM. */
  static ProcessSampler system() {
    return Holder.SYSTEM;
  }

  /**
   * The usage of each group in {@code pgids} (keys are the group ids asked for); {@link Usage#UNKNOWN} for a
   * group where there is no {@code /proc}, and for a group none of whose members could be read.
   */
  Map<Long, Usage> sample(Collection<Long> pgids) {
    Map<Long, Usage> out = new HashMap<>();
    if (pgids.isEmpty()) {
      return out;
    }
    Set<Long> wanted = new HashSet<>(pgids);
    Map<Long, long[]> totals = new HashMap<>(); // pgid -> {cpu ticks, io bytes, members, io readable, user ticks}
    if (Files.isDirectory(proc)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
        for (Path dir : ds) {
          long pid = pidOf(dir.getFileName().toString());
          if (pid <= 0) {
            continue;
          }
          Stat s = stat(dir);
          if (s == null || !wanted.contains(s.pgrp())) {
            continue;
          }
          long[] t = totals.computeIfAbsent(s.pgrp(), k -> new long[5]);
          // why: a zombie's own times are final and not yet in its parent's cutime, so it still counts
          t[0] += s.ticks();
          t[4] += s.userTicks();
          t[2]++;
          long io = io(dir);
          if (io >= 0) {
            t[1] += io;
            t[3]++;
          }
        }
      } catch (IOException | RuntimeException e) {
        // why: a failed walk is "cannot tell" for this heartbeat, never a failed heartbeat
        totals.clear();
      }
    }
    for (long g : wanted) {
      long[] t = totals.get(g);
      out.put(g, t == null ? Usage.UNKNOWN
          : new Usage(t[0] * 1000 / ticksPerSecond, t[3] > 0 ? t[1] : -1, t[4] * 1000 / ticksPerSecond));
    }
    return out;
  }

  private static long pidOf(String name) {
    if (name.isEmpty() || name.length() > 18) {
      return -1;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return -1;
      }
    }
    return Long.parseLong(name);
  }

  /**
   * The fields of {@code PID/stat} this needs; {@code ticks} is utime + stime + cutime + cstime, {@code userTicks}
   * utime + cutime.
   */
  record Stat(long pgrp, long ticks, long userTicks) {}

  /** Reads and parses {@code dir/stat}; {@code null} when it is gone or does not parse. */
  static Stat stat(Path dir) {
    try {
      String s = new String(Files.readAllBytes(dir.resolve("stat")), StandardCharsets.ISO_8859_1);
      // why: the command name in parentheses may itself hold spaces and ')', so parse after the last ')'
      int close = s.lastIndexOf(')');
      if (close < 0 || close + 2 >= s.length()) {
        return null;
      }
      // after ")": state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) flags(9) minflt(10) cminflt(11)
      // majflt(12) cmajflt(13) utime(14) stime(15) cutime(16) cstime(17); stat(5)'s numbering
      String[] f = s.substring(close + 2).trim().split(" +");
      if (f.length < 15) {
        return null;
      }
      long ticks = 0;
      for (int i = 11; i <= 14; i++) {
        ticks += Math.max(0, Long.parseLong(f[i]));
      }
      long user = Math.max(0, Long.parseLong(f[11])) + Math.max(0, Long.parseLong(f[13]));
      return new Stat(Long.parseLong(f[2]), ticks, user);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@code rchar + wchar} of {@code dir/io}; -1 when it cannot be read (gone, not permitted, no such file). */
  static long io(Path dir) {
    try {
      String s = new String(Files.readAllBytes(dir.resolve("io")), StandardCharsets.ISO_8859_1);
      long rchar = -1;
      long wchar = -1;
      for (String line : s.split("\n")) {
        if (line.startsWith("rchar:")) {
          rchar = Long.parseLong(line.substring(6).trim());
        } else if (line.startsWith("wchar:")) {
          wchar = Long.parseLong(line.substring(6).trim());
        }
      }
      return rchar < 0 || wchar < 0 ? -1 : rchar + wchar;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {@code getconf CLK_TCK}, or 100 (the value on every common Linux) when it cannot be asked. */
  static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK")
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      byte[] out = p.getInputStream().readNBytes(64);
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return DEFAULT_TICKS;
      }
      long t = Long.parseLong(new String(out, StandardCharsets.US_ASCII).trim());
      return t > 0 ? t : DEFAULT_TICKS;
    } catch (IOException | RuntimeException e) {
      return DEFAULT_TICKS;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DEFAULT_TICKS;
    }
  }
}
