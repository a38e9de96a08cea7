package io.heady.manager.watchdog;

import io.heady.common.protocol.StagnationAction;
import io.heady.manager.placement.TaskType;
import io.heady.manager.task.TaskRecord;
import java.time.Duration;
import java.util.List;

/**
 * When a running task counts as stagnant and what the watchdog does then, from the most specific setting
 * down: the task's own ({@code stagnation_sec}, {@code on_stagnation}), its type's in {@code policy.json},
 * then the limit of its priority and the action {@code warn}. Progress is any growth of output, CPU time of
 * its processes, bytes they read or wrote, or an explicit report (see {@link TaskRecord#progress}).
 */
public final class Stagnation {
  private final List<Duration> byPriority;

  /** @param byPriority limits for P0, P1, P2, P3 */
  public Stagnation(List<Duration> byPriority) {
    if (byPriority.size() != 4) {
      throw new IllegalArgumentException("four stagnation limits are needed, P0 to P3");
    }
    this.byPriority = List.copyOf(byPriority);
  }

  /** How long the task may show no progress before the watchdog acts. */
  public Duration limit(TaskRecord t, TaskType type) {
    if (t.spec().stagnationSec() > 0) {
      return Duration.ofSeconds(t.spec().stagnationSec());
    }
    if (type.stagnationSec() > 0) {
      return Duration.ofSeconds(type.stagnationSec());
    }
    return byPriority.get(t.priority().ordinal());
  }

  /** What the watchdog does when the task passed its limit. */
  public StagnationAction action(TaskRecord t, TaskType type) {
    if (t.spec().onStagnation() != null) {
      return t.spec().onStagnation();
    }
    return type.onStagnation() == null ? StagnationAction.WARN : type.onStagnation();
  }
}
