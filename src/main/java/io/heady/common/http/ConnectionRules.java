package io.heady.common.http;

import java.time.Instant;

/**
 * What to do with one open connection now, from what is known of it: the head, body and idle timeouts of
 * {@link HttpLimits}. Plain logic with the time passed in; {@link RequestGate} applies the answer.
 */
final class ConnectionRules {
  /** What to do. */
  enum Action {
    /** Nothing yet. */
    KEEP,
    /** The connection just became idle (its response ended): remember since when. */
    START_IDLE,
    /** No whole request head arrived within the head timeout. */
    CLOSE_NO_HEAD,
    /** A request's body did not arrive within the body timeout (answer 408 when no answer began). */
    CLOSE_SLOW_BODY,
    /** Idle (keep-alive, nothing in progress) for the idle timeout. */
    CLOSE_IDLE
  }

  /**
   * One connection as the gate last saw it.
   *
   * @param openedAt when it was accepted
   * @param headAt when its latest request head arrived ({@code null}: none yet)
   * @param bodyPending that request declared a body that has not fully arrived
   * @param responding that request's answer has not ended (a long stream is not idle)
   * @param idleSince when its latest answer ended, as far as the gate knows ({@code null}: not known yet)
   */
  record Seen(Instant openedAt, Instant headAt, boolean bodyPending, boolean responding, Instant idleSince) {}

  private final HttpLimits limits;

  ConnectionRules(HttpLimits limits) {
    this.limits = limits;
  }

  Action decide(Seen s, Instant now) {
    if (s.headAt() == null) {
      return reached(s.openedAt(), limits.headTimeout().toMillis(), now) ? Action.CLOSE_NO_HEAD : Action.KEEP;
    }
    if (s.bodyPending()) {
      // why: a body that never ends holds the connection and whatever reads it; its deadline counts from the head
      return reached(s.headAt(), limits.bodyTimeout().toMillis(), now) ? Action.CLOSE_SLOW_BODY : Action.KEEP;
    }
    if (s.responding()) {
      return Action.KEEP; // an event stream or a long answer: busy, not idle, however quiet
    }
    if (s.idleSince() == null) {
      return Action.START_IDLE;
    }
    return reached(s.idleSince(), limits.idleTimeout().toMillis(), now) ? Action.CLOSE_IDLE : Action.KEEP;
  }

  private static boolean reached(Instant since, long millis, Instant now) {
    return !now.isBefore(since.plusMillis(millis));
  }
}
