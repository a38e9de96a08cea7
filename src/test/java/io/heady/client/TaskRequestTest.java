package io.heady.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.protocol.Limits;
import io.heady.common.protocol.Priority;
import io.heady.common.protocol.TaskSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskRequestTest {
  @Test
  void onlyWhatWasSetIsSent() {
    assertEquals(new JsonObject().put("command", "echo hi"), TaskRequest.command("echo hi").build().toJson());
  }

  @Test
  void everyFieldHasItsApiName() {
    JsonObject j = TaskRequest.command("ffmpeg -i a.mp4 b.webm").id("job-1").type("transcode")
        .priority(Priority.P1).node("mac").timeout(Duration.ofMinutes(5)).retries(2).env("A", "1").cwd("/tmp")
        .label("site", "home").capability("ffmpeg").cores(4).ramGb(8).dependsOn("fetch").build().toJson();
    assertEquals("job-1", j.getString("id"));
    assertEquals("transcode", j.getString("type"));
    assertEquals("P1", j.getString("priority"));
    assertEquals("mac", j.getString("node"));
    assertEquals(300_000L, j.getLong("timeout_ms"));
    assertEquals(3, j.getInteger("max_attempts"));
    assertEquals(new JsonObject().put("A", "1"), j.getJsonObject("env"));
    assertEquals("/tmp", j.getString("cwd"));
    assertEquals(new JsonArray().add("fetch"), j.getJsonArray("depends_on"));
    JsonObject req = j.getJsonObject("requires");
    assertEquals(new JsonObject().put("site", "home"), req.getJsonObject("labels"));
    assertEquals(new JsonArray().add("ffmpeg"), req.getJsonArray("capabilities"));
    assertEquals(4, req.getInteger("cores"));
  }

  @Test
  void theManagersParserAcceptsWhatTheBuilderMakes() {
    // why: the client must not drift from the wire records the manager parses
    JsonObject j = TaskRequest.command("echo hi").type("build").priority("p0").node("rpi").label("k", "v")
        .timeout(Duration.ofSeconds(90)).maxAttempts(2).build().toJson();
    TaskSpec s = TaskSpec.fromJson(j);
    assertEquals("build", s.type());
    assertEquals(Priority.P0, s.priority());
    assertEquals("rpi", s.node());
    assertEquals(90_000L, s.timeoutMs());
    assertEquals("v", s.requires().labels().get("k"));
    TaskSpec argv = TaskSpec.fromJson(TaskRequest.argv("ls", "-la").build().toJson());
    assertEquals(java.util.List.of("ls", "-la"), argv.argv());
  }

  @Test
  void badInputIsRefusedBeforeSending() {
    assertThrows(IllegalArgumentException.class, () -> TaskRequest.builder().build());
    assertThrows(IllegalArgumentException.class, () -> TaskRequest.command("x").id("has space"));
    assertThrows(IllegalArgumentException.class, () -> TaskRequest.command("x").type("Upper"));
    assertThrows(IllegalArgumentException.class, () -> TaskRequest.command("x").priority("P7"));
    assertThrows(IllegalArgumentException.class, () -> TaskRequest.command("x").timeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> TaskRequest.command("x").retries(-1));
    assertThrows(IllegalArgumentException.class, () -> TaskRequest.command("x").argv(java.util.List.of("y")).build());
  }

  @Test
  void theRequestIsImmutable() {
    TaskRequest r = TaskRequest.command("echo").build();
    r.toJson().put("command", "rm -rf /");
    assertEquals("echo", r.toJson().getString("command"));
    assertFalse(r.toJson().containsKey("priority"));
  }

  @Test
  void limitsAndTheUserAreSentAsTheServerReadsThem() {
    JsonObject j = TaskRequest.command("make").memoryMb(512).cpus(1.5).pids(64).outputMb(10).runAs("builder")
        .build().toJson();
    assertEquals(new JsonObject().put("memory_mb", 512L).put("cpus", 1.5).put("pids", 64L).put("output_mb", 10L),
        j.getJsonObject("limits"));
    assertEquals("builder", j.getString("run_as"));
    TaskSpec spec = TaskSpec.fromJson(j);
    assertEquals(new Limits(512, 1.5, 64, 10), spec.limits());
    assertEquals("builder", spec.runAs());
    assertEquals(new Limits(256, 0, 0, 5), TaskSpec.fromJson(TaskRequest.command("x").limits(new Limits(256, 0, 0, 5))
        .build().toJson()).limits(), "a Limits value sets what it sets");
    assertFalse(TaskRequest.command("x").build().toJson().containsKey("limits"), "none set, none sent");
  }

  @Test
  void badLimitsAreRefusedBeforeAnythingIsSent() {
    record Case(Runnable build, String start) {}
    for (Case c : java.util.List.of(
        new Case(() -> TaskRequest.command("x").memoryMb(1).build(), "limits.memory_mb must be between 4"),
        new Case(() -> TaskRequest.command("x").cpus(0).build(), "limits.cpus must be between 0.01"),
        new Case(() -> TaskRequest.command("x").pids(0).build(), "limits.pids must be between 1"),
        new Case(() -> TaskRequest.command("x").outputMb(-5).build(), "limits.output_mb must be between 1"),
        new Case(() -> TaskRequest.command("x").runAs("Root!"), "run as must be a user name"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c.build::run);
      assertTrue(e.getMessage().startsWith(c.start()), e.getMessage());
    }
  }
}
