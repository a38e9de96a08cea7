/**
 * Placement as a pipeline: feasibility checks (each returns a reason or nothing), then scorers, composed in
 * {@link io.heady.manager.placement.Placer}. The explanation a user sees falls out of the same objects.
 * No Vert.x here.
 */
package io.heady.manager.placement;
