package io.heady.manager.scheduler;

import io.heady.common.protocol.Priority;
import io.heady.manager.task.TaskRecord;
import java.util.Comparator;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * Ready tasks, by priority and then age, served with a fair share: each priority class has a weight (P0 8,
 * P1 4, P2 2, P3 1) and the class with the least service per weight after its next dispatch goes next
 * (stride scheduling by finish tag). So urgent work goes first, and a stream of P0/P1 tasks still leaves P3
 * one dispatch in fifteen.
 */
public final class TaskQueue {
  private static final double[] STRIDE = {1.0 / 8, 1.0 / 4, 1.0 / 2, 1.0};
  private static final Comparator<TaskRecord> AGE = Comparator.comparingLong(TaskRecord::seq);

  @SuppressWarnings("unchecked")
  private final TreeSet<TaskRecord>[] classes = new TreeSet[4];
  private final double[] pass = new double[4];
  /** The finish tag of the latest dispatch: the queue's virtual time (self-clocked), never moving back. */
  private double virtualTime;

  public TaskQueue() {
    for (int i = 0; i < 4; i++) {
      classes[i] = new TreeSet<>(AGE);
    }
  }

  public void add(TaskRecord t) {
    int c = t.priority().ordinal();
    if (classes[c].isEmpty()) {
      // why: a class that was idle must not bank credit and then starve the others. The floor is the virtual
      // time of service, not the lowest pass still queued: that is 0 on an empty queue and stays low while a
      // class sits unplaceable, and either would let a joining class claim hundreds of dispatches in a row.
      pass[c] = Math.max(pass[c], virtualTime);
    }
    classes[c].add(t);
  }

  public boolean remove(TaskRecord t) {
    return classes[t.priority().ordinal()].remove(t);
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
      return its[pick].next();
    }

    /** The last candidate was placed: remove it and charge its class. */
    public void take() {
      its[last].remove();
      pass[last] += STRIDE[last];
      virtualTime = Math.max(virtualTime, pass[last]);
      local[last] = Math.max(local[last], pass[last]);
    }
  }
}
