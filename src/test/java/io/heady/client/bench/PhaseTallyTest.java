package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PhaseTally}: what a phase counts and times, fed times by hand. */
class PhaseTallyTest {
  private static final long MS = 1_000_000;

  @Test
  void aTaskIsTimedFromItsSubmissionToItsEnd() {
    PhaseTally t = new PhaseTally(2, 0);
    t.submitted(0, 2, 10 * MS);
    t.allSubmitted(10 * MS);
    t.dispatched(0, 12 * MS);
    t.running(0, 15 * MS);
    t.running(1, 16 * MS);
    assertTrue(t.ended(0, true, 40 * MS));
    assertTrue(t.ended(1, false, 50 * MS));
    LoadDriver.Outcome o = t.outcome("m", "p-", null, 99 * MS);
    assertEquals(1, o.succeeded());
    assertEquals(1, o.failed());
    assertEquals(1, o.latency().size(), "only succeeded tasks are timed");
    assertEquals(30.0, o.latency().toJson().getDouble("p50"));
    assertEquals("task.running", o.startEvent());
    assertEquals(5.0, o.start().toJson().getDouble("p50"));
    assertEquals(10 * MS, o.firstSubmitNs());
    assertEquals(50 * MS, o.lastDoneNs());
    assertEquals(List.of("p-0", "p-1"), o.ids());
  }

  @Test
  void aSecondEndOfATaskIsNotCountedAgain() {
    PhaseTally t = new PhaseTally(1, 0);
    t.submitted(0, 1, MS);
    assertTrue(t.ended(0, true, 2 * MS));
    assertFalse(t.ended(0, false, 3 * MS));
    t.endedReadBack(0, false, 4 * MS);
    assertEquals(1, t.finished());
    assertEquals(1, t.outcome("m", "p-", null, 5 * MS).succeeded());
  }

  @Test
  void withoutRunningEventsStartIsTimedToTheDispatch() {
    PhaseTally t = new PhaseTally(2, 0);
    t.submitted(0, 2, 0);
    t.dispatched(0, 3 * MS);
    t.dispatched(1, 4 * MS);
    t.running(0, 5 * MS); // one in two reported running: under nine in ten
    t.ended(0, true, 6 * MS);
    t.ended(1, true, 7 * MS);
    LoadDriver.Outcome o = t.outcome("m", "p-", null, 8 * MS);
    assertEquals("task.dispatched", o.startEvent());
    assertEquals(2, o.start().size());
  }

  @Test
  void aRefusedSubmissionEndsOnlyTheTasksStillOpen() {
    PhaseTally t = new PhaseTally(3, 0);
    t.submitted(0, 3, MS);
    t.ended(1, true, 2 * MS);
    t.submitFailed(0, 3, 3 * MS);
    LoadDriver.Outcome o = t.outcome("m", "p-", "refused", 4 * MS);
    assertEquals(2, o.submitErrors());
    assertEquals(3, t.finished());
    assertEquals(1, o.succeeded());
    assertEquals("refused", o.firstError());
  }

  @Test
  void aTaskReadBackIsCountedButNotTimed() {
    PhaseTally t = new PhaseTally(3, 0);
    t.submitted(0, 3, MS);
    t.ended(0, true, 2 * MS);
    assertEquals(List.of(1, 2), t.firstOpen(10));
    assertEquals(List.of(1), t.firstOpen(1));
    t.endedReadBack(1, true, 30 * MS);
    t.endedReadBack(2, false, 31 * MS);
    assertEquals(31 * MS, t.lastProgressNs());
    LoadDriver.Outcome o = t.outcome("m", "p-", null, 40 * MS);
    assertEquals(2, o.succeeded());
    assertEquals(1, o.failed());
    assertEquals(2, o.readBack());
    assertEquals(1, o.latency().size());
    assertTrue(t.firstOpen(10).isEmpty());
  }

  @Test
  void aPhaseWithNothingDoneEndsNow() {
    PhaseTally t = new PhaseTally(0, 0);
    LoadDriver.Outcome o = t.outcome("m", "p-", null, 7 * MS);
    assertEquals(0, o.firstSubmitNs());
    assertEquals(7 * MS, o.lastDoneNs());
    assertEquals(0, o.tasks());
  }
}
