package io.heady.manager.testing;

import io.heady.common.protocol.TaskSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds task specs through the real wire parser: {@code task("echo hi").id("a").priority("P0").spec()}. */
public final class SpecBuilder {
  private final JsonObject j = new JsonObject();

  private SpecBuilder() {}

  /** A shell task running {@code command}. */
  public static SpecBuilder task(String command) {
    SpecBuilder b = new SpecBuilder();
    b.j.put("type", "shell").put("command", command);
    return b;
  }

  public static SpecBuilder ofType(String type) {
    SpecBuilder b = new SpecBuilder();
    b.j.put("type", type).put("command", "run " + type);
    return b;
  }

  public SpecBuilder id(String id) {
    j.put("id", id);
    return this;
  }

  public SpecBuilder type(String t) {
    j.put("type", t);
    return this;
  }

  public SpecBuilder noCommand() {
    j.remove("command");
    return this;
  }

  public SpecBuilder priority(String p) {
    j.put("priority", p);
    return this;
  }

  public SpecBuilder maxAttempts(int n) {
    j.put("max_attempts", n);
    return this;
  }

  public SpecBuilder dependsOn(String... ids) {
    j.put("depends_on", new JsonArray(java.util.List.of((Object[]) ids)));
    return this;
  }

  public SpecBuilder pin(String node) {
    j.put("node", node);
    return this;
  }

  public SpecBuilder requires(JsonObject r) {
    j.put("requires", r);
    return this;
  }

  /** The watchdog's action for this task: warn, reassign or fail. */
  public SpecBuilder onStagnation(String action) {
    j.put("on_stagnation", action);
    return this;
  }

  public SpecBuilder stagnationSec(long s) {
    j.put("stagnation_sec", s);
    return this;
  }

  public SpecBuilder estimate(long ms) {
    j.put("estimated_duration_ms", ms);
    return this;
  }

  /** The task's {@code limits} object as a client sends it. */
  public SpecBuilder limits(JsonObject l) {
    j.put("limits", l);
    return this;
  }

  public SpecBuilder runAs(String user) {
    j.put("run_as", user);
    return this;
  }

  /** The secrets the task names, as the variables of the same names. */
  public SpecBuilder secrets(String... names) {
    JsonArray a = new JsonArray();
    for (String n : names) {
      a.add(n);
    }
    j.put("secrets", a);
    return this;
  }

  public TaskSpec spec() {
    return TaskSpec.fromJson(j.copy());
  }
}
