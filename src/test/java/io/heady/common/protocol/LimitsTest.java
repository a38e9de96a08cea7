package io.heady.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits, usage and enforcement on the wire: what is read is what was written, and bad values are named. */
class LimitsTest {

  @Test
  void limitsReadBackAndTaskValuesWinOverDefaults() {
    Limits l = Limits.fromJson(new JsonObject().put("limits", new JsonObject().put("memory_mb", 64).put("pids", 32)),
        "limits");
    assertEquals(new Limits(64, 0, 32, 0), l);
    assertEquals(l, Limits.fromJson(new JsonObject().put("limits", l.toJson()), "limits"));
    assertEquals(new Limits(64, 1.5, 32, 10), l.over(new Limits(512, 1.5, 100, 10)));
    assertTrue(Limits.fromJson(new JsonObject(), "limits").none());
    assertFalse(l.none());
  }

  @Test
  void badLimitsAreNamedByTheirFullField() {
    record Case(Object value, String field) {}
    for (Case c : List.of(new Case(new JsonObject().put("memory_mb", 1), "limits.memory_mb"),
        new Case(new JsonObject().put("memory_mb", "64"), "limits.memory_mb"),
        new Case(new JsonObject().put("cpus", -1), "limits.cpus"),
        new Case(new JsonObject().put("pids", 0), "limits.pids"),
        new Case(new JsonObject().put("memory", 64), "limits.memory"),
        new Case("64m", "limits"))) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> Limits.fromJson(new JsonObject().put("limits", c.value()), "limits"), c.toString());
      assertEquals(c.field(), e.field(), e.getMessage());
      assertTrue(e.getMessage().startsWith(c.field()), e.getMessage());
    }
  }

  @Test
  void aDispatchCarriesLimitsUserAndSealedSecretsButNeverPrintsThem() {
    Dispatch d = new Dispatch("t1", "l1", 1, "build", "P2", "make", List.of(), Map.of(), null, 0, false, null,
        new Limits(256, 2, 0, 0), "builder", true, Map.of("API_KEY", "c2VhbGVk"));
    Dispatch back = Dispatch.fromJson(d.toJson());
    assertEquals(d, back);
    assertFalse(d.toString().contains("c2VhbGVk"), d.toString());
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Dispatch.fromJson(d.toJson().put("run_as", "root;id")));
    assertEquals("run_as", e.field());
  }

  @Test
  void aCompletionCarriesUsageReasonAndEnforcement() {
    Completion c = new Completion("t1", "n1", "l1", "failed", -1, 2000, "", "", false, null,
        Completion.OUT_OF_MEMORY, new Usage(1.25, 0.5, 64L << 20, 4096, 0),
        new Enforcement(Enforcement.CGROUP1, "heady-task", new Limits(64, 0, 0, 0), null));
    assertEquals(c, Completion.fromJson(c.toJson()));
    Completion old = Completion.fromJson(new Completion("t1", "n1", "l1", "succeeded", 0, 1, "", "", false, null)
        .toJson());
    assertEquals(Usage.UNKNOWN, old.usage());
    assertEquals(null, old.enforcement());
  }
}
