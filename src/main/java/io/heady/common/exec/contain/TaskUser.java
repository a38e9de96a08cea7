package io.heady.common.exec.contain;

import io.heady.common.config.ConfigException;
import io.heady.common.protocol.Dispatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Who tasks run as. A node running as root runs tasks as an unprivileged user: {@code heady-task} (the
 * installer makes it), another with {@code --run-as USER}, or root only when told {@code --run-as root}. A
 * task may ask for a user ({@code run_as}) only from the operator's {@code --task-users} list. A node that is not
 * root cannot switch users: its tasks run as its own user. Decided once at start ({@link #configure}, which
 * refuses a missing user rather than falling back to root); {@link #choose} answers per attempt.
 */
public final class TaskUser {
  /** The task user when none is configured. */
  public static final String DEFAULT = "heady-task";

  /**
   * The user one attempt runs as.
   *
   * @param name the user's name
   * @param entry the account to switch to, or {@code null} when the task runs as the node's own user
   * @param error why the attempt may not run (a user not allowed), or {@code null}
   */
  public record Choice(String name, UserEntry entry, String error) {
    public boolean switches() {
      return entry != null;
    }
  }

  private final String self;
  private final UserEntry user; // null: tasks run as the node's own user
  private final Map<String, UserEntry> allowed;
  private final String note;

  private TaskUser(String self, UserEntry user, Map<String, UserEntry> allowed, String note) {
    this.self = self;
    this.user = user;
    this.allowed = allowed;
    this.note = note;
  }

  /** Tasks run as the node's own user, nobody may ask for another (tests, and the non-root default). */
  public static TaskUser self(String self) {
    return new TaskUser(self, null, Map.of(), null);
  }

  /**
   * Decides at start.
   *
   * @param root whether the node runs as root
   * @param self the node's own user name
   * @param runAs {@code --run-as} ({@code ""}: the default)
   * @param taskUsers {@code --task-users}, the users a task may ask for
   * @param lookup finds accounts by name
   * @throws ConfigException naming the flag, when a user does not exist or cannot be used
   */
  public static TaskUser configure(boolean root, String self, String runAs, List<String> taskUsers,
      Function<String, UserEntry> lookup) {
    String want = runAs == null || runAs.isBlank() ? null : runAs.trim();
    List<String> names = new ArrayList<>();
    for (String item : taskUsers) {
      for (String n : item.split(",")) {
        if (!n.isBlank()) {
          names.add(n.trim());
        }
      }
    }
    for (String n : names) {
      if (!Dispatch.USER_NAME.matcher(n).matches()) {
        throw new ConfigException("--task-users: '" + n + "' is not a user name (lower-case letters, digits, _ and -)");
      }
    }
    if (!root) {
      if (want != null && !want.equals(self)) {
        throw new ConfigException("--run-as " + want + ": this node runs as " + self + ", not root, so its tasks run"
            + " as " + self + "; drop --run-as or start the node as root");
      }
      List<String> others = names.stream().filter(n -> !n.equals(self)).toList();
      if (!others.isEmpty()) {
        throw new ConfigException("--task-users " + String.join(",", others) + ": this node runs as " + self
            + ", not root, and cannot run tasks as another user; drop --task-users or start the node as root");
      }
      return new TaskUser(self, null, Map.of(), "this node runs as " + self + ", not root: tasks run as " + self
          + " and can read what " + self + " can, this node's data dir included");
    }
    String name = want == null ? DEFAULT : want;
    UserEntry u = lookup.apply(name);
    if (u == null) {
      throw new ConfigException((want == null ? "the task user " + DEFAULT : "--run-as " + name) + ": no user '"
          + name + "' on this machine. This node runs as root and never runs tasks as root unless told to: create"
          + " the user (useradd --system --no-create-home --shell /usr/sbin/nologin " + name + "), choose another"
          + " with --run-as USER, or run tasks as root with --run-as root (not recommended)");
    }
    Map<String, UserEntry> ok = new LinkedHashMap<>();
    for (String n : names) {
      UserEntry e = lookup.apply(n);
      if (e == null) {
        throw new ConfigException("--task-users: no user '" + n + "' on this machine");
      }
      ok.put(n, e);
    }
    boolean asRoot = u.uid() == 0;
    String note = asRoot ? "tasks run as root (--run-as " + name + "): they can read and change everything on this"
        + " node, its keys and tokens included" : null;
    // why: in the operator's order, so an error lists them as they were given
    return new TaskUser(self, asRoot ? null : u, java.util.Collections.unmodifiableMap(ok), note);
  }

  /** The name of the user tasks run as when they ask for none. */
  public String name() {
    return user != null ? user.name() : self;
  }

  /** What an operator should know (tasks run as root, or as the node's own user), or {@code null}. */
  public String note() {
    return note;
  }

  /** The user for an attempt that asked for {@code requested} ({@code null}: none). */
  public Choice choose(String requested) {
    if (requested == null || requested.equals(name())) {
      return new Choice(name(), user, null);
    }
    UserEntry e = allowed.get(requested);
    if (e == null) {
      return new Choice(requested, null, "run_as " + requested + " is not allowed on this node: its operator"
          + " lists the users tasks may ask for with --task-users (here: " + (allowed.isEmpty() ? "none"
          : String.join(",", allowed.keySet())) + ")");
    }
    return new Choice(e.name(), e.uid() == 0 || e.name().equals(self) ? null : e, null);
  }
}
