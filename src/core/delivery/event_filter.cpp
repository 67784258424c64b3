#include "delivery/event_filter.hpp"

#include <algorithm>

#include <tmfd/error.hpp>
#include <tmfd/json.hpp>

#include "query/json_match.hpp"

namespace tmfd::delivery {

namespace {

// Header attributes that the outbox keeps in columns: matched without parsing the event.
const std::string* header_value(const Event& e, const std::string& path) {
  if (path == "eventType") return &e.event_type;
  if (path == "domain") return &e.domain;
  return nullptr;
}

} // namespace

EventFilter EventFilter::parse(const std::vector<std::string_view>& queries) {
  EventFilter f;
  for (auto raw : queries) {
    if (raw.empty()) continue;
    auto q = query::parse_list_query(raw);
    if (q.offset != 0 || q.limit || !q.fields.empty() || !q.sort.empty())
      throw ApiError::bad_request("query: offset, limit, fields and sort do not apply to event subscriptions");
    for (auto& filter : q.filters) {
      if (!(filter.op == query::FilterOp::Eq && (filter.path == "eventType" || filter.path == "domain")))
        f.needs_body_ = true;
      f.filters_.push_back(std::move(filter));
    }
  }
  return f;
}

std::vector<std::string> EventFilter::event_types() const {
  // Several eventType filters are AND-ed: any one of them bounds the types (matches() still
  // applies all of them).
  for (const auto& filter : filters_)
    if (filter.op == query::FilterOp::Eq && filter.path == "eventType" && !filter.values.empty()) return filter.values;
  return {};
}

bool EventFilter::matches(const Event& event) const {
  if (filters_.empty()) return true;
  // Cheap filters first: most subscriptions select by event type.
  for (const auto& filter : filters_) {
    if (filter.op != query::FilterOp::Eq) continue;
    if (const auto* value = header_value(event, filter.path)) {
      if (std::find(filter.values.begin(), filter.values.end(), *value) == filter.values.end()) return false;
    }
  }
  if (!needs_body_) return true;
  boost::system::error_code ec;
  const json::value body = json::parse(event.payload, ec, {}, event_parse_options());
  if (ec) return false;
  for (const auto& filter : filters_) {
    std::vector<std::string_view> values(filter.values.begin(), filter.values.end());
    if (!query::json_matches(body, filter.path, filter.op, values)) return false;
  }
  return true;
}

} // namespace tmfd::delivery
