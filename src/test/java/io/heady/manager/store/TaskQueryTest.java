package io.heady.manager.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cursors and filters of task lists, as memory and both stores read them. */
class TaskQueryTest {
  @Test
  void cursorsRoundTripAndBadOnesAreRefused() {
    assertEquals(new TaskPosition(41, "t-mx1-29"), TaskPosition.parse("41:t-mx1-29"));
    assertEquals("41:t-mx1-29", new TaskPosition(41, "t-mx1-29").cursor());
    assertEquals(new TaskPosition(41, null), TaskPosition.parse("41"), "an older client's plain seq");
    for (String bad : new String[] {"", "-5", "x", "41:", "41:a b", "41:a:b", "1234567890123456789"}) {
      assertThrows(IllegalArgumentException.class, () -> TaskPosition.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> TaskPosition.parse(null));
  }

  @Test
  void aCursorPrecedesWhatComesAfterItInEitherOrder() {
    TaskPosition c = new TaskPosition(5, "m");
    assertTrue(c.precedes(new TaskPosition(5, "n"), false));
    assertTrue(c.precedes(new TaskPosition(6, "a"), false));
    assertFalse(c.precedes(new TaskPosition(5, "m"), false), "not itself");
    assertFalse(c.precedes(new TaskPosition(5, "a"), false));
    assertTrue(c.precedes(new TaskPosition(5, "a"), true));
    assertTrue(c.precedes(new TaskPosition(4, "z"), true));
    assertFalse(c.precedes(new TaskPosition(5, "n"), true));

    TaskPosition plain = new TaskPosition(5, null); // past every task of seq 5, either way
    assertFalse(plain.precedes(new TaskPosition(5, "a"), false));
    assertFalse(plain.precedes(new TaskPosition(5, "z"), true));
    assertTrue(plain.precedes(new TaskPosition(6, "a"), false));
    assertTrue(plain.precedes(new TaskPosition(4, "z"), true));
  }

  @Test
  void filtersMatchStatusNodeByIdOrNameAndType() {
    TaskQuery q = TaskQuery.all(10).withStatuses(Set.of("succeeded", "failed")).withNode("mac-mini")
        .withType("build");
    assertTrue(q.matches("failed", "n-7", "mac-mini", "build"), "by name");
    assertTrue(q.matches("succeeded", "mac-mini", null, "build"), "by id");
    assertFalse(q.matches("running", "mac-mini", null, "build"));
    assertFalse(q.matches("failed", "n-7", "rpi", "build"));
    assertFalse(q.matches("failed", "mac-mini", null, "shell"));
    JsonObject doc = new JsonObject().put("status", "failed").put("node_id", "n-7").put("node_name", "mac-mini")
        .put("type", "build");
    assertTrue(q.matches(doc));
    assertFalse(q.matches(doc.copy().putNull("node_name")));
    assertTrue(TaskQuery.all(1).matches(new JsonObject().put("status", "queued")), "no filter: anything");
  }

  @Test
  void badQueriesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TaskQuery.all(0));
    assertThrows(IllegalArgumentException.class, () -> TaskQuery.all(TaskQuery.MAX_LIMIT + 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaskQuery.all(5).withStatuses(Set.of("done")));
    assertTrue(e.getMessage().contains("done"), e.getMessage());
  }

  @Test
  void aNodeByIdMatchesThatIdOnlyNotAnotherNodeOfThatName() {
    TaskQuery byId = TaskQuery.all(10).withNodeId("rpi4");
    assertTrue(byId.matches("failed", "rpi4", "garage", "build"));
    assertFalse(byId.matches("failed", "n-9", "rpi4", "build"), "a node named rpi4 is another node");
    TaskQuery gone = TaskQuery.all(10).withNode("rpi4"); // a node no longer known: as its tasks recorded it
    assertTrue(gone.matches("failed", "n-9", "rpi4", "build"));
    assertFalse(TaskQuery.all(10).withNodeId(null).nodeById(), "no node, no id");
  }

  @Test
  void aTimeWindowTakesSinceAndLeavesUntilOut() {
    Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
    TaskQuery q = TaskQuery.all(10).withWindow(t0, t0.plusSeconds(3600));
    assertTrue(q.matches("queued", null, null, "shell", t0), "since is in");
    assertTrue(q.matches("queued", null, null, "shell", t0.plusSeconds(3599)));
    assertFalse(q.matches("queued", null, null, "shell", t0.plusSeconds(3600)), "until is out");
    assertFalse(q.matches("queued", null, null, "shell", t0.minusMillis(1)));
    assertFalse(q.matches("queued", null, null, "shell", null), "a task without a time is in no window");
    assertTrue(TaskQuery.all(10).matches("queued", null, null, "shell", null), "no window: any");
    JsonObject doc = new JsonObject().put("status", "queued").put("created_at", t0.plusSeconds(60).toString());
    assertTrue(q.matches(doc));
    assertFalse(q.matches(doc.copy().put("created_at", "yesterday")), "a time that does not read is none");
    assertFalse(q.withWindow(t0.plusSeconds(7200), null).matches(doc));
    assertTrue(q.withWindow(null, t0.plusSeconds(61)).matches(doc));
    assertThrows(IllegalArgumentException.class, () -> q.withWindow(t0, t0), "since must be before until");
  }

  @Test
  void aListByTimeEndsOnlyPastTheSlackInItsDirection() {
    Instant since = Instant.parse("2026-12-07T10:00:00Z");
    Instant until = since.plusSeconds(3600);
    TaskQuery newest = TaskQuery.all(10).withWindow(since, until).withNewestFirst(true);
    assertFalse(newest.pastWindow(since.minus(TaskQuery.CLOCK_SLACK)), "within the slack: go on");
    assertTrue(newest.pastWindow(since.minus(TaskQuery.CLOCK_SLACK).minusMillis(1)));
    assertFalse(newest.pastWindow(until.plusSeconds(86_400)), "newer than until: older ones follow");
    TaskQuery oldest = newest.withNewestFirst(false);
    assertFalse(oldest.pastWindow(since.minusSeconds(86_400)), "older than since: newer ones follow");
    assertFalse(oldest.pastWindow(until.plus(TaskQuery.CLOCK_SLACK).minusMillis(1)));
    assertTrue(oldest.pastWindow(until.plus(TaskQuery.CLOCK_SLACK)));
    assertFalse(TaskQuery.all(10).pastWindow(Instant.EPOCH), "no window, no end");
    assertFalse(newest.pastWindow(null));
  }
}
