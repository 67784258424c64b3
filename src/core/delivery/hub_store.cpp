#include "delivery/hub_store.hpp"

namespace tmfd::delivery::hub_store {

namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ',';
    out += p;
  }
  return out;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

} // namespace

std::vector<std::pair<HubRecord, std::uint64_t>> load_all(store::Connection& reader) {
  store::Statement st(reader.raw(),
                      "SELECT id, hub_path, domains, topic, callback, query, topic_filter, cursor,"
                      " (SELECT count(*) FROM tmfd_dead_letter d WHERE d.hub_id = h.id)"
                      " FROM tmfd_hub h ORDER BY created_at");
  std::vector<std::pair<HubRecord, std::uint64_t>> out;
  while (st.step()) {
    HubRecord h;
    h.id = st.column_text(0);
    h.hub_path = st.column_text(1);
    h.domains = split(st.column_text(2));
    h.topic = st.column_text(3);
    h.callback = st.column_text(4);
    h.query = st.column_text(5);
    h.topic_filter = st.column_text(6);
    h.cursor = st.column_int(7);
    out.emplace_back(std::move(h), static_cast<std::uint64_t>(st.column_int(8)));
  }
  return out;
}

void insert(store::Connection& writer, HubRecord& hub) {
  hub.cursor = outbox_head(writer);
  auto& st = writer.prepare(
      "INSERT INTO tmfd_hub(id, hub_path, domains, topic, callback, query, topic_filter, cursor)"
      " VALUES (?,?,?,?,?,?,?,?)");
  store::StatementUse use(st);
  st.bind(1, hub.id).bind(2, hub.hub_path).bind(3, join(hub.domains)).bind(4, hub.topic);
  st.bind(5, hub.callback).bind(6, hub.query).bind(7, hub.topic_filter).bind(8, hub.cursor);
  st.step();
}

void remove(store::Connection& writer, const std::string& hub_id) {
  for (const char* sql : {"DELETE FROM tmfd_hub WHERE id=?", "DELETE FROM tmfd_dead_letter WHERE hub_id=?",
                          "DELETE FROM tmfd_replay WHERE hub_id=?"}) {
    auto& st = writer.prepare(sql);
    store::StatementUse use(st);
    st.bind(1, hub_id);
    st.step();
  }
}

std::vector<std::string> ids_of_topic(store::Connection& reader, const std::string& topic) {
  auto& st = reader.prepare("SELECT id FROM tmfd_hub WHERE topic=?");
  store::StatementUse use(st);
  st.bind(1, topic);
  std::vector<std::string> ids;
  while (st.step()) ids.emplace_back(st.column_text(0));
  return ids;
}

void store_cursor(store::Connection& writer, const std::string& hub_id, std::int64_t cursor) {
  // Never backwards: cursor writes of one hub may be queued out of order with a restart's.
  auto& st = writer.prepare("UPDATE tmfd_hub SET cursor=? WHERE id=? AND cursor < ?");
  store::StatementUse use(st);
  st.bind(1, cursor).bind(2, hub_id).bind(3, cursor);
  st.step();
}

void add_dead_letter(store::Connection& writer, const std::string& hub_id, const OutboxEntry& entry,
                     int attempts, const std::string& last_error) {
  auto& st = writer.prepare(
      "INSERT OR REPLACE INTO tmfd_dead_letter(hub_id, seq, event_id, event_type, resource_id, payload,"
      " attempts, last_error) VALUES (?,?,?,?,?,?,?,?)");
  store::StatementUse use(st);
  const Event& e = entry.event;
  st.bind(1, hub_id).bind(2, e.sequence).bind(3, e.event_id).bind(4, e.event_type).bind(5, e.resource_id);
  st.bind(6, e.payload).bind(7, static_cast<std::int64_t>(attempts)).bind(8, last_error);
  st.step();
}

json::array dead_letters(store::Connection& reader, const std::string& hub_id, std::size_t offset,
                         std::size_t limit, std::size_t& total) {
  {
    auto& count = reader.prepare("SELECT count(*) FROM tmfd_dead_letter WHERE hub_id=?");
    store::StatementUse use(count);
    count.bind(1, hub_id);
    total = count.step() ? static_cast<std::size_t>(count.column_int(0)) : 0;
  }
  auto& st = reader.prepare(
      "SELECT seq, event_id, event_type, resource_id, attempts, last_error, dead_at, payload"
      " FROM tmfd_dead_letter WHERE hub_id=? ORDER BY seq LIMIT ? OFFSET ?");
  store::StatementUse use(st);
  st.bind(1, hub_id).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  json::array out;
  while (st.step()) {
    json::object o;
    o["sequence"] = st.column_int(0);
    o["eventId"] = st.column_text(1);
    o["eventType"] = st.column_text(2);
    o["resourceId"] = st.column_text(3);
    o["attempts"] = st.column_int(4);
    o["lastError"] = st.column_text(5);
    o["deadLetteredAt"] = st.column_text(6);
    boost::system::error_code ec;
    auto event = json::parse(st.column_text(7), ec, {}, event_parse_options());
    o["event"] = ec ? json::value(st.column_text(7)) : std::move(event);
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<std::int64_t> request_replay(store::Connection& writer, const std::string& hub_id, std::int64_t first,
                                         std::int64_t last, const std::string& correlation_id,
                                         std::int64_t requested_ms) {
  std::vector<std::int64_t> seqs;
  {
    auto& st = writer.prepare("SELECT seq FROM tmfd_dead_letter WHERE hub_id=? AND seq BETWEEN ? AND ? ORDER BY seq");
    store::StatementUse use(st);
    st.bind(1, hub_id).bind(2, first).bind(3, last);
    while (st.step()) seqs.push_back(st.column_int(0));
  }
  {
    // OR REPLACE: a replay still queued for the same event is the same request again.
    auto& st = writer.prepare(
        "INSERT OR REPLACE INTO tmfd_replay(hub_id, seq, event_id, event_type, resource_id, payload,"
        " correlation_id, requested_ms) SELECT hub_id, seq, event_id, event_type, resource_id, payload, ?, ?"
        " FROM tmfd_dead_letter WHERE hub_id=? AND seq BETWEEN ? AND ?");
    store::StatementUse use(st);
    st.bind(1, correlation_id).bind(2, requested_ms).bind(3, hub_id).bind(4, first).bind(5, last);
    st.step();
  }
  auto& st = writer.prepare("DELETE FROM tmfd_dead_letter WHERE hub_id=? AND seq BETWEEN ? AND ?");
  store::StatementUse use(st);
  st.bind(1, hub_id).bind(2, first).bind(3, last);
  st.step();
  return seqs;
}

std::vector<OutboxEntry> replays(store::Connection& reader, const std::string& hub_id, std::size_t limit) {
  auto& st = reader.prepare(
      "SELECT seq, event_id, event_type, resource_id, payload, correlation_id, requested_ms"
      " FROM tmfd_replay WHERE hub_id=? ORDER BY seq LIMIT ?");
  store::StatementUse use(st);
  st.bind(1, hub_id).bind(2, static_cast<std::int64_t>(limit));
  std::vector<OutboxEntry> out;
  while (st.step()) {
    OutboxEntry entry;
    entry.event.sequence = st.column_int(0);
    entry.event.event_id = st.column_text(1);
    entry.event.event_type = st.column_text(2);
    entry.event.resource_id = st.column_text(3);
    entry.event.payload = st.column_text(4);
    entry.event.correlation_id = st.column_text(5);
    entry.committed_ms = st.column_int(6);
    out.push_back(std::move(entry));
  }
  return out;
}

void finish_replays(store::Connection& writer, const std::string& hub_id, const std::vector<std::int64_t>& seqs) {
  auto& st = writer.prepare("DELETE FROM tmfd_replay WHERE hub_id=? AND seq=?");
  for (auto seq : seqs) {
    store::StatementUse use(st);
    st.bind(1, hub_id).bind(2, seq);
    st.step();
  }
}

bool load_consumer_cursor(store::Connection& reader, const std::string& name, std::int64_t& cursor) {
  auto& st = reader.prepare("SELECT cursor FROM tmfd_consumer WHERE name=?");
  store::StatementUse use(st);
  st.bind(1, name);
  if (!st.step()) return false;
  cursor = st.column_int(0);
  return true;
}

void store_consumer_cursor(store::Connection& writer, const std::string& name, std::int64_t cursor) {
  auto& st = writer.prepare(
      "INSERT INTO tmfd_consumer(name, cursor) VALUES (?,?) ON CONFLICT(name) DO UPDATE SET"
      " cursor=excluded.cursor, updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE excluded.cursor > cursor");
  store::StatementUse use(st);
  st.bind(1, name).bind(2, cursor);
  st.step();
}

std::int64_t prune_outbox(store::Connection& writer, std::int64_t sequence) {
  // The newest row stays, whatever has passed it: its seq is where numbering goes on, after a
  // restart too (store/outbox_head.hpp).
  auto& st = writer.prepare("DELETE FROM tmfd_outbox WHERE seq <= ? AND seq < (SELECT max(seq) FROM tmfd_outbox)");
  store::StatementUse use(st);
  st.bind(1, sequence);
  st.step();
  return sqlite3_changes64(writer.raw());
}

} // namespace tmfd::delivery::hub_store
