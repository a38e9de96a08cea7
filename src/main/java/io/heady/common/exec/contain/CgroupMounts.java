package io.heady.common.exec.contain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where this process's control groups are, from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}:
 * the cgroup v2 mount (if any) and the v1 hierarchies by controller, each with the group this process is in.
 * Pure parsing: {@link #parse} takes the two files' text.
 *
 * @param v2 the cgroup2 mount and this process's group in it, or {@code null}
 * @param v1 the v1 hierarchy of each controller ({@code memory}, {@code cpu}, {@code cpuacct}, …); a
 *     hierarchy mounted with several controllers ({@code cpu,cpuacct}) is listed under each of them
 */
public record CgroupMounts(Hierarchy v2, Map<String, Hierarchy> v1) {

  /**
   * One mounted hierarchy.
   *
   * @param mount where it is mounted ({@code /sys/fs/cgroup/memory})
   * @param controllers its controllers (v1), empty for v2
   * @param group this process's group, as an absolute path on the node ({@code /sys/fs/cgroup/memory/x/y})
   */
  public record Hierarchy(String mount, List<String> controllers, String group) {}

  public static final CgroupMounts NONE = new CgroupMounts(null, Map.of());

  /** Reads both files' text; lines that do not parse are skipped. */
  public static CgroupMounts parse(String mountinfo, String selfCgroup) {
    Map<String, String> v1Paths = new LinkedHashMap<>(); // controller -> own path
    String v2Path = null;
    for (String line : lines(selfCgroup)) {
      int a = line.indexOf(':');
      int b = a < 0 ? -1 : line.indexOf(':', a + 1);
      if (b < 0) {
        continue;
      }
      String ctl = line.substring(a + 1, b);
      String path = line.substring(b + 1);
      if (line.substring(0, a).equals("0") && ctl.isEmpty()) {
        v2Path = path;
      } else {
        for (String c : ctl.split(",")) {
          if (!c.isEmpty()) {
            v1Paths.put(c, path);
          }
        }
      }
    }
    Hierarchy v2 = null;
    Map<String, Hierarchy> v1 = new LinkedHashMap<>();
    for (String line : lines(mountinfo)) {
      String[] f = line.split(" ");
      int dash = -1;
      for (int i = 6; i < f.length; i++) {
        if (f[i].equals("-")) {
          dash = i;
          break;
        }
      }
      if (f.length < 5 || dash < 0 || dash + 3 > f.length) {
        continue;
      }
      String mountRoot = unescape(f[3]);
      String mount = unescape(f[4]);
      String fs = f[dash + 1];
      String superOpts = dash + 3 < f.length ? f[dash + 3] : "";
      if (fs.equals("cgroup2") && v2 == null && v2Path != null) {
        v2 = new Hierarchy(mount, List.of(), join(mount, relative(v2Path, mountRoot)));
      } else if (fs.equals("cgroup")) {
        List<String> ctls = new ArrayList<>();
        for (String o : superOpts.split(",")) {
          if (v1Paths.containsKey(o) && !o.startsWith("name=")) {
            ctls.add(o);
          }
        }
        for (String c : ctls) {
          if (!v1.containsKey(c)) {
            v1.put(c, new Hierarchy(mount, List.copyOf(ctls), join(mount, relative(v1Paths.get(c), mountRoot))));
          }
        }
      }
    }
    return new CgroupMounts(v2, Map.copyOf(v1));
  }

  private static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    if (s != null) {
      for (String l : s.split("\n")) {
        if (!l.isBlank()) {
          out.add(l.trim());
        }
      }
    }
    return out;
  }

  /** The group path below the mount's root (a container may mount a sub-tree). */
  private static String relative(String path, String mountRoot) {
    if (mountRoot.equals("/") || mountRoot.isEmpty()) {
      return path;
    }
    if (path.equals(mountRoot)) {
      return "/";
    }
    return path.startsWith(mountRoot + "/") ? path.substring(mountRoot.length()) : path;
  }

  static String join(String mount, String path) {
    if (path == null || path.equals("/") || path.isEmpty()) {
      return mount;
    }
    return (mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount)
        + (path.startsWith("/") ? path : "/" + path);
  }

  /** mountinfo escapes space, tab, newline and backslash as {@code \ooo}. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
