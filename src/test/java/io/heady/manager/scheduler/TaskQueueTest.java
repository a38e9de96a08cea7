package io.heady.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Priority;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import io.heady.manager.testing.SpecBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ready queue: priority order, oldest first within a priority, and a fair share so that a steady stream
 * of urgent work still leaves low priorities their turn (DESIGN.md §4, "never starved").
 */
class TaskQueueTest {
  private final TaskQueue queue = new TaskQueue();
  private long seq;

  private TaskRecord add(Priority p) {
    TaskRecord t = new TaskRecord("t" + (++seq), SpecBuilder.task("true").priority(p.name()).spec(), seq, null,
        Instant.EPOCH);
    t.start(TaskState.QUEUED, Instant.EPOCH);
    queue.add(t);
    return t;
  }

  /** One dispatch: the first candidate in fair order is taken. */
  private TaskRecord dispatchOne() {
    TaskQueue.Cursor c = queue.cursor();
    TaskRecord t = c.next();
    if (t != null) {
      c.take();
    }
    return t;
  }

  @Test
  void oneClassIsServedOldestFirst() {
    List<TaskRecord> added = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      added.add(add(Priority.P2));
    }
    for (TaskRecord t : added) {
      assertEquals(t, dispatchOne());
    }
    assertNull(dispatchOne());
    assertEquals(0, queue.size());
  }

  @Test
  void aMixedQueueIsServedInPriorityOrderThenAge() {
    // Added lowest priority first, so age alone would give the opposite order.
    List<TaskRecord> p3 = List.of(add(Priority.P3), add(Priority.P3));
    List<TaskRecord> p2 = List.of(add(Priority.P2), add(Priority.P2));
    List<TaskRecord> p1 = List.of(add(Priority.P1), add(Priority.P1));
    List<TaskRecord> p0 = List.of(add(Priority.P0), add(Priority.P0));
    List<TaskRecord> want = new ArrayList<>();
    want.addAll(p0);
    want.addAll(p1);
    want.addAll(p2);
    want.addAll(p3);
    List<TaskRecord> got = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      got.add(dispatchOne());
    }
    assertEquals(ids(want), ids(got));
  }

  @Test
  void aBurstOfUrgentWorkGoesBeforeAnOlderLowPriorityTask() {
    TaskRecord low = add(Priority.P3);
    List<TaskRecord> urgent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      urgent.add(add(Priority.P0));
    }
    for (TaskRecord t : urgent) {
      assertEquals(t.id(), dispatchOne().id());
    }
    assertEquals(low, dispatchOne());
  }

  @Test
  void aSteadyStreamOfP0LeavesP3AtLeastOneDispatchInFifteen() {
    for (int i = 0; i < 1000; i++) {
      add(Priority.P3);
    }
    List<Priority> served = new ArrayList<>();
    // P0 arrives faster than it is served: two per dispatch, so P0 is never short of work.
    for (int i = 0; i < 600; i++) {
      add(Priority.P0);
      add(Priority.P0);
      served.add(dispatchOne().priority());
    }
    assertEveryWindowHasP3(served);
    long p3 = served.stream().filter(p -> p == Priority.P3).count();
    assertTrue(p3 >= 600 / 15 && p3 <= 600 / 5, "P3 got " + p3 + " of 600");
  }

  @Test
  void aClassServedAloneFirstIsNotPushedBackOnceOthersArrive() {
    add(Priority.P3);
    assertEquals(Priority.P3, dispatchOne().priority()); // no competition: served at once
    for (int i = 0; i < 1000; i++) {
      add(Priority.P3);
    }
    List<Priority> served = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      add(Priority.P0);
      served.add(dispatchOne().priority());
    }
    assertEveryWindowHasP3(served);
    assertEquals(Priority.P3, served.get(8), "eight P0, then P3: " + served.subList(0, 10));
  }

  @Test
  void aTrickleOfP0LeavesP3ItsShareToo() {
    for (int i = 0; i < 1000; i++) {
      add(Priority.P3);
    }
    List<Priority> served = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      add(Priority.P0); // one per dispatch: the P0 class keeps emptying and refilling
      served.add(dispatchOne().priority());
    }
    assertEveryWindowHasP3(served);
  }

  @Test
  void allFourClassesUnderLoadShare8To4To2To1() {
    for (int i = 0; i < 400; i++) {
      for (Priority p : Priority.values()) {
        add(p);
      }
    }
    int[] count = new int[4];
    for (int i = 0; i < 15 * 20; i++) {
      count[dispatchOne().priority().ordinal()]++;
    }
    assertEquals(List.of(160, 80, 40, 20), List.of(count[0], count[1], count[2], count[3]));
  }

  @Test
  void aClassDoesNotBankCreditWhileTheQueueIsEmpty() {
    // A long stretch of P0 alone, the queue emptying after each.
    for (int i = 0; i < 200; i++) {
      add(Priority.P0);
      assertEquals(Priority.P0, dispatchOne().priority());
    }
    assertEquals(0, queue.size());
    // Then a backlog of P3 arrives, and then urgent work: urgent work must not wait behind the backlog.
    for (int i = 0; i < 100; i++) {
      add(Priority.P3);
    }
    for (int i = 0; i < 10; i++) {
      add(Priority.P0);
    }
    int p0 = 0;
    for (int i = 0; i < 10; i++) {
      if (dispatchOne().priority() == Priority.P0) {
        p0++;
      }
    }
    assertTrue(p0 >= 8, "only " + p0 + " of the first 10 dispatches were P0");
  }

  @Test
  void aStuckLowClassDoesNotHandCreditToAnotherJoiningClass() {
    // P3 work that can never be placed (say it needs a GPU and the GPU node is away) sits in the queue.
    for (int i = 0; i < 5; i++) {
      add(Priority.P3);
    }
    // Meanwhile P0 is served for a long time; the cursor skips the stuck P3 tasks.
    for (int i = 0; i < 400; i++) {
      add(Priority.P0);
      TaskQueue.Cursor c = queue.cursor();
      for (TaskRecord t = c.next(); t != null; t = c.next()) {
        if (t.priority() == Priority.P0) {
          c.take();
          break;
        }
      }
    }
    // Now P1 and P0 backlogs arrive together: P1 has no claim to hundreds of dispatches in a row.
    for (int i = 0; i < 50; i++) {
      add(Priority.P1);
      add(Priority.P0);
    }
    List<Priority> served = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      TaskQueue.Cursor c = queue.cursor();
      for (TaskRecord t = c.next(); t != null; t = c.next()) {
        if (t.priority() != Priority.P3) {
          c.take();
          served.add(t.priority());
          break;
        }
      }
    }
    long p0 = served.stream().filter(p -> p == Priority.P0).count();
    assertTrue(p0 >= 6, "P0 got " + p0 + " of 12 dispatches against a fresh P1 backlog: " + served);
  }

  @Test
  void removeTakesATaskOut() {
    TaskRecord a = add(Priority.P1);
    TaskRecord b = add(Priority.P1);
    assertTrue(queue.remove(a));
    assertEquals(1, queue.size(Priority.P1));
    assertEquals(b, dispatchOne());
  }

  @Test
  void aCursorThatSkipsATaskChargesNothing() {
    TaskRecord p0 = add(Priority.P0);
    TaskRecord p3 = add(Priority.P3);
    TaskQueue.Cursor c = queue.cursor();
    assertEquals(p0, c.next()); // not placeable now: skipped
    assertEquals(p3, c.next());
    c.take();
    assertNull(c.next());
    assertEquals(p0, dispatchOne());
  }

  private static void assertEveryWindowHasP3(List<Priority> served) {
    for (int i = 0; i + 15 <= served.size(); i++) {
      assertTrue(served.subList(i, i + 15).contains(Priority.P3),
          "no P3 in dispatches " + i + ".." + (i + 14) + ": " + served.subList(i, i + 15));
    }
  }

  private static List<String> ids(List<TaskRecord> ts) {
    return ts.stream().map(TaskRecord::id).toList();
  }

  @Test
  void countsTasksBySignatureAsTheyComeAndGo() {
    TaskQueue q = new TaskQueue(t -> t.priority());
    List<TaskRecord> added = new ArrayList<>();
    for (Priority p : List.of(Priority.P1, Priority.P1, Priority.P3)) {
      TaskRecord t = new TaskRecord("s" + (++seq), SpecBuilder.task("true").priority(p.name()).spec(), seq, null,
          Instant.EPOCH);
      t.start(TaskState.QUEUED, Instant.EPOCH);
      q.add(t);
      added.add(t);
    }
    assertEquals(2, q.signatures(), "P1 and P3");
    assertEquals(Priority.P1, q.signature(added.get(0)));
    TaskQueue.Cursor c = q.cursor();
    assertEquals(added.get(0), c.next());
    c.take();
    assertNull(q.signature(added.get(0)), "a dispatched task no longer counts");
    assertEquals(2, q.signatures(), "one P1 is still queued");
    assertTrue(q.remove(added.get(1)));
    assertEquals(1, q.signatures(), "only P3 is left");
    assertTrue(q.remove(added.get(2)));
    assertEquals(0, q.signatures());
  }
}
