package dev.egress.collector.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The WHERE clause shared by record queries and summaries. {@code scope} is the set of workspaces
 * the caller may read (null: all, an admin token); it is always applied, whatever the other filters
 * say, so a scoped token cannot read another workspace's records by leaving {@code workspace_id}
 * out.
 *
 * <p>{@code destination} is an exact canonical name, or {@code *.example.com} for every name under
 * it.
 */
public record ViolationFilter(
    Set<Long> scope,
    Long workspaceId,
    Long fromMs,
    Long toMs,
    String destination,
    String reason,
    String accessType) {

  /** Appends " AND ..." conditions to {@code sql} and their values to {@code args}. */
  void appendTo(StringBuilder sql, List<Object> args) {
    if (scope != null) {
      // An empty scope matches nothing ("IN ()" is not SQL).
      sql.append(
          scope.isEmpty()
              ? " AND 0"
              : " AND workspace_id IN (" + "?,".repeat(scope.size() - 1) + "?)");
      args.addAll(new ArrayList<>(scope));
    }
    if (workspaceId != null) {
      sql.append(" AND workspace_id = ?");
      args.add(workspaceId);
    }
    if (fromMs != null) {
      sql.append(" AND event_time_ms >= ?");
      args.add(fromMs);
    }
    if (toMs != null) {
      sql.append(" AND event_time_ms < ?");
      args.add(toMs);
    }
    if (destination != null) {
      if (destination.startsWith("*.")) {
        sql.append(" AND destination LIKE ? ESCAPE '\\'");
        args.add(
            "%"
                + destination
                    .substring(1)
                    .replace("\\", "\\\\")
                    .replace("%", "\\%")
                    .replace("_", "\\_"));
      } else {
        sql.append(" AND destination = ?");
        args.add(destination);
      }
    }
    if (reason != null) {
      sql.append(" AND reason = ?");
      args.add(reason);
    }
    if (accessType != null) {
      sql.append(" AND access_type = ?");
      args.add(accessType);
    }
  }
}
