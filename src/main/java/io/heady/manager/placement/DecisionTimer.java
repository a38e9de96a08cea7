package io.heady.manager.placement;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Times each placement decision by a nanosecond source the caller gives (a test moves it by hand) and hands
 * the decision's own duration, in nanoseconds, to a sink (the manager's {@code heady_placement_seconds}
 * histogram). No Micrometer here: the sink is whatever records it.
 */
public final class DecisionTimer {
  /** Times nothing: a scheduler without metrics (tests, tools). */
  public static final DecisionTimer OFF = new DecisionTimer(() -> 0L, nanos -> { });

  private final LongSupplier nanoTime;
  private final LongConsumer sink;

  /**
   * @param nanoTime a monotonic nanosecond source ({@code System::nanoTime} in the manager)
   * @param sink takes each decision's duration in nanoseconds
   */
  public DecisionTimer(LongSupplier nanoTime, LongConsumer sink) {
    this.nanoTime = nanoTime;
    this.sink = sink;
  }

  /** The start of a decision, to give back to {@link #stop}. */
  public long start() {
    return nanoTime.getAsLong();
  }

  /** The decision begun at {@code started} is made: its duration goes to the sink. */
  public void stop(long started) {
    sink.accept(nanoTime.getAsLong() - started);
  }
}
