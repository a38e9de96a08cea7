package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.agent.api.NodeApiVerticle;
import io.heady.common.tls.ServerTls;
import io.heady.manager.api.Access;
import io.heady.manager.api.Role;
import io.heady.manager.api.Routes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the real routers is declared with the access it needs and enforces it: walked from the live
 * {@code Router}, not from a list kept by hand, then each one requested without a token (401), with a wrong
 * and a revoked token (401), and with every kind of valid token (the join token, a viewer, an operator, an
 * admin-role named token and the admin token): 403 where the route's access excludes it, neither 401 nor 403
 * where it allows it. A route added without a declaration, or behind the wrong access, fails this test; so
 * does a route missing from {@link RouteTable}, which feeds the end-to-end auth matrices.
 */
class RouteCoverageTest {
  private final Http http = new Http();

  /** The manager's declared routes as "METHOD path" → access ({@code null}: open, on purpose). */
  private static Map<String, Access> declared(InProcessManager m) {
    Map<String, Access> out = new LinkedHashMap<>();
    for (Routes.Declared d : m.api.declaredRoutes()) {
      assertNotNull(d.needs(), d + " has no declared access");
      // why: the router reports a prefix route "/assets/*" by its prefix "/assets/"
      String path = d.path().endsWith("*") ? d.path().substring(0, d.path().length() - 1) : d.path();
      out.put(d.method() + " " + path, d.needs() == Access.OPEN ? null : d.needs());
    }
    return out;
  }

  @Test
  void everyManagerRouteIsGuardedByItsAccess(@TempDir Path dir) throws Exception {
    try (InProcessManager m = new InProcessManager(dir)) {
      Map<String, Access> declared = declared(m);
      List<String> problems = RouteAudit.problems(m.api.httpRouter(), declared, "/api/", null, RouteTable.OPEN);
      assertEquals(List.of(), problems, "unguarded manager routes");

      // the table of the end-to-end matrix is complete and agrees on the access
      Map<String, String> table = RouteTable.MANAGER.stream().collect(Collectors.toMap(RouteTable.Entry::key,
          e -> e.needs().name()));
      Map<String, String> guarded = declared.entrySet().stream().filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name()));
      assertEquals(new TreeSet<>(guarded.entrySet().stream().map(Object::toString).toList()),
          new TreeSet<>(table.entrySet().stream().map(Object::toString).toList()),
          "RouteTable.MANAGER must list every guarded route with its access");

      Map<String, String> creds = new LinkedHashMap<>();
      creds.put("join", m.tokens.join());
      creds.put("viewer", m.named.create("cov-viewer", Role.VIEWER).secret());
      creds.put("operator", m.named.create("cov-operator", Role.OPERATOR).secret());
      creds.put("admin", m.named.create("cov-admin", Role.ADMIN).secret());
      String adminToken = m.tokens.admin();
      io.heady.common.identity.Seal node = m.enrollNode("cov-node");
      String revoked = m.named.create("cov-revoked", Role.ADMIN).secret();
      assertTrue(m.named.revoke("cov-revoked"));

      // and each one refuses and admits in practice
      int checked = 0;
      for (RouteAudit.Served s : RouteAudit.served(m.api.httpRouter(), new java.util.ArrayList<>())) {
        if (!s.path().startsWith("/api/")) {
          continue;
        }
        Access needs = declared.get(s.method() + " " + s.path());
        RouteTable.Needs n = RouteTable.Needs.valueOf(needs.name());
        String url = m.url() + RouteAudit.concrete(s.path());
        assertEquals(401, send(s, url, null), s + " without a token");
        assertEquals(401, send(s, url, "hx_not-a-token-of-this-cluster"), s + " with a wrong token");
        assertEquals(401, send(s, url, revoked), s + " with a revoked token");
        for (Map.Entry<String, String> c : creds.entrySet()) {
          int status = send(s, url, c.getValue());
          if (n.allows(c.getKey())) {
            assertTrue(status != 401 && status != 403 && status < 500, s + " with a " + c.getKey() + " token → "
                + status);
          } else if (n == RouteTable.Needs.NODE) {
            // no token at all opens a node's route: only an enrolled node's own seal does
            assertEquals(401, status, s + " with a " + c.getKey() + " token");
          } else {
            assertEquals(403, status, s + " with a " + c.getKey() + " token");
          }
        }
        int sealed = send(s, url, InProcessManager.sealed(node, s.method(), RouteAudit.concrete(s.path()), "{}"));
        if (n.allows("node")) {
          assertTrue(sealed != 401 && sealed != 403 && sealed < 500, s + " with a node's seal → " + sealed);
        } else {
          assertEquals(401, sealed, s + ": a node's seal is no token");
        }
        int status = send(s, url, adminToken); // the rotation gets an empty body: 400, nothing rotates
        assertTrue(n.allows("admin") ? status != 401 && status != 403 && status < 500
            : status == (n == RouteTable.Needs.NODE ? 401 : 403), s + " with the admin token → " + status);
        checked++;
      }
      assertEquals(guarded.size(), checked);
    }
  }

  /** A request that changes nothing: empty bodies, ids that do not exist. */
  private int send(RouteAudit.Served s, String url, String token) {
    if (s.path().equals("/api/cluster/events")) {
      return http.status(s.method(), url, token);
    }
    return http.send(s.method(), url, token, "{}").status();
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
      Map<String, Access> declared = declared(m);
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
