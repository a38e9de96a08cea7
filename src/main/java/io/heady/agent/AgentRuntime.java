package io.heady.agent;

import io.heady.agent.identity.NodeIdentity;
import io.heady.common.config.Config;
import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.hardware.HardwareProbe;
import io.heady.common.node.NodeExecutor;
import io.heady.common.node.Reports;
import io.heady.common.protocol.Hardware;
import io.heady.common.retry.Backoff;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's lasting part: its identity, its task slots and its pending results. Transport sessions
 * ({@link Session}) come and go (a manager restart, a cluster eviction after a hang); running tasks and
 * unreported results stay here and are handed to the next session.
 */
public final class AgentRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);
  /** Joining the manager again: from 250 ms, doubling, at most 5 s apart. */
  private static final Backoff JOIN_BACKOFF = Backoff.doubling(250, 5000);

  /**
   * What an agent is told at start.
   *
   * @param token the join token, only needed to enroll; {@code null} once the node holds its credential
   */
  public record Settings(String managerUrl, String token, String nodeId, String name, String transport,
      String tunnelUrl, Path dataDir, Map<String, String> labels, int maxConcurrent, int port,
      long shutdownGraceMs) {}

  private final Config cfg;
  private final Settings settings;
  private final AgentState state;
  private final Reports reports;
  private final HardwareProbe probe;
  private final TaskSlots slots;
  private final Object lock = new Object();
  private volatile Session session;
  private volatile NodeIdentity identity;
  private volatile boolean stopping;
  private Thread supervisor;
  private io.heady.agent.housekeeping.Housekeeping housekeeping;

  AgentRuntime(Config cfg, Settings s) {
    this.cfg = cfg;
    this.settings = s;
    this.reports = new Reports(s.nodeId());
    this.state = new AgentState(s.nodeId(), s.name(), s.transport(), null, s.labels(), s.maxConcurrent());
    this.probe = HardwareProbe.system(s.dataDir());
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon("heady-exec-timer"));
    timers.setRemoveOnCancelPolicy(true);
    io.heady.common.exec.contain.Containment containment = io.heady.common.exec.contain.NodeContainment.start(cfg,
        s.nodeId(), s.dataDir());
    state.containment(containment.capability());
    ProcessRunner runner = new ProcessRunner(Executors.newCachedThreadPool(daemon("heady-exec")), timers,
        containment);
    TaskSlots.Settings ss = TaskSlots.Settings.from(cfg, s.dataDir().resolve("logs"));
    this.slots = new TaskSlots(s.nodeId(), 0, runner, ss, NodeExecutor.reporter(reports), Clock.systemUTC());
    // why: the identity comes later (enrollment) and may be renewed; the key is the one held when a dispatch comes
    this.slots.secrets(io.heady.common.exec.SecretOpener.withKey(() -> {
      NodeIdentity id = identity;
      return id == null ? null : id.pairKey();
    }));
  }

  /** Detects the hardware and opens the first session (retrying until the manager answers). */
  void start() throws Exception {
    Hardware hw = probe.detect();
    state.hardware(hw, probe.capabilities(hw));
    state.stats(probe.sample());
    // why: before the first session, so the first heartbeat (and any dispatch) already knows a full disk
    housekeeping = io.heady.agent.housekeeping.Housekeeping.start(cfg, settings.dataDir(), slots, state, () -> {
      Session s = session;
      if (s != null) {
        s.heartbeatNow();
      }
    });
    openSession();
  }

  private void openSession() throws Exception {
    long backoff = JOIN_BACKOFF.first();
    while (!stopping) {
      try {
        if (identity == null) {
          identity = NodeIdentity.ensure(settings.dataDir(), settings.nodeId(), settings.name(),
              settings.managerUrl(), settings::token, io.heady.common.tls.ClientTls.fromConfig(cfg), () -> stopping,
              Clock.systemUTC());
        }
        Session s = Session.open(cfg, settings, state, slots, reports, probe, identity, this::sessionLost);
        synchronized (lock) {
          if (stopping) {
            s.close();
            return;
          }
          session = s;
        }
        return;
      } catch (io.heady.common.config.ConfigException e) {
        throw e;
      } catch (Session.CredentialRefused e) {
        if (settings.token() == null || settings.token().isBlank()) {
          throw new io.heady.common.config.ConfigException(e.getMessage() + "; if this node was revoked or the "
              + "cluster is new, enroll it again with --token-file=FILE");
        }
        LOG.warn("{}; enrolling again with the join token", e.getMessage());
        NodeIdentity.forget(settings.dataDir(), settings.nodeId());
        identity = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.warn("cannot join the manager yet ({}); retrying in {} ms", e.getMessage(), backoff);
        // why: the supervisor thread has nothing else to do until the manager answers
        Thread.sleep(backoff);
        backoff = JOIN_BACKOFF.next(backoff);
      }
    }
  }

  /** The session lost the manager: replace it on the supervisor thread (once at a time). */
  private void sessionLost() {
    synchronized (lock) {
      if (stopping || (supervisor != null && supervisor.isAlive())) {
        return;
      }
      supervisor = new Thread(() -> {
        Session old = session;
        session = null;
        if (old != null) {
          old.close();
        }
        try {
          openSession();
          LOG.info("rejoined the manager");
        } catch (Exception e) {
          LOG.error("cannot rejoin the manager: {}", e.getMessage());
        }
      }, "heady-agent-rejoin");
      supervisor.start();
    }
  }

  /**
   * Graceful stop: take no new work, let running tasks finish up to the grace (then stop them), deliver
   * their results, deregister, close.
   */
  public void shutdown() {
    synchronized (lock) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    LOG.info("shutting down: no new tasks; {} running and {} queued may take up to {} s", slots.running(),
        slots.queued(), settings.shutdownGraceMs() / 1000);
    slots.close();
    long deadline = System.nanoTime() + settings.shutdownGraceMs() * 1_000_000L;
    // why: queued (prefetched) tasks were accepted, so they run within the grace like running ones; past it they
    // are dropped unstarted and the deregistration below hands them back to the manager's queue
    waitUntil(() -> slots.held() == 0, deadline);
    if (slots.held() > 0) {
      LOG.warn("grace over: stopping {} running tasks, handing back {} queued", slots.running(), slots.queued());
      slots.cancelAll();
      waitUntil(() -> slots.running() == 0, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    }
    waitUntil(() -> reports.size() == 0, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    Session s = session;
    if (s != null) {
      s.deregister();
      s.close();
    }
    if (housekeeping != null) {
      housekeeping.close();
    }
    LOG.info("agent {} stopped", settings.nodeId());
  }

  private static void waitUntil(java.util.function.BooleanSupplier done, long deadlineNanos) {
    while (!done.getAsBoolean() && System.nanoTime() < deadlineNanos) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  public Session session() {
    return session;
  }

  public AgentState state() {
    return state;
  }

  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
