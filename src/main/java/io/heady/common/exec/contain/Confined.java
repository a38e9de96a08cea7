package io.heady.common.exec.contain;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One attempt's confinement on this node: its control group (or only its process limits), made before the
 * attempt starts and removed after it. Implementations: {@link Cgroup2Group}, {@link Cgroup1Group} and
 * {@link ProcessLimits}. Blocking (file work); thread-safe enough for one attempt's runner threads.
 */
public interface Confined {
  /**
   * The launch prefix that confines the process before the user's command runs; each prefix ends by
   * executing the words after it. Empty when nothing needs to happen at launch.
   */
  List<String> prefix();

  /**
   * The group directories (cgroup v1) a spawner thread may join so that a child it spawns starts inside them,
   * in place of {@link #prefix()}; empty when the attempt must be placed by its prefix.
   */
  default List<Path> threadPlacement() {
    return List.of();
  }

  /**
   * Whether no process is left in the group, with as few reads as the implementation can (the check at the
   * end of every attempt); a group it cannot list reads as empty, like {@link #members()}.
   */
  default boolean empty() {
    return members().isEmpty();
  }

  /** The limits this node really applies to the attempt (what it cannot enforce is left out). */
  Limits applied();

  /** Whether the attempt has a group the node can list and kill as a whole. */
  boolean whole();

  /** The processes in the group now; empty when there is no group. */
  Set<Long> members();

  /**
   * Kills everything in the group at once when the kernel offers that ({@code cgroup.kill}); false when it
   * does not, so the caller freezes and kills by pid.
   */
  boolean killAll();

  /** Freezes ({@code true}) or thaws the group; false when it cannot be frozen. Waits (bounded) until frozen. */
  boolean freeze(boolean frozen);

  /** What the attempt used so far (-1 for what this node cannot tell). Also takes a memory sample. */
  Usage usage();

  /** Whether the kernel killed a process of the attempt for going over its memory limit. */
  boolean outOfMemory();

  /** Removes the group once it is empty; false when something still runs in it (a daemon it may leave). */
  boolean remove();
}
