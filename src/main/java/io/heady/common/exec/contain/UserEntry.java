package io.heady.common.exec.contain;

/**
 * One account of this machine, as {@code getent passwd} tells it.
 *
 * @param home its home folder (the task's {@code HOME})
 */
public record UserEntry(String name, long uid, long gid, String home) {

  /** Parses one {@code passwd} line ({@code name:x:uid:gid:gecos:home:shell}); {@code null} when it does not parse. */
  public static UserEntry parse(String line) {
    if (line == null) {
      return null;
    }
    String[] f = line.trim().split(":", -1);
    if (f.length < 7 || f[0].isEmpty()) {
      return null;
    }
    try {
      return new UserEntry(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5].isEmpty() ? "/" : f[5]);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
