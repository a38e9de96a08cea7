package io.heady.manager.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heady.manager.testing.NodeBuilder;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed's tier table and slot formula, over its boundaries, on nominal RAM (reported ÷ 0.95, floored). */
class TierTest {

  @ParameterizedTest(name = "{0} cores, {1} GB reported -> {2}, {3} slots")
  @CsvSource({
      // cores, reported GB, tier, max_concurrent
      "12, 24,   POWERHOUSE, 6",   // both minimums met
      "11, 24,   STANDARD,   5",   // one core short of POWERHOUSE
      "12, 22.7, STANDARD,   6",   // 22.7 / 0.95 = 23.9 -> nominal 23 < 24
      "12, 22.8, POWERHOUSE, 6",   // 22.8 / 0.95 = 24.0 exactly: no float slip below the bar
      "4,  8,    STANDARD,   2",
      "3,  8,    LIGHT,      1",   // one core short of STANDARD
      "4,  7.5,  LIGHT,      2",   // nominal 7 < 8
      "4,  7.6,  STANDARD,   2",   // an '8 GB' laptop as the kernel reports it: nominal 8
      "64, 256,  POWERHOUSE, 16",  // cores/2 = 32, capped at 16
      "16, 32,   POWERHOUSE, 8",   // the seed's Ryzen 9: 'Max 8 concurrent'
      "16, 31.3, POWERHOUSE, 8",   // the same box as the kernel reports it
      "2,  24,   LIGHT,      1",   // cores/2 = 1
      "16, 6,    LIGHT,      2",   // formula gives 3 (nominal 6 / 2); LIGHT is capped at 2
      "1,  0.5,  LIGHT,      1",   // never below 1
  })
  void tierAndSlots(int cores, double ramGb, Tier tier, int slots) {
    assertEquals(tier, Tier.classify(cores, ramGb));
    assertEquals(slots, Tier.maxConcurrent(cores, ramGb));
  }

  @ParameterizedTest(name = "{0} GB reported -> {1} GB nominal")
  @CsvSource({"22.7, 23", "22.8, 24", "7.5, 7", "7.6, 8", "24, 25", "31.3, 32", "0, 0", "256, 269"})
  void nominalRam(double reported, int nominal) {
    assertEquals(nominal, Tier.nominalRamGb(reported));
  }

  @ParameterizedTest
  @CsvSource({"POWERHOUSE, 0.3", "STANDARD, 0.1", "LIGHT, 0.0"})
  void boosts(Tier tier, double boost) {
    assertEquals(boost, tier.boost(), 1e-9);
  }

  @ParameterizedTest(name = "record of {0} cores, {1} GB, override {2} -> {3}, {4} slots")
  @CsvSource({
      "16, 32, 0, POWERHOUSE, 8",  // tier formula
      "16, 32, 3, POWERHOUSE, 3",  // the operator may set it lower
      "2,  4,  6, LIGHT,      6",  // or higher, even past the LIGHT cap
  })
  void recordUsesFormulaUnlessOverridden(int cores, double ram, int override, Tier tier, int slots) {
    NodeRecord n = NodeBuilder.node("n").cores(cores).ram(ram).slots(override).active(Instant.EPOCH);
    assertEquals(tier, n.tier());
    assertEquals(slots, n.maxConcurrent());
  }
}
