package io.heady.security;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a live router and names every route that could serve something without a declared token check:
 * a method-bound route that is not declared (or declared open) under a guarded prefix, an open route outside
 * the allowed open paths, and any regex route (which no declaration can describe).
 */
final class RouteAudit {
  private RouteAudit() {}

  /** A route as the router holds it: one method and a path template. */
  record Served(String method, String path) {}

  /** Every method-bound route of a router; a route that matches every method is listed as {@code *}. */
  static List<Served> served(Router router, List<String> problems) {
    List<Served> out = new ArrayList<>();
    for (Route r : router.getRoutes()) {
      Set<HttpMethod> methods = r.methods();
      String path = r.getPath();
      if (r.isRegexPath() && path == null) {
        problems.add("a regex route (" + r + ") cannot be checked: declare routes with a path");
        continue;
      }
      if (path == null) {
        if (methods != null && !methods.isEmpty()) {
          problems.add("a route for " + methods + " on every path is not allowed");
        }
        continue; // body handler, 404, failure handler
      }
      if (methods == null || methods.isEmpty()) {
        out.add(new Served("*", path));
      } else {
        methods.forEach(m -> out.add(new Served(m.name(), path)));
      }
    }
    return out;
  }

  /**
   * The problems of a router: each served route under {@code guardedPrefix} must be declared with a token
   * ({@code declared}: "METHOD path" → needs, {@code null} for open), except {@code blanket} (a path-wide
   * authentication handler); everything else must be one of {@code open}, declared open.
   */
  static List<String> problems(Router router, Map<String, ?> declared, String guardedPrefix, String blanket,
      List<String> open) {
    List<String> problems = new ArrayList<>();
    for (Served s : served(router, problems)) {
      String key = s.method() + " " + s.path();
      if (s.path().equals(blanket) && s.method().equals("*")) {
        continue;
      }
      if (s.path().startsWith(guardedPrefix)) {
        if (!declared.containsKey(key) || declared.get(key) == null) {
          problems.add(key + " is served without a declared token check");
        }
      } else if (!open.contains(s.path())) {
        problems.add(key + " is served outside " + guardedPrefix + " and is not an allowed open path");
      } else if (!declared.containsKey(key)) {
        problems.add(key + " is served without a declared access (declare it open on purpose)");
      }
    }
    return problems;
  }

  /** A concrete path for a template: each {@code :param} becomes {@code sec-probe}. */
  static String concrete(String template) {
    return template.replaceAll(":[A-Za-z_]+", "sec-probe");
  }
}
