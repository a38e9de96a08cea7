package io.heady.manager.scheduler;

import static io.heady.manager.testing.NodeBuilder.node;
import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.heady.manager.store.TaskQuery;
import io.heady.manager.task.TaskRecord;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The scheduler's memory of tasks, paged as the list route reads it, with a small bound on finished ones. */
class TaskBookTest {
  private final SchedulerSettings settings = SchedulerSettings.defaults();
  private final Harness h = new Harness(new SchedulerSettings(settings.heartbeat(), settings.ttl(),
      settings.offline(), settings.probeFailures(), settings.maxInfraRequeues(), settings.retryBase(),
      settings.retryMax(), 3, settings.placement()));

  private static List<String> ids(List<TaskRecord> ts) {
    return ts.stream().map(TaskRecord::id).collect(Collectors.toList());
  }

  private List<String> page(TaskQuery q) {
    return ids(h.scheduler.tasks().page(q));
  }

  @Test
  void pagesFilterAndOrderWhatMemoryHoldsAndForgetTheOldestFinished() {
    h.join(node("mac").name("mac-mini").cores(8).ram(16).slots(8));
    for (int i = 1; i <= 6; i++) {
      h.submit(task("echo " + i).id("t" + i).type(i % 2 == 0 ? "build" : "shell").pin("mac").spec());
    }
    h.submit(task("echo 7").id("t7").pin("nowhere").spec()); // waits: no such node
    for (int i = 1; i <= 5; i++) {
      if (i == 3) {
        h.finish("t3", "failed", 2);
      } else {
        h.succeed("t" + i);
      }
    }
    // five finished, three kept: t1 and t2 are the store's now
    assertNull(h.task("t1"));
    assertNull(h.task("t2"));
    assertEquals(List.of("t3", "t4", "t5", "t6", "t7"), page(TaskQuery.all(10)));
    assertEquals(List.of("t7", "t6", "t5", "t4", "t3"), page(TaskQuery.all(10).withNewestFirst(true)));
    assertEquals(List.of("t7", "t6"), page(TaskQuery.all(2).withNewestFirst(true)));

    TaskQuery succeeded = TaskQuery.all(10).withStatuses(Set.of("succeeded"));
    assertEquals(List.of("t4", "t5"), page(succeeded));
    assertEquals(List.of("t3"), page(TaskQuery.all(10).withStatuses(Set.of("failed"))));
    assertEquals(List.of("t4", "t6"), page(TaskQuery.all(10).withType("build")));
    assertEquals(List.of("t3", "t4", "t5", "t6"), page(TaskQuery.all(10).withNode("mac-mini")), "by name");
    assertEquals(List.of("t3", "t4", "t5", "t6"), page(TaskQuery.all(10).withNode("mac")), "by id");

    TaskQuery all = TaskQuery.all(2);
    assertEquals(List.of("t5", "t6"), page(all.withAfter(TaskBook.position(h.task("t4")))));
    assertEquals(List.of("t4", "t3"), page(all.withNewestFirst(true).withAfter(TaskBook.position(h.task("t5")))));
    assertEquals(List.of(), page(all.withNewestFirst(true).withAfter(TaskBook.position(h.task("t3")))));
  }
}
