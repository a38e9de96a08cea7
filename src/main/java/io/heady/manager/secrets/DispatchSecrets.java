package io.heady.manager.secrets;

import io.heady.common.identity.SecretSeal;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gives an attempt its secrets at the moment it is dispatched: reads each named secret from the {@link SecretVault}
 * (so a secret set or removed since the task was submitted takes effect for this attempt), seals each value for the
 * node that runs it with the key that node shares with the manager ({@link SecretSeal}, bound to the task, the lease
 * and the variable), and remembers the values so that what comes back is masked ({@link SecretMasks}).
 */
public final class DispatchSecrets implements SchedulerVerticle.Secrets {
  private final SecretVault vault;
  private final Function<String, byte[]> keyOf;
  private final SecretMasks masks;

  /** @param keyOf the key the manager shares with a node, by node id ({@code null}: none) */
  public DispatchSecrets(SecretVault vault, Function<String, byte[]> keyOf, SecretMasks masks) {
    this.vault = vault;
    this.keyOf = keyOf;
    this.masks = masks;
  }

  @Override
  public Future<Dispatch> seal(NodeRecord node, Dispatch d, Map<String, String> refs) {
    byte[] key = keyOf.apply(node.nodeId());
    if (key == null) {
      return Future.failedFuture(new IllegalStateException("node " + node.nodeId() + " holds no key to open "
          + "secrets with (not enrolled any more?)"));
    }
    return vault.values(refs.values()).map(values -> {
      Map<String, String> sealed = new LinkedHashMap<>();
      List<String> plain = new ArrayList<>();
      refs.forEach((variable, name) -> {
        byte[] v = values.get(name);
        sealed.put(variable, SecretSeal.seal(key, d.taskId(), d.leaseId(), variable, v));
        plain.add(new String(v, StandardCharsets.UTF_8));
      });
      masks.remember(d.leaseId(), plain);
      return d.withSecrets(sealed);
    });
  }

  @Override
  public boolean lasting(Throwable failure) {
    // why: a secret that is gone or does not open stays so; an unreachable store or node key may come back
    return failure instanceof SecretVault.Missing || failure instanceof IllegalArgumentException;
  }

  @Override
  public String describe(Throwable failure, Map<String, String> refs) {
    if (failure instanceof SecretVault.Missing m) {
      List<String> vars = new ArrayList<>();
      refs.forEach((var, name) -> {
        if (name.equals(m.name())) {
          vars.add(var);
        }
      });
      return "the secret " + m.name() + " (for " + String.join(", ", vars) + ") no longer exists; it was removed "
          + "after the task was submitted (heady secret set " + m.name() + " makes it again)";
    }
    return failure.getMessage();
  }

  @Override
  public Completion mask(Completion c) {
    return masks.mask(c);
  }

  @Override
  public void forget(String leaseId) {
    masks.forget(leaseId);
  }
}
