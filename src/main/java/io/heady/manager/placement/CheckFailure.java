package io.heady.manager.placement;

/**
 * One check a node fails for a task, as an explanation shows it.
 *
 * @param check the check's short name ({@code cores}, {@code drain}, …)
 * @param reason the check's own words for this node
 * @param lasting whether the failure lasts while the node and the task stay as they are ({@link
 *     FeasibilityCheck#lasting})
 */
public record CheckFailure(String check, String reason, boolean lasting) {}
