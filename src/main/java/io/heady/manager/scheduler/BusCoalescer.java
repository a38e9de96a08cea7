package io.heady.manager.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides when batches of events go out on the cluster's event bus, so the managers pay at most one signature a
 * window however the batches trickle: the first batch after a quiet window goes at once; batches that come within
 * the window of the last message are held and go together, in order, as one message when the window ends. Nothing
 * is dropped: {@link #drain} hands over what is held (at stop). Plain and single-threaded: the outbox calls it on
 * the scheduler's loop with the time; a timer only asks {@link #due} again.
 *
 * @param <T> what a batch holds
 */
final class BusCoalescer<T> {
  private final Duration window;
  private final List<T> held = new ArrayList<>();
  private Instant lastSent;

  /** {@code window} zero: every batch goes at once. */
  BusCoalescer(Duration window) {
    if (window.isNegative()) {
      throw new IllegalArgumentException("window must not be negative: " + window);
    }
    this.window = window;
  }

  /**
   * A batch to publish at {@code now}: returns what goes out now (the batch, or nothing when it is held for the
   * window; then {@link #dueAt} says when).
   */
  List<T> offer(List<T> batch, Instant now) {
    if (batch.isEmpty()) {
      return List.of();
    }
    if (held.isEmpty() && quiet(now)) {
      lastSent = now;
      return batch;
    }
    // why: once something is held, later batches wait behind it even if the window ended, so order holds
    held.addAll(batch);
    return List.of();
  }

  /** When the held events are due (the window after the last message ends); null when nothing is held. */
  Instant dueAt() {
    return held.isEmpty() ? null : lastSent.plus(window);
  }

  /** What is due at {@code now}, oldest first, as one message; nothing when nothing is held or not yet due. */
  List<T> due(Instant now) {
    if (held.isEmpty() || now.isBefore(dueAt())) {
      return List.of();
    }
    lastSent = now;
    return drain();
  }

  /** Everything held, oldest first, whatever the time (the manager stops, or lost its lead). */
  List<T> drain() {
    List<T> out = new ArrayList<>(held);
    held.clear();
    return out;
  }

  private boolean quiet(Instant now) {
    return lastSent == null || !now.isBefore(lastSent.plus(window));
  }
}
