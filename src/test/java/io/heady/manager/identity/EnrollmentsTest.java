package io.heady.manager.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.common.identity.Pki;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollments kept in the manager's data dir: what a join-token holder makes the manager keep is bounded
 * (enrollments that never register expire, and are capped), each change costs a line of the file, and an
 * enrollment answered is on disk.
 */
class EnrollmentsTest {
  /** A clock the test moves. */
  static final class MovedClock extends Clock {
    volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @TempDir
  Path dir;
  private Vertx vertx;
  private final MovedClock clock = new MovedClock();
  private final ClusterAuthority authority = ClusterAuthority.create("test", Clock.systemUTC());

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Path file() {
    return dir.resolve("identity").resolve("enrollments.jsonl");
  }

  /** The file the last {@link #open} writes to. */
  private EnrollmentFile book;

  private Enrollments open(EnrollmentDesk.Settings s) throws Exception {
    book = new EnrollmentFile(vertx, file());
    Enrollments e = new Enrollments(authority, new EnrollmentDesk(s), book, clock);
    e.load().await(10, TimeUnit.SECONDS);
    return e;
  }

  private static EnrollmentDesk.Request ask(String id, KeyPair kp) {
    return new EnrollmentDesk.Request(id, id, Pki.pem(kp.getPublic()), Pki.fingerprint(kp.getPublic()), "10.0.0.9");
  }

  private static EnrollmentDesk.Decision enroll(Enrollments e, String id) throws Exception {
    return e.enroll(ask(id, Pki.newKeyPair())).await(10, TimeUnit.SECONDS);
  }

  @Test
  void manyEnrollmentsThatNeverRegisterAreCappedWithAClearError() throws Exception {
    Enrollments e = open(EnrollmentDesk.Settings.OPEN);
    List<Future<EnrollmentDesk.Decision>> all = new ArrayList<>();
    for (int i = 0; i < EnrollmentDesk.MAX_PENDING; i++) {
      all.add(e.enroll(ask("n" + i, Pki.newKeyPair())));
    }
    for (Future<EnrollmentDesk.Decision> f : all) {
      assertEquals(201, f.await(30, TimeUnit.SECONDS).status());
    }
    EnrollmentDesk.Decision over = enroll(e, "one-more");
    assertEquals(429, over.status());
    assertEquals("TOO_MANY_PENDING", over.code());
    assertTrue(over.message().contains("waiting already for their node to register"), over.message());
    assertNull(e.get("one-more"));

    e.registered("n7").await(10, TimeUnit.SECONDS);
    assertEquals(201, enroll(e, "one-more").status(), "a node that registered no longer waits: a place is free");
    assertEquals(429, enroll(e, "two-more").status());
  }

  @Test
  void anEnrollmentThatNeverRegistersExpiresAndItsIdIsFreeAgain() throws Exception {
    Enrollments e = open(EnrollmentDesk.Settings.OPEN);
    assertEquals(201, enroll(e, "silent").status());
    assertEquals(201, enroll(e, "worker").status());
    e.registered("worker").await(10, TimeUnit.SECONDS);
    assertNotNull(e.pairKey("silent"));

    clock.now = clock.now.plus(EnrollmentDesk.REGISTER_WITHIN).minusSeconds(1);
    assertNotNull(e.pairKey("silent"), "within the bound it may still register");
    assertEquals(409, enroll(e, "silent").status(), "and its id is taken");

    clock.now = clock.now.plusSeconds(2);
    assertNull(e.pairKey("silent"), "past the bound its key opens nothing, even before the sweep");
    assertNotNull(e.pairKey("worker"), "a node that registered is kept");
    assertEquals(1, e.expire());
    assertNull(e.get("silent"));
    assertEquals(201, enroll(e, "silent").status(), "its id is free again");

    Enrollments reread = open(EnrollmentDesk.Settings.OPEN);
    assertNotNull(reread.get("worker").registeredAt(), "the registration is kept on disk");
    assertEquals(2, reread.all().size());
  }

  @Test
  void theEnrolledNodesAreCappedInAll() throws Exception {
    Enrollments e = open(new EnrollmentDesk.Settings(false, 3, Duration.ofDays(1), Duration.ofHours(1), 5));
    for (int i = 0; i < 5; i++) {
      assertEquals(201, enroll(e, "n" + i).status());
      e.registered("n" + i).await(10, TimeUnit.SECONDS);
    }
    EnrollmentDesk.Decision d = enroll(e, "n5");
    assertEquals(507, d.status());
    assertEquals("TOO_MANY_NODES", d.code());
    e.revoke("n0").await(10, TimeUnit.SECONDS);
    assertEquals(201, enroll(e, "n5").status(), "a revoked node does not count");
  }

  @Test
  void anEnrollmentAnsweredIsOnDiskAndEachChangeCostsALine() throws Exception {
    Enrollments e = open(EnrollmentDesk.Settings.OPEN);
    int n = 150;
    List<Future<EnrollmentDesk.Decision>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(e.enroll(ask("node-" + i, Pki.newKeyPair())));
    }
    for (Future<EnrollmentDesk.Decision> f : all) {
      assertEquals(201, f.await(30, TimeUnit.SECONDS).status());
    }
    // no close, no flush: what a manager killed right after its answers leaves behind
    long line = Files.size(file()) / n;
    EnrollmentFile writer = book;
    assertEquals(n, new EnrollmentFile(vertx, file()).read().size(), "every node answered 201 is in the file");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));

    for (int i = 0; i < n; i++) {
      e.registered("node-" + i).await(10, TimeUnit.SECONDS);
    }
    assertTrue(writer.bytesWritten() < 4L * 2 * n * line, "each change appends a line (" + writer.bytesWritten()
        + " bytes written for " + 2 * n + " changes of about " + line + " bytes): it does not rewrite the file");
    assertTrue(Files.readAllLines(file()).size() <= 2 * n, "the file is compacted as it grows");
    Enrollments reread = open(EnrollmentDesk.Settings.OPEN);
    assertEquals(n, reread.all().size());
    assertTrue(reread.all().stream().allMatch(x -> x.registeredAt() != null));
  }

  @Test
  void aLineCutShortByACrashIsSkippedAndLaterChangesAreWhole() throws Exception {
    Enrollments e = open(EnrollmentDesk.Settings.OPEN);
    assertEquals(201, enroll(e, "kept").status());
    Files.writeString(file(), "{\"put\":{\"node_id\":\"half", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Enrollments after = open(EnrollmentDesk.Settings.OPEN);
    assertEquals(List.of("kept"), after.all().stream().map(Enrollment::nodeId).toList());
    assertEquals(201, enroll(after, "next").status());
    assertEquals(List.of("kept", "next"), open(EnrollmentDesk.Settings.OPEN).all().stream().map(Enrollment::nodeId)
        .toList());
  }

  @Test
  void theFileOfEarlierVersionsIsReadOnceAndReplaced() throws Exception {
    Enrollments e = open(EnrollmentDesk.Settings.OPEN);
    assertEquals(201, enroll(e, "old").status());
    JsonObject old = e.get("old").toJson();
    old.remove("registered_at"); // as earlier versions wrote it
    Path legacy = file().resolveSibling("enrollments.json");
    Files.delete(file());
    Files.writeString(legacy, new io.vertx.core.json.JsonArray().add(old).encodePrettily());
    Enrollments moved = open(EnrollmentDesk.Settings.OPEN);
    assertEquals(1, moved.all().size());
    assertNotNull(moved.get("old").registeredAt(), "a node enrolled before registrations were kept never expires");
    assertTrue(!Files.exists(legacy) && Files.exists(file()));
  }
}
