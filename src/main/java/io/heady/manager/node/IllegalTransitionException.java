package io.heady.manager.node;

/** A state machine was asked for a move its table does not allow: a bug in the caller. */
public final class IllegalTransitionException extends IllegalStateException {
  public IllegalTransitionException(String machine, Object from, Object event) {
    super(machine + ": no transition from " + from + " on " + event);
  }
}
