package io.heady.common.exec.contain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the strongest confinement this machine allows, in order: a delegated cgroup v2 tree (the node's own
 * group is writable and offers the {@code memory} and {@code pids} controllers), cgroup v1 hierarchies where
 * new groups can be made ({@code memory} and {@code pids} at least), else process resource limits. Detection is
 * trying: it makes the node's groups, so what it reports works.
 *
 * <p>cgroup v2: the node moves the processes of its own group into {@code <group>/agent} (a group with
 * processes cannot hand controllers to children), enables the controllers for children, and makes
 * {@code <group>/heady} for attempts. cgroup v1: {@code <hierarchy>/heady/<node id>} in each hierarchy. A
 * cgroup2 tree that offers no controllers (a hybrid system's {@code /sys/fs/cgroup/unified}) is not used.
 */
public final class ContainmentProbe {
  /** cpuacct.stat counts USER_HZ ticks, which Linux fixes at 100 whatever the kernel's own tick rate. */
  static final long USER_HZ = 100;
  private static final List<String> V1 = List.of("memory", "pids", "cpu", "cpuacct", "freezer", "blkio");
  private static final List<String> V2 = List.of("memory", "pids", "cpu", "io");

  /**
   * What was found.
   *
   * @param confiner the strongest confiner that works here
   * @param tried why each stronger one was not used (empty when cgroup v2 works)
   */
  public record Detection(Confiner confiner, List<String> tried) {}

  private final CgroupFs fs;

  public ContainmentProbe(CgroupFs fs) {
    this.fs = fs;
  }

  /**
   * Detects and sets up.
   *
   * @param nodeId names the node's group in v1 hierarchies
   * @param prlimit the {@code prlimit} program or {@code null}, for the fallback
   */
  public Detection detect(String nodeId, String prlimit) {
    List<String> tried = new ArrayList<>();
    CgroupMounts m = CgroupMounts.parse(fs.read(fs.at("/proc/self/mountinfo")), fs.read(fs.at("/proc/self/cgroup")));
    if (m.v2() != null) {
      try {
        return new Detection(v2(m.v2()), tried);
      } catch (IOException | RuntimeException e) {
        tried.add("cgroup2: cannot use " + m.v2().group() + ": " + e.getMessage());
      }
    } else {
      tried.add("cgroup2: not mounted");
    }
    if (m.v1().containsKey("memory") && m.v1().containsKey("pids")) {
      try {
        return new Detection(v1(m.v1(), nodeId), tried);
      } catch (IOException | RuntimeException e) {
        tried.add("cgroup1: cannot make groups under " + m.v1().get("memory").mount() + " (" + e.getMessage()
            + "): run the node as root, or delegate the hierarchies to its user");
      }
    } else {
      tried.add("cgroup1: no memory and pids hierarchies mounted");
    }
    String why = String.join("; ", tried);
    return new Detection(new RlimitConfiner(prlimit, true, "no control groups here (" + why + "): memory is "
        + "limited per process (address space), processes only for a task user of its own, CPU as CPU time with "
        + "a timeout; a process that leaves the task's process group is not killed with it"), tried);
  }

  private Confiner v2(CgroupMounts.Hierarchy h) throws IOException {
    Path own = fs.at(h.group());
    Set<String> offered = words(fs.read(own.resolve("cgroup.controllers")));
    if (!offered.contains("memory") || !offered.contains("pids")) {
      throw new IOException("its group offers no memory and pids controllers (" + (offered.isEmpty() ? "none"
          : String.join(" ", offered)) + ")" + (h.group().equals(h.mount())
          ? ": a cgroup2 tree without those controllers (a hybrid system keeps them on v1)"
          : "; with systemd give the unit Delegate=yes"));
    }
    if (!fs.writable(own) || !fs.writable(own.resolve("cgroup.subtree_control"))) {
      throw new IOException("it is not delegated to this user (not writable); with systemd give the unit "
          + "Delegate=yes");
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String c : V2) {
      if (offered.contains(c)) {
        wanted.add(c);
      }
    }
    boolean isRoot = h.group().equals(h.mount());
    List<Long> here = fs.pids(own.resolve("cgroup.procs"));
    if (!isRoot && !here.isEmpty()) {
      // why: a group with processes cannot pass controllers on (cgroup v2's rule); the node moves aside
      Path agent = own.resolve("agent");
      fs.mkdir(agent);
      for (long pid : here) {
        fs.write(agent.resolve("cgroup.procs"), Long.toString(pid));
      }
    }
    String enable = enableLine(wanted);
    if (!words(fs.read(own.resolve("cgroup.subtree_control"))).containsAll(wanted)) {
      fs.write(own.resolve("cgroup.subtree_control"), enable);
    }
    Path tasks = own.resolve("heady");
    fs.mkdir(tasks);
    if (!words(fs.read(tasks.resolve("cgroup.subtree_control"))).containsAll(wanted)) {
      fs.write(tasks.resolve("cgroup.subtree_control"), enable);
    }
    String note = wanted.contains("cpu") ? null : "the cpu controller is not delegated here: cpus is not enforced";
    return new Cgroup2Confiner(fs, tasks, wanted, note);
  }

  private Confiner v1(Map<String, CgroupMounts.Hierarchy> v1, String nodeId) throws IOException {
    Map<String, Path> parents = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String c : V1) {
      CgroupMounts.Hierarchy h = v1.get(c);
      if (h == null) {
        missing.add(c);
        continue;
      }
      Path base = fs.at(h.mount());
      Path heady = base.resolve("heady");
      Path node = heady.resolve(Names.safe(nodeId));
      try {
        fs.mkdir(heady);
        fs.mkdir(node);
      } catch (IOException e) {
        if (c.equals("memory") || c.equals("pids")) {
          throw e;
        }
        missing.add(c);
        continue;
      }
      parents.put(c, node);
    }
    List<String> notes = new ArrayList<>();
    if (missing.contains("freezer")) {
      notes.add("no freezer hierarchy: a task's processes are killed by pid without freezing them first");
    }
    if (missing.contains("cpu")) {
      notes.add("no cpu hierarchy: cpus is not enforced");
    }
    if (missing.contains("cpuacct")) {
      notes.add("no cpuacct hierarchy: CPU time is not measured");
    }
    if (missing.contains("blkio")) {
      notes.add("no blkio hierarchy: bytes read and written are not measured");
    }
    return new Cgroup1Confiner(fs, parents, USER_HZ, notes.isEmpty() ? null : String.join("; ", notes));
  }

  private static String enableLine(Set<String> controllers) {
    StringBuilder sb = new StringBuilder();
    for (String c : controllers) {
      sb.append(sb.length() == 0 ? "" : " ").append('+').append(c);
    }
    return sb.toString();
  }

  private static Set<String> words(String s) {
    Set<String> out = new LinkedHashSet<>();
    if (s != null) {
      for (String w : s.trim().split("\\s+")) {
        if (!w.isEmpty()) {
          out.add(w);
        }
      }
    }
    return out;
  }
}
