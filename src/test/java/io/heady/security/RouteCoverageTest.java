package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.agent.api.NodeApiVerticle;
import io.heady.common.tls.ServerTls;
import io.heady.manager.api.Routes;
import io.heady.manager.api.Tokens;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the real routers needs a token: walked from the live {@code Router}, not from a list kept
 * by hand, then each one requested without a token (401) and with the other kind of token (403). A route
 * added without a check, or behind a check of the wrong kind, fails this test; so does a route missing from
 * {@link RouteTable}, which feeds the end-to-end auth matrix.
 */
class RouteCoverageTest {
  private final Http http = new Http();

  @Test
  void everyManagerRouteIsGuarded(@TempDir Path dir) throws Exception {
    try (InProcessManager m = new InProcessManager(dir)) {
      Map<String, Tokens.Kind> declared = new LinkedHashMap<>();
      for (Routes.Declared d : m.api.declaredRoutes()) {
        declared.put(d.method() + " " + d.path(), d.needs());
      }
      List<String> problems = RouteAudit.problems(m.api.httpRouter(), declared, "/api/", null, RouteTable.OPEN);
      assertEquals(List.of(), problems, "unguarded manager routes");

      // the table of the end-to-end matrix is complete and agrees on the token
      Map<String, String> table = RouteTable.MANAGER.stream().collect(Collectors.toMap(RouteTable.Entry::key,
          e -> e.needs().name()));
      // why: the join token's routes are for enrollment only
      Map<String, String> guarded = declared.entrySet().stream().filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() == Tokens.Kind.JOIN ? "ENROLL"
              : e.getValue().name()));
      assertEquals(new TreeSet<>(guarded.entrySet().stream().map(Object::toString).toList()),
          new TreeSet<>(table.entrySet().stream().map(Object::toString).toList()),
          "RouteTable.MANAGER must list every guarded route with its token");

      // and each one refuses in practice
      int checked = 0;
      for (RouteAudit.Served s : RouteAudit.served(m.api.httpRouter(), new java.util.ArrayList<>())) {
        if (!s.path().startsWith("/api/")) {
          continue;
        }
        Tokens.Kind needs = declared.get(s.method() + " " + s.path());
        String url = m.url() + RouteAudit.concrete(s.path());
        assertEquals(401, http.send(s.method(), url, null, "{}").status(), s + " without a token");
        assertEquals(401, http.send(s.method(), url, "hx_not-a-token-of-this-cluster", "{}").status(),
            s + " with a wrong token");
        if (needs == Tokens.Kind.NODE) {
          // no token at all opens a node's route: only an enrolled node's own seal does
          assertEquals(401, http.send(s.method(), url, m.tokens.join(), "{}").status(), s + " with the join token");
          assertEquals(401, http.send(s.method(), url, m.tokens.admin(), "{}").status(), s + " with the admin token");
        } else {
          String other = needs == Tokens.Kind.ADMIN ? m.tokens.join() : m.tokens.admin();
          assertEquals(403, http.send(s.method(), url, other, "{}").status(), s + " with the other kind of token");
        }
        checked++;
      }
      assertEquals(guarded.size(), checked);
    }
  }

  @Test
  void everyNodeRouteIsGuarded(@TempDir Path dir) throws Exception {
    try (InProcessNode n = new InProcessNode(dir, "hj_join-token-for-the-test-0001", "ha_admin-token-for-the-test-01",
        true, 2, 4096, ServerTls.NONE)) {
      Map<String, NodeApiVerticle.Needs> declared = new LinkedHashMap<>();
      for (NodeApiVerticle.Declared d : n.api.declaredRoutes()) {
        declared.put(d.method() + " " + d.path(), d.needs());
      }
      List<String> problems = RouteAudit.problems(n.api.httpRouter(), declared, "/api/", "/api/node/", List.of());
      assertEquals(List.of(), problems, "unguarded node routes");
      assertEquals(new TreeSet<>(declared.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()),
          new TreeSet<>(RouteTable.NODE.stream().map(e -> e.key() + "=" + e.needs()).toList()),
          "RouteTable.NODE must list every node route with its token");
      for (String key : declared.keySet()) {
        String method = key.substring(0, key.indexOf(' '));
        String url = n.url() + RouteAudit.concrete(key.substring(key.indexOf(' ') + 1));
        String path = RouteAudit.concrete(key.substring(key.indexOf(' ') + 1));
        assertEquals(401, http.send(method, url, null, "{}").status(), key + " without a token");
        assertEquals(401, http.send(method, url, "hj_wrong-token-wrong-token-0001", "{}").status(), key);
        assertEquals(401, http.send(method, url, "hj_join-token-for-the-test-0001", "{}").status(),
            key + ": a join token opens nothing on a node");
        if (declared.get(key) == NodeApiVerticle.Needs.ADMIN) {
          assertEquals(403, http.send(method, url, n.seal(method, path, "{}"), "{}").status(),
              key + ": the manager may not execute");
        } else {
          assertEquals(403, http.send(method, url, "ha_admin-token-for-the-test-01", "{}").status(),
              key + ": the admin token is not the manager");
          int s = http.send(method, url, n.seal(method, path, "{}"), "{}").status();
          assertTrue(s != 401 && s != 403 && s < 500, key + " with the manager's seal: " + s);
        }
      }
    }
  }

  /** The audit is not blind: a route added behind its back is named (and served without a token). */
  @Test
  void anUndeclaredManagerRouteIsCaught(@TempDir Path dir) throws Exception {
    try (InProcessManager m = new InProcessManager(dir)) {
      m.api.httpRouter().get("/api/cluster/sneaky").order(-1).handler(rc -> rc.end("secret"));
      m.api.httpRouter().get("/debug/dump").order(-1).handler(rc -> rc.end("secret"));
      Map<String, Tokens.Kind> declared = new LinkedHashMap<>();
      m.api.declaredRoutes().forEach(d -> declared.put(d.method() + " " + d.path(), d.needs()));
      List<String> problems = RouteAudit.problems(m.api.httpRouter(), declared, "/api/", null, RouteTable.OPEN);
      assertEquals(2, problems.size(), problems.toString());
      assertTrue(problems.get(0).contains("/api/cluster/sneaky") || problems.get(1).contains("/api/cluster/sneaky"));
      assertEquals(200, http.send("GET", m.url() + "/api/cluster/sneaky", null, null).status(),
          "the planted route really is open, which is what the audit must catch");
    }
  }

  /** A node route added without a declaration is named, and the blanket check still closes it. */
  @Test
  void anUndeclaredNodeRouteIsCaughtAndStillClosed(@TempDir Path dir) throws Exception {
    try (InProcessNode n = new InProcessNode(dir, "hj_join-token-for-the-test-0001", null, false, 1, 4096,
        ServerTls.NONE)) {
      n.api.httpRouter().get("/api/node/sneaky").handler(rc -> rc.end("secret"));
      Map<String, NodeApiVerticle.Needs> declared = new LinkedHashMap<>();
      n.api.declaredRoutes().forEach(d -> declared.put(d.method() + " " + d.path(), d.needs()));
      List<String> problems = RouteAudit.problems(n.api.httpRouter(), declared, "/api/", "/api/node/", List.of());
      assertEquals(1, problems.size(), problems.toString());
      assertEquals(401, http.send("GET", n.url() + "/api/node/sneaky", null, null).status());
    }
  }
}
