package io.heady.manager.task;

import io.heady.common.retry.Backoff;
import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.ErrorCode;
import io.heady.common.protocol.TaskProgress;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * How a task's attempts move, one step at a time: its node reports an attempt started or ended (only the lease
 * of the current attempt counts; the same result again is a duplicate; a revoked lease's result is kept and
 * refused), a failure of the task's own is tried again after a delay that doubles, an attempt its node did not
 * run to an end is taken back at no cost to the task, a cancel revokes the live attempt, and the watchdog's
 * stagnation ladder reassigns, escalates, then fails a task that shows no progress.
 *
 * <p>Each step takes the record and {@code now}, changes the record, and returns what the scheduler applies
 * (the queue, events, writes, the DAG, the node's slots); nothing here reads a clock or does I/O.
 */
public final class TaskLifecycle {
  /**
   * @param retryBase the first retry's delay; it doubles per failure of the task's own, up to {@code retryMax}
   * @param retryMax the longest retry delay
   * @param maxInfraRequeues how often a task may go back to the queue because a node did not run it to an end
   *     before it fails (never the task's own fault, so the bound is much larger than any task's attempts)
   */
  public record Settings(Duration retryBase, Duration retryMax, int maxInfraRequeues) {}

  /** How a node's result was taken. */
  public enum Taken {
    /** The same result again, or the node confirming a cancel it was asked for: counted once. */
    DUPLICATE,
    /** A revoked lease's result: kept on its attempt, not counted, refused ({@link #lateRefusal}). */
    LATE,
    /** The node stopped the live attempt on its own (shutting down, say): not the task's fault. */
    STOPPED,
    /** The live attempt ran to its end: {@link Completed#ran} says how the task goes on. */
    RAN
  }

  /**
   * @param taken how the result was taken
   * @param attempt the attempt it was for
   * @param changed whether the record changed and must be written
   * @param ran for {@link Taken#RAN}, the attempt's accounting; else {@code null}
   */
  public record Completed(Taken taken, Attempt attempt, boolean changed, AttemptAccounting.Outcome ran) {}

  /**
   * One rung of the stagnation ladder: 1 reassigned, 2 escalated one priority and reassigned, 3 failed.
   *
   * @param attempt the stuck attempt, ended {@code stagnant}; its node is to stop it
   */
  public record Rung(int step, String why, Attempt attempt) {
    public boolean fails() {
      return step >= 3;
    }
  }

  private final Settings settings;

  public TaskLifecycle(Settings settings) {
    this.settings = settings;
  }

  /** The node's "running" report; a node reports only its own attempts. Returns whether the task now runs. */
  public boolean started(TaskRecord t, String nodeId, String leaseId, Instant now) {
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || !a.leaseId().equals(leaseId) || !a.nodeId().equals(nodeId)) {
      return false;
    }
    t.markAttemptStarted(now);
    t.progressed(now);
    if (t.state() != TaskState.DISPATCHED) {
      return false;
    }
    t.moveTo(TaskState.RUNNING, now, null);
    return true;
  }

  /** The node took the dispatch of {@code leaseId}; returns whether that is news (the live attempt's lease). */
  public boolean delivered(TaskRecord t, String leaseId, Instant now) {
    return t != null && t.markAttemptDelivered(leaseId, now);
  }

  /**
   * A node's result. Only the current lease completes the task; the same result again is a duplicate; a
   * revoked lease's result is kept as a late result ({@link #lateRefusal} is the answer). A lease of another
   * task or of another node is refused here (409).
   */
  public Completed complete(TaskRecord t, Completion c, Instant now) {
    Attempt a = t.attemptByLease(c.leaseId());
    if (a == null) {
      throw new ApiException(ErrorCode.STALE_LEASE, "lease " + c.leaseId() + " is not a lease of task "
          + c.taskId(), new JsonObject().put("task_id", c.taskId()).put("lease_id", c.leaseId()));
    }
    if (!a.nodeId().equals(c.nodeId())) {
      throw new ApiException(ErrorCode.STALE_LEASE, "lease " + c.leaseId() + " belongs to node " + a.nodeId()
          + ", not " + c.nodeId(), new JsonObject().put("task_id", c.taskId()).put("lease_id", c.leaseId()));
    }
    if (!a.live()) {
      boolean cancelEcho = "revoked".equals(a.outcome()) && "cancelled".equals(c.status())
          && t.state() == TaskState.CANCELLED;
      if (a.outcome().equals(c.status()) || cancelEcho) {
        // why: what the cancelled attempt used is known only now, from the node confirming the cancel
        boolean used = cancelEcho && !a.usage().known() && c.usage().known();
        if (used) {
          AttemptAccounting.used(a, c);
        }
        return new Completed(Taken.DUPLICATE, a, used, null);
      }
      t.recordLateResult(a, c.toJson().put("received_at", now.toString()), now);
      return new Completed(Taken.LATE, a, true, null);
    }
    if (c.status().equals("cancelled")) {
      AttemptAccounting.used(t.endAttempt("cancelled", c.error() == null ? "stopped by the node" : c.error(),
          c.exitCode(), now), c);
      return new Completed(Taken.STOPPED, a, true, null);
    }
    return new Completed(Taken.RAN, a, true, AttemptAccounting.completed(t, c, now));
  }

  /** The answer to a late result: 409, saying the result is recorded but not counted. */
  public static ApiException lateRefusal(Completion c, Attempt a) {
    return new ApiException(ErrorCode.STALE_LEASE, "lease " + c.leaseId() + " was revoked (" + a.outcome()
        + "); the result is recorded but not counted",
        new JsonObject().put("task_id", c.taskId()).put("lease_id", c.leaseId()).put("outcome", a.outcome()));
  }

  /**
   * A failure of the task's own with attempts left: back to the queue after a delay that doubles per failure.
   * Returns the delay in milliseconds (the task's {@code not_before} says when).
   */
  public long retry(TaskRecord t, String why, Instant now) {
    long base = Math.max(1, settings.retryBase().toMillis());
    long delay = Backoff.doubling(base, Math.max(base, settings.retryMax().toMillis())).nth(t.taskFailures());
    t.moveTo(TaskState.QUEUED, now, "retry after " + why);
    t.notBefore(now.plusMillis(delay));
    return delay;
  }

  /**
   * An attempt its node did not run to an end (lost with the node, never delivered, taken back): the task goes
   * back to the queue at once, using none of its own attempts. Returns {@code null} when it did, or why it
   * fails instead: only a much larger bound on such requeues stops a task that no node ever runs.
   */
  public String takeBack(TaskRecord t, String why, String nodeName, Instant now) {
    t.countInfraRequeue();
    if (t.infraRequeues() > settings.maxInfraRequeues()) {
      return "requeued " + t.infraRequeues() + " times because nodes did not run it to an end (last: " + why
          + " on " + nodeName + "); the task itself never failed";
    }
    t.moveTo(TaskState.QUEUED, now, why + " on " + nodeName);
    return null;
  }

  /**
   * The attempt was never sent because its secrets could not be read (the store did not answer): it waits out
   * the retry delay, using none of the task's attempts. Returns {@code null}, or why it fails instead (the bound
   * on requeues that no node caused either).
   */
  public String awaitSecrets(TaskRecord t, String why, Instant now) {
    t.endAttempt("undelivered", why, null, now);
    t.countInfraRequeue();
    if (t.infraRequeues() > settings.maxInfraRequeues()) {
      return why + " (tried " + t.infraRequeues() + " times)";
    }
    t.moveTo(TaskState.QUEUED, now, why);
    t.notBefore(now.plus(settings.retryBase()));
    return null;
  }

  /** Back to the queue for a reason that counts against nothing (its node is gone, the watchdog moved it). */
  public void requeue(TaskRecord t, String why, Instant now) {
    t.moveTo(TaskState.QUEUED, now, why);
  }

  /** The live attempt is lost with its node (or the node no longer runs it). */
  public void lost(TaskRecord t, String why, Instant now) {
    t.endAttempt("lost", why, null, now);
  }

  /** The live attempt is taken from its node (the node was deleted); returned so the node is told to stop it. */
  public Attempt revoke(TaskRecord t, String why, Instant now) {
    return t.endAttempt("revoked", why, null, now);
  }

  /** A dispatch of lease {@code leaseId} never started its task: the attempt ends; {@code null} if not current. */
  public Attempt undelivered(TaskRecord t, String leaseId, String why, Instant now) {
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || !a.leaseId().equals(leaseId)) {
      return null;
    }
    return t.endAttempt("undelivered", why, null, now);
  }

  /** A cancel: refused (409) for a finished task; revokes the live attempt, returned so its node stops it. */
  public Attempt cancel(TaskRecord t, Instant now) {
    if (t.state().terminal()) {
      throw new ApiException(ErrorCode.CONFLICT, "task " + t.id() + " is already " + t.state().wire(),
          new JsonObject().put("task_id", t.id()).put("status", t.state().wire()));
    }
    return t.state().onNode() ? t.endAttempt("revoked", "cancelled", null, now) : null;
  }

  /**
   * What the node measured of a running attempt on it. Returns how long the task had been quiet when this ended
   * a stagnation warning (it moves again), or -1.
   */
  public long progress(TaskRecord t, String nodeId, TaskProgress p, Instant now) {
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || !a.nodeId().equals(nodeId) || !t.progress(p, now) || t.stagnantSince() == null) {
      return -1;
    }
    long quietS = Duration.between(t.stagnantSince(), now).toSeconds();
    t.stagnantSince(null);
    t.note(now, "watchdog", "moving again after a stagnation warning", null);
    return quietS;
  }

  /**
   * The watchdog's action {@code warn}: a mark on the task, once per quiet spell (progress clears it); the task
   * runs on. Returns why, or {@code null} when it is not on a node or was warned about already.
   */
  public String warnStagnant(TaskRecord t, Duration silentFor, Instant now) {
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null || t.stagnantSince() != null) {
      return null;
    }
    t.stagnantSince(now);
    String why = silence(silentFor);
    t.note(now, "watchdog", "stagnant: " + why + "; left running", null);
    return why;
  }

  /**
   * The watchdog's action {@code reassign}: the ladder is reassign it to another node, then reassign it one
   * priority higher, then fail it with reason {@code stagnation} (never faked as success); with {@code failNow}
   * (action {@code fail}) it fails at once. The stuck attempt ends here; none of this charges the task's retry
   * budget. Returns {@code null} when the task is not on a node.
   */
  public Rung stagnant(TaskRecord t, Duration silentFor, boolean failNow, Instant now) {
    Attempt a = t == null ? null : t.currentAttempt();
    if (a == null) {
      return null;
    }
    int step = failNow ? 3 : t.countStagnation();
    String why = silence(silentFor);
    t.endAttempt("stagnant", why, null, now);
    if (step >= 3) {
      t.note(now, "watchdog", "failed: " + why + (failNow ? "" : " (third time)"), null);
    } else if (step == 2) {
      t.escalate();
      t.note(now, "watchdog", "escalated to " + t.priority() + " and reassigned: " + why, null);
    } else {
      t.note(now, "watchdog", "reassigned: " + why, null);
    }
    return new Rung(step, why, a);
  }

  private static String silence(Duration silentFor) {
    return "no progress (output, CPU, I/O or report) for " + silentFor.toSeconds() + " s";
  }
}
