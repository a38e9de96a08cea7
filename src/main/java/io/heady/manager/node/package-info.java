/** Nodes as the manager sees them: tiers, reliability, and the node status machine. No Vert.x here. */
package io.heady.manager.node;
