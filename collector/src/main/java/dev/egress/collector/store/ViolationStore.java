package dev.egress.collector.store;

import dev.egress.collector.record.ViolationRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The read side: pages of records and grouped counts. */
public final class ViolationStore {
  /** Where the previous page ended: the last row's (event_time_ms, event_id). */
  public record Cursor(long eventTimeMs, String eventId) {}

  /** One page; {@code next} is null on the last page. */
  public record Page(List<ViolationRow> rows, Cursor next) {}

  /** One group of a summary: its key, the sum of {@code count}, and how many records. */
  public record Group(String key, long count, long records) {}

  /** The dimensions of {@code /v1/summary}: each is the SQL expression of the group key. */
  public enum SummaryBy {
    DESTINATION("destination"),
    CALLER("COALESCE(caller_class, '?') || '.' || COALESCE(caller_method, '?')"),
    WORKSPACE("CAST(workspace_id AS TEXT)"),
    // event_time is normalised UTC text (EventTimes), so its first ten characters are the UTC day.
    DAY("substr(event_time, 1, 10)"),
    REASON("reason");

    final String expression;

    SummaryBy(String expression) {
      this.expression = expression;
    }

    public static SummaryBy parse(String s) {
      for (SummaryBy b : values()) {
        if (b.name().toLowerCase(Locale.ROOT).equals(s)) {
          return b;
        }
      }
      return null;
    }
  }

  private final ReadPool pool;

  public ViolationStore(ReadPool pool) {
    this.pool = pool;
  }

  /**
   * Records matching {@code filter} after {@code after}, in (event_time, event_id) order: stable
   * keyset paging.
   */
  public Page query(ViolationFilter filter, Cursor after, int limit) throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT " + Database.COLUMNS + " FROM " + Database.TABLE + " WHERE 1");
    List<Object> args = new ArrayList<>();
    filter.appendTo(sql, args);
    if (after != null) {
      sql.append(" AND (event_time_ms > ? OR (event_time_ms = ? AND event_id > ?))");
      args.add(after.eventTimeMs());
      args.add(after.eventTimeMs());
      args.add(after.eventId());
    }
    sql.append(" ORDER BY event_time_ms, event_id LIMIT ?");
    args.add(limit + 1); // one more tells whether there is a next page
    return pool.with(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            bindAll(s, args);
            List<ViolationRow> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                rows.add(Rows.read(rs));
              }
            }
            Cursor next = null;
            if (rows.size() > limit) {
              rows.remove(rows.size() - 1);
              ViolationRow last = rows.get(rows.size() - 1);
              next = new Cursor(last.eventTimeMs(), last.eventId());
            }
            return new Page(rows, next);
          }
        });
  }

  /**
   * The biggest groups first, by the sum of {@code count} (a folded record stands for many
   * violations).
   */
  public List<Group> summary(ViolationFilter filter, SummaryBy by, int limit) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + by.expression
                + " AS k, SUM(count), COUNT(*) FROM "
                + Database.TABLE
                + " WHERE 1");
    List<Object> args = new ArrayList<>();
    filter.appendTo(sql, args);
    sql.append(" GROUP BY k ORDER BY 2 DESC, k LIMIT ?");
    args.add(limit);
    return pool.with(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            bindAll(s, args);
            List<Group> groups = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                groups.add(new Group(rs.getString(1), rs.getLong(2), rs.getLong(3)));
              }
            }
            return groups;
          }
        });
  }

  /** Fails when the database cannot be read. */
  public void ping() throws SQLException {
    pool.with(
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement("SELECT 1 FROM " + Database.TABLE + " LIMIT 1");
              ResultSet rs = s.executeQuery()) {
            return rs.next();
          }
        });
  }

  /** Rows in the table (a full scan); for tests and the benchmark. */
  public long count() throws SQLException {
    return pool.with(
        c -> {
          try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + Database.TABLE);
              ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static void bindAll(PreparedStatement s, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Long) {
        s.setLong(i + 1, (Long) a);
      } else if (a instanceof Integer) {
        s.setInt(i + 1, (Integer) a);
      } else {
        s.setString(i + 1, (String) a);
      }
    }
  }
}
