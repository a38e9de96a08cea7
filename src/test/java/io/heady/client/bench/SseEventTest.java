package io.heady.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SseEventTest {
  @Test
  void readsTheManagersEventFormat() {
    // the exact shape EventRoutes writes: id, event, data (one line of JSON)
    JsonObject e = new JsonObject().put("id", 42).put("type", "task.succeeded").put("at", "2026-01-01T00:00:00Z")
        .put("data", new JsonObject().put("task_id", "bk1-measure-17").put("status", "succeeded"));
    SseEvent ev = SseEvent.parse("id: 42\nevent: task.succeeded\ndata: " + e.encode());
    assertEquals(42, ev.id());
    assertEquals("task.succeeded", ev.type());
    assertEquals("bk1-measure-17", ev.taskId());
    assertTrue(ev.terminal());
  }

  @Test
  void commentsAndPingsAreNotEvents() {
    assertNull(SseEvent.parse(": heady events\nretry: 2000"));
    assertNull(SseEvent.parse(": ping"));
  }

  @Test
  void nodeEventsHaveNoTask() {
    SseEvent ev = SseEvent.parse("id: 3\nevent: node.registered\ndata: {\"id\":3,\"data\":{\"node_id\":\"a\"}}");
    assertEquals("node.registered", ev.type());
    assertNull(ev.taskId());
    assertFalse(ev.terminal());
  }

  @Test
  void crLfAndEveryEndStateAreUnderstood() {
    for (String t : new String[] {"task.failed", "task.timed_out", "task.cancelled", "task.skipped"}) {
      SseEvent ev = SseEvent.parse("id: 1\r\nevent: " + t + "\r\ndata: {\"data\":{\"task_id\":\"x\"}}\r\n");
      assertEquals(t, ev.type());
      assertEquals("x", ev.taskId());
      assertTrue(ev.terminal());
    }
    assertFalse(SseEvent.parse("event: task.running\ndata: {}").terminal());
  }
}
