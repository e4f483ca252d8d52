package dev.egress.collector.store;

import dev.egress.collector.record.ViolationRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Binds a {@link ViolationRow} to, and reads it from, the columns in {@link Database#COLUMNS}
 * order.
 */
final class Rows {
  static final int COLUMN_COUNT = 31;

  private Rows() {}

  static void bind(PreparedStatement s, ViolationRow r) throws SQLException {
    int i = 1;
    s.setString(i++, r.eventId());
    s.setString(i++, r.eventTime());
    s.setLong(i++, r.eventTimeMs());
    s.setString(i++, r.accountId());
    setLong(s, i++, r.workspaceId());
    s.setString(i++, r.networkPolicyId());
    s.setString(i++, r.destinationType());
    s.setString(i++, r.destination());
    s.setString(i++, r.dnsDomainName());
    setLong(s, i++, r.dnsRcode() == null ? null : r.dnsRcode().longValue());
    s.setString(i++, r.ipAddress());
    s.setString(i++, r.storageHostname());
    s.setString(i++, r.storagePath());
    s.setString(i++, r.storageRejectionReason());
    s.setString(i++, r.accessType());
    s.setString(i++, r.networkSourceType());
    setLong(s, i++, r.port() == null ? null : r.port().longValue());
    s.setString(i++, r.protocol());
    s.setString(i++, r.reason());
    s.setString(i++, r.callerClass());
    s.setString(i++, r.callerMethod());
    setLong(s, i++, r.callerLine() == null ? null : r.callerLine().longValue());
    s.setString(i++, r.callerCodeSource());
    setLong(s, i++, r.callerUserCode() == null ? null : (r.callerUserCode() ? 1L : 0L));
    setLong(s, i++, r.processPid());
    s.setString(i++, r.processHost());
    s.setString(i++, r.processJvmRole());
    s.setString(i++, r.processSparkAppId());
    s.setString(i++, r.processSparkExecutorId());
    s.setLong(i++, r.count());
    s.setLong(i, r.receivedAt());
  }

  static ViolationRow read(ResultSet rs) throws SQLException {
    int i = 1;
    return new ViolationRow(
        rs.getString(i++),
        rs.getString(i++),
        rs.getLong(i++),
        rs.getString(i++),
        getLong(rs, i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        getInt(rs, i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        getInt(rs, i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        getInt(rs, i++),
        rs.getString(i++),
        getBool(rs, i++),
        getLong(rs, i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getLong(i++),
        rs.getLong(i));
  }

  private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
    if (v == null) {
      s.setNull(i, Types.INTEGER);
    } else {
      s.setLong(i, v);
    }
  }

  private static Long getLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static Integer getInt(ResultSet rs, int i) throws SQLException {
    int v = rs.getInt(i);
    return rs.wasNull() ? null : v;
  }

  private static Boolean getBool(ResultSet rs, int i) throws SQLException {
    int v = rs.getInt(i);
    return rs.wasNull() ? null : v != 0;
  }
}
