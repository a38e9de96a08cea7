package io.heady.client.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the operating system and the JDK tools say about a process this bench started: resident memory from
 * {@code /proc/<pid>/status}, Java heap in use after a full GC from {@code jcmd}/{@code jstat}, and a thread
 * dump (the profile the report quotes). Linux only; every method answers -1 or null where it cannot tell.
 */
public final class ProcInfo {
  private ProcInfo() {}

  /** VmRSS of a process in MB (one decimal), or -1 when it is gone or this is not Linux. */
  public static double rssMb(long pid) {
    try {
      return mb(parseRssKb(Files.readString(Path.of("/proc", Long.toString(pid), "status"))));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The VmRSS line of a {@code /proc/<pid>/status} text, in kB (-1 when absent). */
  static long parseRssKb(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]);
      }
    }
    return -1;
  }

  /**
   * CPU time a process has used (user + system) in seconds, from {@code /proc/<pid>/stat}; -1 when it is
   * gone or this is not Linux. Assumes the usual 100 clock ticks a second.
   */
  public static double cpuSeconds(long pid) {
    try {
      return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / 100.0;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line; the name may hold spaces. */
  static long parseCpuTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state): utime is field 14, stime field 15
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** kB as MB with one decimal. */
  static double mb(long kb) {
    return kb < 0 ? -1 : Math.round(kb / 102.4) / 10.0;
  }

  /**
   * Runs a full GC in the process ({@code jcmd <pid> GC.run}) and returns the heap then in use in MB (the
   * sum of the used columns of {@code jstat -gc}), or -1 when the tools are missing or the process is gone.
   */
  public static double heapAfterGcMb(long pid) {
    String java = System.getProperty("java.home");
    Path jcmd = Path.of(java, "bin", "jcmd");
    Path jstat = Path.of(java, "bin", "jstat");
    String gc = run(List.of(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), "GC.run"), 60);
    if (gc == null) {
      return -1;
    }
    String out = run(List.of(Files.isExecutable(jstat) ? jstat.toString() : "jstat", "-gc", Long.toString(pid)), 30);
    return out == null ? -1 : mb(parseJstatUsedKb(out));
  }

  /**
   * The heap in use from {@code jstat -gc} output: S0U + S1U + EU + OU, in kB (-1 when the columns are not
   * there). The columns are found by name, so collectors and JDK versions that add columns still parse.
   */
  static long parseJstatUsedKb(String out) {
    String[] lines = out.strip().split("\n");
    if (lines.length < 2) {
      return -1;
    }
    String[] head = lines[0].trim().split("\\s+");
    String[] vals = lines[lines.length - 1].trim().split("\\s+");
    double sum = 0;
    int found = 0;
    for (int i = 0; i < head.length && i < vals.length; i++) {
      if (List.of("S0U", "S1U", "EU", "OU").contains(head[i])) {
        try {
          sum += Double.parseDouble(vals[i].replace(',', '.'));
          found++;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return found == 0 ? -1 : Math.round(sum);
  }

  /** A thread dump of the process ({@code jcmd <pid> Thread.print}), or null. */
  public static String threadDump(long pid) {
    String java = System.getProperty("java.home");
    Path jcmd = Path.of(java, "bin", "jcmd");
    return run(List.of(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), "Thread.print"),
        30);
  }

  /** The 1-minute load average from {@code /proc/loadavg}, or -1. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Runs a command; its stdout, or null when it failed or ran past the limit. */
  static String run(List<String> cmd, int seconds) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
