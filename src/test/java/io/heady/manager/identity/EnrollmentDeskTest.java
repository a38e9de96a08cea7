package io.heady.manager.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The enrollment rules with time as input: expiry of enrollments that never register, and the caps. */
class EnrollmentDeskTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final EnrollmentDesk.Counts NONE = new EnrollmentDesk.Counts(0, 0);
  private final EnrollmentDesk open = new EnrollmentDesk(EnrollmentDesk.Settings.OPEN);

  private static EnrollmentDesk.Request ask(String id, String fingerprint) {
    return new EnrollmentDesk.Request(id, id, "PEM", fingerprint, "10.0.0.9");
  }

  @Test
  void anEnrolledNodeThatNeverRegistersExpiresAfterTheBoundAndItsIdIsFreeAgain() {
    Enrollment e = open.decide(ask("n1", "AA"), null, false, null, NONE, T0).record();
    assertEquals(Enrollment.Status.ENROLLED, e.status());
    assertNull(e.registeredAt());
    assertEquals(T0.plus(EnrollmentDesk.REGISTER_WITHIN), open.expiresAt(e));
    Instant before = T0.plus(EnrollmentDesk.REGISTER_WITHIN);
    assertFalse(open.expired(e, before));
    assertEquals(409, open.decide(ask("n1", "BB"), e, false, null, NONE, before).status(),
        "within the bound the id is still taken");
    Instant after = before.plusSeconds(1);
    assertTrue(open.expired(e, after));
    EnrollmentDesk.Decision again = open.decide(ask("n1", "BB"), e, false, null, NONE, after);
    assertEquals(EnrollmentDesk.Verdict.ENROLLED, again.verdict(), "after it, the id is free for another key");
    assertEquals(201, again.status());
    assertEquals("BB", again.record().fingerprint());
  }

  @Test
  void aRegisteredNodeNeverExpires() {
    Enrollment e = open.decide(ask("n1", "AA"), null, false, null, NONE, T0).record().registered(T0.plusSeconds(5));
    assertNull(open.expiresAt(e));
    assertFalse(open.expired(e, T0.plus(Duration.ofDays(3650))));
    assertFalse(EnrollmentDesk.waiting(e));
  }

  @Test
  void anApprovedNodeHasTheBoundFromItsApproval() {
    EnrollmentDesk approving = new EnrollmentDesk(EnrollmentDesk.Settings.of(true));
    Enrollment asked = approving.decide(ask("n1", "AA"), null, false, null, NONE, T0).record();
    assertEquals(Enrollment.Status.PENDING_APPROVAL, asked.status());
    assertEquals(T0.plus(EnrollmentDesk.APPROVAL_WAIT), approving.expiresAt(asked));
    Instant approvedAt = T0.plus(Duration.ofHours(20));
    Enrollment approved = asked.with(Enrollment.Status.ENROLLED, approvedAt);
    assertEquals(approvedAt.plus(EnrollmentDesk.REGISTER_WITHIN), approving.expiresAt(approved));
    assertTrue(EnrollmentDesk.waiting(approved));
  }

  @Test
  void enrollmentsWaitingToRegisterAreCappedWithAClearError() {
    int cap = EnrollmentDesk.MAX_PENDING;
    assertEquals(201, open.decide(ask("n", "AA"), null, false, null, new EnrollmentDesk.Counts(cap - 1, cap - 1), T0)
        .status());
    EnrollmentDesk.Decision d = open.decide(ask("n", "AA"), null, false, null, new EnrollmentDesk.Counts(cap, cap),
        T0);
    assertEquals(EnrollmentDesk.Verdict.REFUSED, d.verdict());
    assertEquals(429, d.status());
    assertEquals("TOO_MANY_PENDING", d.code());
    assertTrue(d.message().contains(cap + " enrollments are waiting") && d.message().contains("to register")
        && d.message().contains("60 min") && d.message().contains("rotate"), d.message());
  }

  @Test
  void theEnrolledNodesAreCappedInAll() {
    int cap = EnrollmentDesk.MAX_NODES;
    EnrollmentDesk.Decision d = open.decide(ask("n", "AA"), null, false, null, new EnrollmentDesk.Counts(0, cap), T0);
    assertEquals(507, d.status());
    assertEquals("TOO_MANY_NODES", d.code());
    assertTrue(d.message().contains("revoke"), d.message());
    assertEquals(io.heady.common.protocol.ErrorCode.TOO_MANY_NODES.status(), d.status());
  }

  @Test
  void aNodeAskingAgainWithItsKeyIsAnsweredWithoutCountingAgainstTheCaps() {
    Enrollment e = open.decide(ask("n1", "AA"), null, false, null, NONE, T0).record();
    EnrollmentDesk.Counts full = new EnrollmentDesk.Counts(EnrollmentDesk.MAX_PENDING, EnrollmentDesk.MAX_NODES);
    EnrollmentDesk.Decision d = open.decide(ask("n1", "AA"), e, false, null, full, T0.plusSeconds(30));
    assertEquals(200, d.status());
    assertFalse(d.changed());
  }
}
