package io.heady.common.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a {@link Config} from its four layers: built-in defaults &lt; {@code <conf-dir>/<role>.json}
 * &lt; {@code HEADY_*} environment &lt; flags (read by {@link ServerFlags}). Each value is validated as it is read,
 * so the first bad one stops the process with a line naming it and where it came from.
 */
public final class ConfigLoader {
  private final Map<String, String> env;
  private final String[] args;

  public ConfigLoader(Map<String, String> env, String[] args) {
    this.env = env;
    this.args = args;
  }

  /** The role named by {@code --role} or {@code HEADY_ROLE}; throws when missing or unknown. */
  public String role() {
    Map<String, List<String>> flags = ServerFlags.parse(args);
    String role = null;
    if (flags.containsKey("role")) {
      List<String> r = flags.get("role");
      role = r.get(r.size() - 1);
    } else if (env.containsKey(Keys.ROLE.env())) {
      role = env.get(Keys.ROLE.env());
    }
    if (role == null || role.isBlank()) {
      throw new ConfigException("--role is required: --role=manager or --role=agent (see --help)");
    }
    Keys.ROLE.validate(role, flags.containsKey("role") ? "flag" : "env " + Keys.ROLE.env());
    return role.trim();
  }

  public Config load() {
    String role = role();
    Map<String, ConfigKey> keys = Keys.forRole(role);
    Map<String, List<String>> values = Config.defaultValues(keys);
    Map<String, String> sources = new HashMap<>();
    Map<String, List<String>> flags = ServerFlags.parse(args);

    for (String name : flags.keySet()) {
      if (!keys.containsKey(name)) {
        boolean other = Keys.all().stream().anyMatch(k -> k.name().equals(name));
        throw new ConfigException(other
            ? "--" + name + " is not a " + role + " setting (see --help)"
            : "unknown flag --" + name + " (see --help)");
      }
    }

    // The conf folder itself may come from env or flags; read it first so the file layer can apply.
    Path confDir = Path.of(pick(Keys.CONF_DIR, flags));
    Path file = confDir.resolve(role + ".json");
    if (Files.isRegularFile(file)) {
      applyFile(file, keys, values, sources);
    }

    for (ConfigKey k : keys.values()) {
      String e = env.get(k.env());
      if (e != null) {
        List<String> items = k.repeatable() ? splitList(e) : List.of(e);
        for (String item : items) {
          k.validate(item, "env " + k.env());
        }
        values.put(k.name(), items);
        sources.put(k.name(), "env");
      }
    }

    for (Map.Entry<String, List<String>> f : flags.entrySet()) {
      ConfigKey k = keys.get(f.getKey());
      List<String> items = new ArrayList<>();
      for (String v : f.getValue()) {
        if (v == null) {
          if (k.type() != ConfigKey.Type.BOOL) {
            throw new ConfigException("--" + k.name() + " needs a value (--" + k.name() + "=...)");
          }
          v = "true";
        }
        k.validate(v, "flag");
        items.add(v);
      }
      values.put(k.name(), k.repeatable() ? items : List.of(items.get(items.size() - 1)));
      sources.put(k.name(), "flag");
    }
    return new Config(role, values, sources);
  }

  private String pick(ConfigKey key, Map<String, List<String>> flags) {
    List<String> f = flags.get(key.name());
    if (f != null && f.get(f.size() - 1) != null) {
      return f.get(f.size() - 1);
    }
    return env.getOrDefault(key.env(), key.defaultValue());
  }

  private static List<String> splitList(String raw) {
    List<String> out = new ArrayList<>();
    for (String s : raw.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  private static void applyFile(Path file, Map<String, ConfigKey> keys, Map<String, List<String>> values,
      Map<String, String> sources) {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException(file + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    for (String name : json.fieldNames()) {
      ConfigKey k = keys.get(name);
      if (k == null) {
        throw new ConfigException(file + ": unknown key '" + name + "' (see --help)");
      }
      Object raw = json.getValue(name);
      List<String> items = new ArrayList<>();
      if (raw instanceof JsonArray arr) {
        if (!k.repeatable()) {
          throw new ConfigException(file + ": '" + name + "' takes one value, not a list");
        }
        arr.forEach(o -> items.add(String.valueOf(o)));
      } else if (raw instanceof JsonObject) {
        throw new ConfigException(file + ": '" + name + "' takes a value, not an object");
      } else {
        items.add(raw == null ? "" : String.valueOf(raw));
      }
      for (String item : items) {
        k.validate(item, file.getFileName().toString());
      }
      values.put(name, items);
      sources.put(name, "file");
    }
  }

  /** The text of {@code --help}: every key with its flag, environment variable, default and meaning. */
  public static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("heady: a compute cluster for the machines you already own\n\n")
        .append("usage: java -jar heady.jar --role=manager [flags]\n")
        .append("       java -jar heady.jar --role=agent --manager=URL --token=JOIN_TOKEN [flags]\n")
        .append("       java -jar heady.jar <command> ...   (run, nodes, tasks, status, ...: heady help)\n\n")
        .append("Each setting is read from, lowest first: its default, <conf-dir>/<role>.json,\n")
        .append("the environment variable shown, and the flag.\n");
    for (String role : List.of("manager", "agent")) {
      sb.append("\n").append(role).append(" settings:\n");
      for (ConfigKey k : Keys.forRole(role).values()) {
        String flag = "--" + k.name() + (k.type() == ConfigKey.Type.BOOL ? "[=true|false]" : "=" + meta(k));
        sb.append(String.format("  %-34s %-26s default %s%n      %s%n", flag, k.env(), k.shownDefault(),
            k.help()));
      }
    }
    return sb.toString();
  }

  private static String meta(ConfigKey k) {
    return switch (k.type()) {
      case INT -> "N";
      case SECONDS -> "SEC";
      case URL -> "URL";
      case URLS -> "URL[,URL]";
      case LIST -> k.name().equals("label") ? "K=V" : "VALUE";
      case ENUM -> String.join("|", k.choices());
      default -> "TEXT";
    };
  }
}
