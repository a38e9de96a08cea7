package io.heady.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.manager.api.Tokens;
import io.heady.manager.api.Tokens.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token generation, classification, rotation with its grace period, and persistence across restarts. */
class TokensTest {
  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void generatedTokensArePrivateRandomAndDistinct(@TempDir Path dir) throws Exception {
    Tokens t = Tokens.load(dir, null, null);
    assertEquals("rw-------", mode(dir.resolve("join.token")));
    assertEquals("rw-------", mode(dir.resolve("admin.token")));
    assertTrue(t.join().startsWith("hj_") && t.join().length() >= 40, t.join());
    assertTrue(t.admin().startsWith("ha_") && t.admin().length() >= 40);
    assertNotEquals(t.join(), t.admin());
    Tokens again = Tokens.load(dir, null, null);
    assertEquals(t.join(), again.join(), "a restart keeps the tokens");
    Path other = Files.createDirectory(dir.resolve("other"));
    assertNotEquals(t.admin(), Tokens.load(other, null, null).admin(), "each cluster gets its own");
  }

  @Test
  void classifiesEachTokenAndNothingElse(@TempDir Path dir) throws Exception {
    Tokens t = Tokens.load(dir, null, null);
    assertEquals(Kind.ADMIN, t.classify(t.admin()));
    assertEquals(Kind.JOIN, t.classify(t.join()));
    for (String bad : new String[] {null, "", " ", t.admin() + "x", t.admin().substring(1), t.join().toUpperCase(),
        "x".repeat(5000), t.admin().substring(0, t.admin().length() - 1)}) {
      assertEquals(Kind.NONE, t.classify(bad), String.valueOf(bad));
    }
  }

  @Test
  void givenTokensWinAndAreNotWrittenNorRotatable(@TempDir Path dir) throws Exception {
    Tokens t = Tokens.load(dir, "hj_given-join-token-123456", "ha_given-admin-token-12345");
    assertEquals("hj_given-join-token-123456", t.join());
    assertFalse(Files.exists(dir.resolve("join.token")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.rotate(Kind.JOIN));
    assertTrue(e.getMessage().contains("--join-token"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Tokens.load(dir, "same-token-for-both-1", "same-token-for-both-1"));
    assertThrows(IllegalArgumentException.class, () -> Tokens.load(dir, "short", null));
  }

  @Test
  void rotationKeepsTheOldTokenForTheGraceOnly(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock();
    Tokens t = Tokens.load(dir, null, null, Duration.ofHours(1), clock);
    String oldJoin = t.join();
    Tokens.Rotation r = t.rotate(Kind.JOIN);
    assertNotEquals(oldJoin, r.token());
    assertEquals(r.token(), t.join());
    assertEquals(r.token(), Files.readString(dir.resolve("join.token")).trim(), "the file holds the new token");
    assertEquals("rw-------", mode(dir.resolve("join.token")));
    assertEquals("rw-------", mode(dir.resolve("join.token.previous")));
    assertEquals(clock.now.plus(Duration.ofHours(1)), r.previousValidUntil());

    Tokens.Match old = t.match(oldJoin);
    assertEquals(Kind.JOIN, old.kind());
    assertTrue(old.previous());
    assertEquals(Kind.JOIN, t.classify(r.token()));
    assertEquals(List.of(r.token(), oldJoin), t.validJoinTokens());

    clock.now = clock.now.plus(Duration.ofMinutes(59));
    assertEquals(Kind.JOIN, t.classify(oldJoin), "still inside the grace");
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertEquals(Kind.NONE, t.classify(oldJoin), "refused once the grace is over");
    assertEquals(Kind.JOIN, t.classify(r.token()));
    assertEquals(List.of(r.token()), t.validJoinTokens());
  }

  @Test
  void adminRotationLeavesTheJoinTokenAlone(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock();
    Tokens t = Tokens.load(dir, null, null, Duration.ofMinutes(5), clock);
    String join = t.join();
    String oldAdmin = t.admin();
    Tokens.Rotation r = t.rotate(Kind.ADMIN);
    assertEquals(join, t.join());
    assertEquals(Kind.ADMIN, t.classify(oldAdmin));
    assertEquals(Kind.ADMIN, t.classify(r.token()));
    assertEquals(Kind.JOIN, t.classify(join));
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    assertEquals(Kind.NONE, t.classify(oldAdmin));
  }

  @Test
  void theGraceSurvivesARestartAndEndsOnTime(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock();
    Tokens t = Tokens.load(dir, null, null, Duration.ofHours(1), clock);
    String old = t.join();
    String fresh = t.rotate(Kind.JOIN).token();
    clock.now = clock.now.plus(Duration.ofMinutes(30));
    Tokens restarted = Tokens.load(dir, null, null, Duration.ofHours(1), clock);
    assertEquals(fresh, restarted.join());
    assertEquals(Kind.JOIN, restarted.classify(old), "the old token is still in its grace after a restart");
    clock.now = clock.now.plus(Duration.ofMinutes(31));
    assertEquals(Kind.NONE, restarted.classify(old));
    Tokens later = Tokens.load(dir, null, null, Duration.ofHours(1), clock);
    assertEquals(Kind.NONE, later.classify(old));
    assertFalse(Files.exists(dir.resolve("join.token.previous")), "an expired previous token is removed");
  }

  @Test
  void aSecondRotationEndsTheFirstOldTokenAtOnce(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock();
    Tokens t = Tokens.load(dir, null, null, Duration.ofHours(1), clock);
    String first = t.join();
    String second = t.rotate(Kind.JOIN).token();
    String third = t.rotate(Kind.JOIN).token();
    assertEquals(Kind.NONE, t.classify(first));
    assertEquals(Kind.JOIN, t.classify(second));
    assertEquals(Kind.JOIN, t.classify(third));
  }

  @Test
  void zeroGraceRefusesTheOldTokenImmediately(@TempDir Path dir) throws Exception {
    Tokens t = Tokens.load(dir, null, null, Duration.ZERO, new MutableClock());
    String old = t.admin();
    Tokens.Rotation r = t.rotate(Kind.ADMIN);
    assertNull(r.previousValidUntil());
    assertEquals(Kind.NONE, t.classify(old));
  }

  @Test
  void dispatchesUseTheTokenEachNodeStillHas(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock();
    Tokens t = Tokens.load(dir, null, null, Duration.ofHours(1), clock);
    String old = t.join();
    t.seen("a", t.match(old));
    t.seen("b", t.match(old));
    String fresh = t.rotate(Kind.JOIN).token();
    assertEquals(old, t.joinFor("a"), "agent a was not restarted yet: it only knows the old token");
    t.seen("b", t.match(fresh));
    assertEquals(fresh, t.joinFor("b"), "agent b was restarted with the new token");
    assertEquals(fresh, t.joinFor("never-seen"));
    clock.now = clock.now.plus(Duration.ofHours(2));
    assertEquals(fresh, t.joinFor("a"), "after the grace only the new token is used");
  }
}
