package io.heady.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node's containment in its registration, and a task's limits and run_as in its spec, over the wire. */
class ContainmentWireTest {
  private static final Hardware HW = new Hardware("cpu", 4, 2, 8, null, 0, 100, "Linux", "x86_64");

  @Test
  void registrationCarriesTheNodesContainment() {
    Enforcement e = new Enforcement("cgroup1", "heady-task", Limits.NONE, "no cpu hierarchy: cpus is not enforced");
    Registration r = new Registration("n1", "n1", "http", null, HW, List.of(), Map.of(), 0, null, List.of(), "1",
        e);
    assertEquals(e, Registration.fromJson(r.toJson()).containment());
    Registration old = new Registration("n1", "n1", "http", null, HW, List.of(), Map.of(), 0, null, List.of(), "1");
    assertNull(Registration.fromJson(old.toJson()).containment(), "an older node reports none");
  }

  @Test
  void aTaskSpecKeepsItsLimitsAndUser() {
    TaskSpec s = TaskSpec.fromJson(new JsonObject().put("command", "true").put("run_as", "builder")
        .put("limits", new JsonObject().put("memory_mb", 64).put("pids", 32)));
    assertEquals(new Limits(64, 0, 32, 0), s.limits());
    assertEquals("builder", s.runAs());
    assertEquals(s, TaskSpec.fromJson(s.toJson()), "the store's round trip");
    assertEquals(Limits.NONE, TaskSpec.fromJson(new JsonObject().put("command", "true")).limits());
    InvalidInputException bad = assertThrows(InvalidInputException.class, () -> TaskSpec.fromJson(
        new JsonObject().put("command", "true").put("run_as", "Root; rm")));
    assertEquals("run_as", bad.field());
    assertEquals("limits.memory_mb", assertThrows(InvalidInputException.class, () -> TaskSpec.fromJson(
        new JsonObject().put("command", "true").put("limits", new JsonObject().put("memory_mb", 1)))).field());
  }
}
