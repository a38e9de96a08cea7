package io.heady.manager.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Limits;
import io.heady.manager.testing.SpecBuilder;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's limits over its type's: each limit the task sets wins on its own, the others are the type's. */
class EffectiveLimitsTest {

  @Test
  void theTasksLimitsOverItsTypes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("policy.json");
    Files.writeString(f, """
        {"types": {"build": {"limits": {"memory_mb": 2048, "pids": 512}, "allow_daemon": false},
                   "backup": {"limits": {"output_mb": 50}, "allow_daemon": true}}}
        """);
    Policy p = Policy.load(f);
    record Case(String type, JsonObject asked, Limits effective, boolean daemon) {}
    for (Case c : List.of(
        new Case("build", null, new Limits(2048, 0, 512, 0), false),
        new Case("build", new JsonObject().put("memory_mb", 64), new Limits(64, 0, 512, 0), false),
        new Case("build", new JsonObject().put("cpus", 1.5).put("pids", 8), new Limits(2048, 1.5, 8, 0), false),
        new Case("backup", new JsonObject().put("memory_mb", 256), new Limits(256, 0, 0, 50), true),
        new Case("shell", null, Limits.NONE, false),
        new Case("shell", new JsonObject().put("output_mb", 1), new Limits(0, 0, 0, 1), false),
        new Case("my-own-type", null, Limits.NONE, false))) {
      SpecBuilder b = SpecBuilder.ofType(c.type());
      if (c.asked() != null) {
        b.limits(c.asked());
      }
      EffectiveLimits e = EffectiveLimits.of(b.spec(), p.type(c.type()));
      assertEquals(c.effective(), e.limits(), c.toString());
      assertEquals(c.daemon(), e.allowDaemon(), c.toString());
      assertNull(e.runAs(), c.toString());
    }
  }

  @Test
  void theUserTheTaskAskedForGoesAlong() {
    EffectiveLimits e = EffectiveLimits.of(SpecBuilder.task("id -u").runAs("builder").spec(),
        Policy.builtIn().type("shell"));
    assertEquals("builder", e.runAs());
    assertTrue(e.limits().none(), "the built-in policy limits nothing: limits are the operator's to set");
    assertFalse(e.allowDaemon(), "a task leaves no process behind unless its type allows it");
  }
}
