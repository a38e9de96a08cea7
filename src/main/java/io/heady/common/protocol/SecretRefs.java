package io.heady.common.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a task names the cluster's secrets, and what a secret may be. A task refers to a secret by name only; its
 * value is resolved when an attempt is dispatched, sealed for the node that runs it, and never stored with the
 * task. Two forms, which may be mixed:
 *
 * <ul>
 *   <li>{@code "secrets": ["API_KEY", …]}: the secret {@code API_KEY} as the variable {@code API_KEY};
 *   <li>{@code "env": {"TOKEN": {"secret": "API_KEY"}}}: the secret {@code API_KEY} as the variable
 *       {@code TOKEN}.
 * </ul>
 *
 * <p>A stored task writes them back as {@code "secrets": {"TOKEN": "API_KEY"}} (variable → secret), which is
 * read as well.
 */
public final class SecretRefs {
  /** A secret's name: like an environment variable's. */
  public static final Pattern NAME = Dispatch.ENV_NAME;
  /** What a name must match, in words, for error messages. */
  public static final String NAME_RULE = "a letter or _, then up to 127 letters, digits or _ ([A-Za-z_][A-Za-z0-9_]*)";
  /** The largest value a secret may hold, in bytes of UTF-8. */
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  /** The most secrets one task may name. */
  public static final int MAX_PER_TASK = 64;

  private SecretRefs() {}

  /** Whether {@code name} is a valid secret name. */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Checks a secret's value: not empty, at most {@value #MAX_VALUE_BYTES} bytes, no NUL (an environment
   * variable cannot hold one). The message never quotes the value.
   *
   * @throws InvalidInputException naming {@code field}
   */
  public static void checkValue(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw new InvalidInputException(field, field + " must not be empty");
    }
    if (value.indexOf('\0') >= 0) {
      throw new InvalidInputException(field, field + " must not contain NUL characters (an environment variable"
          + " cannot hold one)");
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_VALUE_BYTES) {
      throw new InvalidInputException(field, field + " is " + bytes + " bytes; a secret holds at most "
          + MAX_VALUE_BYTES + " bytes");
    }
  }

  /**
   * The secrets a task names, variable → secret, from its {@code secrets} (a list of names, or an object of
   * variable → name) and from {@code env} entries of the form {@code {"secret": NAME}}.
   *
   * @throws InvalidInputException a bad name or form, a variable given twice, too many
   */
  public static Map<String, String> parse(JsonObject task) {
    Map<String, String> out = new LinkedHashMap<>();
    Object raw = task.getValue("secrets");
    if (raw instanceof JsonArray list) {
      for (int i = 0; i < list.size(); i++) {
        if (!(list.getValue(i) instanceof String name)) {
          throw new InvalidInputException("secrets", "secrets[" + i + "] must be a secret's name (a string)");
        }
        checkName(name, "secrets");
        put(out, name, name, "secrets");
      }
    } else if (raw instanceof JsonObject map) {
      for (String var : map.fieldNames()) {
        checkVariable(var, "secrets");
        if (!(map.getValue(var) instanceof String name)) {
          throw new InvalidInputException("secrets", "secrets." + var + " must be a secret's name (a string)");
        }
        checkName(name, "secrets");
        put(out, var, name, "secrets");
      }
    } else if (raw != null) {
      throw new InvalidInputException("secrets", "secrets must be a list of secret names, e.g. [\"API_KEY\"]");
    }
    if (task.getValue("env") instanceof JsonObject env) {
      for (String var : env.fieldNames()) {
        if (env.getValue(var) instanceof JsonObject ref) {
          if (ref.size() != 1 || !(ref.getValue("secret") instanceof String name)) {
            throw new InvalidInputException("env", "env." + Fields.abbreviate(var) + " must be a string, or "
                + "{\"secret\": NAME} to take a secret's value");
          }
          checkVariable(var, "env");
          checkName(name, "env");
          put(out, var, name, "env");
        }
      }
    }
    if (out.size() > MAX_PER_TASK) {
      throw new InvalidInputException("secrets", "a task may name at most " + MAX_PER_TASK + " secrets; this one "
          + "names " + out.size());
    }
    return out;
  }

  /** {@code env} without the entries that name a secret (they are in {@link #parse}). */
  public static JsonObject plainEnv(JsonObject task) {
    if (!(task.getValue("env") instanceof JsonObject env)) {
      return null;
    }
    JsonObject out = new JsonObject();
    env.forEach(e -> {
      if (!(e.getValue() instanceof JsonObject)) {
        out.put(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  /** Refuses a bad secret name, naming {@code field}. */
  public static void checkName(String name, String field) {
    if (!validName(name)) {
      throw new InvalidInputException(field, "'" + Fields.abbreviate(String.valueOf(name)) + "' is not a valid "
          + "secret name: " + NAME_RULE);
    }
  }

  private static void checkVariable(String var, String field) {
    if (!Dispatch.ENV_NAME.matcher(var).matches()) {
      throw new InvalidInputException(field, field + " key '" + Fields.abbreviate(var) + "' is not allowed (must "
          + "match " + Dispatch.ENV_NAME.pattern() + ")");
    }
  }

  private static void put(Map<String, String> out, String var, String name, String field) {
    if (out.containsKey(var)) {
      throw new InvalidInputException(field, "the variable " + var + " is given twice (once from secret "
          + out.get(var) + ", once from " + name + ")");
    }
    out.put(var, name);
  }
}
