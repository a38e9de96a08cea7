package io.heady.manager.scheduler;

import static io.heady.manager.testing.SpecBuilder.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.heady.manager.store.TaskQuery;
import io.heady.manager.task.TaskRecord;
import io.heady.manager.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The scheduler's memory of tasks, paged as the list route reads it, with a small bound on finished ones. */
class TaskBookTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final TaskBook book = new TaskBook(3);

  /** A new task in the book: queued, or dispatched to {@code node} (id {@code mac}, name {@code mac-mini}). */
  private TaskRecord add(String id, String type, boolean placed) {
    TaskRecord t = new TaskRecord(id, task("echo " + id).id(id).type(type).spec(), book.nextSeq(), null, T0);
    t.start(TaskState.QUEUED, T0);
    if (placed) {
      t.newAttempt("lease-" + id, "mac", T0);
      t.placedOn("mac-mini", "STANDARD");
      t.moveTo(TaskState.DISPATCHED, T0, "placed");
    }
    book.put(t);
    return t;
  }

  private void finish(TaskRecord t, TaskState end) {
    t.moveTo(end, T0, "done");
    book.finished(t);
  }

  private List<String> page(TaskQuery q) {
    return book.page(q).stream().map(TaskRecord::id).collect(Collectors.toList());
  }

  @Test
  void pagesFilterAndOrderWhatMemoryHoldsAndForgetTheOldestFinished() {
    TaskRecord[] t = new TaskRecord[8];
    for (int i = 1; i <= 6; i++) {
      t[i] = add("t" + i, i % 2 == 0 ? "build" : "shell", true);
    }
    t[7] = add("t7", "shell", false);
    for (int i = 1; i <= 5; i++) {
      finish(t[i], i == 3 ? TaskState.FAILED : TaskState.SUCCEEDED);
    }
    // five finished, three kept: t1 and t2 are the store's now
    assertNull(book.get("t1"));
    assertNull(book.get("t2"));
    assertEquals(List.of("t3", "t4", "t5", "t6", "t7"), page(TaskQuery.all(10)));
    assertEquals(List.of("t7", "t6", "t5", "t4", "t3"), page(TaskQuery.all(10).withNewestFirst(true)));
    assertEquals(List.of("t7", "t6"), page(TaskQuery.all(2).withNewestFirst(true)));

    assertEquals(List.of("t4", "t5"), page(TaskQuery.all(10).withStatuses(Set.of("succeeded"))));
    assertEquals(List.of("t3"), page(TaskQuery.all(10).withStatuses(Set.of("failed"))));
    assertEquals(List.of("t6", "t7"), page(TaskQuery.all(10).withStatuses(Set.of("dispatched", "queued"))));
    assertEquals(List.of("t4", "t6"), page(TaskQuery.all(10).withType("build")));
    assertEquals(List.of("t3", "t4", "t5", "t6"), page(TaskQuery.all(10).withNode("mac-mini")), "by name");
    assertEquals(List.of("t3", "t4", "t5", "t6"), page(TaskQuery.all(10).withNode("mac")), "by id");

    TaskQuery two = TaskQuery.all(2);
    assertEquals(List.of("t5", "t6"), page(two.withAfter(TaskBook.position(t[4]))));
    assertEquals(List.of("t4", "t3"), page(two.withNewestFirst(true).withAfter(TaskBook.position(t[5]))));
    assertEquals(List.of(), page(two.withNewestFirst(true).withAfter(TaskBook.position(t[3]))));
  }

  @Test
  void aTimeWindowFiltersByCreationAndANodeByIdTakesOnlyThatNode() {
    TaskBook big = new TaskBook(100);
    for (int i = 1; i <= 30; i++) {
      Instant at = T0.plusSeconds(60L * i);
      TaskRecord t = new TaskRecord("m" + i, task("echo").id("m" + i).spec(), big.nextSeq(), null, at);
      t.start(TaskState.QUEUED, at);
      if (i % 2 == 0) {
        t.newAttempt("lease-" + i, i % 4 == 0 ? "mac" : "other", at);
        t.placedOn(i % 4 == 0 ? "mac-mini" : "mac", "STANDARD"); // "other" is named like mac's id
        t.moveTo(TaskState.DISPATCHED, at, "placed");
      }
      big.put(t);
    }
    TaskQuery window = TaskQuery.all(100).withWindow(T0.plusSeconds(60L * 10), T0.plusSeconds(60L * 13));
    assertEquals(List.of("m10", "m11", "m12"), ids(big.page(window)));
    assertEquals(List.of("m12", "m11", "m10"), ids(big.page(window.withNewestFirst(true))));
    assertEquals(List.of("m29", "m30"), ids(big.page(TaskQuery.all(100).withWindow(T0.plusSeconds(60L * 29),
        null))));
    assertEquals(List.of("m4", "m8", "m12"), ids(big.page(TaskQuery.all(100).withNodeId("mac")
        .withWindow(null, T0.plusSeconds(60L * 15)))));
    assertEquals(List.of("m2", "m4", "m6"), ids(big.page(TaskQuery.all(100).withNode("mac")
        .withWindow(null, T0.plusSeconds(60L * 7)))), "by id or name as recorded: both nodes");
  }

  private static List<String> ids(List<TaskRecord> ts) {
    return ts.stream().map(TaskRecord::id).collect(Collectors.toList());
  }
}
