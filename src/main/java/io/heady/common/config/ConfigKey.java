package io.heady.common.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One configuration key: its flag ({@code --name}), its environment variable, its type, default and the
 * roles it applies to.
 *
 * @param name the flag name without dashes, also the key in {@code conf/<role>.json}
 * @param env the environment variable that sets it
 * @param type how the raw text is parsed and validated
 * @param defaultValue the built-in default, as text ({@code null}: none, the key is optional)
 * @param roles the roles that read it ({@code manager}, {@code agent}, {@code cli})
 * @param help one line for {@code --help}
 * @param choices the allowed values of an {@link Type#ENUM} key
 * @param min the smallest allowed value of a number
 * @param max the largest allowed value of a number
 */
public record ConfigKey(
    String name,
    String env,
    Type type,
    String defaultValue,
    Set<String> roles,
    String help,
    List<String> choices,
    long min,
    long max) {

  /** The value types a key can have. */
  public enum Type {
    STRING, INT, BOOL, URL, URLS, LIST, SECONDS, ENUM
  }

  /** The environment variable a key gets when none is named: {@code HEADY_} plus the upper-snake name. */
  public static String envName(String name) {
    return "HEADY_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** Keys that may be given several times (and comma-separated in the environment). */
  public boolean repeatable() {
    return type == Type.LIST || type == Type.URLS;
  }

  public boolean appliesTo(String role) {
    return roles.contains(role);
  }

  /** Checks one raw value against this key's type and bounds; throws naming the key and the source. */
  public void validate(String raw, String source) {
    String where = "--" + name + " (" + source + ")";
    switch (type) {
      case INT, SECONDS -> {
        long v;
        try {
          v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
          throw new ConfigException(where + ": '" + raw + "' is not a whole number");
        }
        if (v < min || v > max) {
          throw new ConfigException(where + ": " + v + " is out of range " + min + ".." + max);
        }
      }
      case BOOL -> {
        String b = raw.trim().toLowerCase(Locale.ROOT);
        if (!b.equals("true") && !b.equals("false")) {
          throw new ConfigException(where + ": '" + raw + "' is not true or false");
        }
      }
      case ENUM -> {
        if (!choices.contains(raw.trim())) {
          throw new ConfigException(where + ": '" + raw + "' is not one of " + String.join(", ", choices));
        }
      }
      case URL -> {
        String u = raw.trim();
        if (!(u.startsWith("http://") || u.startsWith("https://") || u.startsWith("redis://")
            || u.startsWith("rediss://") || u.equals("memory"))) {
          throw new ConfigException(where + ": '" + raw + "' is not a URL (http://host:port)");
        }
        try {
          java.net.URI uri = java.net.URI.create(u);
          if (!u.equals("memory") && (uri.getHost() == null || uri.getHost().isEmpty())) {
            throw new ConfigException(where + ": '" + raw + "' has no host");
          }
        } catch (IllegalArgumentException e) {
          throw new ConfigException(where + ": '" + raw + "' is not a valid URL: " + e.getMessage());
        }
      }
      case URLS -> {
        for (String one : raw.split(",")) {
          if (one.isBlank()) {
            continue;
          }
          String u = one.trim();
          java.net.URI uri;
          try {
            uri = java.net.URI.create(u);
          } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": '" + u + "' is not a valid URL");
          }
          if (!(u.startsWith("http://") || u.startsWith("https://")) || uri.getHost() == null
              || uri.getHost().isEmpty()) {
            throw new ConfigException(where + ": '" + u + "' is not an http(s)://host:port URL");
          }
        }
      }
      case LIST, STRING -> {
        if (raw.indexOf('\n') >= 0 || raw.indexOf('\0') >= 0) {
          throw new ConfigException(where + ": value contains a newline or NUL");
        }
      }
      default -> throw new IllegalStateException("unhandled type " + type);
    }
  }

  /** How {@code --help} shows the default. */
  public String shownDefault() {
    if (defaultValue == null) {
      return "(none)";
    }
    return defaultValue.isEmpty() ? "\"\"" : defaultValue;
  }

  static Builder key(String name) {
    return new Builder(name);
  }

  /** Declares keys in {@link Keys} tersely. */
  static final class Builder {
    private final String name;
    private String env;
    private Type type = Type.STRING;
    private String def;
    private Set<String> roles = Set.of();
    private List<String> choices = List.of();
    private long min = Long.MIN_VALUE;
    private long max = Long.MAX_VALUE;

    Builder(String name) {
      this.name = name;
      this.env = envName(name);
    }

    Builder env(String e) {
      this.env = e;
      return this;
    }

    Builder string(String d) {
      this.type = Type.STRING;
      this.def = d;
      return this;
    }

    Builder url(String d) {
      this.type = Type.URL;
      this.def = d;
      return this;
    }

    Builder bool(boolean d) {
      this.type = Type.BOOL;
      this.def = Boolean.toString(d);
      return this;
    }

    Builder integer(long d, long lo, long hi) {
      this.type = Type.INT;
      this.def = Long.toString(d);
      this.min = lo;
      this.max = hi;
      return this;
    }

    Builder seconds(long d, long lo, long hi) {
      this.type = Type.SECONDS;
      this.def = Long.toString(d);
      this.min = lo;
      this.max = hi;
      return this;
    }

    Builder list() {
      this.type = Type.LIST;
      this.def = "";
      return this;
    }

    Builder urls() {
      this.type = Type.URLS;
      this.def = "";
      return this;
    }

    Builder oneOf(String d, String... values) {
      this.type = Type.ENUM;
      this.def = d;
      this.choices = List.of(values);
      return this;
    }

    Builder roles(String... r) {
      this.roles = Set.of(r);
      return this;
    }

    ConfigKey help(String h) {
      return new ConfigKey(name, env, type, def, roles, h, choices, min, max);
    }
  }
}
