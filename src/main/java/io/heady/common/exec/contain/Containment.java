package io.heady.common.exec.contain;

import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How this node contains its tasks: the {@link Confiner} found at start and the {@link TaskUser}. Per
 * attempt, {@link #open} makes its group, chooses its user and returns the {@link AttemptBox} the runner
 * launches it in. The same engine serves the agent and the manager's local executor. Thread-safe.
 */
public final class Containment {
  static final int MAX_NOTE = 500;
  private final Confiner confiner;
  private final TaskUser user;
  private final List<String> switcher; // the user-switch program's fixed words, or empty
  private final Path tmp;

  /**
   * @param setpriv the {@code setpriv} program (preferred: it also clears capabilities and sets no-new-privs),
   *     or {@code null}
   * @param runuser the {@code runuser} program, used without setpriv, or {@code null}
   * @param tmp where attempts that run as another user get their private folder
   */
  public Containment(Confiner confiner, TaskUser user, String setpriv, String runuser, Path tmp) {
    this.confiner = confiner;
    this.user = user;
    this.switcher = setpriv != null ? List.of(setpriv) : runuser != null ? List.of(runuser) : List.of();
    this.tmp = tmp;
  }

  /** No confinement and no user switch: tasks run as the node's user with today's process-group kill. */
  public static Containment none() {
    return new Containment(new RlimitConfiner(null, false, "containment is off"),
        TaskUser.self(System.getProperty("user.name", "?")), null, null, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * This machine's containment for a node: detects the strongest confinement ({@link ContainmentProbe}) and
   * uses the system's {@code setpriv}/{@code runuser}/{@code prlimit}. Blocking (it makes the node's groups).
   *
   * @param nodeId names the node's groups
   * @param user who tasks run as ({@link TaskUser#configure})
   * @throws io.heady.common.config.ConfigException when tasks must switch users and no program can
   */
  public static Detected detect(String nodeId, TaskUser user) {
    ContainmentProbe.Detection d = new ContainmentProbe(CgroupFs.system()).detect(nodeId, Programs.find("prlimit"));
    Containment c = new Containment(d.confiner(), user, Programs.find("setpriv"), Programs.find("runuser"),
        Path.of(System.getProperty("java.io.tmpdir")));
    if (user.choose(null).switches() && !c.canSwitch()) {
      throw new io.heady.common.config.ConfigException("this node runs as root and must run tasks as " + user.name()
          + ", but neither setpriv nor runuser (util-linux) is installed; install util-linux or use --run-as root");
    }
    return new Detected(c, d.tried());
  }

  /**
   * A detected containment and why stronger ones were not used (for the node's log).
   */
  public record Detected(Containment containment, List<String> tried) {}

  /** Whether this node runs as root (by its real user id). */
  public static boolean root() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  /** Whether this engine can switch users (a node that must switch refuses to start without it). */
  public boolean canSwitch() {
    return !switcher.isEmpty();
  }

  /** What the node can do, for its record: method, user and what to know. */
  public Enforcement capability() {
    return new Enforcement(confiner.method(), user.name(), Limits.NONE, note(null));
  }

  public TaskUser user() {
    return user;
  }

  /**
   * Makes an attempt's containment; never throws for an attempt that cannot run, it says why instead.
   * Blocking (file work): call it on a runner thread.
   *
   * @param attempt tells this attempt's group from others of the same task (two may overlap for a moment)
   * @param runAs the user the task asked for, or {@code null}
   */
  public AttemptBox open(String taskId, String attempt, Limits limits, String runAs, long timeoutMs) {
    TaskUser.Choice who = user.choose(runAs);
    if (who.error() != null) {
      return AttemptBox.refused(who.error());
    }
    if (who.switches() && switcher.isEmpty()) {
      return AttemptBox.refused("cannot run the task as " + who.name() + ": neither setpriv nor runuser is installed");
    }
    Confined g;
    try {
      g = confiner.confine(Names.safe(taskId + "-" + attempt), limits == null ? Limits.NONE : limits, timeoutMs,
          !who.switches());
    } catch (IOException | RuntimeException e) {
      return AttemptBox.refused("cannot make the task's control group: " + e.getMessage());
    }
    Path dir = null;
    Map<String, String> env = new LinkedHashMap<>();
    List<String> prefix = new ArrayList<>(g.prefix().isEmpty() || !g.whole() ? List.of() : g.prefix());
    if (who.switches()) {
      UserEntry e = who.entry();
      try {
        dir = Files.createTempDirectory(tmp, "heady-" + Names.safe(taskId) + "-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(dir, "unix:uid", (int) e.uid());
        Files.setAttribute(dir, "unix:gid", (int) e.gid());
      } catch (IOException | RuntimeException x) {
        new AttemptBox(g, List.of(), Map.of(), dir, null, null).close();
        return AttemptBox.refused("cannot make a folder for the task's user " + e.name() + " in " + tmp + ": "
            + x.getMessage());
      }
      prefix.addAll(switchTo(e));
      env.put("HOME", e.home());
      env.put("USER", e.name());
      env.put("LOGNAME", e.name());
    }
    if (!g.whole()) {
      prefix.addAll(g.prefix()); // why: process limits apply to the task's user, after the switch
    }
    Enforcement enf = new Enforcement(confiner.method(), who.name(), g.applied(), note(who));
    return new AttemptBox(g, prefix, env, dir, enf, null);
  }

  private List<String> switchTo(UserEntry e) {
    String prog = switcher.get(0);
    if (prog.endsWith("setpriv")) {
      // why: drop every capability and forbid regaining privileges (setuid programs) as well as the ids
      return List.of(prog, "--reuid=" + e.uid(), "--regid=" + e.gid(), "--init-groups", "--inh-caps=-all",
          "--bounding-set=-all", "--no-new-privs", "--");
    }
    return List.of(prog, "-u", e.name(), "--");
  }

  private String note(TaskUser.Choice who) {
    List<String> parts = new ArrayList<>();
    if (confiner.note() != null) {
      parts.add(confiner.note());
    }
    if (who == null || !who.switches()) {
      if (user.note() != null && (who == null || who.name().equals(user.name()))) {
        parts.add(user.note());
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    String n = String.join("; ", parts);
    // why: the wire format holds at most 512 characters of note
    return n.length() <= MAX_NOTE ? n : n.substring(0, MAX_NOTE - 1) + "…";
  }
}
