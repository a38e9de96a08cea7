package io.heady.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.TaskSpec;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What counts as the same task when a client id comes again: the parsed spec, defaults and order aside. */
class SpecMatchTest {
  private static TaskSpec spec(String json) {
    return TaskSpec.fromJson(new JsonObject(json));
  }

  @Test
  void defaultsWrittenOrLeftOutAreTheSame() {
    TaskSpec bare = spec("{\"id\":\"j\",\"command\":\"make\"}");
    TaskSpec spelled = spec("{\"id\":\"j\",\"type\":\"shell\",\"command\":\"make\",\"priority\":\"P2\","
        + "\"timeout_ms\":0,"
        + "\"max_attempts\":0,\"env\":{},\"argv\":[],\"depends_on\":[],\"payload\":{},\"metadata\":{}}");
    assertEquals(List.of(), SpecMatch.differences(bare, spelled));
    assertEquals(List.of(), SpecMatch.differences(bare, bare));
  }

  @Test
  void keyOrderDependencyOrderAndNumberSpellingDoNotMatter() {
    TaskSpec a = spec("{\"id\":\"j\",\"command\":\"x\",\"env\":{\"A\":\"1\",\"B\":\"2\"},\"depends_on\":[\"p\",\"q\"],"
        + "\"payload\":{\"n\":2,\"m\":{\"k\":[1,2]}}}");
    TaskSpec b = spec("{\"payload\":{\"m\":{\"k\":[1.0,2]},\"n\":2.0},\"depends_on\":[\"q\",\"p\"],"
        + "\"env\":{\"B\":\"2\",\"A\":\"1\"},\"command\":\"x\",\"id\":\"j\"}");
    assertEquals(List.of(), SpecMatch.differences(a, b));
  }

  @Test
  void aStoredSpecReadBackIsTheSameAsTheOneSubmitted() {
    TaskSpec sent = spec("{\"id\":\"j\",\"command\":\"x\",\"requires\":{\"cores\":2,\"labels\":{\"site\":\"home\"}},"
        + "\"limits\":{\"memory_mb\":256},\"env\":{\"A\":\"1\"},\"stagnation_sec\":30,\"on_stagnation\":\"fail\","
        + "\"metadata\":{\"by\":\"ci\"},\"estimated_duration_ms\":5}");
    TaskSpec restored = TaskSpec.fromJson(new JsonObject(sent.toJson().encode())); // as the store gives it back
    assertEquals(List.of(), SpecMatch.differences(restored, sent));
    TaskSpec withSecrets = spec("{\"id\":\"k\",\"argv\":[\"deploy\",\"--prod\"],\"secrets\":[\"API_TOKEN\"],"
        + "\"run_as\":\"builder\",\"node\":\"mac-mini\",\"depends_on\":[\"a\",\"b\"]}");
    assertEquals(List.of(), SpecMatch.differences(TaskSpec.fromJson(new JsonObject(withSecrets.toJson().encode())),
        withSecrets));
  }

  @Test
  void eachDifferenceIsNamed() {
    TaskSpec a = spec("{\"id\":\"j\",\"command\":\"echo a\",\"priority\":\"P1\",\"env\":{\"A\":\"1\"}}");
    TaskSpec b = spec("{\"id\":\"j\",\"command\":\"echo b\",\"priority\":\"P1\",\"env\":{\"A\":\"2\"}}");
    assertEquals(List.of("command", "env"), SpecMatch.differences(a, b));
    assertEquals("command: 'echo a' here, 'echo b' submitted", SpecMatch.describe("command", a, b));
    assertEquals("env", SpecMatch.describe("env", a, b), "values of env are not repeated in an error");
    assertEquals(List.of("priority"), SpecMatch.differences(spec("{\"id\":\"j\",\"command\":\"x\"}"),
        spec("{\"id\":\"j\",\"command\":\"x\",\"priority\":\"P0\"}")));
    assertEquals(List.of("metadata"), SpecMatch.differences(spec("{\"id\":\"j\",\"command\":\"x\"}"),
        spec("{\"id\":\"j\",\"command\":\"x\",\"metadata\":{\"try\":2}}")));
    String longCommand = "y".repeat(500);
    assertTrue(SpecMatch.describe("command", a, spec("{\"id\":\"j\",\"command\":\"" + longCommand + "\"}"))
        .length() < 250, "a long value is cut short");
  }
}
