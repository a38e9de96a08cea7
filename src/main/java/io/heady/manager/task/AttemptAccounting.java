package io.heady.manager.task;

import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Enforcement;
import io.heady.common.protocol.Limits;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What a node's report of an attempt's end means for the task: the attempt's outcome, what it used and how it
 * was contained (kept on the attempt), the result, and, for a failure, the reason the task gives and whether
 * another attempt may follow.
 *
 * <p>A failure of the task's own (an exit code, a timeout) is tried again while the task has attempts left. A
 * failure at one of its limits ({@code out_of_memory}, {@code output_limit}) is not: the next attempt would run
 * under the same limits, with the same input, and end the same way, so retrying only spends a node's time; the
 * task fails at once with a reason that names the limit (raise it, or fix the task).
 */
public final class AttemptAccounting {
  /** Limit reasons a node may report; an attempt that ends on one is not tried again. */
  public static final java.util.Set<String> LIMIT_REASONS = java.util.Set.of(Completion.OUT_OF_MEMORY,
      Completion.OUTPUT_LIMIT);

  /**
   * How the task goes on after the attempt.
   *
   * @param succeeded the attempt succeeded
   * @param failure why it failed, as the task's reason says it ({@code null} when it succeeded)
   * @param retry the task has attempts left and another one may end otherwise
   * @param event what the event that ends the attempt carries of it ({@code usage} when measured), for metrics
   */
  public record Outcome(boolean succeeded, String failure, boolean retry, JsonObject event) {}

  private AttemptAccounting() {}

  /**
   * Ends the task's live attempt with the node's report (not {@code cancelled}: a node that stops a task on
   * its own is not the task's failure), counts a failure against the task and says how it goes on.
   */
  public static Outcome completed(TaskRecord t, Completion c, Instant now) {
    boolean ok = c.status().equals("succeeded");
    String failure = ok ? null : failure(c, c.enforcement(), t.limits());
    Attempt a = t.endAttempt(c.status(), ok ? c.error() : failure, c.exitCode(), now);
    t.setResult(c.exitCode(), c.durationMs(), c.stdout(), c.stderr(), c.outputTruncated());
    t.printed(c.printedBytes());
    used(a, c);
    if (ok) {
      return new Outcome(true, null, false, event(a));
    }
    t.countTaskFailure();
    int max = t.spec().maxAttempts() > 0 ? t.spec().maxAttempts() : 1;
    boolean left = t.taskFailures() < max;
    boolean limit = c.reason() != null && LIMIT_REASONS.contains(c.reason());
    if (left && limit) {
      t.note(now, "not retried", c.reason() + ": the next attempt would run under the same limits", null);
    }
    return new Outcome(false, failure, left && !limit, event(a));
  }

  /** Keeps what the node measured of an attempt and how it contained it. */
  public static void used(Attempt a, Completion c) {
    a.usage = c.usage();
    if (c.enforcement() != null) {
      a.enforcement = c.enforcement();
    }
  }

  /**
   * The reason a failed attempt gives: a limit the node stopped it at ({@code out_of_memory: …},
   * {@code output_limit: …}, naming the limit), else the node's error, a timeout or the exit code; another
   * reason code a node reports leads the text.
   */
  static String failure(Completion c, Enforcement applied, Limits asked) {
    Limits l = applied != null && applied.limits() != null && !applied.limits().none() ? applied.limits() : asked;
    String plain = c.error() != null ? c.error()
        : c.status().equals("timed_out") ? "timed out" : "exit code " + c.exitCode();
    if (Completion.OUT_OF_MEMORY.equals(c.reason())) {
      return c.reason() + ": went over its memory limit" + (l.memoryMb() > 0 ? " of " + l.memoryMb() + " MiB" : "")
          + " and was stopped by its node";
    }
    if (Completion.OUTPUT_LIMIT.equals(c.reason())) {
      return c.reason() + ": wrote more output than its limit" + (l.outputMb() > 0 ? " of " + l.outputMb() + " MiB"
          : "") + " and was stopped by its node";
    }
    return c.reason() == null ? plain : c.reason() + ": " + plain;
  }

  private static JsonObject event(Attempt a) {
    JsonObject e = new JsonObject();
    if (a.usage.known()) {
      e.put("usage", a.usage.toJson());
    }
    return e;
  }
}
