package io.heady.common.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The resolved configuration of one process: every key of its role with its winning value and where that
 * value came from. Built by {@link ConfigLoader}; read through typed getters that never see bad values,
 * because each value was validated when it was loaded.
 */
public final class Config {
  private final String role;
  private final Map<String, List<String>> values;
  private final Map<String, String> sources;

  Config(String role, Map<String, List<String>> values, Map<String, String> sources) {
    this.role = role;
    this.values = values;
    this.sources = sources;
  }

  /**
   * A role's built-in defaults and nothing else (no file, no environment, no flag): the values {@code --help}
   * documents. Settings records take their defaults from here, so each default is written once, in {@link Keys}.
   */
  public static Config defaults(String role) {
    return new Config(role, defaultValues(Keys.forRole(role)), new HashMap<>());
  }

  /** Each key's default, where it has one. */
  static Map<String, List<String>> defaultValues(Map<String, ConfigKey> keys) {
    Map<String, List<String>> values = new HashMap<>();
    for (ConfigKey k : keys.values()) {
      if (k.defaultValue() != null) {
        values.put(k.name(), List.of(k.defaultValue()));
      }
    }
    return values;
  }

  /** A config for tests and embedding: defaults of the role overlaid with the given flags. */
  public static Config of(String role, Map<String, String> overrides) {
    List<String> args = new ArrayList<>();
    args.add("--role=" + role);
    overrides.forEach((k, v) -> args.add("--" + k + "=" + v));
    return new ConfigLoader(Map.of(), args.toArray(String[]::new)).load();
  }

  public String role() {
    return role;
  }

  public boolean has(ConfigKey key) {
    List<String> v = values.get(key.name());
    return v != null && !v.isEmpty() && !(v.size() == 1 && v.get(0).isEmpty());
  }

  public String string(ConfigKey key) {
    List<String> v = values.get(key.name());
    if (v == null || v.isEmpty()) {
      return key.defaultValue();
    }
    return v.get(v.size() - 1).trim();
  }

  public int integer(ConfigKey key) {
    return Integer.parseInt(string(key));
  }

  public long longValue(ConfigKey key) {
    return Long.parseLong(string(key));
  }

  public boolean bool(ConfigKey key) {
    return Boolean.parseBoolean(string(key).toLowerCase(Locale.ROOT));
  }

  public List<String> list(ConfigKey key) {
    List<String> out = new ArrayList<>();
    for (String v : values.getOrDefault(key.name(), List.of())) {
      if (!v.isBlank()) {
        out.add(v.trim());
      }
    }
    return out;
  }

  /** A path value with a leading {@code ~} expanded to the user's home. */
  public Path path(ConfigKey key) {
    String p = string(key);
    if (p.equals("~") || p.startsWith("~/")) {
      p = System.getProperty("user.home") + p.substring(1);
    }
    return Path.of(p);
  }

  /** Where the winning value of a key came from: default, file, env or flag. */
  public String source(ConfigKey key) {
    return sources.getOrDefault(key.name(), "default");
  }

  /** A required key must have a non-empty value; throws naming its flag and environment variable. */
  public String required(ConfigKey key) {
    String v = string(key);
    if (v == null || v.isBlank()) {
      throw new ConfigException("--" + key.name() + " is required (or set " + key.env() + ")");
    }
    return v;
  }

  /** Operator labels given as {@code k=v}; a malformed one names itself. */
  public Map<String, String> labels(ConfigKey key) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : list(key)) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--" + key.name() + ": '" + item + "' is not k=v");
      }
      String k = item.substring(0, eq).trim();
      String v = item.substring(eq + 1).trim();
      if (!k.matches("[A-Za-z0-9._/-]{1,63}") || !v.matches("[A-Za-z0-9._:/@+-]{0,128}")) {
        throw new ConfigException("--" + key.name() + ": '" + item
            + "' must be k=v with letters, digits and . _ - (key up to 63, value up to 128)");
      }
      out.put(k, v);
    }
    return out;
  }
}
