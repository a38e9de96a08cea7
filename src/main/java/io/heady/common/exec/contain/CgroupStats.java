package io.heady.common.exec.contain;

/**
 * Parsers of the control files heady reads: {@code key value} lines ({@code cpu.stat}, {@code memory.events},
 * {@code memory.oom_control}, {@code cpuacct.stat}), v2 {@code io.stat} and v1 {@code blkio} byte counts. Pure:
 * text in, numbers out; -1 for what the text does not hold.
 */
public final class CgroupStats {
  private CgroupStats() {}

  /** A whole number, or -1 ({@code null}, empty, {@code max}, not a number). */
  public static long number(String s) {
    if (s == null) {
      return -1;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The value of {@code key} in {@code key value} lines, or -1. */
  public static long keyed(String text, String key) {
    if (text == null) {
      return -1;
    }
    for (String line : text.split("\n")) {
      String t = line.trim();
      if (t.startsWith(key + " ")) {
        return number(t.substring(key.length() + 1));
      }
    }
    return -1;
  }

  /** Bytes read and written over all devices of a v2 {@code io.stat}; {@code {-1, -1}} when it is missing. */
  public static long[] ioStat(String text) {
    if (text == null) {
      return new long[] {-1, -1};
    }
    long r = 0;
    long w = 0;
    for (String line : text.split("\n")) {
      for (String f : line.trim().split(" ")) {
        if (f.startsWith("rbytes=")) {
          r += Math.max(0, number(f.substring(7)));
        } else if (f.startsWith("wbytes=")) {
          w += Math.max(0, number(f.substring(7)));
        }
      }
    }
    return new long[] {r, w};
  }

  /**
   * Bytes read and written over all devices of a v1 {@code blkio.*io_service_bytes*} file ({@code MAJ:MIN Read
   * N} lines, a {@code Total} line that is skipped); {@code {-1, -1}} when it is missing.
   */
  public static long[] blkio(String text) {
    if (text == null) {
      return new long[] {-1, -1};
    }
    long r = 0;
    long w = 0;
    for (String line : text.split("\n")) {
      String[] f = line.trim().split(" +");
      if (f.length == 3 && f[0].contains(":")) {
        if (f[1].equals("Read")) {
          r += Math.max(0, number(f[2]));
        } else if (f[1].equals("Write")) {
          w += Math.max(0, number(f[2]));
        }
      }
    }
    return new long[] {r, w};
  }
}
