package io.heady.manager.placement;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routing policy: task types and their needs, from the built-in {@code policy.json} overlaid by the
 * operator's {@code <conf-dir>/policy.json} (which may add types or change fields of existing ones).
 * Unknown types get the {@code general} entry.
 */
public final class Policy {
  public static final String GENERAL = "general";
  private final Map<String, TaskType> types;

  private Policy(Map<String, TaskType> types) {
    this.types = Collections.unmodifiableMap(types);
  }

  public static Policy builtIn() {
    try (InputStream in = Policy.class.getResourceAsStream("/heady/policy.json")) {
      if (in == null) {
        throw new IllegalStateException("built-in policy.json is missing from the jar");
      }
      return fromJson(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)), null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in policy.json", e);
    }
  }

  /** The built-in policy with {@code file} laid over it when it exists. */
  public static Policy load(Path file) {
    Policy base = builtIn();
    if (file == null || !Files.isRegularFile(file)) {
      return base;
    }
    try {
      return fromJson(new JsonObject(Files.readString(file)), base);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
    } catch (io.vertx.core.json.DecodeException e) {
      throw new IllegalArgumentException(file + ": not valid JSON");
    }
  }

  static Policy fromJson(JsonObject json, Policy base) {
    Map<String, TaskType> out = new LinkedHashMap<>(base == null ? Map.of() : base.types);
    JsonObject t = json.getJsonObject("types");
    if (t == null) {
      throw new IllegalArgumentException("policy: a \"types\" object is required");
    }
    for (String name : t.fieldNames()) {
      if (!name.matches("[a-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException("policy: type name '" + name + "' must match [a-z0-9_.-]{1,64}");
      }
      Object v = t.getValue(name);
      if (!(v instanceof JsonObject o)) {
        throw new IllegalArgumentException("policy type '" + name + "' must be an object");
      }
      out.put(name, TaskType.fromJson(name, o, out.get(name)));
    }
    if (!out.containsKey(GENERAL)) {
      throw new IllegalArgumentException("policy: the 'general' type is required");
    }
    return new Policy(out);
  }

  public TaskType type(String name) {
    TaskType t = types.get(name);
    return t != null ? t : types.get(GENERAL);
  }

  public boolean known(String name) {
    return types.containsKey(name);
  }

  public Collection<TaskType> types() {
    return types.values();
  }
}
