package dev.nines.console.actions;

/**
 * Where an action's confirmation dialog stands. The happy path is LOADING_PLAN -> CONFIRM -> SENDING
 * -> IN_PROGRESS -> DONE; a guard refusal goes REFUSED -> FORCE_REASON -> FORCE_CONFIRM -> SENDING.
 */
public enum ActionState {
  /** No dialog. */
  IDLE,
  /** The dry run is under way. */
  LOADING_PLAN,
  /** The impact is shown; the operator confirms or cancels. */
  CONFIRM,
  /** The capacity guard refused; {@code force} is offered. */
  REFUSED,
  /** The operator types why the guard is overridden. */
  FORCE_REASON,
  /** The second confirmation of a forced action. */
  FORCE_CONFIRM,
  /** The action is being sent. */
  SENDING,
  /** The server accepted it; its progress shows live (DRAINING -> DRAINED, failover phases). */
  IN_PROGRESS,
  /** Complete (or nothing to do). */
  DONE,
  /** It failed, or may not be done with this token; the message says why. */
  FAILED;

  /** Whether the dialog waits for the server (buttons disabled). */
  public boolean busy() {
    return this == LOADING_PLAN || this == SENDING;
  }
}
