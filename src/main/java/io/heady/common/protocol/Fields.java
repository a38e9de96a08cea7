package io.heady.common.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Typed, validating reads of JSON fields: a wrong type or value throws naming the field. */
public final class Fields {
  /** Node ids no agent may take: the manager's own executor and the managers' names. */
  public static final java.util.Set<String> RESERVED_NODE_IDS = java.util.Set.of("local", "manager", "heady");

  /** Node ids, task ids and names that are safe in paths, logs and shells. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private Fields() {}

  public static String optString(JsonObject j, String field, int maxLen) {
    Object v = j.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidInputException(field, field + " must be a string");
    }
    if (s.length() > maxLen) {
      throw new InvalidInputException(field, field + " is longer than " + maxLen + " characters");
    }
    return s;
  }

  public static String reqString(JsonObject j, String field, int maxLen) {
    String s = optString(j, field, maxLen);
    if (s == null || s.isEmpty()) {
      throw new InvalidInputException(field, field + " is required");
    }
    return s;
  }

  public static String optId(JsonObject j, String field) {
    String s = optString(j, field, 64);
    if (s != null && !ID.matcher(s).matches()) {
      throw new InvalidInputException(field, field + " must match [A-Za-z0-9._-]{1,64}");
    }
    return s;
  }

  public static String reqId(JsonObject j, String field) {
    String s = optId(j, field);
    if (s == null) {
      throw new InvalidInputException(field, field + " is required");
    }
    return s;
  }

  public static long optLong(JsonObject j, String field, long def, long min, long max) {
    Object v = j.getValue(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || (v instanceof Double d && (d != Math.rint(d) || d.isInfinite()))
        || (v instanceof Float)) {
      throw new InvalidInputException(field, field + " must be a whole number");
    }
    // why: a JSON integer beyond 64 bits arrives as a BigInteger (a BigDecimal when written 1e30), and
    // longValue() would silently wrap it into range
    if (v instanceof java.math.BigInteger || v instanceof java.math.BigDecimal) {
      java.math.BigDecimal big = new java.math.BigDecimal(v.toString());
      if (big.compareTo(java.math.BigDecimal.valueOf(min)) < 0
          || big.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
        throw new InvalidInputException(field, field + " must be between " + min + " and " + max);
      }
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw new InvalidInputException(field, field + " must be between " + min + " and " + max);
    }
    return l;
  }

  public static double optDouble(JsonObject j, String field, double def, double min, double max) {
    Object v = j.getValue(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n)) {
      throw new InvalidInputException(field, field + " must be a number");
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || d < min || d > max) {
      throw new InvalidInputException(field, field + " must be between " + min + " and " + max);
    }
    return d;
  }

  public static boolean optBool(JsonObject j, String field, boolean def) {
    Object v = j.getValue(field);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean b)) {
      throw new InvalidInputException(field, field + " must be true or false");
    }
    return b;
  }

  public static JsonObject optObject(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw new InvalidInputException(field, field + " must be an object");
    }
    return o;
  }

  public static List<String> optStrings(JsonObject j, String field, int maxItems, int maxLen) {
    Object v = j.getValue(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray arr)) {
      throw new InvalidInputException(field, field + " must be an array of strings");
    }
    if (arr.size() > maxItems) {
      throw new InvalidInputException(field, field + " has more than " + maxItems + " items");
    }
    List<String> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      Object o = arr.getValue(i);
      if (!(o instanceof String s)) {
        throw new InvalidInputException(field, field + "[" + i + "] must be a string");
      }
      if (s.length() > maxLen) {
        throw new InvalidInputException(field, field + "[" + i + "] is longer than " + maxLen + " characters");
      }
      out.add(s);
    }
    return out;
  }

  /** A flat object of string values, e.g. labels or env. */
  public static Map<String, String> optStringMap(JsonObject j, String field, int maxItems, Pattern keyPattern,
      int maxLen) {
    JsonObject o = optObject(j, field);
    Map<String, String> out = new LinkedHashMap<>();
    if (o == null) {
      return out;
    }
    if (o.size() > maxItems) {
      throw new InvalidInputException(field, field + " has more than " + maxItems + " entries");
    }
    for (String k : o.fieldNames()) {
      if (!keyPattern.matcher(k).matches()) {
        throw new InvalidInputException(field, field + " key '" + abbreviate(k) + "' is not allowed (must match "
            + keyPattern.pattern() + ")");
      }
      Object v = o.getValue(k);
      if (!(v instanceof String s)) {
        throw new InvalidInputException(field, field + "." + k + " must be a string");
      }
      if (s.length() > maxLen) {
        throw new InvalidInputException(field, field + "." + k + " is longer than " + maxLen + " characters");
      }
      out.put(k, s);
    }
    return out;
  }

  /** Refuses a JSON value nested deeper than {@code maxDepth} objects and arrays (1: flat). */
  public static void checkDepth(Object value, String field, int maxDepth) {
    if (depth(value, maxDepth + 1) > maxDepth) {
      throw new InvalidInputException(field, field + " is nested deeper than " + maxDepth + " levels");
    }
  }

  private static int depth(Object v, int stopAt) {
    if (stopAt <= 0) {
      return 1;
    }
    int inner = 0;
    if (v instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        inner = Math.max(inner, depth(o.getValue(k), stopAt - 1));
      }
      return 1 + inner;
    }
    if (v instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        inner = Math.max(inner, depth(a.getValue(i), stopAt - 1));
      }
      return 1 + inner;
    }
    return 0;
  }

  /** Refuses NUL characters, which no argv entry, environment value or path can hold. */
  public static void noNul(String s, String field) {
    if (s != null && s.indexOf('\0') >= 0) {
      throw new InvalidInputException(field, field + " must not contain NUL characters");
    }
  }

  /** Cuts untrusted text for an error message. */
  public static String abbreviate(String s) {
    String t = s.replaceAll("[\\p{Cntrl}]", "?");
    return t.length() > 40 ? t.substring(0, 40) + "…" : t;
  }

  public static JsonArray toArray(List<String> l) {
    return new JsonArray(new ArrayList<>(l));
  }

  public static JsonObject toObject(Map<String, String> m) {
    return new JsonObject(new LinkedHashMap<>(m));
  }
}
