package io.heady.manager.store;

/**
 * A write was refused because this manager no longer holds the leadership lease it took with
 * {@link ClusterStore#tryLead}: another manager leads now. Nothing of the refused write landed; the
 * manager must stop scheduling (step down), not retry.
 */
public class NotLeaderException extends RuntimeException {
  private final String leader;

  public NotLeaderException(String self, String leader) {
    super("write refused: " + self + " does not lead" + (leader == null ? " (no leader)" : "; " + leader + " leads"));
    this.leader = leader;
  }

  /** Who leads now, or {@code null} when the lease is free. */
  public String leader() {
    return leader;
  }
}
