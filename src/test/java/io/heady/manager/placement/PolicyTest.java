package io.heady.manager.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
