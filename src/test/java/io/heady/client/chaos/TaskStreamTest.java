package io.heady.client.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.bench.AdminHttp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The stream's tasks: ids that name them, commands that print exactly their marker, sleeps drawn from the seed. */
class TaskStreamTest {
  @Test
  void eachTaskPrintsItsOwnIdAfterItsSleep() {
    assertEquals("echo chaos-x-1", TaskStream.command("chaos-x-1", 0));
    assertEquals("sleep 0.007; echo chaos-x-1", TaskStream.command("chaos-x-1", 7));
    assertEquals("sleep 1.250; echo chaos-x-1", TaskStream.command("chaos-x-1", 1250));
  }

  @Test
  void idsAreValidTaskIdsAndMapBackToTheirIndex() {
    try (TaskStream s = new TaskStream(new AdminHttp("http://127.0.0.1:1", "t"), "run1", 100, 10, 200, 9)) {
      assertEquals("chaos-run1-42", s.id(42));
      assertEquals(s.id(42), s.marker(42));
      assertTrue(s.id(99).matches("[A-Za-z0-9._-]{1,64}"));
      assertEquals(42, s.index("chaos-run1-42"));
      assertEquals(-1, s.index("chaos-run1-100"));
      assertEquals(-1, s.index("chaos-run2-1"));
      assertEquals(-1, s.index("chaos-run1-x"));
      assertEquals(-1, s.index(null));
      assertTrue(s.command(42).endsWith("; echo chaos-run1-42") || s.command(42).equals("echo chaos-run1-42"));
    }
  }

  @Test
  void theSleepsComeFromTheSeed() {
    try (TaskStream a = new TaskStream(new AdminHttp("http://127.0.0.1:1", "t"), "r", 50, 10, 200, 9);
        TaskStream b = new TaskStream(new AdminHttp("http://127.0.0.1:1", "t"), "r", 50, 10, 200, 9);
        TaskStream c = new TaskStream(new AdminHttp("http://127.0.0.1:1", "t"), "r", 50, 10, 200, 10)) {
      boolean differs = false;
      for (int i = 0; i < 50; i++) {
        assertEquals(a.command(i), b.command(i));
        differs |= !a.command(i).equals(c.command(i));
      }
      assertTrue(differs);
    }
  }

  @Test
  void aRefusalIsNamedByItsStatusAndCode() {
    assertEquals("no answer", TaskStream.cause(new AdminHttp.Res(0, null)));
    assertEquals("503 STORE_UNAVAILABLE", TaskStream.cause(new AdminHttp.Res(503,
        new JsonObject().put("error", new JsonObject().put("code", "STORE_UNAVAILABLE")))));
    assertEquals("502", TaskStream.cause(new AdminHttp.Res(502, null)));
  }
}
