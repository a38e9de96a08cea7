package io.heady.common.exec.contain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A cgroup file system in a temporary folder that behaves as the kernel's does where heady relies on it: a new
 * group gets its control files (v1: by the hierarchy it is in; v2: those of the controllers its parent enables),
 * writing a pid into {@code cgroup.procs} moves it there from every other group of that hierarchy,
 * {@code cgroup.subtree_control} takes {@code +ctl}/{@code -ctl}, a group with processes cannot be removed, and
 * folders marked read-only refuse new groups (as a hierarchy does for a user it is not delegated to).
 */
class FakeCgroupTree extends CgroupFs {
  final Path root;
  private final Set<Path> readOnly = new HashSet<>();
  private boolean hybrid;

  FakeCgroupTree(Path root) {
    super(root);
    this.root = root;
  }

  /** Writes a file (and its folders) as test setup. */
  void put(String absolute, String text) throws IOException {
    Path p = at(absolute);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  String get(Path p) throws IOException {
    return Files.readString(p).trim();
  }

  void denyNewGroupsIn(String absolute) {
    readOnly.add(at(absolute));
  }

  /** A hybrid machine like the build machine: v1 controllers under /sys/fs/cgroup/CTL, a bare cgroup2 at unified. */
  static String hybridMountinfo(List<String> controllers) {
    StringBuilder sb = new StringBuilder("30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n");
    int id = 31;
    for (String c : controllers) {
      sb.append(id).append(" 30 0:").append(id).append(" / /sys/fs/cgroup/").append(c)
          .append(" rw,relatime - cgroup cgroup rw,").append(c).append('\n');
      id++;
    }
    sb.append("40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n");
    return sb.toString();
  }

  static String hybridSelf(List<String> controllers) {
    StringBuilder sb = new StringBuilder();
    int id = 1;
    for (String c : controllers) {
      sb.append(id++).append(':').append(c).append(":/\n");
    }
    return sb.append("0::/\n").toString();
  }

  /** Makes the v1 hierarchies' roots with their files, and a controller-less unified tree. */
  void hybrid(List<String> controllers) throws IOException {
    hybrid = true;
    put("/proc/self/mountinfo", hybridMountinfo(controllers));
    put("/proc/self/cgroup", hybridSelf(controllers));
    for (String c : controllers) {
      Path d = at("/sys/fs/cgroup/" + c);
      Files.createDirectories(d);
      populateV1(d, c);
    }
    Path u = at("/sys/fs/cgroup/unified");
    Files.createDirectories(u);
    Files.writeString(u.resolve("cgroup.controllers"), "");
    Files.writeString(u.resolve("cgroup.subtree_control"), "");
    Files.writeString(u.resolve("cgroup.procs"), "1\n");
  }

  /** A pure v2 machine whose node runs in {@code group} with these controllers offered. */
  void unified(String group, String offered, String procs) throws IOException {
    put("/proc/self/mountinfo", "30 22 0:27 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
    put("/proc/self/cgroup", "0::" + group + "\n");
    Path own = at("/sys/fs/cgroup" + group);
    Files.createDirectories(own);
    Files.writeString(own.resolve("cgroup.controllers"), offered);
    Files.writeString(own.resolve("cgroup.subtree_control"), "");
    Files.writeString(own.resolve("cgroup.procs"), procs);
    populateV2(own, Set.of(offered.split(" ")));
  }

  @Override
  public void mkdir(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (readOnly.contains(dir.getParent())) {
      throw new AccessDeniedException(dir.toString());
    }
    Files.createDirectory(dir);
    Path v1 = v1Root(dir);
    if (v1 != null) {
      populateV1(dir, v1.getFileName().toString());
    } else {
      Set<String> enabled = words(dir.getParent().resolve("cgroup.subtree_control"));
      Files.writeString(dir.resolve("cgroup.controllers"), String.join(" ", enabled));
      Files.writeString(dir.resolve("cgroup.subtree_control"), "");
      populateV2(dir, enabled);
    }
    Files.writeString(dir.resolve("cgroup.procs"), "");
  }

  @Override
  public void write(Path file, String value) throws IOException {
    String name = file.getFileName().toString();
    if (name.equals("cgroup.procs") && exists(file)) {
      Path hierarchy = v1Root(file.getParent());
      Path top = hierarchy != null ? hierarchy : at(hybrid ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup");
      long pid = Long.parseLong(value.trim());
      try (Stream<Path> s = Files.walk(top)) {
        for (Path p : s.filter(x -> x.getFileName().toString().equals("cgroup.procs")).toList()) {
          List<Long> keep = new ArrayList<>(pids(p));
          keep.remove(pid);
          writeLines(p, keep);
        }
      }
      List<Long> now = new ArrayList<>(pids(file));
      now.add(pid);
      writeLines(file, now);
      return;
    }
    if (name.equals("cgroup.subtree_control") && exists(file)) {
      Set<String> on = words(file);
      for (String w : value.trim().split("\\s+")) {
        if (w.startsWith("+")) {
          on.add(w.substring(1));
        } else if (w.startsWith("-")) {
          on.remove(w.substring(1));
        }
      }
      Files.writeString(file, String.join(" ", on));
      return;
    }
    super.write(file, value);
  }

  @Override
  public boolean rmdir(Path dir) {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    if (!pids(dir.resolve("cgroup.procs")).isEmpty() || !children(dir).isEmpty()) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) {
        Files.delete(f);
      }
      Files.delete(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  void setPids(Path group, Long... pids) throws IOException {
    writeLines(group.resolve("cgroup.procs"), List.of(pids));
  }

  private static void writeLines(Path p, List<Long> pids) throws IOException {
    StringBuilder sb = new StringBuilder();
    pids.forEach(x -> sb.append(x).append('\n'));
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
  }

  private Path v1Root(Path dir) {
    Path base = at("/sys/fs/cgroup");
    if (!hybrid || !dir.startsWith(base) || dir.equals(base)) {
      return null;
    }
    Path top = base.resolve(base.relativize(dir).getName(0));
    return top.getFileName().toString().equals("unified") ? null : top;
  }

  private static Set<String> words(Path p) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    if (Files.exists(p)) {
      for (String w : Files.readString(p).trim().split("\\s+")) {
        if (!w.isEmpty()) {
          out.add(w);
        }
      }
    }
    return out;
  }

  private static void populateV1(Path d, String ctl) throws IOException {
    List<String> files = switch (ctl) {
      case "memory" -> List.of("memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.max_usage_in_bytes",
          "memory.failcnt", "memory.oom_control", "memory.usage_in_bytes");
      case "pids" -> List.of("pids.max", "pids.current");
      case "cpu" -> List.of("cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.shares");
      case "cpuacct" -> List.of("cpuacct.usage_user", "cpuacct.usage_sys", "cpuacct.stat");
      case "freezer" -> List.of("freezer.state");
      case "blkio" -> List.of("blkio.throttle.io_service_bytes_recursive");
      default -> List.of();
    };
    for (String f : files) {
      Files.writeString(d.resolve(f), "");
    }
    Files.writeString(d.resolve("tasks"), "");
    if (!Files.exists(d.resolve("cgroup.procs"))) {
      Files.writeString(d.resolve("cgroup.procs"), "");
    }
  }

  private static void populateV2(Path d, Set<String> enabled) throws IOException {
    List<String> files = new ArrayList<>(List.of("cgroup.kill", "cgroup.freeze", "cgroup.events", "cpu.stat"));
    if (enabled.contains("memory")) {
      files.addAll(List.of("memory.max", "memory.swap.max", "memory.oom.group", "memory.events", "memory.peak",
          "memory.current"));
    }
    if (enabled.contains("pids")) {
      files.add("pids.max");
    }
    if (enabled.contains("cpu")) {
      files.add("cpu.max");
    }
    if (enabled.contains("io")) {
      files.add("io.stat");
    }
    for (String f : files) {
      if (!Files.exists(d.resolve(f))) {
        Files.writeString(d.resolve(f), "");
      }
    }
  }
}
