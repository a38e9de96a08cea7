package io.heady.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A submitted task's {@code limits} and {@code run_as}: kept as given, and a bad one is named. */
class TaskSpecLimitsTest {
  private static JsonObject task() {
    return new JsonObject().put("command", "make");
  }

  @Test
  void limitsAndUserAreKeptAndWrittenBack() {
    TaskSpec s = TaskSpec.fromJson(task().put("limits", new JsonObject().put("memory_mb", 512).put("cpus", 1.5)
        .put("pids", 64).put("output_mb", 10)).put("run_as", "builder"));
    assertEquals(new Limits(512, 1.5, 64, 10), s.limits());
    assertEquals("builder", s.runAs());
    assertEquals(s, TaskSpec.fromJson(new JsonObject(s.toJson().encode())), "a stored spec reads back the same");

    TaskSpec none = TaskSpec.fromJson(task());
    assertEquals(Limits.NONE, none.limits());
    assertNull(none.runAs());
    assertNull(none.toJson().getValue("limits"));
    assertEquals(Limits.NONE, TaskSpec.fromJson(task().put("limits", new JsonObject())).limits());
  }

  @Test
  void badValuesAreNamed() {
    record Case(String key, Object value, String field) {}
    for (Case c : List.of(
        new Case("limits", new JsonObject().put("memory_mb", 0), "limits.memory_mb"),
        new Case("limits", new JsonObject().put("memory_mb", 1L << 30), "limits.memory_mb"),
        new Case("limits", new JsonObject().put("cpus", 0.001), "limits.cpus"),
        new Case("limits", new JsonObject().put("pids", 1.5), "limits.pids"),
        new Case("limits", new JsonObject().put("output_mb", -1), "limits.output_mb"),
        new Case("limits", new JsonObject().put("swap_mb", 1), "limits.swap_mb"),
        new Case("limits", "512m", "limits"),
        new Case("run_as", "root; rm -rf /", "run_as"),
        new Case("run_as", "Builder", "run_as"),
        new Case("run_as", "", "run_as"),
        new Case("run_as", 1000, "run_as"))) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> TaskSpec.fromJson(task().put(c.key(), c.value())), c.toString());
      assertEquals(c.field(), e.field(), c.toString());
      assertTrue(e.getMessage().startsWith(c.field() + " "), e.getMessage());
    }
  }
}
