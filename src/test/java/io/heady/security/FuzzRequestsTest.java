package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fuzzer is reproducible and keeps its promises (which the fuzz test relies on to compare the cluster's
 * state before and after): inert commands, no valid token rotation, no ids it did not make.
 */
class FuzzRequestsTest {
  @Test
  void theSameSeedGivesTheSameRequests() {
    FuzzRequests a = new FuzzRequests(42);
    FuzzRequests b = new FuzzRequests(42);
    FuzzRequests c = new FuzzRequests(43);
    boolean differs = false;
    for (int i = 0; i < 2000; i++) {
      FuzzRequests.Request x = a.next();
      FuzzRequests.Request y = b.next();
      assertEquals(x.method() + x.path() + x.token(), y.method() + y.path() + y.token());
      assertArrayEquals(x.body(), y.body());
      FuzzRequests.Request z = c.next();
      differs |= !(x.method() + x.path()).equals(z.method() + z.path());
    }
    assertTrue(differs, "another seed, other requests");
  }

  @Test
  void bodiesNeverCarryARunnableCommandOrARotation() {
    FuzzRequests g = new FuzzRequests(7);
    Set<String> kinds = new HashSet<>();
    int parsed = 0;
    for (int i = 0; i < 8_000; i++) {
      FuzzRequests.Request r = g.next();
      assertFalse(r.path().contains("pre-"), r.describe());
      if (r.body() == null || !FuzzRequests.parses(r.body())) {
        continue;
      }
      Object v = io.vertx.core.json.Json.decodeValue(new String(r.body(), StandardCharsets.UTF_8));
      if (!(v instanceof JsonObject j)) {
        continue;
      }
      parsed++;
      check(j, r);
      if (j.getValue("tasks") instanceof JsonArray a) {
        a.forEach(t -> {
          if (t instanceof JsonObject o) {
            check(o, r);
          }
        });
      }
      if (j.getValue("kind") instanceof String k) {
        kinds.add(k);
      }
      assertFalse(r.describe().contains("\"pre-"), r.describe());
    }
    assertTrue(parsed > 1500, "enough well-formed bodies to reach the handlers: " + parsed);
    assertTrue(kinds.stream().noneMatch(k -> k.trim().equalsIgnoreCase("join") || k.trim().equalsIgnoreCase("admin")));
  }

  private static void check(JsonObject j, FuzzRequests.Request r) {
    if (j.getValue("command") instanceof String cmd) {
      assertTrue(cmd.equals("true") || (cmd.startsWith("#") && !cmd.contains("\n") && !cmd.contains("\r")),
          "a runnable command: " + r.describe());
    }
    if (j.getValue("argv") instanceof JsonArray argv) {
      assertEquals(new JsonArray().add("true"), argv, r.describe());
    }
    for (String f : new String[] {"id", "node_id", "task_id"}) {
      if (j.getValue(f) instanceof String s && !s.isEmpty() && Character.isLetterOrDigit(s.charAt(0))) {
        assertNotEquals("pre-", s.length() >= 4 ? s.substring(0, 4) : s, r.describe());
      }
    }
  }
}
