package io.heady.manager.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Limits;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The built-in routing policy (the seed's table) and the operator's overlay. */
class PolicyTest {
  private final Policy policy = Policy.builtIn();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "build, PHYSICAL", "test, PHYSICAL", "batch_job, PHYSICAL", "data_process, PHYSICAL",
      "ai_inference, GPU", "docker_build, PHYSICAL", "indexing, PHYSICAL", "deployment, CLOUD_ONLY",
      "site-gen, CLOUD_ONLY", "verify, CLOUD_ONLY", "shell, PHYSICAL", "general, PHYSICAL", "noop, ANY"})
  void theSeedsRoutingTable(String type, Location where) {
    assertTrue(policy.known(type), type);
    assertEquals(where, policy.type(type).location());
  }

  @Test
  void unknownTypesGetTheGeneralEntry() {
    assertFalse(policy.known("frobnicate"));
    assertEquals("general", policy.type("frobnicate").name());
  }

  @Test
  void docker_buildRequiresDockerAndNoopNeedsNoCommand() {
    assertEquals(List.of("docker"), policy.type("docker_build").require());
    assertFalse(policy.type("noop").needsCommand());
    assertTrue(policy.type("shell").needsCommand());
  }

  @Test
  void theOperatorsFileOverlaysAndAddsTypes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("policy.json");
    Files.writeString(f, """
        {"types": {"build": {"min_cores": 8}, "render": {"location": "gpu", "prefer": ["cuda"]}}}
        """);
    Policy p = Policy.load(f);
    assertEquals(8, p.type("build").minCores());
    assertEquals(List.of("gcc", "make", "git"), p.type("build").prefer(), "untouched fields are kept");
    assertEquals(Location.GPU, p.type("render").location());
    assertEquals(Location.CLOUD_ONLY, p.type("deployment").location());
    assertEquals(policy.types().size(), Policy.load(dir.resolve("missing.json")).types().size());
  }

  @Test
  void aBadFileNamesWhatIsWrong(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("policy.json");
    Files.writeString(f, "{\"types\": {\"build\": {\"location\": \"moon\"}}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policy.load(f));
    assertTrue(e.getMessage().contains("build") && e.getMessage().contains("location"), e.getMessage());
    Files.writeString(f, "{nope");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Policy.load(f)).getMessage()
        .contains("not valid JSON"));
  }

  @Test
  void typesCarryDefaultLimitsAndWhetherTheyMayLeaveDaemons(@TempDir Path dir) throws Exception {
    for (TaskType t : policy.types()) {
      assertTrue(t.limits().none(), t.name() + ": the built-in policy limits nothing");
      assertFalse(t.allowDaemon(), t.name());
    }
    Path f = dir.resolve("policy.json");
    Files.writeString(f, """
        {"types": {"build": {"limits": {"memory_mb": 4096, "cpus": 2}},
                   "render": {"location": "gpu", "limits": {"pids": 256, "output_mb": 20}, "allow_daemon": true}}}
        """);
    Policy p = Policy.load(f);
    assertEquals(new Limits(4096, 2, 0, 0), p.type("build").limits());
    assertEquals(new Limits(0, 0, 256, 20), p.type("render").limits());
    assertTrue(p.type("render").allowDaemon());
    assertEquals(2, p.type("build").minCores(), "the other fields are kept");
    JsonObject shown = p.type("render").toJson();
    assertEquals(new JsonObject().put("pids", 256).put("output_mb", 20), shown.getJsonObject("limits"));
    assertTrue(shown.getBoolean("allow_daemon"));

    // a second file over the first sets one limit and keeps the others (the built-in policy is the first)
    Policy over = Policy.fromJson(new JsonObject("{\"types\": {\"build\": {\"limits\": {\"cpus\": 4}}}}"), p);
    assertEquals(new Limits(4096, 4, 0, 0), over.type("build").limits());
  }

  @Test
  void badLimitsInThePolicyNameTheTypeAndTheField(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("policy.json");
    record Case(String type, String expected) {}
    for (Case c : List.of(
        new Case("{\"limits\": {\"memory_mb\": 1}}", "policy type 'build': limits.memory_mb must be between 4"),
        new Case("{\"limits\": {\"cpus\": \"two\"}}", "policy type 'build': limits.cpus must be a number"),
        new Case("{\"limits\": {\"memory\": 64}}", "policy type 'build': limits.memory is not a limit"),
        new Case("{\"limits\": 64}", "policy type 'build': limits must be an object"),
        new Case("{\"allow_daemon\": \"yes\"}", "policy type 'build': allow_daemon must be true or false"))) {
      Files.writeString(f, "{\"types\": {\"build\": " + c.type() + "}}");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policy.load(f), c.type());
      assertTrue(e.getMessage().startsWith(c.expected()), e.getMessage());
    }
  }
}
