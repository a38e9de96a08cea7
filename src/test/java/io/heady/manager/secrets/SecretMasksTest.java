package io.heady.manager.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.heady.common.protocol.Completion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manager masks again what an attempt's result carries of the values it was given, whatever the node did. */
class SecretMasksTest {
  private static Completion result(String lease, String out, String err, String error) {
    return new Completion("t", "n1", lease, "failed", 1, 10, out, err, false, error);
  }

  @Test
  void theValuesOfThatAttemptAreMaskedUntilItsResultIsRecorded() {
    SecretMasks masks = new SecretMasks();
    masks.remember("lease-1", List.of("pa55word", "tok-123"));
    Completion c = masks.mask(result("lease-1", "pw=pa55word\n", "tok-123 tok-12", "saw pa55word"));
    assertEquals("pw=***\n", c.stdout());
    assertEquals("*** tok-12", c.stderr());
    assertEquals("saw ***", c.error());
    assertEquals("pw=***\n", masks.mask(result("lease-1", "pw=pa55word\n", "", null)).stdout(),
        "a result the store did not take comes again, masked again");
    masks.forget("lease-1");
    assertEquals(0, masks.size());
    Completion other = result("lease-2", "pa55word", "", null);
    assertSame(other, masks.mask(other), "an attempt without secrets passes as it is");
  }

  @Test
  void attemptsThatNeverReportAreForgottenOldestFirst() {
    SecretMasks masks = new SecretMasks();
    for (int i = 0; i < SecretMasks.MAX_ATTEMPTS + 5; i++) {
      masks.remember("l" + i, List.of("v" + i));
    }
    assertEquals(SecretMasks.MAX_ATTEMPTS, masks.size());
    assertEquals("v0", masks.mask(result("l0", "v0", "", null)).stdout(), "the oldest went");
    assertEquals("***", masks.mask(result("l" + (SecretMasks.MAX_ATTEMPTS + 4), "v" + (SecretMasks.MAX_ATTEMPTS + 4),
        "", null)).stdout());
  }
}
