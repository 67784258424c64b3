#include "store/history_log.hpp"

#include <tmfd/date_time.hpp>
#include <tmfd/error.hpp>

#include "store/write_queue.hpp"

namespace tmfd::store::history {

void ensure_table(Connection& writer) {
  // seq without AUTOINCREMENT: one write less per change. Pruning never deletes the newest row,
  // so a seq is never handed out twice (exports page by seq).
  writer.exec(
      "CREATE TABLE IF NOT EXISTS tmfd_history("
      " seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, principal TEXT NOT NULL, correlation_id TEXT NOT NULL,"
      " api TEXT NOT NULL, collection TEXT NOT NULL, resource_id TEXT NOT NULL, type TEXT NOT NULL,"
      " version INTEGER NOT NULL, operation TEXT NOT NULL, internal INTEGER NOT NULL, body TEXT,"
      " superseded_at INTEGER)");
  // Superseded versions and deletes, by resource: a resource's history, the version before an
  // entry. Live versions are not in it (the resource row's hseq names them), so a creation
  // writes no index entry at all; its row enters the index when a later change supersedes it.
  writer.exec(
      "CREATE INDEX IF NOT EXISTS tmfd_history_past ON tmfd_history(resource_id, seq)"
      " WHERE superseded_at IS NOT NULL");
  // What retention prunes, oldest first; also only superseded rows.
  writer.exec(
      "CREATE INDEX IF NOT EXISTS tmfd_history_superseded ON tmfd_history(superseded_at)"
      " WHERE superseded_at IS NOT NULL");
}

std::int64_t record(WriteTxn& txn, const Change& c) {
  auto& conn = txn.connection();
  if (c.superseded_seq) {
    // The version this change replaces keeps its body from now on (until now the resource table
    // held it): a creation, the common write, costs one small row and no copy of the resource.
    static const std::string supersede = "UPDATE tmfd_history SET superseded_at=?, body=? WHERE seq=?";
    auto& st = conn.prepare(supersede);
    StatementUse use(st);
    st.bind(1, c.at_ms);
    if (c.previous_body) st.bind(2, std::string_view(*c.previous_body));
    else st.bind_null(2);
    st.bind(3, *c.superseded_seq);
    st.step();
  }
  static const std::string insert =
      "INSERT INTO tmfd_history(at, principal, correlation_id, api, collection, resource_id, type, version,"
      " operation, internal, superseded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
  auto& st = conn.prepare(insert);
  StatementUse use(st);
  st.bind(1, c.at_ms).bind(2, c.principal).bind(3, c.correlation_id).bind(4, c.api).bind(5, c.collection);
  st.bind(6, c.resource_id).bind(7, c.type).bind(8, c.version).bind(9, c.operation);
  st.bind(10, static_cast<std::int64_t>(c.internal ? 1 : 0));
  // A delete ends the resource's history: superseded by nothing, it goes once older than the
  // retention.
  if (c.deletion) st.bind(11, c.at_ms);
  else st.bind_null(11);
  st.step();
  return sqlite3_last_insert_rowid(conn.raw());
}

namespace {

constexpr const char* kColumns =
    "seq, at, principal, correlation_id, api, collection, resource_id, type, version, operation, internal, body,"
    " superseded_at IS NULL";

Entry read_entry(const Statement& st) {
  Entry e;
  e.seq = st.column_int(0);
  e.at_ms = st.column_int(1);
  e.principal = st.column_text(2);
  e.correlation_id = st.column_text(3);
  e.api = st.column_text(4);
  e.collection = st.column_text(5);
  e.resource_id = st.column_text(6);
  e.type = st.column_text(7);
  e.version = st.column_int(8);
  e.operation = st.column_text(9);
  e.internal = st.column_int(10) != 0;
  if (!st.column_is_null(11)) e.body = std::string(st.column_text(11));
  e.current = st.column_int(12) != 0;
  return e;
}

// An audit filter's attribute -> its column, and whether its values are numbers or date-times.
struct Column {
  const char* name;
  enum Kind { Text, Integer, DateTime } kind;
};

std::optional<Column> column_of(const std::string& path) {
  if (path == "seq") return Column{"seq", Column::Integer};
  if (path == "at") return Column{"at", Column::DateTime};
  if (path == "principal") return Column{"principal", Column::Text};
  if (path == "correlationId") return Column{"correlation_id", Column::Text};
  if (path == "operation") return Column{"operation", Column::Text};
  if (path == "resource.api") return Column{"api", Column::Text};
  if (path == "resource.collection") return Column{"collection", Column::Text};
  if (path == "resource.id") return Column{"resource_id", Column::Text};
  if (path == "resource.@type") return Column{"type", Column::Text};
  if (path == "resource.version") return Column{"version", Column::Integer};
  return std::nullopt;
}

struct Bind {
  bool is_int;
  std::int64_t number;
  std::string text;
};

Bind bind_value(const Column& col, const std::string& path, const std::string& value) {
  if (col.kind == Column::Text) return {false, 0, value};
  if (col.kind == Column::DateTime) {
    auto ms = date_time_ms(value);
    if (!ms) throw ApiError::bad_request("'" + path + "' must be an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z");
    return {true, *ms, {}};
  }
  std::size_t used = 0;
  std::int64_t n = 0;
  try {
    n = std::stoll(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size()) throw ApiError::bad_request("'" + path + "' must be an integer");
  return {true, n, {}};
}

} // namespace

namespace {

// The rows of one resource: its past versions (partial index) and its current one (named by the
// resource row's hseq), as one sub-query to select from.
std::string resource_rows(const std::string& table) {
  return std::string("SELECT ") + kColumns +
         " FROM tmfd_history WHERE resource_id=?1 AND collection=?2 AND superseded_at IS NOT NULL"
         " UNION ALL SELECT " + kColumns + " FROM tmfd_history WHERE seq=(SELECT hseq FROM \"" + table +
         "\" WHERE id=?1) AND collection=?2 AND superseded_at IS NULL";
}

} // namespace

std::optional<Entry> version_at(Connection& reader, const std::string& table, std::string_view collection,
                                std::string_view id, std::int64_t at_ms) {
  auto& st = reader.prepare("SELECT * FROM (" + resource_rows(table) + ") WHERE at<=?3 ORDER BY 1 DESC LIMIT 1");
  StatementUse use(st);
  st.bind(1, id).bind(2, collection).bind(3, at_ms);
  if (!st.step()) return std::nullopt;
  return read_entry(st);
}

std::vector<Entry> versions(Connection& reader, const std::string& table, std::string_view collection,
                            std::string_view id, std::size_t offset, std::size_t limit, std::size_t& total) {
  {
    auto& st = reader.prepare("SELECT count(*) FROM (" + resource_rows(table) + ")");
    StatementUse use(st);
    st.bind(1, id).bind(2, collection);
    total = st.step() ? static_cast<std::size_t>(st.column_int(0)) : 0;
  }
  auto& st = reader.prepare("SELECT * FROM (" + resource_rows(table) + ") ORDER BY 1 LIMIT ?3 OFFSET ?4");
  StatementUse use(st);
  st.bind(1, id).bind(2, collection).bind(3, static_cast<std::int64_t>(limit)).bind(4, static_cast<std::int64_t>(offset));
  std::vector<Entry> out;
  while (st.step()) out.push_back(read_entry(st));
  return out;
}

std::vector<Entry> entries(Connection& reader, const query::ListQuery& q, std::size_t limit, std::size_t* total) {
  std::string where;
  std::vector<Bind> binds;
  for (const auto& f : q.filters) {
    auto col = column_of(f.path);
    if (!col)
      throw ApiError::bad_request("cannot filter the audit log on '" + f.path +
                                  "'; use seq, at, principal, correlationId, operation, resource.api, "
                                  "resource.collection, resource.id, resource.@type or resource.version");
    where += where.empty() ? " WHERE " : " AND ";
    where += col->name;
    if (f.op == query::FilterOp::Eq) {
      where += " IN (";
      for (std::size_t i = 0; i < f.values.size(); ++i) where += i ? ",?" : "?";
      where += ")";
    } else {
      static const char* ops[] = {"=", ">", ">=", "<", "<="};
      where += ops[static_cast<int>(f.op)];
      where += "?";
    }
    for (const auto& v : f.values) binds.push_back(bind_value(*col, f.path, v));
  }
  bool descending = false;
  if (q.sort.size() > 1 || (q.sort.size() == 1 && q.sort[0].path != "seq" && q.sort[0].path != "at"))
    throw ApiError::bad_request("the audit log sorts by 'seq' or 'at' only (e.g. sort=-at)");
  if (!q.sort.empty()) descending = q.sort[0].descending;
  auto bind_all = [&binds](Statement& st) {
    int i = 1;
    for (const auto& b : binds) {
      if (b.is_int) st.bind(i++, b.number);
      else st.bind(i++, std::string_view(b.text));
    }
    return i;
  };
  if (total) {
    Statement count(reader.raw(), "SELECT count(*) FROM tmfd_history" + where);
    bind_all(count);
    *total = count.step() ? static_cast<std::size_t>(count.column_int(0)) : 0;
  }
  Statement st(reader.raw(), std::string("SELECT ") + kColumns + " FROM tmfd_history" + where + " ORDER BY seq" +
                                 (descending ? " DESC" : "") + " LIMIT ? OFFSET ?");
  int i = bind_all(st);
  st.bind(i++, static_cast<std::int64_t>(limit));
  st.bind(i, static_cast<std::int64_t>(q.offset));
  std::vector<Entry> out;
  while (st.step()) out.push_back(read_entry(st));
  return out;
}

std::optional<std::string> body_before(Connection& reader, std::string_view collection, std::string_view id,
                                       std::int64_t seq) {
  static const std::string sql =
      "SELECT body FROM tmfd_history WHERE resource_id=? AND collection=? AND superseded_at IS NOT NULL AND seq<?"
      " ORDER BY seq DESC LIMIT 1";
  auto& st = reader.prepare(sql);
  StatementUse use(st);
  st.bind(1, id).bind(2, collection).bind(3, seq);
  if (!st.step() || st.column_is_null(0)) return std::nullopt;
  return std::string(st.column_text(0));
}

std::size_t prune(Connection& writer, std::int64_t horizon_ms, std::size_t batch) {
  static const std::string sql =
      "DELETE FROM tmfd_history WHERE seq IN (SELECT seq FROM tmfd_history WHERE superseded_at<? AND"
      " seq<(SELECT max(seq) FROM tmfd_history) ORDER BY superseded_at LIMIT ?)";
  auto& st = writer.prepare(sql);
  StatementUse use(st);
  st.bind(1, horizon_ms).bind(2, static_cast<std::int64_t>(batch));
  st.step();
  return static_cast<std::size_t>(sqlite3_changes(writer.raw()));
}

} // namespace tmfd::store::history
