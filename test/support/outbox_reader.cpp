#include "outbox_reader.hpp"

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "database_access.hpp"
#include "json_helpers.hpp"
#include "spec_checks.hpp"

namespace tmfd::test {

namespace json = boost::json;

std::vector<OutboxRow> read_outbox(const std::string& database_path, const std::string& resource_id) {
  ReadOnlyDb db(database_path);
  std::string sql = "SELECT event_id, event_type, domain, resource_type, resource_id, correlation_id, payload "
                    "FROM tmfd_outbox";
  std::vector<std::string> params;
  if (!resource_id.empty()) {
    sql += " WHERE resource_id = ?";
    params.push_back(resource_id);
  }
  sql += " ORDER BY seq";
  std::vector<OutboxRow> out;
  for (auto& r : db.text_rows(sql, params)) out.push_back({r[0], r[1], r[2], r[3], r[4], r[5], r[6]});
  return out;
}

std::vector<OutboxRow> read_outbox(const TmfdProcess& p, const std::string& resource_id) {
  return read_outbox(p.database_path(), resource_id);
}

std::vector<std::string> event_types(const std::vector<OutboxRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.event_type);
  return out;
}

void check_outbox_event(const OutboxRow& row, const EventSource& source, const std::string& id,
                        const json::object* resource) {
  INFO(row.event_type << " " << row.payload);
  CHECK(row.domain == source.domain);
  CHECK(row.resource_type == source.collection);
  CHECK(row.resource_id == id);
  json::value v;
  REQUIRE_NOTHROW(v = json::parse(row.payload));
  REQUIRE(v.is_object());
  const auto& p = v.as_object();
  CHECK(str(p, "eventId") == row.event_id);
  CHECK(str(p, "eventType") == row.event_type);
  CHECK(!str(p, "eventTime").empty());
  CHECK(str(p, "correlationId") == row.correlation_id);
  REQUIRE(p.contains("event"));
  REQUIRE(p.at("event").is_object());
  const auto* res = p.at("event").as_object().if_contains(source.collection);
  REQUIRE(res);
  REQUIRE(res->is_object());
  CHECK(str(res->as_object(), "id") == id);
  if (resource) CHECK(res->as_object() == *resource);
  if (const SpecValidator* s = spec_validator_for(source.spec_file)) CHECK(s->has_definition(row.event_type));
  check_spec(v, source.spec_file, row.event_type);
}

} // namespace tmfd::test
