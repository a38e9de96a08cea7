package io.heady.manager.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
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
}
