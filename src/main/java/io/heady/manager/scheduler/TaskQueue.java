package io.heady.manager.scheduler;

import io.heady.common.protocol.Priority;
import io.heady.manager.task.TaskRecord;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Ready tasks, by priority and then age, served with a fair share: each priority class has a weight (P0 8,
 * P1 4, P2 2, P3 1) and the class with the least service per weight after its next dispatch goes next
 * (stride scheduling by finish tag). So urgent work goes first, and a stream of P0/P1 tasks still leaves P3
 * one dispatch in fifteen.
 *
 * <p>It also counts its tasks by placement signature (tasks alike place alike), so a dispatch pass that has
 * seen every signature fail can stop instead of walking a deep queue of tasks that would fail the same way.
 */
public final class TaskQueue {
  private static final double[] STRIDE = {1.0 / 8, 1.0 / 4, 1.0 / 2, 1.0};
  private static final Comparator<TaskRecord> AGE = Comparator.comparingLong(TaskRecord::seq);

  @SuppressWarnings("unchecked")
  private final TreeSet<TaskRecord>[] classes = new TreeSet[4];
  private final double[] pass = new double[4];
  /** The finish tag of the latest dispatch: the queue's virtual time (self-clocked), never moving back. */
  private double virtualTime;
  private final Function<TaskRecord, Object> signatureOf;
  private final Map<String, Object> signatures = new HashMap<>();
  private final Map<Object, Integer> bySignature = new HashMap<>();

  /** A queue whose tasks are all of one signature (tests of the order alone). */
  public TaskQueue() {
    this(t -> "");
  }

  /** @param signatureOf a task's placement signature, taken when it joins the queue */
  public TaskQueue(Function<TaskRecord, Object> signatureOf) {
    this.signatureOf = signatureOf;
    for (int i = 0; i < 4; i++) {
      classes[i] = new TreeSet<>(AGE);
    }
  }

  /** The signature a queued task joined with ({@code null} when it is not queued). */
  public Object signature(TaskRecord t) {
    return signatures.get(t.id());
  }

  /** How many different signatures the queued tasks have. */
  public int signatures() {
    return bySignature.size();
  }

  private void counted(TaskRecord t) {
    Object sig = signatureOf.apply(t);
    Object old = signatures.put(t.id(), sig);
    if (old != null) {
      uncount(old);
    }
    bySignature.merge(sig, 1, Integer::sum);
  }

  private void uncounted(TaskRecord t) {
    Object old = signatures.remove(t.id());
    if (old != null) {
      uncount(old);
    }
  }

  private void uncount(Object sig) {
    bySignature.computeIfPresent(sig, (k, n) -> n == 1 ? null : n - 1);
  }

  public void add(TaskRecord t) {
    int c = t.priority().ordinal();
    if (classes[c].isEmpty()) {
      // why: a class that was idle must not bank credit and then starve the others. The floor is the virtual
      // time of service, not the lowest pass still queued: that is 0 on an empty queue and stays low while a
      // class sits unplaceable, and either would let a joining class claim hundreds of dispatches in a row.
      pass[c] = Math.max(pass[c], virtualTime);
    }
    if (classes[c].add(t)) {
      counted(t);
    }
  }

  public boolean remove(TaskRecord t) {
    boolean removed = classes[t.priority().ordinal()].remove(t);
    if (removed) {
      uncounted(t);
    }
    return removed;
  }

  public int size() {
    int n = 0;
    for (TreeSet<TaskRecord> s : classes) {
      n += s.size();
    }
    return n;
  }

  public int size(Priority p) {
    return classes[p.ordinal()].size();
  }

  /** Every queued task, in no particular order (reads only). */
  public void forEach(java.util.function.Consumer<TaskRecord> action) {
    for (TreeSet<TaskRecord> s : classes) {
      s.forEach(action);
    }
  }

  /** Walks the queue in fair order; {@link Cursor#take()} removes the last task and charges its class. */
  public Cursor cursor() {
    return new Cursor();
  }

  /** One pass over the queue. */
  public final class Cursor {
    @SuppressWarnings("unchecked")
    private final Iterator<TaskRecord>[] its = new Iterator[4];
    private final double[] local = pass.clone();
    private int last = -1;
    private TaskRecord current;

    Cursor() {
      for (int i = 0; i < 4; i++) {
        its[i] = classes[i].iterator();
      }
    }

    /** The next candidate, or {@code null} when every class is exhausted. */
    public TaskRecord next() {
      int pick = -1;
      // why: by finish tag (pass + stride), not start tag, so equal passes still go to the more urgent class:
      // a burst of P0 leaves before an older P3, and the 8:4:2:1 share only shows under sustained load.
      for (int i = 0; i < 4; i++) {
        if (its[i].hasNext() && (pick < 0 || local[i] + STRIDE[i] < local[pick] + STRIDE[pick])) {
          pick = i;
        }
      }
      if (pick < 0) {
        return null;
      }
      last = pick;
      current = its[pick].next();
      return current;
    }

    /** The last candidate was placed: remove it and charge its class. */
    public void take() {
      its[last].remove();
      uncounted(current);
      pass[last] += STRIDE[last];
      virtualTime = Math.max(virtualTime, pass[last]);
      local[last] = Math.max(local[last], pass[last]);
    }
  }
}
