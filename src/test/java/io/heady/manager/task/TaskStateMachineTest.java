package io.heady.manager.task;

import static io.heady.manager.task.TaskState.CANCELLED;
import static io.heady.manager.task.TaskState.DISPATCHED;
import static io.heady.manager.task.TaskState.FAILED;
import static io.heady.manager.task.TaskState.QUEUED;
import static io.heady.manager.task.TaskState.RUNNING;
import static io.heady.manager.task.TaskState.SKIPPED;
import static io.heady.manager.task.TaskState.SUCCEEDED;
import static io.heady.manager.task.TaskState.TIMED_OUT;
import static io.heady.manager.task.TaskState.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.testing.SpecBuilder;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Walks the task state table. Expected moves, from DESIGN.md §4: waiting → queued (dependencies met),
 * skipped (a dependency failed) or cancelled; queued → dispatched, cancelled, failed (given up); dispatched →
 * running, or straight to an end (a fast task's result beats its "running" report), or back to queued (lost,
 * refused); running → an end or back to queued (lost, retry); the five end states have no exits.
 */
class TaskStateMachineTest {
  private static final Map<TaskState, Set<TaskState>> EXPECTED = new EnumMap<>(TaskState.class);

  static {
    EXPECTED.put(WAITING, EnumSet.of(QUEUED, SKIPPED, CANCELLED));
    EXPECTED.put(QUEUED, EnumSet.of(DISPATCHED, CANCELLED, FAILED));
    EXPECTED.put(DISPATCHED, EnumSet.of(RUNNING, QUEUED, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED));
    EXPECTED.put(RUNNING, EnumSet.of(QUEUED, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED));
    for (TaskState t : EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, SKIPPED)) {
      EXPECTED.put(t, EnumSet.noneOf(TaskState.class));
    }
  }

  @Test
  void theTableIsTheExpectedOne() {
    assertEquals(EXPECTED, TaskStateMachine.transitions());
  }

  @Test
  void everyLegalMoveIsAllowedAndWorksOnARecord() {
    int walked = 0;
    for (var row : TaskStateMachine.transitions().entrySet()) {
      for (TaskState to : row.getValue()) {
        assertTrue(TaskStateMachine.allowed(row.getKey(), to));
        TaskStateMachine.check(row.getKey(), to);
        TaskRecord t = recordIn(row.getKey());
        t.moveTo(to, Instant.EPOCH.plusSeconds(5), "because");
        assertEquals(to, t.state());
        walked++;
      }
    }
    assertEquals(17, walked);
  }

  @Test
  void everyIllegalMoveThrowsAndChangesNothing() {
    int illegal = 0;
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskState.values()) {
        if (EXPECTED.get(from).contains(to)) {
          continue;
        }
        illegal++;
        assertFalse(TaskStateMachine.allowed(from, to), from + " -> " + to);
        assertThrows(IllegalStateException.class, () -> TaskStateMachine.check(from, to), from + " -> " + to);
        TaskRecord t = recordIn(from);
        assertThrows(IllegalStateException.class, () -> t.moveTo(to, Instant.EPOCH, null));
        assertEquals(from, t.state());
      }
    }
    assertEquals(81 - 17, illegal);
  }

  @Test
  void endStatesHaveNoExits() {
    for (TaskState s : TaskState.values()) {
      assertEquals(s.terminal(), TaskStateMachine.transitions().get(s).isEmpty(), s.toString());
    }
    assertEquals(EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, SKIPPED),
        EnumSet.copyOf(EnumSet.allOf(TaskState.class).stream().filter(TaskState::terminal).toList()));
  }

  @Test
  void aTaskStartsOnlyWaitingOrQueuedAndOnlyOnce() {
    for (TaskState s : TaskState.values()) {
      TaskRecord t = fresh();
      if (s == WAITING || s == QUEUED) {
        t.start(s, Instant.EPOCH);
        assertEquals(s, t.state());
        assertThrows(IllegalStateException.class, () -> t.start(s, Instant.EPOCH));
      } else {
        assertThrows(IllegalStateException.class, () -> t.start(s, Instant.EPOCH), s.toString());
      }
    }
  }

  @Test
  void endingRecordsTheFinishTimeAndReason() {
    TaskRecord t = recordIn(RUNNING);
    Instant end = Instant.EPOCH.plusSeconds(60);
    t.moveTo(FAILED, end, "exit code 2");
    assertEquals(end, t.finishedAt());
    assertEquals("exit code 2", t.reason());
    assertNotNull(t.startedAt());
  }

  @Test
  void onlyTheCurrentLeaseIsLive() {
    TaskRecord t = recordIn(QUEUED);
    t.newAttempt("l1", "n1", Instant.EPOCH);
    t.moveTo(DISPATCHED, Instant.EPOCH, null);
    assertEquals("l1", t.currentAttempt().leaseId());
    t.endAttempt("lost", "node gone", null, Instant.EPOCH);
    assertNull(t.currentAttempt());
    t.moveTo(QUEUED, Instant.EPOCH, "lost");
    t.newAttempt("l2", "n2", Instant.EPOCH);
    assertEquals("l2", t.currentAttempt().leaseId());
    assertEquals("lost", t.attemptByLease("l1").outcome());
    assertEquals("n2", t.nodeId());
    assertThrows(IllegalStateException.class, () -> recordIn(QUEUED).endAttempt("x", null, null, Instant.EPOCH));
  }

  private static TaskRecord fresh() {
    return new TaskRecord("t1", SpecBuilder.task("true").spec(), 1, null, Instant.EPOCH);
  }

  /** A record brought to {@code s} through legal moves only. */
  private static TaskRecord recordIn(TaskState s) {
    TaskRecord t = fresh();
    Instant at = Instant.EPOCH;
    switch (s) {
      case WAITING -> t.start(WAITING, at);
      case QUEUED -> t.start(QUEUED, at);
      case SKIPPED -> {
        t.start(WAITING, at);
        t.moveTo(SKIPPED, at, "dependency failed");
      }
      default -> {
        t.start(QUEUED, at);
        if (s == CANCELLED) {
          t.moveTo(CANCELLED, at, null);
          break;
        }
        t.moveTo(DISPATCHED, at, null);
        if (s != DISPATCHED) {
          t.moveTo(RUNNING, at, null);
          if (s != RUNNING) {
            t.moveTo(s, at, null);
          }
        }
      }
    }
    assertEquals(s, t.state());
    return t;
  }
}
