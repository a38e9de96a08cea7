package io.heady.agent.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.heady.agent.AgentState;
import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Refusal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.Test;

/**
 * The disk check applied: a full disk makes the node's slots refuse new tasks (507) and its standing say
 * {@code disk_full}, once per change; room again undoes both; a disk that cannot be asked changes nothing.
 */
class HousekeepingTest {
  private static final long MB = 1L << 20;

  private final long[] free = {10_000 * MB};
  private final DiskGuard.Space space = new DiskGuard.Space() {
    @Override
    public long usableBytes() throws IOException {
      if (free[0] < 0) {
        throw new IOException("statvfs failed");
      }
      return free[0];
    }

    @Override
    public long totalBytes() {
      return 100_000 * MB;
    }
  };
  private final AgentState state = new AgentState("n1", "n1", "http", null, Map.of(), 2);
  // why: only noop dispatches are admitted here, which run no process; the runner's pools stay idle
  private final TaskSlots slots = new TaskSlots("n1", 2, new ProcessRunner(Executors.newCachedThreadPool(),
      new ScheduledThreadPoolExecutor(1)), new TaskSlots.Settings(1024, 0, Duration.ofSeconds(1), null),
      new TaskSlots.Reporter() {
        @Override
        public void started(Dispatch d) {}

        @Override
        public void finished(Completion c) {}
      }, Clock.systemUTC());
  private final List<Refusal> told = new ArrayList<>();
  private final Housekeeping h = new Housekeeping(new DiskGuard(new DiskGuard.Settings(1024, 0), space,
      Path.of("/data")), slots, state, () -> told.add(state.refusing()));

  private int admit(String id) {
    return TaskSlots.status(slots.accept(new Dispatch(id, "lease-" + id, 1, "general", "P2", null, null, Map.of(),
        null, 0, true, null)));
  }

  @Test
  void aFullDiskRefusesNewTasksAndSaysSoOncePerChange() {
    h.checkDisk();
    assertNull(state.refusing());
    assertEquals(202, admit("a"));
    assertEquals(List.of(), told, "nothing changed: no extra heartbeat");

    free[0] = 100 * MB;
    h.checkDisk();
    assertEquals(Refusal.DISK_FULL, state.refusing().reason());
    assertEquals(507, admit("b"), "a dispatch is answered 507: not the node's fault");
    h.checkDisk();
    assertEquals(1, told.size(), "told once, not at every check");
    assertEquals(Refusal.DISK_FULL, told.get(0).reason());

    free[0] = 2000 * MB;
    h.checkDisk();
    assertNull(state.refusing());
    assertEquals(202, admit("c"));
    assertEquals(2, told.size());
    assertNull(told.get(1), "the heartbeat that follows says it takes work again");
  }

  @Test
  void aDiskThatCannotBeAskedLeavesTheStandingAsItWas() {
    free[0] = 100 * MB;
    h.checkDisk();
    free[0] = -1;
    h.checkDisk();
    assertEquals(Refusal.DISK_FULL, state.refusing().reason());
    assertEquals(507, admit("a"));
    assertEquals(1, told.size());
  }

  @Test
  void aClosingNodeSaysSoBeforeItsDisk() {
    free[0] = 100 * MB;
    h.checkDisk();
    slots.close();
    assertEquals(503, admit("a"), "shutting down wins: the manager then treats the node as leaving");
  }
}
