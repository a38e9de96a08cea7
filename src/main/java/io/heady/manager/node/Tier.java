package io.heady.manager.node;

/**
 * The seed's node tiers. A node's tier sets its routing boost and, with its size, its slot count.
 *
 * <p>why: the kernel reports usable memory, 3–5 % below what is installed (a "32 GB" mini-PC shows about
 * 31.3 GB, an "8 GB" laptop about 7.6 GB). Classifying on the reported figure would put every 8 GB laptop
 * in LIGHT, so tiers and slots use the nominal size: reported ÷ 0.95, rounded down to a whole GB.
 */
public enum Tier {
  POWERHOUSE(12, 24, 0.3),
  STANDARD(4, 8, 0.1),
  LIGHT(0, 0, 0.0);

  /** The most slots the formula gives any node. */
  public static final int MAX_SLOTS = 16;
  /** The seed's table gives a LIGHT node 1–2 concurrent tasks. */
  public static final int LIGHT_MAX_SLOTS = 2;

  private final int minCores;
  private final int minRamGb;
  private final double boost;

  Tier(int minCores, int minRamGb, double boost) {
    this.minCores = minCores;
    this.minRamGb = minRamGb;
    this.boost = boost;
  }

  public double boost() {
    return boost;
  }

  /** Installed memory as a whole number of GB, from what the OS reports as usable. */
  public static int nominalRamGb(double reportedGb) {
    return (int) Math.floor(reportedGb / 0.95 + 1e-6);
  }

  public static Tier classify(int cores, double ramGb) {
    int ram = nominalRamGb(ramGb);
    for (Tier t : values()) {
      if (cores >= t.minCores && ram >= t.minRamGb) {
        return t;
      }
    }
    return LIGHT;
  }

  /** {@code max(1, min(cores/2, ram/2, 16))}, and at most 2 on a LIGHT node. */
  public static int maxConcurrent(int cores, double ramGb) {
    int slots = Math.max(1, Math.min(Math.min(cores / 2, nominalRamGb(ramGb) / 2), MAX_SLOTS));
    return classify(cores, ramGb) == LIGHT ? Math.min(slots, LIGHT_MAX_SLOTS) : slots;
  }
}
