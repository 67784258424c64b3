#include "delivery/outbox_log.hpp"

#include "store/outbox_head.hpp"

#include <algorithm>

namespace tmfd::delivery {

namespace {

const std::string kColumns =
    "SELECT seq, event_id, event_type, domain, resource_type, resource_id, correlation_id, topic, payload,"
    " principal, internal, CAST((julianday(created_at) - 2440587.5) * 86400000.0 AS INTEGER)"
    " FROM tmfd_outbox WHERE seq > ? AND seq <= ?";

std::vector<OutboxEntry> read_rows(store::Statement& st) {
  std::vector<OutboxEntry> out;
  while (st.step()) {
    OutboxEntry entry;
    Event& e = entry.event;
    e.sequence = st.column_int(0);
    e.event_id = st.column_text(1);
    e.event_type = st.column_text(2);
    e.domain = st.column_text(3);
    e.resource_type = st.column_text(4);
    e.resource_id = st.column_text(5);
    e.correlation_id = st.column_text(6);
    e.topic = st.column_text(7);
    e.payload = st.column_text(8);
    e.principal = st.column_text(9);
    e.internal = st.column_int(10) != 0;
    entry.committed_ms = st.column_int(11);
    out.push_back(std::move(entry));
  }
  return out;
}

} // namespace

std::vector<OutboxEntry> read_outbox_after(store::Connection& conn, std::int64_t after, std::int64_t durable,
                                           std::size_t limit) {
  static const std::string kSql = kColumns + " ORDER BY seq LIMIT ?";
  auto& st = conn.prepare(kSql);
  store::StatementUse use(st);
  st.bind(1, after).bind(2, durable).bind(3, static_cast<std::int64_t>(limit));
  return read_rows(st);
}

OutboxRead read_outbox_selected(store::Connection& conn, std::int64_t after, std::int64_t durable, std::size_t limit,
                                const OutboxSelection& selection) {
  // The conditions are tested on each row's leading columns: rows left out are never decoded up
  // to their payload. One prepared statement per number of types (the connection caches them).
  std::string sql = kColumns;
  if (!selection.event_types.empty()) {
    sql += " AND event_type IN (?";
    for (std::size_t i = 1; i < selection.event_types.size(); ++i) sql += ",?";
    sql += ")";
  }
  if (!selection.include_internal) sql += " AND internal = 0";
  sql += " ORDER BY seq LIMIT ?";
  auto& st = conn.prepare(sql);
  store::StatementUse use(st);
  st.bind(1, after);
  st.bind(2, durable);
  int index = 3;
  for (const auto& type : selection.event_types) st.bind(index++, type);
  st.bind(index, static_cast<std::int64_t>(limit));
  OutboxRead read;
  read.entries = read_rows(st);
  // A full page may stop short of `durable`; a shorter one has looked at everything up to it.
  read.read_upto = read.entries.size() >= limit ? read.entries.back().event.sequence : std::max(after, durable);
  return read;
}

std::int64_t outbox_head(store::Connection& conn) { return store::outbox_head_sequence(conn); }

std::int64_t outbox_before_oldest(store::Connection& conn) {
  auto& st = conn.prepare("SELECT min(seq) FROM tmfd_outbox");
  store::StatementUse use(st);
  if (st.step() && !st.column_is_null(0)) return st.column_int(0) - 1;
  return outbox_head(conn);
}

const std::vector<std::string>& delivery_migrations() {
  static const std::vector<std::string> statements{
      // Cursors of named consumers (plugins such as Kafka): the last acknowledged sequence.
      "CREATE TABLE tmfd_consumer(name TEXT PRIMARY KEY NOT NULL, cursor INTEGER NOT NULL,"
      " updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
      // Hub subscriptions; `cursor` is the last outbox sequence the hub is done with.
      "CREATE TABLE tmfd_hub(id TEXT PRIMARY KEY NOT NULL, hub_path TEXT NOT NULL,"
      " domains TEXT NOT NULL, topic TEXT NOT NULL, callback TEXT NOT NULL, query TEXT NOT NULL,"
      " topic_filter TEXT NOT NULL, cursor INTEGER NOT NULL,"
      " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
      // Events a hub gave up on after its attempts or their age ran out.
      "CREATE TABLE tmfd_dead_letter(hub_id TEXT NOT NULL, seq INTEGER NOT NULL,"
      " event_id TEXT NOT NULL, event_type TEXT NOT NULL, resource_id TEXT NOT NULL,"
      " payload TEXT NOT NULL, attempts INTEGER NOT NULL, last_error TEXT NOT NULL,"
      " dead_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
      " PRIMARY KEY(hub_id, seq))",
      // Dead letters a client asked to send again (POST .../deadLetter/replay), kept until the
      // hub's worker has delivered (or dead-lettered) them again, so a restart does not lose the
      // request. `requested_ms` restarts max_age; `correlation_id` is the replay request's.
      "CREATE TABLE tmfd_replay(hub_id TEXT NOT NULL, seq INTEGER NOT NULL,"
      " event_id TEXT NOT NULL, event_type TEXT NOT NULL, resource_id TEXT NOT NULL,"
      " payload TEXT NOT NULL, correlation_id TEXT NOT NULL, requested_ms INTEGER NOT NULL,"
      " PRIMARY KEY(hub_id, seq))",
  };
  return statements;
}

} // namespace tmfd::delivery
