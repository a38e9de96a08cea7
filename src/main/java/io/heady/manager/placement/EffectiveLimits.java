package io.heady.manager.placement;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.TaskSpec;

/**
 * How one attempt of a task is contained on its node, as the manager asks it in the dispatch: the task's own
 * {@code limits} over its type's defaults in the policy (a limit the task sets wins, one it leaves out is the
 * type's), the user the task asked for, and whether its type lets it leave processes behind.
 *
 * <p>{@code requires.ram_gb} is not among them: it is what a task needs of a node, so it guides placement;
 * {@code limits.memory_mb} is a ceiling the node enforces. A ceiling above a node's memory does not bind there,
 * so it keeps the task off no node.
 *
 * @param limits what the attempt may use ({@link Limits#NONE}: nothing is limited)
 * @param runAs the user the task asked to run as, or {@code null} for the node's task user
 * @param allowDaemon processes the task starts may outlive it
 */
public record EffectiveLimits(Limits limits, String runAs, boolean allowDaemon) {

  public static EffectiveLimits of(TaskSpec spec, TaskType type) {
    return new EffectiveLimits(spec.limits().over(type.limits()), spec.runAs(), type.allowDaemon());
  }
}
