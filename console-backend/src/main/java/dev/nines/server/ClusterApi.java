package dev.nines.server;

import dev.nines.server.auth.Access;
import io.javalin.http.Context;

/** {@code GET /api/v1/cluster}: this replica, its role and the leader it knows of (every reader). */
final class ClusterApi {
  private final Cluster cluster;
  private final Access access;

  ClusterApi(Cluster cluster, Access access) {
    this.cluster = cluster;
    this.access = access;
  }

  void get(Context ctx) {
    access.require(ctx, Access.READERS);
    ctx.json(cluster.view());
  }
}
