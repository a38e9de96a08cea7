package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.api.Caller;
import io.heady.manager.api.Callers;
import io.heady.manager.api.NamedTokens;
import io.heady.manager.api.Role;
import io.heady.manager.api.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** People's named tokens: made, matched, revoked at once, kept as digests only, across a restart. */
class NamedTokensTest {
  private final TokensTest.MutableClock clock = new TokensTest.MutableClock();

  @Test
  void aTokenIsShownOnceAndKeptAsADigestInAPrivateFile(@TempDir Path dir) throws Exception {
    NamedTokens named = NamedTokens.load(dir, clock);
    NamedTokens.Created c = named.create("wall", Role.VIEWER);
    assertTrue(c.secret().startsWith("hn_") && c.secret().length() > 40, c.secret());
    Path file = dir.resolve(NamedTokens.FILE);
    String text = Files.readString(file);
    assertFalse(text.contains(c.secret()) || text.contains(c.secret().substring(3)), "the secret is not on disk");
    assertTrue(text.contains("\"sha256\""), text);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(Files.exists(dir.resolve(NamedTokens.FILE + ".tmp")), "written atomically, nothing left over");
    assertEquals(new NamedTokens.Info("wall", Role.VIEWER, clock.now, null), named.list().get(0));
  }

  @Test
  void aMatchNamesTheTokenAndItsRoleAndNotesItsUse(@TempDir Path dir) throws Exception {
    NamedTokens named = NamedTokens.load(dir, clock);
    String ops = named.create("ops", Role.OPERATOR).secret();
    String wall = named.create("wall", Role.VIEWER).secret();
    clock.now = clock.now.plusSeconds(60);
    assertEquals(new NamedTokens.Hit("ops", Role.OPERATOR), named.match(ops));
    assertEquals(new NamedTokens.Hit("wall", Role.VIEWER), named.match(wall));
    for (String bad : new String[] {null, "", ops + "x", ops.substring(0, ops.length() - 1), "x".repeat(5000)}) {
      assertNull(named.match(bad), "'" + bad + "'");
    }
    assertEquals(clock.now, named.list().get(0).lastUsed());
    named.flush();
    NamedTokens again = NamedTokens.load(dir, clock);
    assertEquals(clock.now, again.list().get(0).lastUsed(), "the time of last use is written by flush");
    assertEquals(new NamedTokens.Hit("ops", Role.OPERATOR), again.match(ops), "tokens survive a restart");
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceAndAfterARestart(@TempDir Path dir) throws Exception {
    NamedTokens named = NamedTokens.load(dir, clock);
    String secret = named.create("ci", Role.ADMIN).secret();
    assertTrue(named.revoke("ci"));
    assertNull(named.match(secret));
    assertFalse(named.revoke("ci"), "a second revoke finds nothing");
    assertNull(NamedTokens.load(dir, clock).match(secret));
    assertEquals(0, NamedTokens.load(dir, clock).size());
  }

  @Test
  void badNamesAndDuplicatesAreRefusedSayingWhy(@TempDir Path dir) throws Exception {
    NamedTokens named = NamedTokens.load(dir, clock);
    named.create("wall", Role.VIEWER);
    assertTrue(assertThrows(IllegalStateException.class, () -> named.create("wall", Role.ADMIN)).getMessage()
        .contains("exists already"));
    for (String bad : new String[] {"", "a b", "x".repeat(65), "semi;colon", "admin", "Join"}) {
      assertThrows(IllegalArgumentException.class, () -> named.create(bad, Role.VIEWER), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> named.create("norole", null));
    assertEquals(1, named.size());
  }

  @Test
  void aDamagedFileStopsTheStartNamingIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(NamedTokens.FILE), "{\"tokens\":[{\"name\":\"x\",\"role\":\"god\"}]}");
    IOException e = assertThrows(IOException.class, () -> NamedTokens.load(dir, clock));
    assertTrue(e.getMessage().contains(NamedTokens.FILE), e.getMessage());
  }

  @Test
  void callersTellTheTokensApart(@TempDir Path dir) throws Exception {
    Tokens tokens = Tokens.load(dir, null, null, Duration.ofHours(1), clock);
    NamedTokens named = NamedTokens.load(dir, clock);
    Callers callers = new Callers(tokens, named);
    String ops = named.create("ops", Role.OPERATOR).secret();
    assertEquals(Caller.Kind.ADMIN, callers.identify(tokens.admin()).kind());
    assertEquals(Role.ADMIN, callers.identify(tokens.admin()).role());
    assertEquals(Caller.Kind.JOIN, callers.identify(tokens.join()).kind());
    assertFalse(callers.identify(tokens.join()).person());
    Caller op = callers.identify(ops);
    assertEquals(Caller.Kind.NAMED, op.kind());
    assertEquals("ops", op.name());
    assertEquals("{\"kind\":\"named\",\"role\":\"operator\",\"name\":\"ops\",\"previous\":false}", op.toJson().encode());
    assertEquals(Caller.NONE, callers.identify("hn_nope"));
    assertTrue(Role.ADMIN.covers(Role.OPERATOR) && Role.OPERATOR.covers(Role.VIEWER));
    assertFalse(Role.VIEWER.covers(Role.OPERATOR) || Role.OPERATOR.covers(Role.ADMIN));
  }
}
