#include "store/reaction_rows.hpp"

#include <sqlite3.h>

namespace tmfd::store {

const std::vector<std::string>& reaction_migrations() {
  static const std::vector<std::string> statements = {
      "CREATE TABLE tmfd_reaction_done(reaction TEXT NOT NULL, seq INTEGER NOT NULL,"
      " PRIMARY KEY(reaction, seq)) WITHOUT ROWID",
      "CREATE TABLE tmfd_dead_letter_work(kind TEXT NOT NULL, owner TEXT NOT NULL, key TEXT NOT NULL,"
      " event_type TEXT NOT NULL, resource TEXT NOT NULL, payload TEXT NOT NULL, correlation_id TEXT NOT NULL,"
      " error TEXT NOT NULL, attempts INTEGER NOT NULL, parked_at TEXT NOT NULL,"
      " PRIMARY KEY(kind, owner, key))",
      "CREATE TABLE tmfd_timer(id TEXT PRIMARY KEY NOT NULL, handler TEXT NOT NULL, due_ms INTEGER NOT NULL,"
      " payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, correlation_id TEXT NOT NULL)",
      "CREATE INDEX tmfd_timer_due ON tmfd_timer(due_ms)",
  };
  return statements;
}

bool reaction_handled(Connection& conn, const std::string& reaction, std::int64_t sequence) {
  auto& st = conn.prepare("SELECT 1 FROM tmfd_reaction_done WHERE reaction=? AND seq=?");
  StatementUse use(st);
  st.bind(1, reaction).bind(2, sequence);
  return st.step();
}

void mark_reaction_handled(Connection& conn, const std::string& reaction, std::int64_t sequence) {
  auto& st = conn.prepare("INSERT OR IGNORE INTO tmfd_reaction_done(reaction, seq) VALUES (?,?)");
  StatementUse use(st);
  st.bind(1, reaction).bind(2, sequence);
  st.step();
}

void forget_handled_upto(Connection& conn, const std::string& reaction, std::int64_t sequence) {
  auto& st = conn.prepare("DELETE FROM tmfd_reaction_done WHERE reaction=? AND seq<=?");
  StatementUse use(st);
  st.bind(1, reaction).bind(2, sequence);
  st.step();
}

namespace {
const char* kind_name(DeadLetterKind kind) { return kind == DeadLetterKind::Reaction ? "reaction" : "timer"; }
} // namespace

void park_dead_letter(Connection& conn, DeadLetterKind kind, const DeadLetter& l) {
  auto& st = conn.prepare(
      "INSERT OR REPLACE INTO tmfd_dead_letter_work(kind, owner, key, event_type, resource, payload,"
      " correlation_id, error, attempts, parked_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
  StatementUse use(st);
  st.bind(1, std::string_view(kind_name(kind))).bind(2, l.owner).bind(3, l.key).bind(4, l.event_type);
  st.bind(5, l.resource).bind(6, l.payload).bind(7, l.correlation_id).bind(8, l.error);
  st.bind(9, static_cast<std::int64_t>(l.attempts)).bind(10, l.parked_at);
  st.step();
}

std::vector<DeadLetter> dead_letters(Connection& conn, DeadLetterKind kind, const std::string& owner,
                                     std::size_t offset, std::size_t limit) {
  auto& st = conn.prepare(
      "SELECT owner, key, event_type, resource, payload, correlation_id, error, attempts, parked_at"
      " FROM tmfd_dead_letter_work WHERE kind=? AND owner=? ORDER BY parked_at, key LIMIT ? OFFSET ?");
  StatementUse use(st);
  st.bind(1, std::string_view(kind_name(kind))).bind(2, owner);
  st.bind(3, static_cast<std::int64_t>(limit)).bind(4, static_cast<std::int64_t>(offset));
  std::vector<DeadLetter> out;
  while (st.step())
    out.push_back({std::string(st.column_text(0)), std::string(st.column_text(1)), std::string(st.column_text(2)),
                   std::string(st.column_text(3)), std::string(st.column_text(4)), std::string(st.column_text(5)),
                   std::string(st.column_text(6)), static_cast<int>(st.column_int(7)),
                   std::string(st.column_text(8))});
  return out;
}

std::size_t dead_letter_count(Connection& conn, DeadLetterKind kind, const std::string& owner) {
  auto& st = conn.prepare("SELECT count(*) FROM tmfd_dead_letter_work WHERE kind=? AND owner=?");
  StatementUse use(st);
  st.bind(1, std::string_view(kind_name(kind))).bind(2, owner);
  return st.step() ? static_cast<std::size_t>(st.column_int(0)) : 0;
}

void store_timer(Connection& conn, const TimerRow& row) {
  auto& st = conn.prepare(
      "INSERT OR REPLACE INTO tmfd_timer(id, handler, due_ms, payload, attempts, correlation_id)"
      " VALUES (?,?,?,?,?,?)");
  StatementUse use(st);
  st.bind(1, row.id).bind(2, row.handler).bind(3, row.due_ms).bind(4, row.payload);
  st.bind(5, static_cast<std::int64_t>(row.attempts)).bind(6, row.correlation_id);
  st.step();
}

bool delete_timer(Connection& conn, const std::string& id) {
  auto& st = conn.prepare("DELETE FROM tmfd_timer WHERE id=?");
  StatementUse use(st);
  st.bind(1, id);
  st.step();
  return sqlite3_changes(conn.raw()) > 0;
}

namespace {
TimerRow timer_from(Statement& st) {
  return {std::string(st.column_text(0)), std::string(st.column_text(1)), st.column_int(2),
          std::string(st.column_text(3)), static_cast<int>(st.column_int(4)), std::string(st.column_text(5))};
}
} // namespace

std::optional<TimerRow> read_timer(Connection& conn, const std::string& id) {
  auto& st = conn.prepare("SELECT id, handler, due_ms, payload, attempts, correlation_id FROM tmfd_timer WHERE id=?");
  StatementUse use(st);
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return timer_from(st);
}

std::vector<TimerRow> due_timers(Connection& conn, std::int64_t now_ms, std::size_t limit) {
  auto& st = conn.prepare(
      "SELECT id, handler, due_ms, payload, attempts, correlation_id FROM tmfd_timer WHERE due_ms<=?"
      " ORDER BY due_ms, id LIMIT ?");
  StatementUse use(st);
  st.bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
  std::vector<TimerRow> out;
  while (st.step()) out.push_back(timer_from(st));
  return out;
}

std::optional<std::int64_t> next_timer_due(Connection& conn) {
  auto& st = conn.prepare("SELECT min(due_ms) FROM tmfd_timer");
  StatementUse use(st);
  if (!st.step() || st.column_is_null(0)) return std::nullopt;
  return st.column_int(0);
}

void reschedule_timer(Connection& conn, const std::string& id, std::int64_t due_ms, int attempts) {
  auto& st = conn.prepare("UPDATE tmfd_timer SET due_ms=?, attempts=? WHERE id=?");
  StatementUse use(st);
  st.bind(1, due_ms).bind(2, static_cast<std::int64_t>(attempts)).bind(3, id);
  st.step();
}

} // namespace tmfd::store
